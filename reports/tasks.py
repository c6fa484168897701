"""Celery tasks: thin wrappers that take dates or ids, call one service, return a summary.

Both are safe to run twice or at the same time (the sweep takes turns and upserts on a
unique key), so they acknowledge late: a worker lost mid-task leaves the message for another,
which the broker hands out again once its visibility timeout has passed.

Writes send their follow-up tasks after commit through `send`, which never fails the write:
a broker that is down costs a logged error, and the nightly sweep catches up.
"""

import logging
import os
import time
from datetime import date
from typing import Any

from celery import Task, shared_task
from django.db import IntegrityError, InterfaceError, OperationalError, transaction

from reports import sweep

logger = logging.getLogger(__name__)

# Worth another try: a lost connection, a lock timeout or deadlock, a race on a unique key.
DATABASE_ERRORS = (OperationalError, InterfaceError, IntegrityError)
RETRY = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": DATABASE_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(soft_time_limit=300, time_limit=360, **RETRY)
def flag_overdue_states(as_of: str | None = None) -> dict[str, Any]:
    """Raise, update and resolve compliance flags for every participant (the daily job)."""
    day = date.fromisoformat(as_of) if as_of else None
    with transaction.atomic():
        summary = sweep.compliance_sweep(as_of=day).summary()
        _pause_for_fault_test()
    return summary


@shared_task(soft_time_limit=60, time_limit=90, **RETRY)
def participant_compliance_recheck(participant_ids: list[int]) -> dict[str, Any]:
    """Re-check the flags of participants whose treaty data or submissions changed."""
    return sweep.compliance_recheck(participant_ids=list(participant_ids)).summary()


class PendingRecheck:
    """The on-commit callback that sends one re-check for every participant a transaction
    touched: an import writing 188 participants' actions sends one task, not 188."""

    def __init__(self) -> None:
        self.participant_ids: set[int] = set()

    def __call__(self) -> None:
        send(participant_compliance_recheck, sorted(self.participant_ids))


def recheck_on_commit(participant_ids: list[int]) -> None:
    """Re-check these participants once the current transaction commits (at once outside
    one), joining the re-check this transaction already has pending, if any."""
    connection = transaction.get_connection()
    pending = getattr(connection, "reports_pending_recheck", None)
    # A rolled-back transaction or savepoint drops its callbacks, so look for ours among
    # those still waiting before joining it.
    if pending is not None and any(entry[1] is pending for entry in connection.run_on_commit):
        pending.participant_ids.update(participant_ids)
        return
    pending = PendingRecheck()
    pending.participant_ids.update(participant_ids)
    connection.reports_pending_recheck = pending
    transaction.on_commit(pending)


class SendAfterCommit:
    """The on-commit callback that sends one task."""

    def __init__(self, task: Task, *args: Any) -> None:
        self.task = task
        self.args = args

    def __call__(self) -> None:
        send(self.task, *self.args)


def sweep_on_commit() -> None:
    """Run the whole sweep once the current transaction commits (e.g. a changed catalogue)."""
    transaction.on_commit(SendAfterCommit(flag_overdue_states))


def send(task: Task, *args: Any) -> bool:
    """Send `task` to the broker; if it cannot be sent, log why and carry on.

    Called after the write it follows has committed, so a failure here must not turn that
    write into an error page. The broker settings make a send to a broker that is down give
    up within about a second. Nothing is lost for good: the nightly sweep re-checks every
    participant.
    """
    try:
        task.apply_async(args=args)
    except Exception:  # kombu's OperationalError, or whatever the transport raised
        logger.exception(
            "Could not send %s%r; the nightly compliance sweep will catch up.", task.name, args
        )
        return False
    return True


# Fault tests only: seconds the sweep task waits, inside its transaction and after its
# writes, before it commits, so that a test can kill the worker mid-sweep
# (tests/test_faults.py). Never set in a deployment.
PAUSE_VARIABLE = "UNTOC_TEST_SWEEP_PAUSE"


def _pause_for_fault_test() -> None:
    pause = float(os.environ.get(PAUSE_VARIABLE) or 0)
    if pause > 0:
        logger.warning("%s: the sweep waits %s s before it commits", PAUSE_VARIABLE, pause)
        time.sleep(pause)
