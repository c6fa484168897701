"""Obligations' title, description and time in the site's languages.

English is the catalogue's record (`Obligation.title`, `description`, `due_note`, loaded from
reports/data/obligations.csv). French, German, Italian, Russian and Spanish are the project's
own translations (reports/data/obligation_texts.csv; not official texts), worded with the UN's
treaty terms (locale/glossary.csv). A text missing there falls back to English.
"""

import csv
from functools import cache
from pathlib import Path

from core.languages import ENGLISH, public_code

TEXTS_FILE = Path(__file__).resolve().parent / "data" / "obligation_texts.csv"
FIELDS = ("title", "description", "due_note")


@cache
def texts() -> dict[tuple[str, str], dict[str, str]]:
    """(code, language) -> the row of the texts file, read once per process."""
    with TEXTS_FILE.open(encoding="utf-8", newline="") as rows:
        return {(row["code"], row["language"]): row for row in csv.DictReader(rows)}


def obligation_text(code: str, field: str, english: str, language: str | None = None) -> str:
    """An obligation's `field` (title, description or due_note) in `language` (by default
    the active one); English, and any text not translated, as recorded."""
    language = public_code(language)
    if language == ENGLISH:
        return english
    row = texts().get((code, language))
    return (row[field] if row else "") or english
