"""The glossary of treaty terms every translation uses (locale/glossary.csv).

Each term is given in the six languages with its source (UN terminology, UNTERM, for the UN's
terms; the OSCE's own usage for its terms), and a stem per language: for English a regular
expression that finds the term in a message (plurals too), for the others a lower-case part
of the word that every correct form of the term contains (inflected, in Russian or German
too; alternatives separated by "|", e.g. singular and plural). `glossary_problems` checks
one translated message against it: a message whose English contains a term must contain
that term's stem in the translation. Longer terms are looked
for first, and what they matched is not looked at again ("State Party" is not also "party").
"""

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

GLOSSARY_FILE = Path(settings.BASE_DIR) / "locale" / "glossary.csv"


@dataclass(frozen=True)
class Term:
    english: str
    names: dict[str, str]  # language -> the term
    stems: dict[str, str]  # language (English too) -> the stem
    source: str


@cache
def glossary() -> list[Term]:
    """The terms, longest English first, so that "State Party" is matched before "party"."""
    with GLOSSARY_FILE.open(encoding="utf-8", newline="") as rows:
        terms = [
            Term(
                english=row["term"],
                names={k: v for k, v in row.items() if k in _languages()},
                stems={k.removeprefix("stem_"): v for k, v in row.items() if k.startswith("stem_")},
                source=row["source"],
            )
            for row in csv.DictReader(rows)
        ]
    return sorted(terms, key=lambda term: -len(term.english))


def _languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES if code != "en"}


def _kept_code(word: str, kept: set[str]) -> bool:
    return "_" in word or (word in kept and word.isalpha() and word.isascii())


def glossary_problems(english: str, translated: str, language: str) -> list[str]:
    """The glossary terms in `english` whose stem `translated` lacks, as messages."""
    # Codes and identifiers the translation keeps as they are (parameter values such as
    # "denounced", field names such as signature_date) are not terms to translate.
    kept = set(re.findall(r"\w+", translated.casefold()))
    words = re.findall(r"\w+|\W+", english.casefold())
    text = "".join(" " if _kept_code(w, kept) else w for w in words)
    found = translated.casefold()
    problems = []
    for term in glossary():
        pattern = re.compile(term.stems["en"], re.IGNORECASE)
        if not pattern.search(text):
            continue
        text = pattern.sub(" ", text)
        if not any(stem in found for stem in term.stems[language].casefold().split("|")):
            problems.append(f"{term.english!r} should be {term.names[language]!r} ({term.source})")
    return problems
