"""Faults in Redis or the worker do not take the tracker down or lose work.

- Redis down: a real server (gunicorn, the production settings module) whose REDIS_URL
  names a port nothing listens on answers every page and API list, and a staff write in the
  back office, the API or a service succeeds within 2 seconds; the follow-up task it could
  not send is logged, and the next sweep catches up. A Redis that accepts connections but
  never answers costs a write a few seconds, never a hang.
- The cache answers without Redis.
- A worker killed mid-sweep: the broker hands the task to the next worker, and the flags
  come out as an undisturbed run leaves them (needs REDIS_URL: a broker that redelivers).

These tests start processes against the test database, so their data must be committed:
they are transactional, and the next test reloads the shipped data.
"""

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from reports import sweep
from reports.models import ComplianceCheck, ComplianceFlag
from reports.tasks import PAUSE_VARIABLE, flag_overdue_states
from tests.apiclient import token_headers
from tests.conftest import worker_slice, xdist_worker
from tests.factories import participant
from tests.reports.conftest import obligation, state
from untoc_tracker.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent
PORTS = worker_slice(range(18300, 18400))  # the ports these tests may use in this process
WRITE_LIMIT = 2.0  # seconds a staff write may take with Redis down


# --- Processes and ports ----------------------------------------------------------------


def free_port(*, besides: tuple[int, ...] = ()) -> int:
    """A port in PORTS that nothing listens on (so connecting to it is refused)."""
    for port in PORTS:
        if port in besides:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    pytest.fail(f"no free port in {PORTS}")


def database_url() -> str:
    """The test database as DATABASE_URL, for processes the test starts."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def process_env(**overrides: str) -> dict[str, str]:
    """The environment of a deployment on the test database: the production settings
    module, nothing inherited from this run's settings."""
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE", "REDIS", "CELERY", "UNTOC_"))
    }
    return inherited | {
        "DJANGO_SETTINGS_MODULE": "untoc_tracker.settings.base",
        "DJANGO_DEBUG": "true",  # static files from the source folders, no collectstatic
        "DATABASE_URL": database_url(),
        "PYTHONUNBUFFERED": "1",
        **overrides,
    }


