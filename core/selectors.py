"""Reads of the shared machinery."""

from django.db import connection

from core.models import DataRevision


def data_revision() -> int:
    """The number of committed changes to tracker data so far (one query).

    Every page and API answer reads it first (its ETag, its cache key), so it is one plain
    statement: building it through the ORM cost ten times the query itself (0.45 ms against
    0.05 ms, bench/README.md)."""
    meta = DataRevision._meta
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(meta.get_field('number').column)} FROM {quote(meta.db_table)} "
            f"WHERE {quote(meta.pk.column)} = %s",
            [1],
        )
        row = cursor.fetchone()
    return row[0] if row else 0
