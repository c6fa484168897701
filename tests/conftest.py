import fcntl
import io
import os
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection

from instruments.models import Instrument
from instruments.services import action_record
from reports import sweep
from states.roles import DELEGATION_VIEWERS, SPMU_EDITORS
from tests.factories import participant


def pytest_report_header() -> list[str]:
    return [
        f"database: {os.environ.get('DATABASE_URL') or 'embedded SQLite'}",
        f"broker: {os.environ.get('REDIS_URL') or 'in-memory'}",
    ]


# --- Running in parallel (pytest-xdist) -----------------------------------------------------
# Each test process has its own test database (pytest-django names it after the worker); what
# the processes could still share is made per worker here: the Celery queue on a real broker,
# the ports the fault tests listen on, and gunicorn's control socket.


def xdist_worker() -> str:
    """This test process's name under pytest-xdist ("gw0", "gw1", ...), or "main" without."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def worker_slice(ports: range) -> range:
    """This process's share of a range of ports, so that two processes never pick the same."""
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    index = int(xdist_worker().removeprefix("gw")) if xdist_worker() != "main" else 0
    size = len(ports) // max(count, 1)
    return ports[index * size : (index + 1) * size]


def pytest_configure(config) -> None:
    # gunicorn (25.1 and later) opens a control socket at one fixed path in the home folder:
    # two servers started by two test processes at once would fight over it.
    arguments = os.environ.get("GUNICORN_CMD_ARGS", "")
    if "control-socket" not in arguments:
        os.environ["GUNICORN_CMD_ARGS"] = f"{arguments} --no-control-socket".strip()


def pytest_collection_modifyitems(items) -> None:
    """Every transactional test (live-server ones included) restores the migrated state
    Django serialized (serialized rollback), so that they all leave the tables the same way.

    A transactional test without it is flushed and then re-creates content types and
    permissions through post_migrate, with new ids on PostgreSQL (whose sequences a flush does
    not reset); a later serialized-rollback test in the same process then inserts the
    original ids beside them and fails on the unique (app_label, model).
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", [])
        transactional = (marker is not None and marker.kwargs.get("transaction")) or (
            "transactional_db" in fixtures or "live_server" in fixtures
        )
        if transactional and "django_db_serialized_rollback" not in fixtures:
            fixtures.append("django_db_serialized_rollback")


@pytest.fixture(scope="session", autouse=True)
def _celery_queue_per_worker():
    """Tasks sent by this process go to a queue of its own: on a real broker, a worker that a
    test starts must not run another process's tasks against its own database. The queue is
    emptied at the end, so that nothing piles up in the broker from run to run."""
    from untoc_tracker.celery import app as celery_app

    celery_app.conf.task_default_queue = f"untoc-test-{xdist_worker()}"
    yield
    if celery_app.conf.broker_url.startswith("redis"):
        with celery_app.connection_for_write() as conn:
            conn.default_channel.queue_purge(celery_app.conf.task_default_queue)


# --- One test database built per run (SQLite under pytest-xdist) ------------------------------
# Migrating and loading the shipped data costs each test process most of its start-up. Under
# pytest-xdist on SQLite, the first process to start builds its database as usual and leaves a
# copy (with the shipped snapshot) in the run's shared temporary folder; every other process
# copies that file as its own test database and keeps it (pytest-django's keepdb), so Django
# only finds it migrated. PostgreSQL, --reuse-db and a single process build as before.


class DatabaseTemplate:
    """The run's built test database, shared by the processes of one xdist run."""

    def __init__(self, folder: Path) -> None:
        self.database = folder / "test-database.sqlite3"
        self.snapshot = folder / "shipped-snapshot.json"
        # What Django serialized of the freshly migrated database (for serialized_rollback).
        self.migrated = folder / "migrated-database.json"
        self._lock = open(folder / "test-database.lock", "w")  # noqa: SIM115 (held open)
        # Wait while another process builds; the lock goes with a process that dies.
        fcntl.flock(self._lock, fcntl.LOCK_EX)

    @property
    def built(self) -> bool:
        return self.database.exists() and self.snapshot.exists() and self.migrated.exists()

    def save(self, snapshot: str, migrated: str) -> None:
        """Keep this process's freshly loaded database (a consistent copy, through SQLite's
        backup), the snapshot of its data and its migrated state for the others."""
        partial = self.database.with_suffix(".partial")
        target = sqlite3.connect(partial)
        with target:
            connection.ensure_connection()
            connection.connection.backup(target)
        target.close()
        self.snapshot.write_text(snapshot, encoding="utf-8")
        self.migrated.write_text(migrated, encoding="utf-8")
        partial.rename(self.database)

    def use(self) -> None:
        """Make this process's test database a copy of the template, and let Django serialize
        the copy as the template's migrated state (what a serialized_rollback test restores),
        not the loaded data it holds."""
        shutil.copyfile(self.database, connection.settings_dict["TEST"]["NAME"])
        SHIPPED_SNAPSHOT.write(self.snapshot.read_text(encoding="utf-8"))
        migrated = self.migrated.read_text(encoding="utf-8")
        connection.creation.serialize_db_to_string = lambda: migrated

    def release(self) -> None:
        fcntl.flock(self._lock, fcntl.LOCK_UN)
        self._lock.close()


