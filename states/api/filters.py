"""Query parameters about participants, shared by every resource that filters by them."""

from core.rest.params import ChoiceParam, CodesParam, Params, TextParam, ordering_choices
from states.models import Participant
from states.selectors import OSCE_ROLE_GROUPS, participant_list


def unknown_states(codes: list[str]) -> set[str]:
    known = participant_list().filter(iso3__in=codes).values_list("iso3", flat=True)
    return set(codes) - set(known)


STATE = CodesParam(
    "state",
    "Participants by code: ISO 3166-1 alpha-3, EUU for the European Union.",
    pattern=r"[A-Za-z]{3}",
    normalise=str.upper,
    unknown=unknown_states,
    example="DEU,FRA",
)

OSCE_ROLE = ChoiceParam(
    "osce_role",
    "Participants by the OSCE role they held on the date asked about (as_of where the "
    "resource has it, else today): participating (the participating States: 57 today), "
    "partner (the Partners for Co-operation: 11 today), partner_mediterranean, "
    "partner_asian, osce (participating States and Partners), none (neither) or any.",
    choices=(*OSCE_ROLE_GROUPS, "any"),
    default="any",
)


def osce_roles(value: str | None) -> tuple[str, ...] | None:
    """The stored roles an `osce_role` value stands for; None for any."""
    if value in (None, "any"):
        return None
    return OSCE_ROLE_GROUPS[value]


PARTICIPANT_ORDERINGS = {
    "name": ("name",),
    "-name": ("-name",),
    "iso3": ("iso3",),
    "-iso3": ("-iso3",),
}

PARTICIPANT_PARAMS = Params(
    OSCE_ROLE,
    ChoiceParam(
        "kind",
        "state, or reio for a regional economic integration organization (the EU).",
        choices=tuple(Participant.Kind.values),
    ),
    TextParam(
        "search",
        "Text in the name, the short name, the code or a former name (e.g. Swaziland).",
    ),
    ChoiceParam(
        "ordering",
        "Order of the list.",
        choices=ordering_choices("name", "iso3"),
        default="name",
    ),
)
