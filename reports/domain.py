"""The reporting rules: which obligation applies to whom, when it falls due, and when the
tracker may say that no submission is on record.

Nothing here reads the database. Callers pass a participant's status with an instrument (from
instruments.domain.participant_status) and what is on record, and get an answer back.

The tracker knows only what was recorded, so its finding is always "no submission on record",
never that a State failed to comply.

Article references: UNTOC art. 2(j) (organizations are bound within their competence),
5(3), 16(5)(a), 18(13), 18(14), 31(6), 32(5); SOM art. 8(6); FIR art. 13(2). The due times
come from the articles; the June 2007 deadline from the Conference of the Parties.

Words: a State that has consented but for which the Convention is not yet in force is a
"contracting State"; once it is in force for it, a "party" (Vienna Convention on the Law of
Treaties, art. 2(1)(f) and (g)).
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
NOT_YET_CHECKED = "not_yet_checked"

# The standings in words as the API gives them ("finding"): the same in every language.
STANDING_LABELS = {
    NOT_APPLICABLE: "does not apply",
    NO_DUE_DATE: "no due date set",
    NOT_YET_DUE: "not yet due",
    RECEIVED: "received",
    NO_SUBMISSION_ON_RECORD: "no submission on record",
    NOT_YET_CHECKED: "not yet checked",
}

# The same words as pages show them, in the reader's language.
STANDING_WORDS = {
    NOT_APPLICABLE: _("does not apply"),
    NO_DUE_DATE: _("no due date set"),
    NOT_YET_DUE: _("not yet due"),
    RECEIVED: pgettext_lazy("compliance standing", "received"),
    NO_SUBMISSION_ON_RECORD: _("no submission on record"),
    NOT_YET_CHECKED: _("not yet checked"),
}

# What a consenting participant is called on a date (VCLT art. 2(1)(f) and (g)): the API's
# values, the same in every language; PARTICIPANT_WORDS as pages show them.
PARTY_WORD = "party"
CONTRACTING_STATE_WORD = "contracting State"
PARTICIPANT_WORDS = {
    # Translators: what an obligation is owed as: a State party to the treaty.
    PARTY_WORD: pgettext_lazy("obligation owed as", "party"),
    # Translators: what an obligation is owed as: consented, the treaty not yet in force for it.
    CONTRACTING_STATE_WORD: pgettext_lazy("obligation owed as", "contracting State"),
}

# How a submission reached the record: a submission, or a notification in the treaty data.
BY_SUBMISSION = "submission"
BY_NOTIFICATION = "notification"

# How long a submission has been missing, counted from the due date.
UNDER_1_YEAR = "under_1_year"
ONE_TO_5_YEARS = "1_to_5_years"
OVER_5_YEARS = "over_5_years"
AGEING_BUCKETS = {
    UNDER_1_YEAR: _("under 1 year"),
    ONE_TO_5_YEARS: _("1-5 years"),
    OVER_5_YEARS: _("over 5 years"),
}


@dataclass(frozen=True)
class ObligationFacts:
    """An obligation as plain values; `code` is its stable key."""

    code: str
    instrument: str
    article: str
    applies_to: str = ALL_PARTIES
    due_rule: str = AT_DEPOSIT
    due_days: int = 0  # after entry into force
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
class Coverage:
    """How far the tracker's records of submissions for one participant and obligation are
    known complete: checked against `source`, as it stood on `checked_as_of`. `complete` is
    False where staff found the records not complete (an exception to a check for all)."""

    checked_as_of: date
    source: str
    complete: bool = True


@dataclass(frozen=True)
class Standing:
    state: str
    due_on: date | None = None
    received: Received | None = None
    coverage: Coverage | None = None
    in_force: bool = True  # False: a contracting State, not yet a party

    @property
    def participant_is(self) -> str:
        return PARTY_WORD if self.in_force else CONTRACTING_STATE_WORD

    @property
    def label(self) -> str:
        return STANDING_LABELS[self.state]

    @property
    def participant_is_words(self) -> str:
        """`participant_is` in the reader's language."""
        return str(PARTICIPANT_WORDS[self.participant_is])

    @property
    def words(self) -> str:
        """`label` in the reader's language."""
        return str(STANDING_WORDS[self.state])


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
    4. A COP deadline binds only the States bound by the Convention on the deadline: the
       COP (decision 3/1, October 2006) urged the States that had ratified it to comply by
       June 2007. A State bound later owes what each article asks, when it asks; the
       deadline is not moved to its own entry into force.
    """
    if status.status != treaty.PARTY:
        return False
    if is_organization:
        return False
    if obligation.due_rule == COP_DEADLINE:
        return obligation.deadline is not None and bound_on(status, obligation.deadline)
    if obligation.applies_to == PARTIES_IN_CONDITION:
        return condition_on_record
    return True


def bound_on(status: treaty.ParticipantStatus, day: date) -> bool:
    """Whether the instrument was in force for this participant on `day` (a party then, not
    a contracting State still waiting for its entry into force).

    A successor is bound from its date of succession, which may be earlier than its
    notification; when that date is not recorded it was bound by the day it notified at the
    latest, the tracker's only safe answer.
    """
    if status.consent_date is None:
        return False
    if status.denunciation_effective is not None and status.denunciation_effective <= day:
        return False
    if status.entry_into_force is not None:
        return status.entry_into_force <= day
    return status.consent_kind == treaty.SUCCESSION and status.consent_date <= day


def party_word(status: treaty.ParticipantStatus) -> str:
    """'party' once the instrument is in force for the participant, else 'contracting
    State' (VCLT art. 2(1)(f): consented, whether or not the treaty has entered into force
    for it; art. 2(1)(g): a party has consented and the treaty is in force for it)."""
    return PARTY_WORD if status.in_force else CONTRACTING_STATE_WORD


def due_date(obligation: ObligationFacts, status: treaty.ParticipantStatus) -> date | None:
    """When the obligation fell or falls due for a party; None when no date can be given.

    - At deposit (e.g. art. 18(13)): the date the party deposited its instrument of consent
      (for a successor, the date it notified the succession).
    - N days after entry into force: counted from the party's own entry into force.
    - A COP deadline: the deadline (only States bound on it owe it; obligation_applies).
    - No date set in the article (art. 31(6), FIR art. 13(2), ...): none; the tracker never
      invents a deadline.
    An entry into force that is unknown (a succession without a recorded date) gives no date.
    Never before the day the State could act: its own deposit or notification. A successor
    bound from a date before it notified (Vienna Convention on Succession of States in
    respect of Treaties, art. 23(1)) could not have reported before it notified.
    """
    due: date | None = None
    if obligation.due_rule == AT_DEPOSIT:
        due = status.consent_date
    elif obligation.due_rule == AFTER_ENTRY_INTO_FORCE and status.entry_into_force is not None:
        due = status.entry_into_force + timedelta(days=obligation.due_days)
    elif obligation.due_rule == COP_DEADLINE:
        due = obligation.deadline
    if due is None or status.consent_date is None:
        return due
    return max(due, status.consent_date)


def record_known_complete(coverage: Coverage | None, grace_end: date) -> bool:
    """Whether the records say, not merely suggest, that nothing arrived after the grace
    period: they were checked complete against a source as it stood after the grace period
    ended. A check as at an earlier day says nothing of what arrived after it."""
    return coverage is not None and coverage.complete and coverage.checked_as_of > grace_end


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
    coverage: Coverage | None = None,
) -> Standing:
    """Where a participant stands with one obligation on `as_of`.

    1. Not a party, an organization, or not in the stated condition: does not apply. A
       submission under a conditional article is itself the record that the condition holds
       (a State that notifies under art. 5(3) says its law has that requirement).
    2. No due date can be given: nothing to flag.
    3. Something on record (received by `as_of`, or undated): received, however late.
    4. Due date plus grace period not yet past: not yet due.
    5. Past it with nothing on record, and the records known complete (`coverage`, see
       record_known_complete): no submission on record.
    6. Otherwise: not yet checked. A gap in the tracker's records is not the State's.
    """
    condition_on_record = condition_on_record or received is not None
    if not obligation_applies(
        obligation, status, is_organization=is_organization, condition_on_record=condition_on_record
    ):
        return Standing(NOT_APPLICABLE)
    due_on = due_date(obligation, status)
    seen = Standing(NO_DUE_DATE, coverage=coverage, in_force=status.in_force)
    if received is not None:
        return replace(seen, state=RECEIVED, due_on=due_on, received=received)
    if due_on is None:
        return seen
    grace_end = grace_ends(due_on, obligation.grace_days)
    if as_of <= grace_end:
        return replace(seen, state=NOT_YET_DUE, due_on=due_on)
    if record_known_complete(coverage, grace_end):
        return replace(seen, state=NO_SUBMISSION_ON_RECORD, due_on=due_on)
    return replace(seen, state=NOT_YET_CHECKED, due_on=due_on)


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
