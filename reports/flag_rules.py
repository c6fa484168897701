"""A compliance flag's life: raised when no submission is on record past the due date and
grace, following a changed due date, resolved (by a submission or notification on record,
because the records are no longer known complete, or because it is no longer due), reopened.
The compliance sweep (reports/sweep.py) compares and writes what these rules give."""

from dataclasses import dataclass, replace
from datetime import date

from reports import domain

# Why a flag was resolved.
NO_LONGER_DUE = "no_longer_due"
NOT_CHECKED = "not_checked"  # the records were found not known complete


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


def flag_next(stored: FlagState | None, standing: domain.Standing, as_of: date) -> FlagState | None:
    """The flag as it should be after a sweep on `as_of`; `stored` when nothing changes.

    1. No submission on record past the due date and grace: a flag stands. It is raised if
       there was none, reopened if the last one was resolved, and follows a changed due date.
    2. Otherwise an open flag is resolved: by the submission or notification now on record,
       because the records are no longer known complete (not checked), or because it is no
       longer due (the participant is no longer a party, its due date moved, or its deposit
       was corrected).
    3. A resolved flag, or no flag, stays as it is.
    """
    if standing.state == domain.NO_SUBMISSION_ON_RECORD:
        assert standing.due_on is not None
        if stored is None or not stored.is_open:
            return FlagState(due_on=standing.due_on, raised_on=as_of)
        if stored.due_on != standing.due_on:
            return replace(stored, due_on=standing.due_on)
        return stored
    if stored is None or not stored.is_open:
        return stored
    if standing.state == domain.NOT_YET_CHECKED:
        return replace(stored, resolved_on=as_of, resolution=NOT_CHECKED)
    received = standing.received if standing.state == domain.RECEIVED else None
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
        return domain.days_overdue(flag.due_on, as_of)
    if flag.evidence_on is not None:
        return domain.days_overdue(flag.due_on, flag.evidence_on)
    return None
