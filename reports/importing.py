"""Loading the obligations catalogue and the COP sessions from CSV, every row checked first.

Two tables are understood, told apart by their header: obligations (reports/data/
obligations.csv) and COP sessions (reports/data/cop_sessions.csv, as in the reference data).
As for treaty data (instruments.importing): read and check every row; if any is wrong, write
nothing and report "file: row N, column X: message"; otherwise write in one transaction
through the services. A second load of the same files changes nothing.
"""

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from core.tables import ImportRefused, ImportSummary, RowError, table_read
from core.writes import Actor
from instruments.models import Instrument
from reports import services
from reports.models import Obligation

SHIPPED_FILES = [
    Path(settings.BASE_DIR) / "reports" / "data" / "obligations.csv",
    Path(settings.BASE_DIR) / "reports" / "data" / "cop_sessions.csv",
]

OBLIGATIONS = "obligations"
COP_SESSIONS = "COP sessions"
TABLE_COLUMNS = {
    OBLIGATIONS: {
        "code",
        "instrument",
        "article",
        "title",
        "owed",
        "applies_to",
        "condition",
        "due_rule",
        "due_days",
        "deadline",
        "grace_days",
        "due_note",
        "description",
        "article_source",
        "source",
    },
    COP_SESSIONS: {"session", "start", "end", "place", "source"},
}
REQUIRED_TEXT = ("article", "title", "due_note", "description", "article_source", "source")


class _Rows:
    """Turns cells into values, collecting every problem."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.errors: list[RowError] = []

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(self.name, row, column, message))

    def text(self, row: int, values: dict[str, str], column: str, *, required: bool) -> str:
        text = values.get(column, "")
        if required and not text:
            self.error(row, column, "is required and empty")
        return text

    def number(self, row: int, values: dict[str, str], column: str, *, minimum: int = 0) -> int:
        text = values.get(column, "") or "0"
        if not text.isdigit() or int(text) < minimum or int(text) > 32767:
            self.error(row, column, f"{text!r} is not a whole number from {minimum} to 32767")
            return 0
        return int(text)

    def date(self, row: int, values: dict[str, str], column: str) -> date | None:
        text = values.get(column, "")
        if not text:
            return None
        try:
            if len(text) != 10:
                raise ValueError(text)
            return date.fromisoformat(text)
        except ValueError:
            self.error(row, column, f"{text!r} is not a date in the form YYYY-MM-DD")
            return None

    def choice(self, row: int, values: dict[str, str], column: str, allowed: list[str]) -> str:
        text = values.get(column, "")
        if text not in allowed:
            self.error(row, column, f"{text or '(empty)'!r} is not one of: {', '.join(allowed)}")
        return text


def _obligation_rows(
    check: _Rows, rows: list[tuple[int, dict[str, str]]], instruments: dict[str, Instrument]
) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    seen_articles: dict[tuple[str, str], int] = {}
    for row, values in rows:
        code = check.text(row, values, "code", required=True)
        if code and slugify(code) != code:
            check.error(row, "code", f"{code!r} is not a slug (lower-case letters, digits, -)")
        instrument = instruments.get(values.get("instrument", "").lower())
        if instrument is None:
            check.error(
                row,
                "instrument",
                f"{values.get('instrument') or '(empty)'!r} is not one of: "
                f"{', '.join(sorted(c.upper() for c in instruments))}",
            )
        record: dict[str, Any] = {
            name: check.text(row, values, name, required=True) for name in REQUIRED_TEXT
        }
        record |= {
            "instrument": instrument,
            "owed": check.choice(row, values, "owed", Obligation.Owed.values),
            "applies_to": check.choice(row, values, "applies_to", Obligation.AppliesTo.values),
            "condition": values.get("condition", ""),
            "due_rule": check.choice(row, values, "due_rule", Obligation.DueRule.values),
            "due_days": check.number(row, values, "due_days"),
            "deadline": check.date(row, values, "deadline"),
            "grace_days": check.number(row, values, "grace_days"),
            "display_order": check.number(row, values, "display_order"),
        }
        conditional = record["applies_to"] == Obligation.AppliesTo.PARTIES_IN_CONDITION
        if conditional and not record["condition"]:
            check.error(row, "condition", "an obligation for parties in a condition states it")
        if not conditional and record["condition"]:
            check.error(row, "condition", "only an obligation for parties in a condition has one")
        is_cop = record["due_rule"] == Obligation.DueRule.COP_DEADLINE
        if is_cop and record["deadline"] is None and not values.get("deadline"):
            check.error(row, "deadline", "a COP deadline needs its date")
        if not is_cop and values.get("deadline"):
            check.error(row, "deadline", "only a COP deadline has a date")
        if code in found:
            check.error(row, "code", f"{code} appears twice in this table")
            continue
        article_key = (values.get("instrument", "").lower(), record["article"])
        if article_key in seen_articles:
            check.error(row, "article", f"already given in row {seen_articles[article_key]}")
        seen_articles[article_key] = row
        found[code] = record
    return found


def _cop_session_rows(
    check: _Rows, rows: list[tuple[int, dict[str, str]]]
) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for row, values in rows:
        number = check.number(row, values, "session", minimum=1)
        record = {
            "starts_on": check.date(row, values, "start"),
            "ends_on": check.date(row, values, "end"),
            "place": check.text(row, values, "place", required=True),
            "note": values.get("note", ""),
            "source": check.text(row, values, "source", required=True),
        }
        for column, name in (("start", "starts_on"), ("end", "ends_on")):
            if record[name] is None and not values.get(column):
                check.error(row, column, "is required and empty")
        if record["starts_on"] and record["ends_on"] and record["ends_on"] < record["starts_on"]:
            check.error(row, "end", "the session cannot end before it starts")
        if number in found:
            check.error(row, "session", f"session {number} appears twice in this table")
        found[number] = record
    return found


def catalogue_load(
    paths: Iterable[Path] | None = None, *, actor: Actor = None, dry_run: bool = False
) -> ImportSummary:
    """Load the given CSV files (default: the shipped catalogue); raise ImportRefused with
    every problem, having written nothing, if any row is wrong."""
    instruments = {i.code: i for i in Instrument.objects.all()}
    obligations: dict[str, dict[str, Any]] = {}
    sessions: dict[int, dict[str, Any]] = {}
    errors: list[RowError] = []
    for path in [Path(p) for p in (paths or SHIPPED_FILES)]:
        table = table_read(path, TABLE_COLUMNS)
        kind, rows = table.kind, table.rows
        check = _Rows(path.name)
        if kind == OBLIGATIONS:
            obligations |= _obligation_rows(check, rows, instruments)
        else:
            sessions |= _cop_session_rows(check, rows)
        errors += check.errors
    if errors:
        raise ImportRefused(errors)

    summary = ImportSummary(dry_run=dry_run)
    with transaction.atomic():
        for code, record in obligations.items():
            outcome, _ = services.obligation_upsert(code=code, actor=actor, **record)
            summary.add("obligations", outcome)
        for number, record in sessions.items():
            outcome, _ = services.cop_session_upsert(number=number, actor=actor, **record)
            summary.add("COP sessions", outcome)
        if dry_run:
            transaction.set_rollback(True)
    return summary