TEMPLATE: DatabaseTemplate | None = None


def _template_applies(request) -> bool:
    from django.conf import settings

    return (
        xdist_worker() != "main"
        and settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
        and not request.config.getvalue("reuse_db")
        and not request.config.getvalue("create_db")
    )


@pytest.fixture(scope="session")
def django_db_keepdb(request, tmp_path_factory, django_db_modify_db_settings) -> bool:
    """Keep (and so reuse) the test database when it was copied from the run's template."""
    global TEMPLATE
    if not _template_applies(request):
        return request.config.getvalue("reuse_db")
    # The folder every process of this run shares (pytest-xdist's recipe for once-per-run).
    TEMPLATE = DatabaseTemplate(tmp_path_factory.getbasetemp().parent)
    if not TEMPLATE.built:
        return False  # this process builds it (django_db_setup saves it, then releases)
    TEMPLATE.use()
    TEMPLATE.release()
    return True


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, django_db_keepdb):
    """The test database, migrated and loaded once with the shipped treaty data.

    When DATABASE_URL names PostgreSQL the suite must really run there: a silent fallback
    to SQLite would hide every PostgreSQL-only fault.
    """
    copied = TEMPLATE is not None and django_db_keepdb
    with django_db_blocker.unblock():
        if os.environ.get("DATABASE_URL", "").startswith("postgres"):
            assert connection.vendor == "postgresql", "DATABASE_URL is set but not in use"
        if not copied:
            call_command("load_treaty_data", verbosity=0)
            call_command("load_obligations", verbosity=0)
            SHIPPED_SNAPSHOT.write(_snapshot())
            if TEMPLATE is not None:
                migrated = getattr(connection, "_test_serialized_contents", None) or "[]"
                TEMPLATE.save(SHIPPED_SNAPSHOT.getvalue(), migrated)
                TEMPLATE.release()
    if copied:
        del connection.creation.serialize_db_to_string  # Django's own again
    yield
    if copied:  # kept from pytest-django's teardown (keepdb): this process's copy goes here
        name = connection.settings_dict["NAME"]
        connection.close()
        Path(name).unlink(missing_ok=True)


# The shipped data as loaded at the start of the session, as export_snapshot writes them:
# restoring them after a transactional test emptied the tables takes seconds where loading
# them through the services again takes half a minute on PostgreSQL.
SHIPPED_SNAPSHOT = io.StringIO()


def _snapshot() -> str:
    from reports.snapshot import snapshot_write

    out = io.StringIO()
    snapshot_write(out)
    return out.getvalue()


def _load_shipped_data_if_missing() -> None:
    from instruments.depositary.facts import facts_batches_store
    from reports.models import Obligation
    from reports.snapshot import snapshot_restore, tracker_data_counts
    from states.models import Participant

    emptied = not Participant.objects.exists() and not tracker_data_counts()
    if emptied and SHIPPED_SNAPSHOT.getvalue():
        snapshot_restore(SHIPPED_SNAPSHOT.getvalue())
    if not Participant.objects.exists():
        call_command("load_treaty_data", verbosity=0)
    if not Obligation.objects.exists():
        call_command("load_obligations", verbosity=0)
    if emptied:
        # The snapshot holds the tracker's records, not the review of proposals: the
        # post-2014 facts are proposed again, as the shipped load leaves them.
        facts_batches_store()


@pytest.fixture(autouse=True)
def _shipped_data_committed(request):
    """Reload the shipped data outside any test's transaction after a transactional test
    emptied the tables, so that only the next test wanting it pays for the reload: loaded
    inside a test's transaction it would be rolled back, and every later test would load it
    again. (Autouse fixtures are set up before the test's database transaction begins.)"""
    if "real_data" not in request.fixturenames:
        return
    request.getfixturevalue("django_db_setup")
    with request.getfixturevalue("django_db_blocker").unblock():
        _load_shipped_data_if_missing()


@pytest.fixture(autouse=True)
def _caches_emptied():
    """Each test starts with nothing kept in the caches: their keys carry the data revision,
    and a rolled-back test leaves the revision where a later test's may land."""
    from django.core.cache import caches

    caches["default"].clear()
    caches["local"].clear()


@pytest.fixture
def real_data(db):
    """The shipped data; reloaded if a transactional test emptied the tables."""
    _load_shipped_data_if_missing()


