"""Reads of participants that pages, the API and reports share."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from states import domain
from states.models import OsceRolePeriod, Participant, ParticipantAlias

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


def _held_on(as_of: date) -> QuerySet[OsceRolePeriod]:
    """Role periods certainly held on `as_of` (states.domain.RolePeriod.certainly_held_on)."""
    return OsceRolePeriod.objects.filter(held_from__lte=as_of).filter(
        Q(held_until__isnull=True) | Q(held_until__gt=as_of)
    )


def role_on_expression(as_of: date, participant_ref: str = "pk") -> Coalesce:
    """The OSCE role the participant `participant_ref` names held on `as_of`, as an SQL
    expression to annotate a query with (domain.NO_ROLE when none)."""
    held = _held_on(as_of).filter(participant=OuterRef(participant_ref))
    return Coalesce(Subquery(held.values("role")[:1]), Value(domain.NO_ROLE))


def participants_holding(
    roles: Iterable[str], *, as_of: date | None = None
) -> QuerySet[Participant]:
    """The one rule for OSCE membership as at a date: participants holding one of `roles`
    (stored values; domain.NO_ROLE for those holding none) on `as_of` (default today), by
    name, each annotated with `role_on`, the role it held that day.

    A role whose start or end is known only to the year counts only where it is certain
    (states.domain). One query, a subquery per participant row."""
    as_of = as_of or timezone.localdate()
    held = _held_on(as_of).filter(participant=OuterRef("pk"))
    participants = Participant.objects.order_by("name").annotate(role_on=role_on_expression(as_of))
    roles = set(roles)
    if roles >= {*domain.OSCE_ROLES, domain.NO_ROLE}:
        return participants
    wanted = Q(Exists(held.filter(role__in=roles & set(domain.OSCE_ROLES))))
    if domain.NO_ROLE in roles:
        wanted |= Q(~Exists(held))
    return participants.filter(wanted)


def participant_list(
    *, osce_role: str | None = None, as_of: date | None = None
) -> QuerySet[Participant]:
    """Participants by name, each with its `role_on` as at `as_of` (default today);
    `osce_role` is a key of OSCE_ROLE_GROUPS, or None/"any" for all. Every list of
    participants by OSCE role reads it (participants_holding)."""
    if osce_role and osce_role != "any":
        return participants_holding(OSCE_ROLE_GROUPS[osce_role], as_of=as_of)
    return participants_holding([*domain.OSCE_ROLES, domain.NO_ROLE], as_of=as_of)


def role_periods(
    participant_ids: Iterable[int] | None = None, *, ever_held: Iterable[str] | None = None
) -> dict[int, list[domain.RolePeriod]]:
    """The OSCE role periods of each participant, as plain values, by id (one query): of
    `participant_ids`, or of every participant that ever held one of `ever_held`."""
    periods: dict[int, list[domain.RolePeriod]] = defaultdict(list)
    rows = OsceRolePeriod.objects.order_by("valid_from")
    if participant_ids is not None:
        rows = rows.filter(participant_id__in=list(participant_ids))
    if ever_held is not None:
        holders = OsceRolePeriod.objects.filter(role__in=list(ever_held)).values("participant_id")
        rows = rows.filter(participant_id__in=holders)
    for row in rows:
        periods[row.participant_id].append(role_period_value(row))
    return periods


def role_period_value(period: OsceRolePeriod) -> domain.RolePeriod:
    return domain.RolePeriod(
        period.role,
        period.valid_from,
        period.valid_from_precision,
        period.valid_to,
        period.valid_to_precision,
        ref=period.pk,
    )


def role_period_list(participant: Participant) -> list[OsceRolePeriod]:
    """A participant's OSCE role periods, oldest first, with their sources (one query)."""
    return list(participant.osce_role_periods.order_by("valid_from"))


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


def roles_uncertain_on(as_of: date) -> list[tuple[Participant, OsceRolePeriod]]:
    """The participants whose OSCE role on `as_of` is not certain because a period of theirs
    begins or ends that year on a day not recorded, each with that period (one query)."""
    in_year = Q(valid_from_precision=domain.PRECISION_YEAR, valid_from__year=as_of.year) | Q(
        valid_to_precision=domain.PRECISION_YEAR, valid_to__year=as_of.year
    )
    candidates = OsceRolePeriod.objects.filter(
        participant_id__in=OsceRolePeriod.objects.filter(in_year).values("participant_id")
    ).select_related("participant")
    by_participant: dict[int, list[OsceRolePeriod]] = defaultdict(list)
    for period in candidates.order_by("participant__name", "valid_from"):
        by_participant[period.participant_id].append(period)
    uncertain = []
    for periods in by_participant.values():
        values = [role_period_value(p) for p in periods]
        if domain.role_uncertain_on(values, as_of):
            period = next(
                p for p, v in zip(periods, values, strict=True) if v.possibly_held_on(as_of)
            )
            uncertain.append((period.participant, period))
    return uncertain


def participant_roles(participant: Participant, as_of: date) -> dict[str, object]:
    """For a participant's page: its OSCE role periods (prefetch `osce_role_periods` to
    spare the query) and the role it held on `as_of`, or whether that is uncertain."""
    periods = sorted(participant.osce_role_periods.all(), key=lambda p: p.valid_from)
    values = [role_period_value(p) for p in periods]
    role = domain.role_on(values, as_of)
    return {
        "periods": periods,
        "as_of": Participant.OsceRole(role).label,
        "held": role != domain.NO_ROLE,
        "uncertain": domain.role_uncertain_on(values, as_of),
    }
