"""The compliance sweep, measured: SQL statements, seconds, and what a second run changes.

Statements are those that read or write; BEGIN, COMMIT and savepoints, which Django lists
with them, are counted apart.
"""

import time
from dataclasses import asdict, dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.selectors import data_revision
from reports.models import ComplianceFlag
from reports.sweep import compliance_sweep

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@dataclass
class SweepRun:
    participants: int
    run: int
    statements: int
    transaction_control: int
    seconds: float
    changed: int
    raised: int
    resolved: int
    unchanged: int
    open: int
    history_rows_written: int
    revision_moved: bool

    def as_dict(self) -> dict:
        return asdict(self)


def first_sweep() -> None:
    """The daily job's first run, on the database before any participant exists, as in any
    deployment a day old: it makes the sweep's bookkeeping row, which only a first run
    ever does (three statements), so the runs measured are the daily job's usual ones."""
    compliance_sweep()


def sweep_twice(participants: int) -> list[SweepRun]:
    """The daily job as it runs (every participant, as of today), then again at once: the
    second run must find nothing to change and write nothing."""
    runs = []
    for number in (1, 2):
        revision = data_revision()
        history_before = ComplianceFlag.history.count()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = compliance_sweep()
            seconds = time.perf_counter() - started
        control = sum(
            1 for q in captured.captured_queries if q["sql"].upper().startswith(TRANSACTION_CONTROL)
        )
        runs.append(
            SweepRun(
                participants=participants,
                run=number,
                statements=len(captured.captured_queries) - control,
                transaction_control=control,
                seconds=round(seconds, 3),
                changed=result.changed,
                raised=result.raised,
                resolved=result.resolved,
                unchanged=result.unchanged,
                open=result.open,
                history_rows_written=ComplianceFlag.history.count() - history_before,
                revision_moved=data_revision() != revision,
            )
        )
    return runs
