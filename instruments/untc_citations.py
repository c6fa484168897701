"""The depositary's own tables and pages as a reader cites them (instruments.citation_rules
matches the recorded sources to these): the UN Treaty Collection's chapter, its status as at a
date, its 2014 tables and declarations, its page in the reader's language where it has one,
and copies of its tables published elsewhere."""

import re
from datetime import date

from django.utils.translation import gettext as _

from core.i18n import long_date
from core.languages import ENGLISH, public_code

# The depositary's 2014 tables (UN Treaty Collection chapter XVIII-12 and its Protocols,
# -a, -b, -c): the date each was "as at", as the shipped data's README records it.
TABLES_2014 = {
    "18-12": ("XVIII-12", date(2014, 1, 27)),
    "18-12-a": ("XVIII-12-a", date(2014, 1, 27)),
    "18-12-b": ("XVIII-12-b", date(2014, 7, 10)),
    "18-12-c": ("XVIII-12-c", date(2014, 7, 10)),
}
# How the zaki.ru copies and the notes name the instruments.
CHAPTERS = {
    "UNTOC": "XVIII-12",
    "TIP": "XVIII-12-a",
    "SOM": "XVIII-12-b",
    "FIR": "XVIII-12-c",
    "Firearms": "XVIII-12-c",
}
# The depositary's name in English: from_depositary reads the English citation. The
# depositary's own earlier name in recorded sources counts too.
UNTC = "United Nations Treaty Collection"
UNTC_NAMES = (UNTC, "UN Treaty Collection")
# The languages the Treaty Collection's pages come in (clang=_en, _fr); others read English.
UNTC_LANGUAGES = ("en", "fr")
UNTC_PAGE = (
    "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=%(mtdsg)s"
    "&chapter=18&clang=_%(language)s"
)
# Chapter XVIII (penal matters): the list of its treaties, each with its status page.
UNTC_CHAPTER_LIST = "https://treaties.un.org/Pages/Treaties.aspx?id=18&subid=A&clang=_%(language)s"


def long_day(when: date) -> str:
    """30 June 2007 in English, "30 juin 2007" in French: the language's long date."""
    return long_date(when)


def untc_language() -> str:
    """The language of the Treaty Collection's page a reader is sent to."""
    language = public_code()
    return language if language in UNTC_LANGUAGES else ENGLISH


def collection() -> str:
    return _("United Nations Treaty Collection")


def chapter_words(mtdsg: str) -> str:
    """The depositary's chapter reference as its pages and addresses give it (XVIII-12-a), as
    the instrument page shows it."""
    return mtdsg


def untc_page(mtdsg: str) -> str:
    """The Treaty Collection's page of one instrument (its status, declarations and
    reservations) in the reader's language where it has one."""
    return UNTC_PAGE % {"mtdsg": mtdsg, "language": untc_language()}


def with_page(text: str, url: str) -> str:
    return f"{text} ({url})"


def untc_status(mtdsg: str, as_at: date) -> str:
    """The depositary's status table of an instrument as at a date, with its page."""
    text = _("%(collection)s, chapter %(chapter)s, status as at %(date)s") % {
        "collection": collection(),
        "chapter": chapter_words(mtdsg),
        "date": long_day(as_at),
    }
    return with_page(text, untc_page(mtdsg))


def iso_day(text: str) -> date:
    return date.fromisoformat(text)


def dotted_day(text: str) -> date:
    day, month, year = re.split(r"[.-]", text)
    return date(int(year), int(month), int(day))


def table_2014(m: re.Match) -> str:
    chapter, as_at = TABLES_2014[m["table"]]
    return untc_status(chapter, as_at)


def chapter_page(m: re.Match) -> str:
    extra = m["extra"] or ""
    words = {"collection": collection(), "chapter": chapter_words(m["chapter"])}
    declarations, later = "declarations" in extra, "Nov 2014" in extra
    if declarations and later:
        text = _(
            "%(collection)s, chapter %(chapter)s, declarations and reservations, as published "
            "after November 2014"
        )
    elif declarations:
        text = _("%(collection)s, chapter %(chapter)s, declarations and reservations")
    elif later:
        text = _("%(collection)s, chapter %(chapter)s, as published after November 2014")
    else:
        text = _("%(collection)s, chapter %(chapter)s")
    return with_page(text % words, untc_page(m["chapter"]))


def declarations_2014(m: re.Match) -> str:
    text = _(
        "%(collection)s, chapter %(chapter)s, declarations and reservations as published in "
        "%(year)s"
    ) % {"collection": collection(), "chapter": chapter_words(m["chapter"]), "year": 2014}
    return with_page(text, untc_page(m["chapter"]))


def tables_2014(m: re.Match) -> str:
    text = _("%(collection)s, chapter %(chapter)s, status tables as published in %(year)s") % {
        "collection": collection(),
        "chapter": "XVIII",
        "year": 2014,
    }
    return with_page(text, UNTC_CHAPTER_LIST % {"language": untc_language()})


def zaki_copy(m: re.Match) -> str:
    """A copy of the depositary's table on another site: cited as a copy, with no link to
    the depositary's page (which gives today's status, not the copy's)."""
    text = _("%(collection)s, chapter %(chapter)s, status as at %(date)s") % {
        "collection": collection(),
        "chapter": chapter_words(CHAPTERS[m["instrument"]]),
        "date": long_day(dotted_day(m["day"])),
    }
    return _("%(citation)s (copy at %(site)s)") % {"citation": text, "site": "zaki.ru"}
