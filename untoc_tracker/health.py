"""/healthz: whether this web process can serve, for a load balancer or a monitor.

    {"status": "ok", "database": {"state": "up"}, "broker": {"state": "up"}}

200 while the database answers, 503 when it does not: without it no page can be served.
The broker (Redis) only carries follow-up tasks, which the next sweep catches up, so a broker
that is down is reported ("status": "degraded") but keeps the answer 200. Each check has a
short timeout, so the answer comes within seconds whatever is down. Errors are named by kind
only; the details go to the log, not to the public.
"""

import logging
from typing import Any

import redis
from django.conf import settings
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from redis.backoff import NoBackoff
from redis.retry import Retry

log = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 1.0


def database_state() -> dict[str, Any]:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure to answer means the database is down for us
        log.warning("healthz: the database does not answer: %s", exc)
        return {"state": "down", "error": type(exc).__name__}
    return {"state": "up"}


def broker_state() -> dict[str, Any]:
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        # Embedded mode: no broker; tasks run inline after their transaction commits.
        return {"state": "inline"}
    client = redis.Redis.from_url(
        url,
        socket_connect_timeout=BROKER_TIMEOUT_SECONDS,
        socket_timeout=BROKER_TIMEOUT_SECONDS,
        # One try: redis-py otherwise retries with backoff, and a monitor wants an answer now.
        retry=Retry(NoBackoff(), 0),
    )
    try:
        client.ping()
    except Exception as exc:  # refused, timed out, wrong password: the broker is down for us
        log.warning("healthz: the broker does not answer: %s", exc)
        return {"state": "down", "error": type(exc).__name__}
    finally:
        client.close()
    return {"state": "up"}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    database = database_state()
    broker = broker_state()
    if database["state"] != "up":
        status = "down"
    elif broker["state"] == "down":
        status = "degraded"
    else:
        status = "ok"
    body = {"status": status, "database": database, "broker": broker}
    return JsonResponse(body, status=503 if status == "down" else 200)
