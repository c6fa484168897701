"""The Celery tasks: run with .apply(), sent after commit, consumed by a real worker."""

import os
import threading
import time
from datetime import date

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.db import connection

from instruments import services as treaty_services
from instruments.models import Instrument
from reports.models import ComplianceFlag
from reports.sweep import compliance_sweep
from reports.tasks import flag_overdue_states, participant_compliance_recheck
from tests.factories import participant
from untoc_tracker.celery import app as celery_app

AS_OF = date(2010, 1, 1)


@pytest.mark.usefixtures("real_data", "records_checked")
def test_the_daily_task_runs_the_sweep_and_returns_a_small_summary():
    summary = flag_overdue_states.apply(kwargs={"as_of": "2010-01-01"}).get()
    assert summary["as_of"] == "2010-01-01"
    assert summary["raised"] == ComplianceFlag.objects.count() > 300
    again = flag_overdue_states.apply(kwargs={"as_of": "2010-01-01"}).get()
    assert (again["raised"], again["unchanged"]) == (0, summary["raised"])


@pytest.mark.usefixtures("real_data", "records_checked")
def test_recording_a_treaty_action_re_checks_that_participant_after_commit(
    django_capture_on_commit_callbacks,
):
    south_sudan = participant()
    with django_capture_on_commit_callbacks() as callbacks:
        treaty_services.action_record(
            participant=south_sudan,
            instrument=Instrument.objects.get(code="untoc"),
            kind="accession",
            date=date(2012, 8, 1),
            source="test",
        )
    assert not ComplianceFlag.objects.exists()  # nothing runs before the commit
    (recheck,) = callbacks
    summary = participant_compliance_recheck.apply(args=[recheck.args[0]]).get()
    assert summary["participants"] == 1
    flags = ComplianceFlag.objects.filter(participant=south_sudan)
    assert {(f.obligation.code, f.due_on) for f in flags} == {
        ("untoc-18-13", date(2012, 8, 1)),  # at deposit
        ("untoc-18-14", date(2012, 8, 1)),
    }  # bound from 2012, South Sudan is not held to the June 2007 deadline


def test_the_tasks_acknowledge_late_have_time_limits_and_retry_database_errors():
    from django.db import OperationalError

    for task in (flag_overdue_states, participant_compliance_recheck):
        assert task.acks_late
        assert task.reject_on_worker_lost
        assert task.soft_time_limit < task.time_limit
        assert OperationalError in task.autoretry_for
        assert task.max_retries == 5


def test_the_beat_schedule_runs_the_sweep_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["flag-overdue-states"]
    assert entry["task"] == flag_overdue_states.name
    assert entry["schedule"].hour == {2}
    assert entry["schedule"].minute == {30}
    assert entry["schedule"].day_of_week == set(range(7))


# --- With commits: these tests empty the tables when they end (the next one reloads). ------


def _purge_broker() -> None:
    """Drop messages left by earlier writes in this session (e.g. the re-checks the data
    load sent), so the worker runs only what the test sends."""
    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge(celery_app.conf.task_default_queue)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("real_data", "records_checked")
def test_a_worker_takes_the_sweep_from_the_broker_and_the_flags_appear_in_the_database():
    expected = compliance_sweep(as_of=AS_OF, dry_run=True).raised
    _purge_broker()
    hijack = celery_app.conf.worker_hijack_root_logger
    celery_app.conf.worker_hijack_root_logger = False  # keep pytest's log capture
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            flag_overdue_states.delay(as_of=AS_OF.isoformat())
            deadline = time.monotonic() + 60
            while not ComplianceFlag.objects.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
    finally:
        celery_app.conf.worker_hijack_root_logger = hijack
    assert ComplianceFlag.objects.count() == expected > 300
    # The run used the configured broker and database, not a fallback.
    broker = celery_app.connection_for_write().transport_cls
    assert broker == ("redis" if os.environ.get("REDIS_URL") else "memory")
    assert connection.vendor == (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("real_data", "records_checked")
def test_two_sweeps_at_once_raise_each_flag_once_and_send_one_digest(editor_with_email):
    expected = compliance_sweep(as_of=AS_OF, dry_run=True).raised
    start = threading.Barrier(2)
    results, errors = [], []

    def sweep():
        try:
            start.wait()
            results.append(compliance_sweep(as_of=AS_OF))
        except Exception as error:  # reported below, with the other thread's outcome
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert sorted(r.raised for r in results) == [0, expected]
    assert ComplianceFlag.objects.count() == expected
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["spmu-editor@example.org"]
    _purge_broker()  # the re-check the data reload sent, which no worker will take
