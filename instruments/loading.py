"""Loading the shipped data, and any table staff give: the treaty tables (importing.py), the
depositary's checkpoints and the open questions, with the same protocol: every row checked
first ("file: row N, column X: message"), then one transaction through the services.

The shipped data load in steps inside one transaction: first the 2014 tables, then the open
questions and the depositary's checkpoints; last, the dated facts after 2014 (the accepted
rows of post2014_candidates.csv, see candidates.py) are stored as proposals for an editor to
review (depositary/facts.py), not written as actions. If anything is wrong, nothing is written.
"""

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.tables import CellChecker, ImportRefused, ImportSummary, Table, table_read
from core.writes import Actor
from instruments import quality_services
from instruments.candidates import OPEN_QUESTION_COLUMNS
from instruments.depositary.facts import facts_batches_store
from instruments.importing import SHIPPED_FILES, TABLE_COLUMNS, TreatyDataLoad
from instruments.importing_status import CONSENT_KIND_NAMES
from instruments.models import Instrument, OpenQuestion

DATA = Path(settings.BASE_DIR) / "instruments" / "data"
SHIPPED_LATER_FILES = [
    DATA / "open_questions.csv",
    DATA / "depositary_counts.csv",
]

CHECKPOINTS = "depositary checkpoints"
OPEN_QUESTIONS = "open questions"
QUALITY_COLUMNS = {
    CHECKPOINTS: {"instrument", "as_at", "signatories", "parties", "source"},
    OPEN_QUESTIONS: set(OPEN_QUESTION_COLUMNS),
}
Progress = Callable[[Iterable[Any], int, str], Iterable[Any]]


class QualityDataLoad:
    """One load of checkpoint and open-question tables: check every row, then write."""

    def __init__(self, tables: list[Table], *, today: date | None = None) -> None:
        self.tables = tables
        self.today = today or timezone.localdate()
        self.check = CellChecker()
        self.instruments = {i.code: i for i in Instrument.objects.all()}
        self.checkpoints: list[tuple[Instrument, date, dict[str, Any]]] = []
        self.questions: list[tuple[str, Instrument, dict[str, Any]]] = []

    def parse(self) -> None:
        seen: dict[tuple[str, Any], int] = {}
        for table in self.tables:
            for row, values in table.rows:
                if table.kind == CHECKPOINTS:
                    key = self._checkpoint_row(table, row, values)
                else:
                    key = self._question_row(table, row, values)
                if key is None:
                    continue
                if key in seen:
                    self.check.error(table, row, "instrument", f"repeats row {seen[key]}")
                seen[key] = row

    def _instrument(self, table: Table, row: int, values: dict[str, str]) -> Instrument | None:
        code = values.get("instrument", "").lower()
        if code not in self.instruments:
            known = ", ".join(sorted(self.instruments))
            self.check.error(table, row, "instrument", f"{code!r} is not one of: {known}")
            return None
        return self.instruments[code]

    def _count(self, table: Table, row: int, values: dict[str, str], column: str) -> int | None:
        text = values.get(column, "")
        if not text.isdigit() or int(text) > 1000:
            self.check.error(table, row, column, f"{text or '(empty)'!r} is not a count")
            return None
        return int(text)

    def _checkpoint_row(self, table: Table, row: int, values: dict[str, str]) -> Any:
        c = self.check
        instrument = self._instrument(table, row, values)
        as_at = c.date(table, row, values, "as_at")
        if as_at is None and not values.get("as_at"):
            c.error(table, row, "as_at", "is required and empty")
        record = {
            "signatories": self._count(table, row, values, "signatories"),
            "parties": self._count(table, row, values, "parties"),
            "source": c.required(table, row, values, "source"),
        }
        if as_at is not None and as_at > self.today:
            c.error(table, row, "as_at", f"{as_at} is after today")
        if instrument is None or as_at is None:
            return None
        self.checkpoints.append((instrument, as_at, record))
        return (instrument.code, as_at)

    def _question_row(self, table: Table, row: int, values: dict[str, str]) -> Any:
        c = self.check
        instrument = self._instrument(table, row, values)
        iso3 = c.required(table, row, values, "iso3")
        if iso3 and not (len(iso3) == 3 and iso3.isalpha() and iso3.isupper()):
            c.error(table, row, "iso3", f"{iso3!r} is not three capital letters")
        kind = values.get("claimed_kind", "")
        if kind not in CONSENT_KIND_NAMES:
            c.error(table, row, "claimed_kind", f"{kind!r} is not a kind of consent")
        confidence = values.get("confidence", "")
        if confidence not in OpenQuestion.Confidence.values:
            c.error(table, row, "confidence", f"{confidence!r} is not one of: high, medium, low")
        record = {
            "participant_name": c.required(table, row, values, "participant"),
            "claim": c.required(table, row, values, "claim"),
            "claimed_kind": kind,
            "claimed_date": c.date(table, row, values, "claimed_date"),
            "confidence": confidence,
            "reason": c.required(table, row, values, "reason"),
            "source": c.required(table, row, values, "source"),
            "source_as_of": values.get("source_as_of", ""),
            "note": values.get("note", ""),
        }
        if instrument is None or not iso3:
            return None
        self.questions.append((iso3, instrument, record))
        return (iso3, instrument.code)

    def run(self, summary: ImportSummary, actor: Actor = None) -> None:
        self.parse()
        if self.check.errors:
            raise ImportRefused(self.check.errors)
        for instrument, as_at, record in self.checkpoints:
            result = quality_services.checkpoint_upsert(
                instrument=instrument, as_at=as_at, actor=actor, **record
            )
            summary.add("depositary checkpoints", result.outcome)
        for iso3, instrument, record in self.questions:
            result = quality_services.open_question_upsert(
                iso3=iso3, instrument=instrument, actor=actor, **record
            )
            summary.add("open questions", result.outcome)


def tables_read(paths: Iterable[Path]) -> list[Table]:
    """Each file as the table its header says: a treaty table, checkpoints or questions."""
    return [table_read(Path(p), TABLE_COLUMNS | QUALITY_COLUMNS) for p in paths]


def data_load(
    paths: Iterable[Path] | None = None,
    *,
    actor: Actor = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Load the given CSV files, or the shipped data in its steps (the post-2014 facts as
    proposals to review); raise ImportRefused with every problem, having written nothing,
    if any row is wrong."""
    steps = [list(paths)] if paths is not None else [SHIPPED_FILES, SHIPPED_LATER_FILES]
    summary = ImportSummary(dry_run=dry_run)
    with transaction.atomic():
        for files in steps:
            tables = tables_read(files)
            treaty = [t for t in tables if t.kind in TABLE_COLUMNS]
            quality = [t for t in tables if t.kind in QUALITY_COLUMNS]
            if treaty:
                done = TreatyDataLoad(treaty).run(actor=actor, progress=progress)
                for what, counts in done.counts.items():
                    summary.counts[what].update(counts)
            if quality:
                QualityDataLoad(quality).run(summary, actor)
        if paths is None:
            facts_batches_store(summary, actor=actor)
        if dry_run:
            transaction.set_rollback(True)
    return summary
