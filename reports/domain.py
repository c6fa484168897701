"""The reporting rules: which obligation applies to whom, when it falls due, and when the
tracker may say that no submission is on record.

Nothing here reads the database. Callers pass a participant's status with an instrument (from
instruments.domain.participant_status) and what is on record, and get an answer back.

The tracker knows only what was recorded, so its finding is always "no submission on record",
never that a State failed to comply.

Article references: UNTOC art. 2(j) (organizations are bound within their competence),
5(3), 16(5)(a), 18(13), 18(14), 31(6), 32(5); SOM art. 8(6); FIR art. 13(2). The due times
come from the articles; the June 2007 deadline from the Conference of the Parties.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from instruments import domain as treaty

# To whom an obligation applies.
ALL_PARTIES = "all_parties"
PARTIES_IN_CONDITION = "parties_in_condition"

# When it falls due.
AT_DEPOSIT = "at_deposit"
AFTER_ENTRY_INTO_FORCE = "after_entry_into_force"
COP_DEADLINE = "cop_deadline"
NO_DATE = "no_date"

# A participant's standing with one obligation on a date.
NOT_APPLICABLE = "not_applicable"
NO_DUE_DATE = "no_due_date"
NOT_YET_DUE = "not_yet_due"
RECEIVED = "received"
NO_SUBMISSION_ON_RECORD = "no_submission_on_record"

STANDING_LABELS = {
    NOT_APPLICABLE: "does not apply",
    NO_DUE_DATE: "no due date set",
    NOT_YET_DUE: "not yet due",
    RECEIVED: "received",
    NO_SUBMISSION_ON_RECORD: "no submission on record",
}

# How long a submission has been missing, counted from the due date.
UNDER_1_YEAR = "under_1_year"
ONE_TO_5_YEARS = "1_to_5_years"
OVER_5_YEARS = "over_5_years"
AGEING_BUCKETS = {
    UNDER_1_YEAR: "under 1 year",
    ONE_TO_5_YEARS: "1-5 years",
    OVER_5_YEARS: "over 5 years",
}

# Why a flag was resolved.
BY_SUBMISSION = "submission"
BY_NOTIFICATION = "notification"
NO_LONGER_DUE = "no_longer_due"


@dataclass(frozen=True)
class ObligationFacts:
    """An obligation as plain values; `code` is its stable key."""

    code: str
    instrument: str
    article: str
    applies_to: str = ALL_PARTIES
    due_rule: str = AT_DEPOSIT
    due_days: int = 0  # after entry into force, or after it for a later party to a COP deadline
    deadline: date | None = None  # the COP deadline
    grace_days: int = 0


@dataclass(frozen=True)
class Received:
    """What is on record for one participant and obligation: the earliest dated item, or an
    item whose date the record does not give (`on` is None)."""

    on: date | None
    by: str = BY_SUBMISSION  # or BY_NOTIFICATION: a notification in the treaty data
    submission_id: int | None = None


@dataclass(frozen=True)
class Standing:
    state: str
    due_on: date | None = None
    received: Received | None = None

    @property
    def label(self) -> str:
        return STANDING_LABELS[self.state]


def obligation_applies(
    obligation: ObligationFacts,
    status: treaty.ParticipantStatus,
    *,
    is_organization: bool = False,
    condition_on_record: bool = False,
) -> bool:
    """Whether the obligation binds this participant, given its status with the instrument.

    1. Only a party (consent in effect, not denounced) owes anything.
    2. A regional economic integration organization is bound "within the limits of its
       competence" (UNTOC art. 2(j)); the tracker does not record that competence per
       article, so it does not hold an organization to an obligation addressed to States.
    3. An obligation for parties in a stated condition (e.g. art. 16(5)(a): States that make
       extradition conditional on a treaty) applies only where the record shows the
       condition holds.
    """
    if status.status != treaty.PARTY:
        return False
    if is_organization:
        return False
    if obligation.applies_to == PARTIES_IN_CONDITION:
        return condition_on_record
    return True


def due_date(obligation: ObligationFacts, status: treaty.ParticipantStatus) -> date | None:
    """When the obligation fell or falls due for a party; None when no date can be given.

    - At deposit (e.g. art. 18(13)): the date the party deposited its instrument of consent
      (for a successor, the date it notified the succession).
    - N days after entry into force: counted from the party's own entry into force.
    - A COP deadline: the deadline, or for a party bound only later, its own entry into force
      (plus N days), since a deadline cannot fall before the instrument binds the party.
    - No date set in the article (art. 31(6), FIR art. 13(2), ...): none; the tracker never
      invents a deadline.
    An entry into force that is unknown (a succession without a recorded date) gives no date.
    """
    if obligation.due_rule == AT_DEPOSIT:
        return status.consent_date
    if obligation.due_rule == AFTER_ENTRY_INTO_FORCE:
        if status.entry_into_force is None:
            return None
        return status.entry_into_force + timedelta(days=obligation.due_days)
    if obligation.due_rule == COP_DEADLINE:
        if status.entry_into_force is None or obligation.deadline is None:
            return None
        bound_from = status.entry_into_force + timedelta(days=obligation.due_days)
        return max(obligation.deadline, bound_from)
    return None


def grace_ends(due_on: date, grace_days: int) -> date:
    """The last day a submission can arrive before the tracker flags its absence."""
    return due_on + timedelta(days=grace_days)


def obligation_standing(
    obligation: ObligationFacts,
    status: treaty.ParticipantStatus,
    received: Received | None,
    as_of: date,
    *,
    is_organization: bool = False,
    condition_on_record: bool = False,
) -> Standing:
    """Where a participant stands with one obligation on `as_of`.

    1. Not a party, an organization, or not in the stated condition: does not apply. A
       submission under a conditional article is itself the record that the condition holds
       (a State that notifies under art. 5(3) says its law has that requirement).
    2. No due date can be given: nothing to flag.
    3. Something on record (received by `as_of`, or undated): received, however late.
    4. Due date plus grace period not yet past: not yet due.
    5. Otherwise: no submission on record.
    """
    condition_on_record = condition_on_record or received is not None
    if not obligation_applies(
        obligation, status, is_organization=is_organization, condition_on_record=condition_on_record
    ):
        return Standing(NOT_APPLICABLE)
    due_on = due_date(obligation, status)
    if received is not None:
        return Standing(RECEIVED, due_on, received)
    if due_on is None:
        return Standing(NO_DUE_DATE)
    if as_of <= grace_ends(due_on, obligation.grace_days):
        return Standing(NOT_YET_DUE, due_on)
    return Standing(NO_SUBMISSION_ON_RECORD, due_on)


def earliest_received(items: Iterable[Received], as_of: date) -> Received | None:
    """The item on record by `as_of` that counts: the earliest dated one, else an undated one.

    An undated notification (the source gives no date) counts whatever the date asked about:
    the record shows it was made, and the tracker cannot say when.
    """
    dated = [r for r in items if r.on is not None and r.on <= as_of]
    if dated:
        return min(dated, key=lambda r: (r.on, r.by != BY_SUBMISSION))
    return next((r for r in items if r.on is None), None)


def article_matches(obligation_article: str, recorded_article: str) -> bool:
    """Whether a declaration recorded under `recorded_article` (e.g. "18(13)", or several
    separated by commas: "16(14), 18(21)") is made under the obligation's article."""
    wanted = obligation_article.replace(" ", "")
    return any(part.replace(" ", "") == wanted for part in recorded_article.split(","))


