"""The parameters about participants, declared once for every list that takes them (see
core.filters): `osce_role` and `state` here, and the participants list (API `states/`)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.filters import ChoiceFilter, CodesFilter, QueryFilterSet, TextFilter
from states.models import Participant
from states.selectors import OSCE_ROLE_GROUPS, participant_list

# The values `osce_role` takes, with the words a page shows.
OSCE_ROLE_CHOICES = [
    ("osce", _("OSCE participating States and Partners for Co-operation")),
    ("participating", _("OSCE participating States")),
    ("partner", _("OSCE Partners for Co-operation")),
    ("partner_mediterranean", _("Mediterranean Partners for Co-operation")),
    ("partner_asian", _("Asian Partners for Co-operation")),
    ("none", _("Neither OSCE participating States nor Partners")),
    ("any", _("All participants")),
]
OSCE_ROLE_LABELS = dict(OSCE_ROLE_CHOICES)
assert set(OSCE_ROLE_LABELS) == set(OSCE_ROLE_GROUPS) | {"any"}

# The one default of every list filtered by OSCE role, on pages and in the API alike: the
# tracker is the OSCE's, and a delegation asks first about the OSCE area (README, "Filters").
OSCE_ROLE_DEFAULT = "osce"


def osce_role_filter() -> ChoiceFilter:
    return ChoiceFilter(
        label=_("Participants"),
        choices=OSCE_ROLE_CHOICES,
        default=OSCE_ROLE_DEFAULT,
        written=True,
        what=_("OSCE role"),
        help_text=_(
            "Participants by the OSCE role they held on the date asked about (as_of "
            "where the list has it, else today): osce (the participating States and the Partners "
            "for Co-operation, the default), participating, partner, partner_mediterranean, "
            "partner_asian, none (neither) or any (all)."
        ),
    )


def known_states(codes: list[str]) -> Any:
    return participant_list().filter(iso3__in=codes).values_list("iso3", flat=True)


def state_filter() -> CodesFilter:
    return CodesFilter(
        label=_("Only these participants"),
        help_text=_(
            "Participants by ISO 3166-1 alpha-3 code (EUU for the European Union); empty for all."
        ),
        pattern=r"[A-Za-z]{3}",
        normalise=str.upper,
        known=known_states,
        example="AUT,DEU",
        what=_("participant code"),
    )


PARTICIPANT_ORDERINGS = {
    "name": ("name",),
    "-name": ("-name",),
    "iso3": ("iso3",),
    "-iso3": ("-iso3",),
}


class ParticipantFilterSet(QueryFilterSet):
    """states/: every participant, by OSCE role, kind and name."""

    osce_role = osce_role_filter()
    kind = ChoiceFilter(
        label=_("Kind"),
        choices=Participant.Kind.choices,
        blank_label=_("Any kind"),
        what=_("kind"),
        help_text=_("state, or reio for a regional economic integration organization (the EU)."),
    )
    search = TextFilter(
        label=_("Name"),
        max_length=100,
        help_text=_(
            "Text in the name, the short name, the code or a former name (e.g. Swaziland)."
        ),
    )
    ordering = ChoiceFilter(
        label=_("Sort by"),
        choices=[(o, o) for o in PARTICIPANT_ORDERINGS],
        default="name",
        what=_("sort order"),
        help_text=_("Order of the list: name or iso3; '-' reverses."),
    )