@contextmanager
def started(command: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """Run `command` (output to `log`) for the duration of the block; stop it after."""
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


# --- HTTP against the server -------------------------------------------------------------


class Browser:
    """Just enough of a browser for the back office: cookies, CSRF token, form posts."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect()
        )

    def request(self, method: str, path: str, data=None, headers=None) -> tuple[int, str, dict]:
        body = None
        headers = dict(headers or {})
        if isinstance(data, dict):
            body = urllib.parse.urlencode(data).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        elif isinstance(data, str):
            body = data.encode()
            headers.setdefault("Content-Type", "application/json")
        if method != "GET":
            headers.setdefault("Referer", self.base + path)
        request = urllib.request.Request(self.base + path, body, headers, method=method)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def csrf(self) -> str:
        return next(c.value for c in self.cookies if c.name == "csrftoken")

    def post_form(self, path: str, data: dict) -> tuple[int, str, dict]:
        self.request("GET", path)
        return self.request("POST", path, data | {"csrfmiddlewaretoken": self.csrf()})

    def log_in(self, username: str, password: str) -> None:
        status, _, headers = self.post_form(
            "/admin/login/?next=/admin/", {"username": username, "password": password}
        )
        assert (status, headers.get("Location")) == (302, "/admin/"), status


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def timed(call):
    start = time.monotonic()
    result = call()
    return result, time.monotonic() - start


PUBLIC_PAGES = [
    "/",
    "/status/",
    "/status/?as_of=2007-06-30&osce_role=participating&instrument=tip",
    "/states/DEU/",
    "/instruments/untoc/",
    "/compliance/",
    "/reports/osce-status/",
    "/search/?q=germ",  # a part of a name: the results page (a whole name opens the page)
    "/feeds/actions/",
]
API_READS = [
    "/api/v1/",
    "/api/v1/states/",
    "/api/v1/states/DEU/",
    "/api/v1/instruments/",
    "/api/v1/instruments/untoc/",
    "/api/v1/status/",
    "/api/v1/status/?format=csv",
    "/api/v1/actions/",
    "/api/v1/declarations/",
    "/api/schema/",
]


@pytest.fixture
def redis_down_server(tmp_path) -> Iterator[tuple[str, str, Path]]:
    """gunicorn serving the tracker on the test database, its REDIS_URL a closed port.
    Yields (base URL, that REDIS_URL, the server's log)."""
    port = free_port()
    redis_url = f"redis://127.0.0.1:{free_port(besides=(port,))}/7"
    log = tmp_path / "server.log"
    command = [
        *(sys.executable, "-m", "gunicorn", "untoc_tracker.wsgi:application"),
        *("--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60"),
    ]
    with started(command, process_env(REDIS_URL=redis_url), log) as server:
        base = f"http://127.0.0.1:{port}"

        def answering() -> bool:
            assert server.poll() is None, log.read_text()
            try:
                urllib.request.urlopen(base + "/api/v1/", timeout=2)
            except OSError:
                return False
            return True

        wait_for(answering, 30, "the server")
        yield base, redis_url, log


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("real_data", "records_checked")
def test_with_redis_down_pages_answer_writes_succeed_fast_and_the_next_sweep_catches_up(
    redis_down_server, editor
):
    base, redis_url, log = redis_down_server
    today = timezone.localdate()
    sweep.compliance_sweep(as_of=today)
    germany_cop = ComplianceFlag.objects.get(
        participant=state("DEU"), obligation__code="untoc-cop-2007"
    )
    assert germany_cop.is_open
    browser = Browser(base)

    for path in PUBLIC_PAGES + API_READS:
        status, body, _ = browser.request("GET", path)
        assert status == 200, (path, body[:500])

    # A back-office write: Germany's information for the COP deadline arrives.
    # The suite hashes passwords with MD5 for speed; the server knows only the real hashers.
    editor.password = PBKDF2PasswordHasher().encode("a-long-test-password", "fault-test-salt")
    editor.save()
    browser.log_in("spmu-editor", "a-long-test-password")
    (status, _, headers), took = timed(
        lambda: browser.post_form(
            "/admin/reports/submission/add/",
            {
                "participant": state("DEU").pk,
                "obligation": obligation("untoc-cop-2007").pk,
                "received_on": "2009-05-01",
                "reference": "CTOC/COP/2008/CRP.1",
                "note": "",
            },
        )
    )
    assert (status, headers["Location"]) == (302, "/admin/reports/submission/"), status
    assert took < WRITE_LIMIT, f"the back-office save took {took:.2f} s"

    # An API write: a State nobody lists yet signs the Convention.
    participant()
    token = token_headers(editor)["HTTP_AUTHORIZATION"]
    body = json.dumps(
        {
            "state": "SSD",
            "instrument": "untoc",
            "kind": "signature",
            "date": "2001-01-10",
            "source": "test",
        }
    )
    (status, answer, _), took = timed(
        lambda: browser.request(
            "POST", "/api/v1/actions/", body, {"Authorization": token, "Accept": "application/json"}
        )
    )
    assert status == 201, answer
    assert took < WRITE_LIMIT, f"the API write took {took:.2f} s"

    # A write through a service, in a process of its own with the same settings.
    script = (
        "import time; from datetime import date\n"
        "from instruments.models import Instrument; from states.models import Participant\n"
        "from instruments import services\n"
        "start = time.monotonic()\n"
        "services.action_record(participant=Participant.objects.get(iso3='SSD'), "
        "instrument=Instrument.objects.get(code='untoc'), kind='ratification', "
        "date=date(2012, 8, 1), source='test')\n"
        "print('took', time.monotonic() - start)\n"
    )
    shell = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=process_env(REDIS_URL=redis_url),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert shell.returncode == 0, shell.stderr
    took = float(re.search(r"took ([0-9.]+)", shell.stdout).group(1))
    assert took < WRITE_LIMIT, f"the service write took {took:.2f} s"
    assert "Could not send reports.tasks.participant_compliance_recheck" in shell.stderr

    # Every write committed; each re-check it could not send is in the log, none ran.
    server_log = log.read_text()
    assert server_log.count("Could not send reports.tasks.participant_compliance_recheck") == 2
    assert "the nightly compliance sweep will catch up" in server_log
    germany_cop.refresh_from_db()
    assert germany_cop.is_open
    assert state("SSD").actions.count() == 2
    assert not ComplianceFlag.objects.filter(participant=state("SSD")).exists()

    # The next sweep (the nightly job) catches up with both.
    flag_overdue_states.apply()
    germany_cop.refresh_from_db()
    assert (germany_cop.resolution, germany_cop.evidence_on) == ("submission", date(2009, 5, 1))
    assert ComplianceFlag.objects.filter(participant=state("SSD"), resolved_on=None).exists()


@pytest.mark.slow
def test_a_redis_that_never_answers_costs_a_write_seconds_not_a_hang(tmp_path):
    """A broker that accepts the connection and then stays silent (a stalled host): the
    send gives up on the socket timeout, and the write it follows stands."""
    port = free_port()
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", port))
        silent.listen(16)  # the kernel accepts connections; nobody ever answers
        script = (
            "import time\n"
            "from reports.tasks import send, participant_compliance_recheck\n"
            "start = time.monotonic()\n"
            "sent = send(participant_compliance_recheck, [1])\n"
            "print('sent', sent, 'took', time.monotonic() - start)\n"
        )
        shell = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", script],
            cwd=ROOT,
            env=process_env(REDIS_URL=f"redis://127.0.0.1:{port}/7", DATABASE_URL=""),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert shell.returncode == 0, shell.stderr
    found = re.search(r"sent (\w+) took ([0-9.]+)", shell.stdout)
    assert found.group(1) == "False"
    assert float(found.group(2)) < 10, shell.stdout
    assert "Could not send reports.tasks.participant_compliance_recheck" in shell.stderr


# --- The cache --------------------------------------------------------------------------------


def production_cache(location: str, **extra: object) -> dict:
    """The production settings' "default" cache, pointed at `location`."""
    backend = settings_cache()
    return {**backend, "LOCATION": location, **extra}


def settings_cache() -> dict:
    """The "default" cache the production settings make when REDIS_URL is set."""
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CACHES['default']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=process_env(REDIS_URL="redis://127.0.0.1:6379/7", DATABASE_URL=""),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def cache_without_redis():
    """The production cache backend, its Redis a closed port."""
    location = f"redis://127.0.0.1:{free_port()}/7"
    local = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    with override_settings(CACHES={"default": production_cache(location), "local": local}):
        yield caches["default"]


def test_the_production_cache_is_redis_and_ignores_its_failures():
    backend = settings_cache()
    assert backend["BACKEND"] == "django_redis.cache.RedisCache"
    assert backend["OPTIONS"]["IGNORE_EXCEPTIONS"] is True


def test_without_redis_the_cache_misses_and_drops_writes_quickly(cache_without_redis, caplog):
    cache = cache_without_redis
    start = time.monotonic()
    assert cache.get("page", "miss") == "miss"
    cache.set("page", "html")
    assert cache.add("other", 1) is None
    assert cache.get_many(["page", "other"]) == {}
    assert cache.get_or_set("page", "built") == "built"
    assert not cache.has_key("page")
    assert not cache.delete("page")
    cache.set_many({"a": 1})
    cache.delete_many(["a"])
    assert cache.incr("counter") is None
    assert time.monotonic() - start < 2
    # Each failed call is logged, none raised.
    ignored = [r for r in caplog.records if r.name == "core.cache"]
    assert ignored
    assert all(r.getMessage() == "Exception ignored" for r in ignored)


@pytest.mark.usefixtures("real_data")
def test_pages_and_the_api_answer_with_the_cache_s_redis_down(cache_without_redis, client):
    for path in PUBLIC_PAGES + API_READS:
        response = client.get(path)
        assert response.status_code == 200, path


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL: a Redis to cache in")
def test_with_redis_up_the_cache_keeps_values_in_redis():
    backend = production_cache(os.environ["REDIS_URL"], KEY_PREFIX=f"fault-test-{xdist_worker()}")
    with override_settings(CACHES={"default": backend}):
        cache = caches["default"]
        cache.set("kept", {"as_of": "2007-06-30"}, 30)
        assert cache.get("kept") == {"as_of": "2007-06-30"}
        assert cache.add("kept-count", 1)
        assert cache.incr("kept-count") == 2
        cache.delete_many(["kept", "kept-count"])


# --- A worker killed mid-sweep -----------------------------------------------------------------

VISIBILITY_TIMEOUT = 5  # seconds; the deployment's default is an hour
AS_OF = date(2010, 1, 1)
FLAG_FIELDS = ["participant_id", "obligation_id", *sweep.FLAG_FIELDS]


def flag_rows() -> list[tuple]:
    return list(
        ComplianceFlag.objects.order_by("participant_id", "obligation_id").values_list(*FLAG_FIELDS)
    )


def empty_the_broker() -> None:
    """No message left from earlier tests of this process, queued or taken by a worker long
    gone. Only this process's queue: the other test processes share the Redis database, and
    a message another one's killed worker left unacknowledged is what its test waits for."""
    queue = celery_app.conf.task_default_queue
    with celery_app.connection_for_write() as conn:
        channel = conn.default_channel
        channel.queue_purge(queue)
        client = channel.client
        for tag, raw in client.hgetall(channel.unacked_key).items():
            _message, exchange, routing_key = json.loads(raw)
            if queue in (exchange, routing_key):
                client.hdel(channel.unacked_key, tag)
                client.zrem(channel.unacked_index_key, tag)


def worker(log: Path, **env: str):
    command = [
        *(sys.executable, "-m", "celery", "--app", "untoc_tracker", "worker"),
        *("--pool", "solo", "--loglevel", "INFO"),
        *("--queues", celery_app.conf.task_default_queue),  # this test process's own queue
        *("--without-heartbeat", "--without-gossip", "--without-mingle"),
    ]
    environment = process_env(
        REDIS_URL=os.environ["REDIS_URL"], CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT), **env
    )
    return started(command, environment, log)


@pytest.mark.slow
@pytest.mark.worker
@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="needs REDIS_URL: without a broker nothing hands a lost worker's task to another",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("real_data", "records_checked")
def test_a_worker_killed_mid_sweep_leaves_the_task_to_the_next_and_the_flags_are_the_same(
    tmp_path,
):
    # What an undisturbed run leaves; then back to before it.
    sweep.compliance_sweep(as_of=AS_OF)
    undisturbed = flag_rows()
    assert len(undisturbed) > 300
    ComplianceFlag.objects.all().delete()
    ComplianceFlag.history.all().delete()  # with the deletion rows the line above added
    ComplianceCheck.objects.all().delete()
    empty_the_broker()

    first_log, second_log = tmp_path / "worker-1.log", tmp_path / "worker-2.log"
    with worker(first_log, **{PAUSE_VARIABLE: "120"}) as first:
        flag_overdue_states.delay(as_of=AS_OF.isoformat())
        # The sweep has written every flag and waits to commit: kill it there.
        wait_for(lambda: "the sweep waits" in first_log.read_text(), 100, "the sweep to run")
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
    assert not ComplianceFlag.objects.exists()  # its transaction died with it

    time.sleep(VISIBILITY_TIMEOUT + 1)  # the broker hands the task out again after this
    with worker(second_log) as second:
        wait_for(
            lambda: (
                "flag_overdue_states" in second_log.read_text()
                and "succeeded" in second_log.read_text()
            ),
            90,
            "the second worker to run the task",
        )
        second.send_signal(signal.SIGTERM)
        second.wait(30)

    assert flag_rows() == undisturbed
    # Done once: one history row per flag, and one success in the logs.
    assert ComplianceFlag.history.count() == len(undisturbed)
    succeeded = re.compile(r"Task reports\.tasks\.flag_overdue_states\[[^]]+\] succeeded")
    assert len(succeeded.findall(first_log.read_text())) == 0
    assert len(succeeded.findall(second_log.read_text())) == 1
    assert re.search(
        r"Task reports\.tasks\.flag_overdue_states\[[^]]+\] received", first_log.read_text()
    )
