"""Reads of obligations, submissions and flags that pages, the API, the admin and the
compliance sweep share, each in a fixed number of queries.

Filters take the values the lists' FilterSets give (reports.filters: state: ISO codes;
obligation, instrument: codes; status: "open" or "resolved"; bucket: an ageing bucket; as_of:
a date; osce_role: as states.selectors.in_osce_role), checked there, so the API's flags/ is:
flag_list(**values), paginate, flag_entries(page, as_of). A code filter takes one code or a
list (any of them).
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import CharField, F, IntegerField, Q, QuerySet, Value
from django.utils import timezone

from instruments import domain as treaty
from instruments.models import Declaration, Instrument
from instruments.selectors import status_matrix
from reports import domain
from reports.models import ComplianceCheck, ComplianceFlag, CopSession, Obligation, Submission
from states.models import Participant
from states.selectors import in_osce_role

FLAG_STATUSES = ("open", "resolved")
CODE = re.compile(r"[A-Za-z0-9_-]{1,40}")

# Declarations that say what an obligation asks for: a notification, or a declaration made
# under the article itself (art. 16(5)(a) statements are often recorded as declarations).
NOTIFYING_KINDS = (Declaration.Kind.NOTIFICATION, Declaration.Kind.DECLARATION)


def obligation_facts_of(obligation: Obligation) -> domain.ObligationFacts:
    return domain.ObligationFacts(
        code=obligation.code,
        instrument=obligation.instrument.code,
        article=obligation.article,
        applies_to=obligation.applies_to,
        due_rule=obligation.due_rule,
        due_days=obligation.due_days,
        deadline=obligation.deadline,
        grace_days=obligation.grace_days,
    )


Codes = str | Iterable[str] | None


def _codes(value: Codes) -> list[str]:
    """One code or several, as a list; empty when no filter is asked for."""
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)


def obligation_list(*, instrument: Codes = None) -> QuerySet[Obligation]:
    obligations = Obligation.objects.select_related("instrument").order_by("display_order", "code")
    if instruments := _codes(instrument):
        obligations = obligations.filter(instrument__code__in=instruments)
    return obligations


def cop_session_list() -> QuerySet[CopSession]:
    return CopSession.objects.order_by("number")


def submission_list(
    *,
    state: Codes = None,
    obligation: Codes = None,
    instrument: Codes = None,
    received_from: date | None = None,
    received_to: date | None = None,
) -> QuerySet[Submission]:
    """Submissions, latest first, with their participant and obligation (one query)."""
    submissions = Submission.objects.select_related(
        "participant", "obligation", "obligation__instrument"
    ).order_by("-received_on", "participant__name", "id")
    if states := _codes(state):
        submissions = submissions.filter(participant__iso3__in=states)
    if obligations := _codes(obligation):
        submissions = submissions.filter(obligation__code__in=obligations)
    if instruments := _codes(instrument):
        submissions = submissions.filter(obligation__instrument__code__in=instruments)
    if received_from:
        submissions = submissions.filter(received_on__gte=received_from)
    if received_to:
        submissions = submissions.filter(received_on__lte=received_to)
    return submissions


def flag_list(
    *,
    state: Codes = None,
    obligation: Codes = None,
    instrument: Codes = None,
    status: str | None = None,
    bucket: str | None = None,
    as_of: date | None = None,
    osce_role: str | None = None,
) -> QuerySet[ComplianceFlag]:
    """The flags as they stood on `as_of` (default today), most overdue first (one query).

    A flag counts from the day a sweep raised it; it is open on `as_of` if not resolved by
    then. The ageing bucket is measured from the due date to `as_of`, so it selects open
    flags only (a resolved flag's lateness ended when its submission arrived).
    """
    as_of = as_of or timezone.localdate()
    flags = (
        ComplianceFlag.objects.select_related(
            "participant", "obligation", "obligation__instrument", "submission"
        )
        .filter(raised_on__lte=as_of)
        .order_by("due_on", "participant__name", "obligation__display_order", "id")
    )
    open_on_date = Q(resolved_on__isnull=True) | Q(resolved_on__gt=as_of)
    if states := _codes(state):
        flags = flags.filter(participant__iso3__in=states)
    if obligations := _codes(obligation):
        flags = flags.filter(obligation__code__in=obligations)
    if instruments := _codes(instrument):
        flags = flags.filter(obligation__instrument__code__in=instruments)
    flags = flags.filter(in_osce_role(osce_role, through="participant__"))
    if status == "open":
        flags = flags.filter(open_on_date)
    elif status == "resolved":
        flags = flags.exclude(open_on_date)
    elif status:
        raise ValueError(f"unknown flag status {status!r}; one of {', '.join(FLAG_STATUSES)}")
    if bucket:
        after, up_to = domain.bucket_due_range(bucket, as_of)
        flags = flags.filter(open_on_date)
        if after is not None:
            flags = flags.filter(due_on__gt=after)
        if up_to is not None:
            flags = flags.filter(due_on__lte=up_to)
    return flags


def compliance_checked_as_of() -> date | None:
    """The date the last full compliance check answered for (one query); None before the
    first. Flags asked about for a later date are as that check left them."""
    return ComplianceCheck.objects.filter(pk=1).values_list("last_as_of", flat=True).first()


def flag_state(flag: ComplianceFlag) -> domain.FlagState:
    return domain.FlagState(
        due_on=flag.due_on,
        raised_on=flag.raised_on,
        resolved_on=flag.resolved_on,
        resolution=flag.resolution,
        evidence_on=flag.evidence_on,
        submission_id=flag.submission_id,
        notified_on=flag.notified_on,
    )


def flag_entry(flag: ComplianceFlag, as_of: date) -> dict[str, Any]:
    """One flag as a plain row: the contract the API, exports and pages share. Needs the
    flag's participant and obligation loaded (flag_list does)."""
    state = flag_state(flag)
    is_open = state.is_open or (flag.resolved_on is not None and flag.resolved_on > as_of)
    return {
        "id": flag.pk,
        "state": flag.participant.iso3,
        "state_name": flag.participant.name,
        "osce_role": flag.participant.osce_role,
        "instrument": flag.obligation.instrument.code,
        "obligation": flag.obligation.code,
        "obligation_reference": flag.obligation.reference,
        "obligation_title": flag.obligation.title,
        "finding": "no submission on record",
        "due_on": flag.due_on,
        "grace_days": flag.obligation.grace_days,
        "raised_on": flag.raised_on,
        "open": is_open,
        "resolved_on": None if is_open else flag.resolved_on,
        "resolution": "" if is_open else flag.resolution,
        "received_on": None if is_open else flag.evidence_on,
        "submission_reference": "" if is_open or not flag.submission else flag.submission.reference,
        "days_overdue": domain.flag_days_overdue(state, as_of),
        "ageing_bucket": domain.ageing_bucket(flag.due_on, as_of) if is_open else None,
        "as_of": as_of,
    }


def flag_entries(flags: Iterable[ComplianceFlag], as_of: date) -> list[dict[str, Any]]:
    return [flag_entry(flag, as_of) for flag in flags]


# --- What the rules say on a date ------------------------------------------------------------


@dataclass
class ObligationSummary:
    """How many participants stand where with one obligation (see Standings.summary)."""

    obligation: Obligation
    standings: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    buckets: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def overdue(self) -> int:
        return self.standings[domain.NO_SUBMISSION_ON_RECORD]

    @property
    def applicable(self) -> int:
        return sum(self.standings.values())


@dataclass(frozen=True)
class OverdueEntry:
    participant: Participant
    due_on: date
    days_overdue: int
    bucket: str


@dataclass
class Standings:
    """Where each participant stood with each obligation on `as_of`, from the record as it is
    now: the treaty actions, the submissions and the notifications in the treaty data."""

    as_of: date
    obligations: list[Obligation]
    participants: list[Participant]
    entries: dict[tuple[int, int], domain.Standing] = field(default_factory=dict)

    def standing(self, participant_id: int, obligation_id: int) -> domain.Standing:
        return self.entries.get(
            (participant_id, obligation_id), domain.Standing(domain.NOT_APPLICABLE)
        )

    def summary(self, participant_ids: Iterable[int] | None = None) -> list[ObligationSummary]:
        """Per obligation, how many of these participants (all when None) stand where, and
        how long the overdue ones have had no submission on record. No query."""
        wanted = None if participant_ids is None else set(participant_ids)
        summaries = {o.pk: ObligationSummary(o) for o in self.obligations}
        for (participant_id, obligation_id), standing in self.entries.items():
            if wanted is not None and participant_id not in wanted:
                continue
            summary = summaries[obligation_id]
            summary.standings[standing.state] += 1
            if standing.state == domain.NO_SUBMISSION_ON_RECORD and standing.due_on:
                summary.buckets[domain.ageing_bucket(standing.due_on, self.as_of)] += 1
        return list(summaries.values())

    def overdue(
        self, obligation: Obligation, participant_ids: Iterable[int] | None = None
    ) -> list[OverdueEntry]:
        """The participants with no submission on record past the due date of `obligation`,
        longest overdue first. No query."""
        wanted = None if participant_ids is None else set(participant_ids)
        entries = []
        for participant in self.participants:
            if wanted is not None and participant.pk not in wanted:
                continue
            standing = self.standing(participant.pk, obligation.pk)
            if standing.state != domain.NO_SUBMISSION_ON_RECORD or standing.due_on is None:
                continue
            entries.append(
                OverdueEntry(
                    participant=participant,
                    due_on=standing.due_on,
                    days_overdue=domain.days_overdue(standing.due_on, self.as_of),
                    bucket=domain.ageing_bucket(standing.due_on, self.as_of),
                )
            )
        return sorted(entries, key=lambda e: (e.due_on, e.participant.name))

    def rows(self) -> list[dict[str, Any]]:
        """The applicable pairs as plain rows, by participant then obligation."""
        rows = []
        for participant in self.participants:
            for obligation in self.obligations:
                standing = self.standing(participant.pk, obligation.pk)
                if standing.state == domain.NOT_APPLICABLE:
                    continue
                received = standing.received
                overdue = standing.state == domain.NO_SUBMISSION_ON_RECORD
                rows.append(
                    {
                        "state": participant.iso3,
                        "state_name": participant.name,
                        "obligation": obligation.code,
                        "obligation_reference": obligation.reference,
                        "standing": standing.state,
                        "finding": standing.label,
                        "due_on": standing.due_on,
                        "received_on": received.on if received else None,
                        "received_by": received.by if received else "",
                        "days_overdue": (
                            domain.days_overdue(standing.due_on, self.as_of)
                            if overdue and standing.due_on
                            else None
                        ),
                        "ageing_bucket": (
                            domain.ageing_bucket(standing.due_on, self.as_of)
                            if overdue and standing.due_on
                            else None
                        ),
                    }
                )
        return rows


# The columns both halves of received_on_record's one query give, in this order.
_RECEIVED = (
    "r_origin",
    "r_participant",
    "r_obligation",
    "r_instrument",
    "r_article",
    "r_on",
    "r_ref",
)


def received_on_record(
    obligations: Iterable[Obligation], as_of: date, participant_ids: Iterable[int] | None = None
) -> dict[tuple[int, int], domain.Received]:
    """What counts as received by `as_of` for each participant and obligation (one query):
    the submissions staff recorded, and the notifications already in the treaty data (e.g. a
    central authority notified under art. 18(13)), each on its date. Reading the notifications
    here, rather than copying them once, means one recorded later counts too."""
    obligations = list(obligations)
    submissions = Submission.objects.filter(received_on__lte=as_of)
    declarations = Declaration.objects.filter(kind__in=NOTIFYING_KINDS).filter(
        Q(date__lte=as_of) | Q(date__isnull=True)
    )
    if participant_ids is not None:
        ids = list(participant_ids)
        submissions = submissions.filter(participant_id__in=ids)
        declarations = declarations.filter(participant_id__in=ids)
    # One UNION ALL: a submission names its obligation; a notification names an instrument
    # and an article, matched to the obligations below.
    no_number = Value(None, output_field=IntegerField())
    submitted = submissions.annotate(
        r_origin=Value(domain.BY_SUBMISSION),
        r_participant=F("participant_id"),
        r_obligation=F("obligation_id"),
        r_instrument=no_number,
        r_article=Value("", output_field=CharField()),
        r_on=F("received_on"),
        r_ref=F("pk"),
    ).values_list(*_RECEIVED)
    notified = declarations.annotate(
        r_origin=Value(domain.BY_NOTIFICATION),
        r_participant=F("participant_id"),
        r_obligation=no_number,
        r_instrument=F("instrument_id"),
        r_article=F("article"),
        r_on=F("date"),
        r_ref=no_number,
    ).values_list(*_RECEIVED)

    by_instrument: dict[int, list[Obligation]] = defaultdict(list)
    for obligation in obligations:
        by_instrument[obligation.instrument_id].append(obligation)
    found: dict[tuple[int, int], list[domain.Received]] = defaultdict(list)
    rows = submitted.order_by().union(notified.order_by(), all=True)
    for origin, participant_id, obligation_id, instrument_id, article, when, pk in rows:
        if origin == domain.BY_SUBMISSION:
            found[participant_id, obligation_id].append(domain.Received(when, origin, pk))
            continue
        for obligation in by_instrument.get(instrument_id, []):
            if domain.article_matches(obligation.article, article):
                found[participant_id, obligation.pk].append(domain.Received(when, origin))
    return {
        key: received
        for key, items in found.items()
        if (received := domain.earliest_received(items, as_of)) is not None
    }


def _instruments_owed(obligations: list[Obligation]) -> list[Instrument]:
    """The instruments obligations are owed under, with the Conventions of those (a
    denunciation of the Convention ends its Protocols), in the instruments' order."""
    found: dict[int, Instrument] = {}
    for obligation in obligations:
        instrument = obligation.instrument
        found.setdefault(instrument.pk, instrument)
        if instrument.convention is not None:
            found.setdefault(instrument.convention.pk, instrument.convention)
    return sorted(found.values(), key=lambda i: (i.display_order, i.code))


def obligation_standings(
    *, as_of: date | None = None, participant_ids: Iterable[int] | None = None
) -> Standings:
    """Where every participant (or those given) stood with every obligation on `as_of`.

    Four queries whatever the number of participants:
    1. the obligations, with their instruments and the Conventions of those;
    2.-3. the status matrix on those instruments: participants, their treaty actions;
    4. what was received: the submissions and the notifications in the treaty data.
    """
    as_of = as_of or timezone.localdate()
    participants = None
    if participant_ids is not None:
        participant_ids = list(participant_ids)
        participants = Participant.objects.filter(pk__in=participant_ids).order_by("name")
    obligations = list(obligation_list().select_related("instrument__convention"))
    matrix = status_matrix(
        as_of=as_of, participants=participants, instruments=_instruments_owed(obligations)
    )
    received = received_on_record(obligations, as_of, participant_ids)

    standings = Standings(as_of=as_of, obligations=obligations, participants=matrix.participants)
    facts = {o.pk: obligation_facts_of(o) for o in obligations}
    for participant in matrix.participants:
        is_organization = participant.kind == Participant.Kind.REIO
        for obligation in obligations:
            status = matrix.status(participant.pk, obligation.instrument.code)
            if status.status == treaty.NONE and (participant.pk, obligation.pk) not in received:
                continue
            standing = domain.obligation_standing(
                facts[obligation.pk],
                status,
                received.get((participant.pk, obligation.pk)),
                as_of,
                is_organization=is_organization,
            )
            if standing.state != domain.NOT_APPLICABLE:
                standings.entries[participant.pk, obligation.pk] = standing
    return standings
