"""Instruments' titles in the site's languages, as their texts give them.

English is the instrument's record (`Instrument.title`, `short_title`). French, Spanish and
Russian titles are those of the authentic texts (UNTOC art. 41, and the Protocols' final
articles: Arabic, Chinese, English, French, Russian and Spanish are equally authentic);
German and Italian are official translations. instruments/data/instrument_titles.csv gives
the source of each title; short titles are editorial. A title missing there falls back to
English.
"""

import csv
from functools import cache
from pathlib import Path

from core.languages import ENGLISH, public_code

TITLES_FILE = Path(__file__).resolve().parent / "data" / "instrument_titles.csv"


@cache
def titles() -> dict[tuple[str, str], dict[str, str]]:
    """(code, language) -> the row of the titles file, read once per process."""
    with TITLES_FILE.open(encoding="utf-8", newline="") as rows:
        return {(row["code"], row["language"]): row for row in csv.DictReader(rows)}


def instrument_title(code: str, english: str, *, short: bool = False) -> str:
    """An instrument's title (or short title) in the active language."""
    language = public_code()
    if language == ENGLISH:
        return english
    row = titles().get((code, language))
    return (row["short_title" if short else "title"] if row else "") or english
