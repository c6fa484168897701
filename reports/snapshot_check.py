"""Checking a snapshot file before anything is restored: the format, the tables and columns,
every value, every reference between records; up to MAX_PROBLEMS problems, each saying
where. reports.snapshot restores a file only once it is checked."""

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from reports.snapshot_format import (
    FORMAT,
    HISTORY_USER,
    MODELS,
    RECORDS,
    VERSION,
    columns,
    table_name,
)


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
