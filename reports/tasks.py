"""Celery tasks: thin wrappers that take dates or ids, call one service, return a summary.

Both are safe to run twice or at the same time (the sweep takes turns and upserts on a
unique key), so they acknowledge late: a worker lost mid-task leaves the message for another,
which the broker hands out again once its visibility timeout has passed.

Writes send their follow-up tasks with Celery's `delay_on_commit`, after their transaction
commits; a send never fails the write (core.tasks.AfterCommitTask): a broker that is down
costs a logged error, and the nightly sweep catches up.
"""

import logging
import os
import time
from datetime import date
from typing import Any

from celery import Task, shared_task
from django.db import IntegrityError, InterfaceError, OperationalError, transaction

from core.batching import IdBatch
from core.tasks import AfterCommitTask
from reports import sweep

logger = logging.getLogger(__name__)

# Worth another try: a lost connection, a lock timeout or deadlock, a race on a unique key.
DATABASE_ERRORS = (OperationalError, InterfaceError, IntegrityError)


class ComplianceTask(AfterCommitTask):
    abstract = True
    # Every participant is re-checked each night, so a re-check that was not sent is made up.
    catch_up = "the nightly compliance sweep will catch up"


RETRY = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": DATABASE_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(base=ComplianceTask, soft_time_limit=300, time_limit=360, **RETRY)
def flag_overdue_states(as_of: str | None = None) -> dict[str, Any]:
    """Raise, update and resolve compliance flags for every participant (the daily job)."""
    day = date.fromisoformat(as_of) if as_of else None
    with transaction.atomic():
        summary = sweep.compliance_sweep(as_of=day).summary()
        _pause_for_fault_test()
    return summary


@shared_task(base=ComplianceTask, soft_time_limit=60, time_limit=90, **RETRY)
def participant_compliance_recheck(participant_ids: list[int]) -> dict[str, Any]:
    """Re-check the flags of participants whose treaty data or submissions changed."""
    return sweep.compliance_recheck(participant_ids=list(participant_ids)).summary()


# The participants whose flags a write may have changed, re-checked after commit: one task
# for a whole `rechecks.batched()` block.
rechecks = IdBatch(
    "compliance_rechecks", lambda ids: participant_compliance_recheck.delay_on_commit(ids)
)


def send(task: Task, *args: Any) -> bool:
    """Send `task` now; False (and the failure logged) if the broker could not take it."""
    return task.apply_async(args=args) is not None


# Fault tests only: seconds the sweep task waits, inside its transaction and after its
# writes, before it commits, so that a test can kill the worker mid-sweep
# (tests/test_faults.py). Never set in a deployment.
PAUSE_VARIABLE = "UNTOC_TEST_SWEEP_PAUSE"


def _pause_for_fault_test() -> None:
    pause = float(os.environ.get(PAUSE_VARIABLE) or 0)
    if pause > 0:
        logger.warning("%s: the sweep waits %s s before it commits", PAUSE_VARIABLE, pause)
        time.sleep(pause)
