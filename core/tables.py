"""The CSV table kit every loader builds on: read a table and tell its kind by its header,
turn cells into values while collecting "file: row N, column X: message" errors, refuse the
whole load if any row is wrong, and count what a load created, updated or left unchanged.

The loaders (instruments.importing, states.importing, reports.importing) add their own
columns and rules; the management commands print a load with `load_and_report`.
"""

import csv
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


@dataclass(frozen=True, order=True)
class RowError:
    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: row {self.row}, column {self.column}: {self.message}"


class ImportRefused(Exception):
    """The files break a rule; nothing was written."""

    def __init__(self, errors: Iterable[RowError]) -> None:
        self.errors = sorted(errors)
        super().__init__(f"{len(self.errors)} problem(s); nothing was written")


@dataclass
class ImportSummary:
    counts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    dry_run: bool = False

    def add(self, what: str, outcome: str, number: int = 1) -> None:
        self.counts[what][outcome] += number

    def lines(self) -> list[str]:
        return [
            f"{what}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            for what, c in self.counts.items()
        ]

    @property
    def changed(self) -> int:
        return sum(c["created"] + c["updated"] for c in self.counts.values())


@dataclass
class Table:
    path: Path
    kind: str
    rows: list[tuple[int, dict[str, str]]]

    @property
    def name(self) -> str:
        return self.path.name


def table_read(path: Path, tables: dict[str, set[str]]) -> Table:
    """Read a CSV file and tell which kind of table it is from its header: the first of
    `tables` (kind -> required columns) whose columns it has."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = set(reader.fieldnames or [])
            rows = [
                (number, {k: (v or "").strip() for k, v in row.items() if k is not None})
                for number, row in enumerate(reader, start=2)
            ]
    except UnicodeDecodeError as error:
        raise ImportRefused(
            [RowError(path.name, 1, "-", f"not UTF-8 text ({error.reason})")]
        ) from None
    for kind, columns in tables.items():
        if columns <= header:
            return Table(path, kind, rows)
    closest = max(tables, key=lambda k: len(tables[k] & header))
    missing = ", ".join(sorted(tables[closest] - header))
    raise ImportRefused(
        [RowError(path.name, 1, "-", f"unknown table; as a {closest} table it lacks: {missing}")]
    )


class CellChecker:
    """Collects row errors while turning cells into values."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []

    def error(self, table: Table, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(table.name, row, column, message))

    def date(self, table: Table, row: int, values: dict[str, str], column: str) -> date | None:
        text = values.get(column, "")
        if not text:
            return None
        try:
            if len(text) != 10:  # fromisoformat also takes 20001212 and week dates
                raise ValueError(text)
            return date.fromisoformat(text)
        except ValueError:
            self.error(table, row, column, f"{text!r} is not a date in the form YYYY-MM-DD")
            return None

    def required(self, table: Table, row: int, values: dict[str, str], column: str) -> str:
        text = values.get(column, "")
        if not text:
            self.error(table, row, column, "is required and empty")
        return text

    def choice(
        self, table: Table, row: int, values: dict[str, str], column: str, allowed: Iterable[str]
    ) -> str | None:
        text = values.get(column, "")
        allowed = list(allowed)
        if text not in allowed:
            shown = ", ".join(a or "(empty)" for a in allowed)
            self.error(table, row, column, f"{text or '(empty)'!r} is not one of: {shown}")
            return None
        return text


def load_and_report(
    command: BaseCommand, load: Callable[[], ImportSummary], *, dry_run: bool
) -> None:
    """Run a validate-first load; print what it changed, or every problem and fail."""
    try:
        summary = load()
    except ImportRefused as refused:
        for error in refused.errors:
            command.stderr.write(str(error))
        problems = len(refused.errors)
        raise CommandError(f"{problems} problem(s) found; nothing was written.") from None
    for line in summary.lines():
        command.stdout.write(line)
    verb = "would change" if dry_run else "changed"
    command.stdout.write(command.style.SUCCESS(f"Done: {verb} {summary.changed} record(s)."))
