"""Where each participant stands with each obligation on a date, computed from the record as
it is now: the treaty actions, the submissions, the notifications in the treaty data, and how
far those records are known complete (evidence coverage).

One computation serves the compliance page, the OSCE report, a participant's profile, the
standings/ resource and its downloads, and the compliance sweep, so a past date gets one
answer everywhere.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import CharField, F, IntegerField, Q, Value
from django.utils import timezone

from instruments import domain as treaty
from instruments.models import Declaration, Instrument
from instruments.selectors import status_matrix
from reports import domain
from reports.models import EvidenceCoverage, Obligation, Submission
from reports.selectors import obligation_facts_of, obligation_list
from states.models import Participant
from states.selectors import participant_list

# Declarations that say what an obligation asks for: a notification, or a declaration made
# under the article itself (art. 16(5)(a) statements are often recorded as declarations).
NOTIFYING_KINDS = (Declaration.Kind.NOTIFICATION, Declaration.Kind.DECLARATION)

# Where each standing sorts among an obligation's rows; due dates then names within it.
_NO_DATE = date.max


@dataclass
class ObligationSummary:
    """How many participants stand where with one obligation (see Standings.summary), how
    many of them are parties and how many contracting States, and how far their records are
    known complete."""

    obligation: Obligation
    standings: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    buckets: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    parties: int = 0
    contracting: int = 0
    checked: int = 0
    sources: set[tuple[str, date]] = field(default_factory=set)

    @property
    def overdue(self) -> int:
        return self.standings[domain.NO_SUBMISSION_ON_RECORD]

    @property
    def not_yet_checked(self) -> int:
        return self.standings[domain.NOT_YET_CHECKED]

    @property
    def applicable(self) -> int:
        return sum(self.standings.values())

    @property
    def can_fall_due(self) -> bool:
        return self.obligation.due_rule != Obligation.DueRule.NO_DATE

    @property
    def coverage_sources(self) -> list[tuple[str, date]]:
        """The sources the checked records were checked against, latest first."""
        return sorted(self.sources, key=lambda s: (s[1], s[0]), reverse=True)


@dataclass(frozen=True)
class OverdueEntry:
    participant: Participant
    due_on: date
    days_overdue: int
    bucket: str
    coverage: domain.Coverage | None = None


@dataclass
class Standings:
    """Where each participant stood with each obligation on `as_of`."""

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
            if standing.in_force:
                summary.parties += 1
            else:
                summary.contracting += 1
            coverage = standing.coverage
            if coverage is not None and coverage.complete:
                summary.checked += 1
                summary.sources.add((coverage.source, coverage.checked_as_of))
            if standing.state == domain.NO_SUBMISSION_ON_RECORD and standing.due_on:
                summary.buckets[domain.ageing_bucket(standing.due_on, self.as_of)] += 1
        return list(summaries.values())

    def overdue(
        self, obligation: Obligation, participant_ids: Iterable[int] | None = None
    ) -> list[OverdueEntry]:
        """The participants whose records are known complete and hold no submission past
        the due date of `obligation`, longest overdue first. No query."""
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
                    coverage=standing.coverage,
                )
            )
        return sorted(entries, key=lambda e: (e.due_on, e.participant.name))

    def rows(self) -> list[dict[str, Any]]:
        """The applicable pairs as plain rows (the contract of standings/ and its downloads):
        by obligation in the catalogue's order, then due date (none last), then participant
        name, the order of the compliance page's tables."""
        rows = []
        for obligation in self.obligations:
            found = []
            for participant in self.participants:
                standing = self.standing(participant.pk, obligation.pk)
                if standing.state != domain.NOT_APPLICABLE:
                    found.append((standing.due_on or _NO_DATE, participant.name, participant))
            for _, _, participant in sorted(found, key=lambda f: (f[0], f[1])):
                standing = self.standing(participant.pk, obligation.pk)
                rows.append(standing_row(participant, obligation, standing, self.as_of))
        return rows


