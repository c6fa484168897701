import sqlite3
from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created


class TrackerConfig(AppConfig):
    """The project's own wiring: nothing but database connection settings."""

    name = "untoc_tracker"
    verbose_name = "UNTOC Tracker"

    def ready(self) -> None:
        connection_created.connect(sqlite_limits_read, dispatch_uid="untoc_tracker.sqlite_limits")


def sqlite_limits_read(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Let Django batch bulk writes by the SQLite library's own limit of parameters per
    statement (250,000 in Debian's build, 32,766 by default since SQLite 3.32) rather than
    the 999 of old SQLite it assumes: the compliance sweep's upsert of thousands of flags is
    then one statement, not hundreds. Django 6.0 reads the limit the same way (#36143)."""
    if connection.vendor != "sqlite":
        return
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    connection.features.max_query_params = limit
