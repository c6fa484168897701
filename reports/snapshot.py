"""A snapshot: every treaty, obligation and submission record, with its history, in one file.

`snapshot_write` writes the file; `snapshot_restore` restores it into an empty database. It
lives in reports because reports is the one app that may read all three (reports ->
instruments -> states). Records of the apps above (focal points and their submissions) are
not in it; they register a count of their rows (`outside_records_register`), so that the
export says what it leaves out and a restore refuses a database that holds them. It is for
moving the data between databases and keeping a readable copy; production backups are
pg_dump's (README, "Reliability").

The file is JSON in UTF-8, deterministic: the same data give the same bytes. Tables come in
a fixed order (a record before what refers to it), rows by primary key, one row a line;
columns are the model's fields; dates and times are ISO 8601, times in UTC; the author of a
history row is named by username. Format version 1:

    {"format": "untoc-tracker-snapshot", "version": 1, "tables": [
    {"table": "states.participant", "columns": ["id", "iso3", ...], "rows": [
    [1, "AFG", ...],
    ...
    ]},
    ...
    ]}

Restoring checks the whole file first (format, tables, columns, every value, every reference
between records) and writes nothing if anything is wrong; then it writes every row in one
transaction, keeping the primary keys, so the history still points at its records.
"""

import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import IntegrityError, connection, models, transaction

from core.writes import revision_bump
from reports.snapshot_check import SnapshotRefused, snapshot_check
from reports.snapshot_format import (
    FORMAT,
    HISTORY_USER,
    MODELS,
    VERSION,
    columns,
    is_history,
    table_name,
)

# --- Writing ---------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _rows(model: type[models.Model], usernames: dict[int, str]) -> Iterator[list[Any]]:
    names = [f.attname for f in model._meta.concrete_fields]
    rows = model._base_manager.order_by(model._meta.pk.attname).values_list(*names)
    author = names.index("history_user_id") if is_history(model) else None
    for row in rows.iterator(chunk_size=2000):
        values = [_plain(v) for v in row]
        if author is not None and values[author] is not None:
            values[author] = usernames[values[author]]
        yield values


def _line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def snapshot_write(out: IO[str]) -> dict[str, int]:
    """Write every record and history row to `out`; return the number of rows per table.

    One transaction, so the file is one consistent moment even while others write.
    """
    counts: dict[str, int] = {}
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # Every query of the export sees the same moment, not each its own.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        usernames = dict(get_user_model().objects.values_list("pk", "username"))
        out.write(f'{{"format":"{FORMAT}","version":{VERSION},"tables":[\n')
        for index, model in enumerate(MODELS):
            name = table_name(model)
            out.write(f'{{"table":"{name}","columns":{_line(columns(model))},"rows":[\n')
            count = 0
            for row in _rows(model, usernames):
                out.write(("," if count else "") + _line(row) + "\n")
                count += 1
            out.write("]}" + ("," if index < len(MODELS) - 1 else "") + "\n")
            counts[name] = count
        out.write("]}\n")
    return counts


# --- Restoring --------------------------------------------------------------------------------


def tracker_data_counts() -> dict[str, int]:
    """How many rows the database holds in each table a snapshot restores (non-zero only)."""
    counts = {table_name(model): model._base_manager.count() for model in MODELS}
    return {name: count for name, count in counts.items() if count}


class DatabaseNotEmpty(Exception):
    pass


# --- Records a snapshot does not carry --------------------------------------------------------
# Apps above reports keep records that refer to the snapshot's (a focal point names its
# participant, its submission an obligation) but are not in it: reports may not read them.
# Each such app registers, when it is ready, a function counting its rows per table; the export
# says what it leaves out, and a restore refuses a database that holds any of them.

RecordCounter = Callable[[], dict[str, int]]
_outside_counters: dict[str, RecordCounter] = {}


def outside_records_register(name: str, counter: RecordCounter) -> None:
    """Let `counter` (table -> rows) report the records of `name` a snapshot leaves out."""
    _outside_counters[name] = counter


def outside_records_counts() -> dict[str, int]:
    """How many rows each table outside the snapshot holds (non-zero only)."""
    counts: dict[str, int] = {}
    for counter in _outside_counters.values():
        counts |= {table: count for table, count in counter().items() if count}
    return counts


def _described(counts: dict[str, int]) -> str:
    described = ", ".join(f"{count} {name}" for name, count in list(counts.items())[:3])
    return described + (", ..." if len(counts) > 3 else "")


def snapshot_restore(text: str) -> dict[str, int]:
    """Restore a snapshot into a database that holds no tracker data; all or nothing.

    The authors of history rows are matched by username; one the database does not know is
    made an inactive account without a password, so the history keeps their name.
    """
    outside = outside_records_counts()
    if outside:
        raise DatabaseNotEmpty(
            f"The database holds records a snapshot does not carry ({_described(outside)}): "
            "they refer to the participants and obligations a restore would bring, and would "
            "be left pointing at records that are not theirs. A snapshot is restored only into "
            "an empty database. Migrate a new database and restore into that."
        )
    held = tracker_data_counts()
    if held:
        raise DatabaseNotEmpty(
            f"The database already holds tracker data ({_described(held)}); a snapshot is "
            "restored only into an empty database. Migrate a new database and restore into that."
        )
    snapshot = snapshot_check(text)
    try:
        with transaction.atomic():
            users = _authors(snapshot.authors)
            for model in MODELS:
                _insert(model, snapshot.rows[model], users)
            _reset_sequences()
            revision_bump()  # a restore is a change: cached answers must not outlive it
    except IntegrityError as error:  # e.g. two records with one natural key
        raise SnapshotRefused([f"the database refused the snapshot: {error}"]) from None
    return snapshot.counts()


def _authors(usernames: set[str]) -> dict[str, int]:
    User = get_user_model()
    known = dict(User.objects.filter(username__in=usernames).values_list("username", "pk"))
    for username in sorted(usernames - set(known)):
        user = User(username=username, is_active=False)
        user.set_unusable_password()
        user.save()
        known[username] = user.pk
    return known


def _insert(model: type[models.Model], rows: list[dict[str, Any]], users: dict[str, int]) -> None:
    fields = list(model._meta.concrete_fields)
    objects = []
    for values in rows:
        values = dict(values)
        if HISTORY_USER in values:
            author = values.pop(HISTORY_USER)
            values["history_user_id"] = users[author] if author is not None else None
        objects.append(model(**values))
    batch = max(1, connection.ops.bulk_batch_size(fields, objects) or len(objects))
    for start in range(0, len(objects), batch):
        # A raw insert, as loaddata makes: the stored values exactly, with their primary
        # keys, and no auto_now stamping of created_at and updated_at.
        model._base_manager._insert(  # type: ignore[attr-defined]
            objects[start : start + batch], fields=fields, raw=True
        )


def _reset_sequences() -> None:
    """Let new rows take primary keys after the restored ones (PostgreSQL's sequences)."""
    statements = connection.ops.sequence_reset_sql(no_style(), MODELS)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def snapshot_read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def summary_lines(counts: dict[str, int]) -> list[str]:
    by_kind: dict[str, int] = defaultdict(int)
    for name, count in counts.items():
        by_kind["history rows" if ".historical" in name else "records"] += count
    return [f"{name}: {count}" for name, count in counts.items()] + [
        f"Total: {by_kind['records']} record(s), {by_kind['history rows']} history row(s)."
    ]
