"""Participants' names in the site's languages, from well-kept data rather than typed by hand.

1. English: the depositary's own name as recorded (`Participant.name`).
2. An official short name where CLDR's differs from it, from states/data/participant_names.csv,
   each row with its source (the UN's terminology database for French, Spanish and Russian,
   whose names the depositary's own tables in those languages use).
3. Otherwise CLDR's name of the territory (Babel), by the participant's ISO code: the
   European Union (EUU) is CLDR's "EU".
4. Otherwise the English name.
"""

import csv
from functools import cache
from pathlib import Path

import pycountry
from babel import Locale, UnknownLocaleError
from django.conf import settings

from core.languages import ENGLISH, public_code

OVERRIDES_FILE = Path(__file__).resolve().parent / "data" / "participant_names.csv"
# Codes CLDR knows under another name than ISO 3166-1 alpha-2 gives.
CLDR_CODES = {"EUU": "EU"}


@cache
def overrides() -> dict[tuple[str, str], str]:
    """(iso3, language) -> the official name, read once per process."""
    with OVERRIDES_FILE.open(encoding="utf-8", newline="") as rows:
        return {(row["iso3"], row["language"]): row["name"] for row in csv.DictReader(rows)}


@cache
def cldr_name(iso3: str, language: str) -> str | None:
    """CLDR's name of the territory a participant's code stands for, in a language."""
    code = CLDR_CODES.get(iso3)
    if code is None:
        country = pycountry.countries.get(alpha_3=iso3)
        if country is None:
            return None
        code = country.alpha_2
    try:
        return Locale.parse(language).territories.get(code)
    except (UnknownLocaleError, ValueError):
        return None


def participant_name(iso3: str, english: str, language: str | None = None) -> str:
    """A participant's name in `language` (by default the active one); see the docstring."""
    language = public_code(language)
    if language == ENGLISH:
        return english
    return overrides().get((iso3, language)) or cldr_name(iso3, language) or english


def names_in_every_language(iso3: str, english: str) -> set[str]:
    """Every name the site shows for a participant, one per language (search reads them)."""
    return {participant_name(iso3, english, code) for code, _name in settings.LANGUAGES}