# --- Days overdue and ageing -----------------------------------------------------------------


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier; 29 February falls back to the 28th. Before the
    first year of the calendar there is no day, so the answer stops at its first day (a
    question as of the year 3 must not fail, however meaningless)."""
    if day.year - years < date.min.year:
        return date.min
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def days_overdue(due_on: date, until: date) -> int:
    """Days from the due date to `until` (none before the due date)."""
    return max(0, (until - due_on).days)


def ageing_bucket(due_on: date, until: date) -> str:
    """Under 1 year, 1-5 years or over 5 years since the due date, in calendar years: a
    submission due on 1 March 2020 is 1 year overdue on 1 March 2021, and one due on
    29 February 2008 on 1 March 2009, the first day a full year has passed."""
    if due_on > years_before(until, 1):
        return UNDER_1_YEAR
    if due_on > years_before(until, 5):
        return ONE_TO_5_YEARS
    return OVER_5_YEARS


def bucket_due_range(bucket: str, as_of: date) -> tuple[date | None, date | None]:
    """The due dates (after, up to and including) of flags in `bucket` on `as_of`, so a
    database can filter by bucket with ageing_bucket's own boundaries."""
    one, five = years_before(as_of, 1), years_before(as_of, 5)
    if bucket == UNDER_1_YEAR:
        return one, None
    if bucket == ONE_TO_5_YEARS:
        return five, one
    if bucket == OVER_5_YEARS:
        return None, five
    raise ValueError(f"unknown ageing bucket {bucket!r}; one of {', '.join(AGEING_BUCKETS)}")


# --- Flags ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlagState:
    """A stored flag's values, as the compliance sweep compares and writes them."""

    due_on: date
    raised_on: date
    resolved_on: date | None = None
    resolution: str = ""
    evidence_on: date | None = None
    submission_id: int | None = None
    notified_on: date | None = None

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None


def flag_next(stored: FlagState | None, standing: Standing, as_of: date) -> FlagState | None:
    """The flag as it should be after a sweep on `as_of`; `stored` when nothing changes.

    1. No submission on record past the due date and grace: a flag stands. It is raised if
       there was none, reopened if the last one was resolved, and follows a changed due date.
    2. Otherwise an open flag is resolved: by the submission or notification now on record,
       or because it is no longer due (the participant is no longer a party, its due date
       moved, or its deposit was corrected).
    3. A resolved flag, or no flag, stays as it is.
    """
    if standing.state == NO_SUBMISSION_ON_RECORD:
        assert standing.due_on is not None
        if stored is None or not stored.is_open:
            return FlagState(due_on=standing.due_on, raised_on=as_of)
        if stored.due_on != standing.due_on:
            return replace(stored, due_on=standing.due_on)
        return stored
    if stored is None or not stored.is_open:
        return stored
    received = standing.received if standing.state == RECEIVED else None
    if received is None:
        return replace(stored, resolved_on=as_of, resolution=NO_LONGER_DUE)
    return replace(
        stored,
        resolved_on=as_of,
        resolution=received.by,
        evidence_on=received.on,
        submission_id=received.submission_id,
    )


def flag_days_overdue(flag: FlagState, as_of: date) -> int | None:
    """How late the submission is on `as_of` (open flag), or was when it arrived (resolved by
    a submission or notification); None when a resolved flag's evidence is undated or it is
    no longer due."""
    if flag.is_open or (flag.resolved_on is not None and flag.resolved_on > as_of):
        return days_overdue(flag.due_on, as_of)
    if flag.evidence_on is not None:
        return days_overdue(flag.due_on, flag.evidence_on)
    return None
