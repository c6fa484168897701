"""The compliance sweep, measured: SQL statements, seconds, and what each run changes.

The records under two obligations are taken as checked complete for every participant
(CHECKED_OBLIGATIONS: a central authority under art. 18(13) and the language of requests
under art. 18(14), both notified to the depositary at deposit), so that a party with nothing
on record is flagged, as with any obligation staff have checked; the others stay "not yet
checked" and raise nothing. At each size the daily job runs four times:
1. as it runs after participants were added: it raises their flags (one insert of flags,
   one of their history rows, the events of the change log);
2. again at once: nothing to change, nothing written;
3. after the check of one obligation is withdrawn: its open flags are resolved (one update,
   its history rows, events);
4. after the check is recorded again: those flags reopen (an update again), so every flag
   stands as after run 1 and the next size starts where this one ended.
Statements are those that read or write; BEGIN, COMMIT and savepoints, which Django lists
with them, are counted apart.
"""

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.selectors import data_revision
from reports.coverage import coverage_set, coverage_withdraw
from reports.models import ComplianceFlag, EvidenceCoverage, Obligation
from reports.sweep import compliance_sweep

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
CHECKED_OBLIGATIONS = ("untoc-18-13", "untoc-18-14")
WITHDRAWN = CHECKED_OBLIGATIONS[1]


@dataclass
class SweepRun:
    participants: int
    run: int
    after: str
    statements: int
    transaction_control: int
    seconds: float
    changed: int
    raised: int
    reopened: int
    resolved: int
    unchanged: int
    open: int
    history_rows_written: int
    revision_moved: bool

    def as_dict(self) -> dict:
        return asdict(self)


def coverage_record(source: str, checked_as_of) -> None:
    """Record, through the service, that the records under CHECKED_OBLIGATIONS were checked
    complete for every participant against `source` as it stood on `checked_as_of`."""
    for code in CHECKED_OBLIGATIONS:
        obligation = Obligation.objects.select_related("instrument").get(code=code)
        coverage_set(
            obligation=obligation, participant=None, source=source, checked_as_of=checked_as_of
        )


def first_sweep() -> None:
    """The daily job's first run, on the database before any participant exists, as in any
    deployment a day old: it makes the sweep's bookkeeping row, which only a first run
    ever does (three statements), so the runs measured are the daily job's usual ones."""
    compliance_sweep()


def measured(participants: int, number: int, after: str) -> SweepRun:
    """The daily job (every participant, as of today), measured."""
    revision = data_revision()
    history_before = ComplianceFlag.history.count()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = compliance_sweep()
        seconds = time.perf_counter() - started
    control = sum(
        1 for q in captured.captured_queries if q["sql"].upper().startswith(TRANSACTION_CONTROL)
    )
    return SweepRun(
        participants=participants,
        run=number,
        after=after,
        statements=len(captured.captured_queries) - control,
        transaction_control=control,
        seconds=round(seconds, 3),
        changed=result.changed,
        raised=result.raised,
        reopened=result.reopened,
        resolved=result.resolved,
        unchanged=result.unchanged,
        open=result.open,
        history_rows_written=ComplianceFlag.history.count() - history_before,
        revision_moved=data_revision() != revision,
    )


def sweep_runs(participants: int, source: str, checked_as_of) -> list[SweepRun]:
    """The four runs of the module's docstring, at this size."""
    coverage = EvidenceCoverage.objects.select_related("obligation__instrument")

    def withdraw() -> None:
        coverage_withdraw(coverage=coverage.get(obligation__code=WITHDRAWN, participant=None))

    def restore() -> None:
        coverage_set(
            obligation=Obligation.objects.select_related("instrument").get(code=WITHDRAWN),
            participant=None,
            source=source,
            checked_as_of=checked_as_of,
        )

    steps: list[tuple[str, Callable[[], None] | None]] = [
        ("participants added", None),
        ("nothing changed", None),
        (f"the check of {WITHDRAWN} withdrawn", withdraw),
        (f"the check of {WITHDRAWN} recorded again", restore),
    ]
    runs = []
    for number, (after, change) in enumerate(steps, start=1):
        if change is not None:
            change()
        runs.append(measured(participants, number, after))
    return runs
