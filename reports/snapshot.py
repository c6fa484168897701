"""A snapshot: every treaty, obligation and submission record, with its history, in one file.

`snapshot_write` writes the file; `snapshot_restore` restores it into an empty database. It
lives in reports because reports is the one app that may read all three (reports ->
instruments -> states). It is for moving the data between databases and keeping a readable
copy; production backups are pg_dump's (README, "Reliability").

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
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import IntegrityError, connection, models, transaction

from core.writes import revision_bump
from instruments.models import (
    Declaration,
    DepositaryCheckpoint,
    Instrument,
    OpenQuestion,
    TreatyAction,
)
from reports.models import (
    ComplianceCheck,
    ComplianceFlag,
    CopSession,
    EvidenceCoverage,
    Obligation,
    Submission,
)
from states.models import OsceRolePeriod, Participant, ParticipantAlias

FORMAT = "untoc-tracker-snapshot"
VERSION = 1
HISTORY_USER = "history_user"  # the column naming a history row's author by username

RECORDS: list[type[models.Model]] = [
    Participant,
    ParticipantAlias,
    OsceRolePeriod,
    Instrument,
    TreatyAction,
    Declaration,
    DepositaryCheckpoint,
    OpenQuestion,
    Obligation,
    CopSession,
    Submission,
    EvidenceCoverage,
    ComplianceFlag,
    ComplianceCheck,
]
# Every record with a history, and its history model.
HISTORIES: list[type[models.Model]] = [
    model.history.model for model in RECORDS if hasattr(model, "history")
]
MODELS = RECORDS + HISTORIES


def table_name(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _is_history(model: type[models.Model]) -> bool:
    return model in HISTORIES


def columns(model: type[models.Model]) -> list[str]:
    """The model's columns in the file: its fields' column names, the history's author as
    a username."""
    names = [f.attname for f in model._meta.concrete_fields]
    return [HISTORY_USER if name == "history_user_id" else name for name in names]


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
    author = names.index("history_user_id") if _is_history(model) else None
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


# --- Checking ----------------------------------------------------------------------------------


class SnapshotRefused(Exception):
    """The file cannot be restored; `problems` say where and why. Nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class Snapshot:
    """A checked file: each model's rows as field values, ready to write."""

    rows: dict[type[models.Model], list[dict[str, Any]]] = field(default_factory=dict)
    authors: set[str] = field(default_factory=set)

    def counts(self) -> dict[str, int]:
        return {table_name(model): len(rows) for model, rows in self.rows.items()}


MAX_PROBLEMS = 50


class _Problems(list[str]):
    def add(self, where: str, message: str) -> None:
        if len(self) < MAX_PROBLEMS:
            self.append(f"{where}: {message}")


def _value(model_field: models.Field, raw: Any) -> Any:
    """The stored value for `raw`, or ValidationError saying why it cannot be."""
    if isinstance(model_field, models.DateTimeField):
        if raw is None:
            if not model_field.null:
                raise ValidationError("may not be empty")
            return None
        if not isinstance(raw, str):
            raise ValidationError(f"{raw!r} is not a date and time")
        try:
            moment = datetime.fromisoformat(raw)
        except ValueError:
            raise ValidationError(f"{raw!r} is not an ISO 8601 date and time") from None
        if moment.tzinfo is None:
            raise ValidationError(f"{raw!r} has no time zone")
        return moment
    if isinstance(model_field, models.DateField) and raw is not None:
        if not isinstance(raw, str):
            raise ValidationError(f"{raw!r} is not a date")
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise ValidationError(f"{raw!r} is not a date as YYYY-MM-DD") from None
    if isinstance(model_field, models.BooleanField) and not isinstance(raw, bool):
        raise ValidationError(f"{raw!r} is not true or false")
    whole = raw is None or (isinstance(raw, int) and not isinstance(raw, bool))
    if isinstance(model_field, models.IntegerField | models.ForeignKey) and not whole:
        raise ValidationError(f"{raw!r} is not a whole number")
    text = isinstance(model_field, models.CharField | models.TextField)
    if text and raw is not None and not isinstance(raw, str):
        raise ValidationError(f"{raw!r} is not text")
    if isinstance(model_field, models.ForeignKey):
        if raw is None and not model_field.null:
            raise ValidationError("may not be empty")
        return raw  # whether it names a record is checked across the file
    # What the database would hold: the type, null where allowed, the choices, lengths and
    # ranges the model declares. (Not `blank`, a rule for forms: history rows may be empty.)
    value = model_field.to_python(raw)
    if value is None:
        if not model_field.null:
            raise ValidationError("may not be empty")
        return None
    choices = {choice for choice, _ in model_field.flatchoices}
    if choices and value not in model_field.empty_values and value not in choices:
        raise ValidationError(f"{value!r} is not one of the choices")
    model_field.run_validators(value)
    return value


