"""Query budgets: the SQL statements each public page and API list runs, at each data size.

Run in the benchmark's process against its database, through Django's test client (no
network). Each answer is built, never taken from the response cache, twice:
- cold: every cache emptied, as for the first request after a write;
- warm: the instruments already held in memory for the current data revision, as for every
  later request until the next write (the answer itself still built from scratch);
then once more as it is served until the next write (from the response cache if public:
no query with Redis, where the process keeps the revision; the revision's one without).
Queries that only authenticate the caller (the token, the session and its user) are counted
apart: the API's budget is "3 + authentication".
"""

import re
from dataclasses import dataclass

from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.revision import WATCH
from core.selectors import data_revision
from instruments.selectors import instrument_list_at

PAGES = [
    ("home", "/"),
    ("status matrix", "/status/"),
    ("status matrix, every participant", "/status/?osce_role=any"),
    ("participant", "/states/{code}/"),
    ("instrument", "/instruments/untoc/"),
    ("compliance", "/compliance/"),
    ("OSCE status report", "/reports/osce-status/"),
    ("search", "/search/?q=Synthetic"),
    ("Atom feed", "/feeds/actions/"),
]
API_LISTS = [
    ("status/", "/api/v1/status/"),
    ("states/", "/api/v1/states/"),
    ("instruments/", "/api/v1/instruments/"),
    ("actions/", "/api/v1/actions/"),
    ("declarations/", "/api/v1/declarations/"),
    # One kind of record, so every N shows the same mix: each kind on a page costs a query.
    ("history/ (staff, by token)", "/api/v1/history/?resource=actions"),
]
# Statements that read the caller's token, session or user, and nothing else.
AUTHENTICATION = re.compile(r'\bFROM "(core_apitoken|django_session|auth_user)"')


@dataclass
class Budget:
    kind: str  # "page" or "api"
    name: str
    path: str
    queries: int  # warm
    authentication: int
    status: int
    cold: int  # every cache emptied
    cached: int  # the same request again: from the response cache when it keeps the answer

    @property
    def without_authentication(self) -> int:
        return self.queries - self.authentication


def caches_clear() -> None:
    """Every cache empty and the revision forgotten, as after a write (core/revision.py):
    the next request reads the revision, so each count holds it whatever the timing."""
    for cache in caches.all(initialized_only=True):
        cache.clear()
    WATCH.moved()


def measure(
    host: str, participant_code: str, token: str, *, endpoints: list | None = None
) -> list[Budget]:
    """Each page and API list once, uncached, counting its statements."""
    client = Client(HTTP_HOST=host)
    budgets = []
    wanted = endpoints or [("page", *p) for p in PAGES] + [("api", *a) for a in API_LISTS]
    for kind, name, path in wanted:
        path = path.format(code=participant_code)
        headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if "history" in path else {}
        caches_clear()
        with CaptureQueriesContext(connection) as cold:
            client.get(path, **headers)
        caches_clear()
        instrument_list_at(data_revision())
        with CaptureQueriesContext(connection) as warm:
            response = client.get(path, **headers)
        with CaptureQueriesContext(connection) as cached:
            client.get(path, **headers)
        statements = [q["sql"] for q in warm.captured_queries]
        authentication = sum(1 for sql in statements if AUTHENTICATION.search(sql))
        budgets.append(
            Budget(
                kind,
                name,
                path,
                len(statements),
                authentication,
                response.status_code,
                cold=len(cold.captured_queries),
                cached=len(cached.captured_queries),
            )
        )
    return budgets
