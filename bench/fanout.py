"""The alerts' fan-out, measured: one treaty action recorded through the service, with N
confirmed e-mail subscribers and M webhook endpoints that all follow it.

(a) The write: the service call, its SQL statements and seconds; the same whatever N and M
    (the write only adds the event: core.events).
(b) The fan-out, as the worker runs it: the every-minute tasks (`webhooks_run`,
    `alert_mails_run`) expand the one event into M deliveries and N queued e-mails; then each
    queued task (`webhook_deliver`, `subscription_mail`) is taken from the broker and run,
    one after another as a solo worker would, in this process (so its statements can be
    counted). Deliveries are real: signed HTTP POSTs to a receiver on 127.0.0.1 (loopback
    and plain http allowed for this step only); the e-mails go to Django's in-memory outbox.
"""

import threading
import time
from dataclasses import asdict, dataclass
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.db.models import Max
from django.test import override_settings
from django.utils import timezone

from alerts import services as alert_services
from alerts import subscriptions
from alerts.models import Delivery, Subscription, WebhookEndpoint
from bench.dataset import SOURCE, _participants_create, synthetic_codes, synthetic_count
from bench.sweep import TRANSACTION_CONTROL
from core.models import Event
from instruments import services
from instruments.models import Instrument
from states.models import Participant
from untoc_tracker.celery import app as celery_app


@dataclass
class Stage:
    """One measured stage: SQL statements (BEGIN/COMMIT/savepoints apart) and seconds."""

    statements: int
    transaction_control: int
    seconds: float


@dataclass
class FanOut:
    subscribers: int
    endpoints: int
    write_without_followers: Stage  # the same write before any follower existed
    write: Stage
    dispatch: Stage  # webhooks_run + alert_mails_run: the expansion of the event
    deliveries: Stage  # every webhook_deliver task
    e_mails: Stage  # every subscription_mail task
    deliveries_queued: int
    deliveries_delivered: int
    e_mails_queued: int
    e_mails_sent: int
    requests_received: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Measured:
    """Counts every statement this thread's connection runs in the block, and the seconds.
    (Not CaptureQueriesContext: Django's query log keeps the last 9,000 only, and the
    e-mails run more.)"""

    def __enter__(self) -> "_Measured":
        self.statements = 0
        self.control = 0
        self._wrapper = connection.execute_wrapper(self._count)
        self._wrapper.__enter__()
        self._started = time.perf_counter()
        return self

    def _count(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.lstrip().upper().startswith(TRANSACTION_CONTROL):
            self.control += 1
        else:
            self.statements += 1
        return execute(sql, params, many, context)

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self._started
        self._wrapper.__exit__(*exc)

    @property
    def stage(self) -> Stage:
        return Stage(self.statements, self.control, round(self.seconds, 3))


def _receiver() -> tuple[ThreadingHTTPServer, list[int]]:
    """A webhook receiver on 127.0.0.1 that answers 200 and counts what it got."""
    received: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            received.append(1)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, received


def _broker_empty() -> None:
    """Nothing left in the benchmark's in-memory broker from the earlier steps."""
    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge(celery_app.conf.task_default_queue)


Queued = list[tuple[str, list, dict]]


def _broker_take() -> Queued:
    """Every message queued in the broker: the task's name and arguments."""
    taken = []
    with celery_app.connection_for_read() as conn:
        channel = conn.default_channel
        while True:
            message = channel.basic_get(celery_app.conf.task_default_queue, no_ack=True)
            if message is None:
                return taken
            args, kwargs, _embed = message.decode()
            taken.append((message.headers["task"], args, kwargs))


def _tasks_run(queued: Queued, name: str) -> int:
    """Run the queued tasks called `name` one after another, as a solo worker does (the
    task's own code, its retries included); how many."""
    ran = 0
    for task, args, kwargs in queued:
        if task == name:
            celery_app.tasks[name].apply(args=args, kwargs=kwargs)
            ran += 1
    return ran


def _followers_make(subscribers: int, endpoints: int, code: str, url: str) -> None:
    """`endpoints` endpoints wanting every kind, and `subscribers` confirmed subscriptions at
    once: a third to everything, a third to the participant, a third to the Convention."""
    owner, _ = get_user_model().objects.get_or_create(username="bench-webhooks")
    alert_services.endpoint_register(owner=owner, url=url, kinds=[])
    latest = Event.objects.aggregate(last=Max("pk"))["last"] or 0
    WebhookEndpoint.objects.bulk_create(
        WebhookEndpoint(owner=owner, url=url, secret="b" * 64, starts_after_event=latest)
        for _ in range(endpoints - 1)
    )
    scopes = [("everything", ""), ("participant", code), ("instrument", "untoc")]
    first, *rest = (
        Subscription(
            email=f"subscriber{n}@example.org",
            scope=scopes[n % 3][0],
            target=scopes[n % 3][1],
            frequency=Subscription.Frequency.IMMEDIATE,
        )
        for n in range(subscribers)
    )
    first.save()
    subscriptions.subscription_confirm(first)  # also starts the e-mails' cursor
    now = timezone.now()
    for subscription in rest:
        subscription.confirmed_at = now
        subscription.digest_after_event = latest
    Subscription.objects.bulk_create(rest, batch_size=1000)


def signature_record(code: str) -> None:
    """The write measured: a synthetic participant signs the Convention, through the service."""
    services.action_record(
        participant=Participant.objects.get(iso3=code),
        instrument=Instrument.objects.get(code="untoc"),
        kind="signature",
        date=date(2001, 1, 10),
        source=SOURCE,
    )


def measure(subscribers: int, endpoints: int) -> FanOut:
    """Record one signature of a new synthetic participant with the followers in place;
    measure the write, then the worker's fan-out."""
    from alerts.tasks import alert_mails_run, webhooks_run

    server, received = _receiver()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        with override_settings(
            WEBHOOKS_ALLOW_HTTP=True,
            WEBHOOKS_ALLOW_LOOPBACK=True,
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ):
            taken = set(Participant.objects.values_list("iso3", flat=True))
            alone, code = [c for c in synthetic_codes() if c not in taken][:2]
            _participants_create([alone, code], synthetic_count())
            with _Measured() as write_alone:
                signature_record(alone)
            _followers_make(subscribers, endpoints, code, url)
            _broker_empty()
            mail.outbox = []

            with _Measured() as write:
                signature_record(code)
            with _Measured() as dispatch:
                webhooks_run.apply()
                alert_mails_run.apply()
            queued = Delivery.objects.filter(event__participant=code).count()
            tasks = _broker_take()
            with _Measured() as deliveries:
                _tasks_run(tasks, "alerts.tasks.webhook_deliver")
            with _Measured() as e_mails:
                mailed = _tasks_run(tasks, "alerts.tasks.subscription_mail")
            delivered = Delivery.objects.filter(
                event__participant=code, status=Delivery.Status.DELIVERED
            ).count()
    finally:
        server.shutdown()
        server.server_close()
    return FanOut(
        subscribers=subscribers,
        endpoints=endpoints,
        write_without_followers=write_alone.stage,
        write=write.stage,
        dispatch=dispatch.stage,
        deliveries=deliveries.stage,
        e_mails=e_mails.stage,
        deliveries_queued=queued,
        deliveries_delivered=delivered,
        e_mails_queued=mailed,
        e_mails_sent=len(mail.outbox),
        requests_received=len(received),
    )
