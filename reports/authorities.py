"""The directory of competent national authorities: which obligations designate an authority
or contact point, who may read the contact details, and the designations as lists.

Obligations that designate (catalogue codes, reports/data/obligations.csv):
- UNTOC art. 18(13): the central authority for mutual legal assistance;
- UNTOC art. 18(14): not an authority but the languages in which that central authority
  accepts requests, shown beside it as "languages accepted";
- UNTOC art. 31(6): the authority able to help other States Parties develop measures to
  prevent transnational organized crime ("name and address of the authority");
- SOM art. 8(6): the authority for requests concerning vessels;
- FIR art. 13(2): the national body or single point of contact.

Public: the authority's name, the languages, the dates, the reference and the source. The
contact details (person, postal address, phone, e-mail) are for signed-in staff and focal
points only (`may_see_contacts`); every page and API answer that shows them is built for a
signed-in viewer, which the response cache (core.cache) never keeps nor serves.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from reports.models import AuthorityDesignation
from states.models import Participant

AUTHORITY = "authority"
LANGUAGES = "languages"
CONTACT_POINT = "contact_point"

# Catalogue code -> what the obligation designates.
DESIGNATING: dict[str, str] = {
    "untoc-18-13": AUTHORITY,
    "untoc-18-14": LANGUAGES,
    "untoc-31-6": AUTHORITY,
    "som-8-6": AUTHORITY,
    "fir-13-2": CONTACT_POINT,
}
# The words of the directory's obligation filter, in the catalogue's order.
DESIGNATING_CHOICES = [
    ("untoc-18-13", _("UNTOC art. 18(13): central authority")),
    ("untoc-18-14", _("UNTOC art. 18(14): languages accepted")),
    ("untoc-31-6", _("UNTOC art. 31(6): prevention authority")),
    ("som-8-6", _("SOM art. 8(6): authority for vessels")),
    ("fir-13-2", _("FIR art. 13(2): point of contact")),
]
assert {code for code, _words in DESIGNATING_CHOICES} == set(DESIGNATING)

CONTACT_FIELDS = ("contact_person", "postal_address", "phone", "email")

# Which designations a list shows.
IN_EFFECT = "in_effect"
SUPERSEDED = "superseded"
ALL = "all"
CURRENCY_CHOICES = [
    (IN_EFFECT, _("In effect")),
    (SUPERSEDED, _("Superseded")),
    (ALL, _("In effect and superseded")),
]

# The directory's orders: a column and its reverse; names, then the obligations' order.
ORDERINGS: dict[str, tuple[Any, ...]] = {
    "state": ("participant__name", "obligation__display_order", "-current", "-id"),
    "-state": ("-participant__name", "obligation__display_order", "-current", "-id"),
    "obligation": ("obligation__display_order", "participant__name", "-current", "-id"),
    "-obligation": ("-obligation__display_order", "participant__name", "-current", "-id"),
    "since": (F("since").asc(nulls_last=True), "participant__name", "-id"),
    "-since": (F("since").desc(nulls_last=True), "participant__name", "-id"),
}
ORDERING_CHOICES = [
    ("state", _("Participant, A to Z")),
    ("-state", _("Participant, Z to A")),
    ("obligation", _("Obligation, catalogue order")),
    ("-obligation", _("Obligation, reverse order")),
    ("since", _("In effect since, earliest first")),
    ("-since", _("In effect since, latest first")),
]
assert {code for code, _words in ORDERING_CHOICES} == set(ORDERINGS)


def designates(obligation_code: str) -> str | None:
    """What the obligation designates (AUTHORITY, LANGUAGES, CONTACT_POINT), or None."""
    return DESIGNATING.get(obligation_code)


def may_see_contacts(user: Any) -> bool:
    """Whether `user` may read the contact details of designated authorities: signed in, and
    staff or a focal point (a user with a `focal_point` relation, made by the focal points'
    app where it is installed)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_staff", False):
        return True
    # A reverse one-to-one without its row raises an AttributeError (RelatedObjectDoesNotExist
    # is one), which getattr reads as None; a focal point switched off reads nothing more.
    focal_point = getattr(user, "focal_point", None)
    return bool(focal_point is not None and getattr(focal_point, "active", False))


def designation_list(
    *,
    participants: QuerySet[Participant] | None = None,
    participant_ids: Iterable[int] | None = None,
    obligations: Iterable[str] | None = None,
    instruments: Iterable[str] | None = None,
    currency: str = IN_EFFECT,
    ordering: str = "state",
) -> QuerySet[AuthorityDesignation]:
    """The designations asked for, with their participants, obligations and instruments
    (one query: `participants`, a query of participants, is read inside it); lists of codes
    None or empty mean any."""
    rows = AuthorityDesignation.objects.select_related("participant", "obligation__instrument")
    if currency == IN_EFFECT:
        rows = rows.filter(current=True)
    elif currency == SUPERSEDED:
        rows = rows.filter(current=False)
    if participants is not None:
        rows = rows.filter(participant__in=participants.values("pk"))
    if participant_ids is not None:
        rows = rows.filter(participant_id__in=list(participant_ids))
    if obligations:
        rows = rows.filter(obligation__code__in=list(obligations))
    if instruments:
        rows = rows.filter(obligation__instrument__code__in=list(instruments))
    return rows.order_by(*ORDERINGS[ordering])


def participant_designations(participant_id: int) -> list[AuthorityDesignation]:
    """A participant's designations, in effect first, by obligation (one query)."""
    return list(
        designation_list(participant_ids=[participant_id], currency=ALL, ordering="obligation")
    )


def designation_row(designation: AuthorityDesignation, *, contacts: bool) -> dict[str, Any]:
    """A designation as the API and the downloads give it; the contact fields only when
    `contacts` (may_see_contacts), absent otherwise."""
    obligation = designation.obligation
    row = {
        "id": designation.pk,
        "state": designation.participant.iso3,
        "state_name": designation.participant.name,
        "instrument": obligation.instrument.code,
        "obligation": obligation.code,
        "obligation_reference": obligation.reference,
        "designates": DESIGNATING.get(obligation.code, ""),
        "authority_name": designation.authority_name,
        "languages": designation.languages,
        "notified_on": designation.notified_on,
        "since": designation.since,
        "until": designation.until,
        "in_effect": designation.current,
        "reference": designation.reference,
        "source": designation.source,
        "version": designation.version,
    }
    if contacts:
        row |= {name: getattr(designation, name) for name in CONTACT_FIELDS}
    return row