def _document(text: str, problems: _Problems) -> dict[str, Any] | None:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        problems.add("file", f"not JSON ({error})")
        return None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        problems.add("file", f'not an UNTOC Tracker snapshot (no "format": "{FORMAT}")')
        return None
    if document.get("version") != VERSION:
        problems.add(
            "file",
            f"format version {document.get('version')!r}; this tracker reads version {VERSION}",
        )
        return None
    tables = document.get("tables")
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        problems.add("file", '"tables" is not a list of tables')
        return None
    return document


def snapshot_check(text: str) -> Snapshot:
    """Check a snapshot's text whole; raise SnapshotRefused naming every problem found."""
    problems = _Problems()
    document = _document(text, problems)
    if document is None:
        raise SnapshotRefused(problems)
    by_name = {table_name(model): model for model in MODELS}
    given = [t.get("table") for t in document["tables"]]
    missing = [name for name in by_name if name not in given]
    unknown = [name for name in given if name not in by_name]
    if missing or unknown or len(given) != len(set(given)):
        problems.add(
            "file",
            f"its tables are not this tracker's: missing {missing or 'none'}, unknown "
            f"{unknown or 'none'}, repeated "
            f"{sorted({n for n in given if given.count(n) > 1}) or 'none'}",
        )
        raise SnapshotRefused(problems)

    snapshot = Snapshot()
    for table in document["tables"]:
        model = by_name[table["table"]]
        snapshot.rows[model] = _table_rows(model, table, snapshot, problems)
    _check_references(snapshot, problems)
    if problems:
        raise SnapshotRefused(problems)
    return snapshot


def _table_rows(
    model: type[models.Model], table: dict[str, Any], snapshot: Snapshot, problems: _Problems
) -> list[dict[str, Any]]:
    name = table_name(model)
    expected = columns(model)
    if table.get("columns") != expected:
        given: list[Any] = table["columns"] if isinstance(table.get("columns"), list) else []
        problems.add(
            f"table {name}",
            f"its columns are not this tracker's: missing "
            f"{[c for c in expected if c not in given] or 'none'}, unknown "
            f"{[c for c in given if c not in expected] or 'none'}",
        )
        return []
    fields = list(model._meta.concrete_fields)
    rows = table.get("rows")
    if not isinstance(rows, list):
        problems.add(f"table {name}", '"rows" is not a list')
        return []
    result = []
    seen: set[Any] = set()
    for number, row in enumerate(rows, start=1):
        where = f"table {name}, row {number}"
        if not isinstance(row, list) or len(row) != len(expected):
            problems.add(where, f"has not {len(expected)} values")
            continue
        values: dict[str, Any] = {}
        for column, model_field, raw in zip(expected, fields, row, strict=True):
            if column == HISTORY_USER:
                if raw is not None and not (isinstance(raw, str) and raw):
                    problems.add(f"{where}, column {column}", f"{raw!r} is not a username")
                elif raw is not None:
                    snapshot.authors.add(raw)
                values[column] = raw
                continue
            try:
                values[model_field.attname] = _value(model_field, raw)
            except ValidationError as error:
                problems.add(f"{where}, column {column}", " ".join(error.messages))
        key = values.get(model._meta.pk.attname)
        if key in seen:
            problems.add(where, f"repeats the key {key}")
        seen.add(key)
        result.append(values)
    return result


def _check_references(snapshot: Snapshot, problems: _Problems) -> None:
    """Every record a record refers to is in the file (history rows may name records since
    deleted, as the database allows)."""
    keys = {
        model: {row.get(model._meta.pk.attname) for row in rows}
        for model, rows in snapshot.rows.items()
    }
    for model in RECORDS:
        references = [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
        for number, row in enumerate(snapshot.rows[model], start=1):
            for reference in references:
                target = reference.related_model
                value = row.get(reference.attname)  # absent if the value was refused
                if value is not None and value not in keys[target]:
                    problems.add(
                        f"table {table_name(model)}, row {number}, column {reference.attname}",
                        f"refers to {table_name(target)} {value}, which is not in the file",
                    )


# --- Restoring --------------------------------------------------------------------------------


def tracker_data_counts() -> dict[str, int]:
    """How many rows the database holds in each table a snapshot restores (non-zero only)."""
    counts = {table_name(model): model._base_manager.count() for model in MODELS}
    return {name: count for name, count in counts.items() if count}


class DatabaseNotEmpty(Exception):
    pass


def snapshot_restore(text: str) -> dict[str, int]:
    """Restore a snapshot into a database that holds no tracker data; all or nothing.

    The authors of history rows are matched by username; one the database does not know is
    made an inactive account without a password, so the history keeps their name.
    """
    held = tracker_data_counts()
    if held:
        described = ", ".join(f"{count} {name}" for name, count in list(held.items())[:3])
        described += ", ..." if len(held) > 3 else ""
        raise DatabaseNotEmpty(
            f"The database already holds tracker data ({described}); a snapshot is restored "
            "only into an empty database. Migrate a new database and restore into that."
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
