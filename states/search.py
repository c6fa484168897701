"""Finding a participant by what a reader types: its name, short name, code or a former name
as recorded, its name in the OSCE's six languages (the names the site shows, states/names.py,
and pycountry's ISO 3166 translations),
or a common short form ("UK"), with accents and case folded on both sides.

About 190 participants exist, so the names are matched in memory (two queries), which lets
every spelling fold the same way on SQLite and PostgreSQL alike.
"""

import gettext
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import pycountry

from states.models import Participant
from states.names import names_in_every_language
from states.selectors import alias_names

# The OSCE's official languages besides English, whose names of States delegations type.
NAME_LANGUAGES = ("fr", "de", "it", "ru", "es")

# Short forms in common use that ISO 3166 does not give; hand-written because no registry
# lists them (each maps to one participant code).
SHORT_FORMS = {
    "uk": "GBR",
    "great britain": "GBR",
    "britain": "GBR",
    "england": "GBR",
    "us": "USA",
    "usa": "USA",
    "america": "USA",
    "united states": "USA",
    "uae": "ARE",
    "drc": "COD",
    "dr congo": "COD",
    "congo kinshasa": "COD",
    "congo brazzaville": "COG",
    "eu": "EUU",
    "european union": "EUU",
    "union europeenne": "EUU",
    "europaische union": "EUU",
    "unione europea": "EUU",
    "union europea": "EUU",
    "европейскии союз": "EUU",
    "holland": "NLD",
    "russia": "RUS",
    "россия": "RUS",
    "south korea": "KOR",
    "north korea": "PRK",
    "czechia": "CZE",
    "turkey": "TUR",
    "ivory coast": "CIV",
    "vatican": "VAT",
    "holy see": "VAT",
}


def fold(text: str) -> str:
    """Lower case, accents dropped, punctuation as spaces: "Côte d'Ivoire" -> "cote d ivoire"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", bare).split())


@lru_cache(maxsize=1)
def iso_names() -> dict[str, frozenset[str]]:
    """Every participant code's names from ISO 3166 (English name, official and common
    names, and the name in each of NAME_LANGUAGES), folded. Read once per process."""
    translations = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
        for language in NAME_LANGUAGES
    ]
    names: dict[str, set[str]] = {}
    for country in pycountry.countries:
        english = [getattr(country, attribute, None) for attribute in ("name", "official_name")] + [
            getattr(country, "common_name", None)
        ]
        spelled = [n for n in english if n]
        spelled += [t.gettext(n) for t in translations for n in spelled]
        # "Russie, Fédération de" is also looked for as "Russie".
        spelled += [n.split(",")[0] for n in spelled if "," in n]
        names[country.alpha_3] = {fold(n) for n in spelled}
    for short_form, code in SHORT_FORMS.items():
        names.setdefault(code, set()).add(fold(short_form))
    return {code: frozenset(spellings) for code, spellings in names.items()}


@lru_cache(maxsize=1024)
def language_names(iso3: str, english: str) -> frozenset[str]:
    """The names the site shows for a participant in its six languages (CLDR and the
    official names of states/names.py), folded."""
    return frozenset(fold(name) for name in names_in_every_language(iso3, english))


@dataclass
class Found:
    """What a search found: `exact`, the one participant the text names outright (its
    page answers the search), and `participants`, every one whose names contain it."""

    exact: Participant | None = None
    participants: list[Participant] = field(default_factory=list)


def participant_find(text: str) -> Found:
    """Participants by any of their names (see the module's docstring). Two queries: the
    participants, their recorded former names."""
    wanted = fold(text)
    if not wanted:
        return Found()
    participants = list(Participant.objects.order_by("name"))
    recorded = alias_names([p.pk for p in participants])
    exact: list[Participant] = []
    found: list[Participant] = []
    for participant in participants:
        names = {fold(participant.name), fold(participant.short_name or "")}
        names |= {fold(name) for name in recorded[participant.pk]}
        names |= iso_names().get(participant.iso3, frozenset())
        names |= language_names(participant.iso3, participant.name)
        names.discard("")
        if wanted in names or wanted == fold(participant.iso3):
            exact.append(participant)
        if participant in exact[-1:] or any(wanted in name for name in names):
            found.append(participant)
    return Found(exact=exact[0] if len(exact) == 1 else None, participants=found)
