"""Translated text with values put in when it is read, not when the module is imported."""

from datetime import date
from typing import Any

from babel.dates import format_date
from django.conf import settings
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import get_language


def _interpolate(message: Any, values: dict[str, Any]) -> str:
    return str(message) % {name: str(value) for name, value in values.items()}


_lazy_interpolate = lazy(_interpolate, str)


def lazy_format(message: Any, **values: Any) -> Any:
    """`message` (a gettext_lazy text with %(name)s placeholders) with `values`, translated
    into the language active where it is shown: for help texts declared at import time."""
    return _lazy_interpolate(message, values)


def message_date(day: date, *, month_in_full: bool = False) -> str:
    """A date inside a sentence (a refusal, a notice): in English as the depositary writes it
    and as messages have always read ("04 May 2024", or "04 December 2024" with the month in
    full), elsewhere the language's long form ("4 mai 2024", "4. Mai 2024")."""
    if (get_language() or settings.LANGUAGE_CODE).split("-")[0] == "en":
        return date_format(day, "d F Y" if month_in_full else "d M Y")
    return long_date(day)


def long_date(day: date) -> str:
    """A date written in full in the active language: "30 June 2007" (Django's English
    format, as the site always wrote it), "30 juin 2007", "30. Juni 2007", "30 giugno 2007",
    "30 de junio de 2007", in Russian the month in the genitive and the year marked (CLDR's
    long date, through Babel: Django's Italian catalogue capitalises the months, which
    Italian does not)."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language == "en":
        return date_format(day, "DATE_FORMAT")
    return format_date(day, format="long", locale=language)


# Languages whose nouns keep their capital inside a sentence.
NOUNS_CAPITALISED = {"de"}


def lower_initial(text: str) -> str:
    """A label ("Ratification") put inside a sentence: its first letter in lower case
    ("ratification 14 Jun 2006"), except in the languages whose nouns keep their capital
    ("Ratifikation 14.06.2006" in German)."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if not text or language in NOUNS_CAPITALISED:
        return text
    return f"{text[0].lower()}{text[1:]}"
