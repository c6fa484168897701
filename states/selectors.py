"""Reads of participants that pages, the API and reports share."""

from django.db.models import Q, QuerySet

from states.models import Participant, ParticipantAlias

# Filter values clients use for OSCE roles, and the roles each stands for.
OSCE_ROLE_GROUPS: dict[str, tuple[str, ...]] = {
    "participating": (Participant.OsceRole.PARTICIPATING,),
    "partner": (
        Participant.OsceRole.PARTNER_MEDITERRANEAN,
        Participant.OsceRole.PARTNER_ASIAN,
    ),
    "partner_mediterranean": (Participant.OsceRole.PARTNER_MEDITERRANEAN,),
    "partner_asian": (Participant.OsceRole.PARTNER_ASIAN,),
    "osce": (
        Participant.OsceRole.PARTICIPATING,
        Participant.OsceRole.PARTNER_MEDITERRANEAN,
        Participant.OsceRole.PARTNER_ASIAN,
    ),
    "none": (Participant.OsceRole.NONE,),
}


def participant_list(*, osce_role: str | None = None) -> QuerySet[Participant]:
    """Participants by name; `osce_role` is a key of OSCE_ROLE_GROUPS, or None/"any" for all."""
    participants = Participant.objects.order_by("name")
    if osce_role and osce_role != "any":
        participants = participants.filter(osce_role__in=OSCE_ROLE_GROUPS[osce_role])
    return participants


def participant_search(text: str) -> QuerySet[Participant]:
    """Participants whose name, short name, code or a former spelling contains `text`."""
    text = text.strip()
    if not text:
        return Participant.objects.none()
    return (
        Participant.objects.filter(
            Q(name__icontains=text)
            | Q(short_name__icontains=text)
            | Q(iso3__iexact=text)
            | Q(aliases__name__icontains=text)
        )
        .distinct()
        .order_by("name")
    )


def alias_names(participant_ids: list[int]) -> dict[int, list[str]]:
    """Other spellings of each participant, by participant id (one query)."""
    names: dict[int, list[str]] = {pk: [] for pk in participant_ids}
    rows = ParticipantAlias.objects.filter(participant_id__in=participant_ids).order_by("name")
    for participant_id, name in rows.values_list("participant_id", "name"):
        names[participant_id].append(name)
    return names