def standing_row(
    participant: Participant, obligation: Obligation, standing: domain.Standing, as_of: date
) -> dict[str, Any]:
    received = standing.received
    overdue_since = standing.due_on if standing.state == domain.NO_SUBMISSION_ON_RECORD else None
    coverage = standing.coverage
    return {
        "as_of": as_of,
        "state": participant.iso3,
        "state_name": participant.local_name,
        "osce_role": participant.osce_role,
        "participant_is": standing.participant_is,
        "instrument": obligation.instrument.code,
        "obligation": obligation.code,
        "obligation_reference": obligation.reference,
        "standing": standing.state,
        "finding": standing.label,
        "due_on": standing.due_on,
        "received_on": received.on if received else None,
        "received_by": received.by if received else "",
        "days_overdue": domain.days_overdue(overdue_since, as_of) if overdue_since else None,
        "ageing_bucket": domain.ageing_bucket(overdue_since, as_of) if overdue_since else None,
        "records_checked": bool(coverage and coverage.complete),
        "checked_against": coverage.source if coverage else "",
        "checked_as_of": coverage.checked_as_of if coverage else None,
    }


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


class CoverageOnRecord:
    """The evidence coverage rows read once (one query); a participant's own row wins over
    the row for all participants."""

    def __init__(self, participant_ids: Iterable[int] | None = None) -> None:
        rows = EvidenceCoverage.objects.all()
        if participant_ids is not None:
            rows = rows.filter(Q(participant__isnull=True) | Q(participant_id__in=participant_ids))
        self._rows: dict[tuple[int | None, int], domain.Coverage] = {
            (participant_id, obligation_id): domain.Coverage(checked_as_of, source, complete)
            for participant_id, obligation_id, checked_as_of, source, complete in rows.values_list(
                "participant_id", "obligation_id", "checked_as_of", "source", "complete"
            )
        }

    def of(self, participant_id: int, obligation_id: int) -> domain.Coverage | None:
        own = self._rows.get((participant_id, obligation_id))
        return own if own is not None else self._rows.get((None, obligation_id))


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

    Five queries whatever the number of participants:
    1. the obligations, with their instruments and the Conventions of those;
    2.-3. the status matrix on those instruments: participants, their treaty actions;
    4. what was received: the submissions and the notifications in the treaty data;
    5. the evidence coverage: how far those records are known complete.
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
    coverage = CoverageOnRecord(participant_ids)

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
                coverage=coverage.of(participant.pk, obligation.pk),
            )
            if standing.state != domain.NOT_APPLICABLE:
                standings.entries[participant.pk, obligation.pk] = standing
    return standings


# The standings a list may ask for: every one a participant can have with an obligation
# that applies to it.
LISTED_STANDINGS = tuple(s for s in domain.STANDING_LABELS if s != domain.NOT_APPLICABLE)


@dataclass
class StandingView:
    """What a compliance view shows: the standings of its participants, and the rows its
    filters keep, in the order of the page's tables."""

    standings: Standings
    rows: list[dict[str, Any]]


def standing_view(
    *,
    as_of: date | None = None,
    osce_role: str | None = None,
    state: Iterable[str] | None = None,
    obligation: Iterable[str] | None = None,
    instrument: Iterable[str] | None = None,
    standing: Iterable[str] | None = None,
    bucket: str | None = None,
) -> StandingView:
    """The one source of the compliance page, its downloads and standings/ (six queries
    whatever the number of participants: the participants of the group, then the five of
    obligation_standings).

    Filters take lists of codes (None or empty: any); `bucket` keeps the rows with no
    submission on record in that ageing bucket on `as_of`.
    """
    as_of = as_of or timezone.localdate()
    participants = participant_list(osce_role=osce_role, as_of=as_of)
    if state:
        participants = participants.filter(iso3__in=list(state))
    ids = list(participants.values_list("pk", flat=True))
    standings = obligation_standings(as_of=as_of, participant_ids=ids)
    wanted = {
        "obligation": set(obligation or ()),
        "instrument": set(instrument or ()),
        "standing": set(standing or ()),
    }
    rows = [
        row
        for row in standings.rows()
        if all(not codes or row[name] in codes for name, codes in wanted.items())
        and (not bucket or row["ageing_bucket"] == bucket)
    ]
    return StandingView(standings, rows)