def ensure_staff_groups() -> None:
    """Make the back-office groups again if a transactional test flushed them.

    A flush keeps content types and permissions (post_migrate recreates them) but not the
    groups, which data migrations make; this grants what those migrations' tables say.
    """
    from importlib import import_module

    from django.contrib.auth.models import Permission

    if Group.objects.filter(name__in=[SPMU_EDITORS, DELEGATION_VIEWERS]).count() == 2:
        return
    editors, _ = Group.objects.get_or_create(name=SPMU_EDITORS)
    viewers, _ = Group.objects.get_or_create(name=DELEGATION_VIEWERS)
    treaty = import_module("instruments.migrations.0002_back_office_groups")
    report = import_module("reports.migrations.0002_back_office_permissions")
    grants = [(app, model, actions) for app, model, actions in treaty.TREATY_MODELS]
    grants += [("reports", model, actions) for model, actions in report.REPORT_MODELS]
    quality = import_module("instruments.migrations.0007_back_office_quality_permissions")
    grants += [("instruments", model, ["add", "change", "delete"]) for model in quality.MODELS]
    grants += [("reports", "authoritydesignation", ["add", "change", "delete"])]
    for app, model, actions in grants:
        for action in ["view", *actions]:
            codename = report._codename(action, model)
            permission = Permission.objects.get(content_type__app_label=app, codename=codename)
            editors.permissions.add(permission)
            if action == "view":
                viewers.permissions.add(permission)
    focal = import_module("focal.migrations.0002_back_office_permissions")
    for _model, codenames in focal.EDITOR_GRANTS:
        for codename in codenames:
            permission = Permission.objects.get(content_type__app_label="focal", codename=codename)
            editors.permissions.add(permission)


def _staff_user(username: str, group_name: str):
    ensure_staff_groups()
    user = get_user_model().objects.create_user(
        username=username, password="a-long-test-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(db):
    return _staff_user("spmu-editor", SPMU_EDITORS)


@pytest.fixture
def viewer(db):
    return _staff_user("delegation-viewer", DELEGATION_VIEWERS)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client


@pytest.fixture
def post2014_facts_accepted(real_data):
    """The shipped post-2014 facts (Japan's 2017 acceptances, Germany's 2021 Firearms
    consent, ...) accepted by an editor, as the review in the back office writes them: the
    data a deployment holds once the proposed facts are reviewed."""
    facts_accept_all()


def facts_accept_all() -> None:
    """Accept every proposed post-2014 fact as an editor would (post2014_facts_accepted)."""
    from instruments.depositary.decisions import batch_decide_all
    from instruments.models import DepositaryBatch

    editor = _staff_user("facts-editor", SPMU_EDITORS)
    batches = DepositaryBatch.objects.filter(
        source_form=DepositaryBatch.Form.FACTS, state=DepositaryBatch.State.OPEN
    ).order_by("instrument__display_order")  # the Convention before its Protocols (art. 37)
    assert batches, "the shipped load proposes the post-2014 facts"
    for batch in batches:
        seen = dict(batch.proposals.values_list("pk", "version"))
        outcomes = batch_decide_all(batch=batch, accept=True, actor=editor, seen=seen)
        assert all(getattr(o, "written", False) for o in outcomes), outcomes


@pytest.fixture
def signed(real_data):
    """South Sudan, having signed the Convention (a test fixture, not a fact)."""
    who = participant()
    action_record(
        participant=who,
        instrument=Instrument.objects.get(code="untoc"),
        kind="signature",
        date=date(2001, 1, 10),
        source="test",
    )
    return who


@pytest.fixture
def compliance_records(real_data):
    """Flags as of 1 January 2010, one submission and one designation of a competent
    authority (test fixtures, not facts)."""
    from datetime import date

    from reports import services
    from reports.authority_services import designation_record
    from reports.models import Obligation
    from states.models import Participant
    from tests.reports.conftest import records_checked_for_all

    records_checked_for_all()
    sweep.compliance_sweep(as_of=date(2010, 1, 1))
    services.submission_record(
        participant=Participant.objects.get(iso3="DEU"),
        obligation=Obligation.objects.get(code="untoc-cop-2007"),
        received_on=date(2009, 5, 1),
        reference="CTOC/COP/2008/CRP.1",
    )
    designation_record(
        None,
        participant=Participant.objects.get(iso3="DEU"),
        obligation=Obligation.objects.get(code="untoc-18-13"),
        authority_name="Test central authority",
        contact_person="Test contact",
        source="test fixture",
    )


@pytest.fixture
def records_checked(real_data):
    """Every participant's records under every obligation marked known complete today, as
    staff would after a check (the shipped data claim no coverage)."""
    from tests.reports.conftest import records_checked_for_all

    records_checked_for_all()


@pytest.fixture(scope="session", autouse=True)
def _message_catalogues_compiled():
    """The compiled catalogues are not in git: compile them as `make test` does, so that a
    single test file run straight from pytest reads the same translations."""
    call_command("compile_catalogues", stdout=io.StringIO())


@pytest.fixture(autouse=True)
def _english_to_begin_with():
    """Each test starts in English: a request activates its language for the thread (as
    every request does, core/languages.py), and a test after a request under /ru/ would
    otherwise still speak Russian outside any request."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
