"""Reads of the shared machinery."""

from django.db import connection

from core.models import DataRevision

# Every request reads the revision (its ETag and its key in the response cache), so it is
# one statement written out once rather than a query the ORM builds anew each time (which
# cost about as much Python as the round trip itself).
_REVISION_SQL = "SELECT {number} FROM {table} WHERE {pk} = 1".format(
    number=connection.ops.quote_name(str(DataRevision._meta.get_field("number").column)),
    table=connection.ops.quote_name(DataRevision._meta.db_table),
    pk=connection.ops.quote_name(str(DataRevision._meta.pk.column)),
)


def data_revision() -> int:
    """The number of committed changes to tracker data so far (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(_REVISION_SQL)
        row = cursor.fetchone()
    return row[0] if row else 0
