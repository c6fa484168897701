"""The rules that write each kind of recorded source as a reader's citation
(instruments.citations applies them part by part): the depositary's tables and pages, the
national gazettes and treaty databases, ministries' releases, the copies of the depositary's
tables on other sites; the working notes left out; what is cleaned from anything else."""

import re
from collections.abc import Callable
from datetime import date, datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
# Ministries whose releases the sources name by an abbreviation or only by their address.
MINISTRIES = {
    "Singapore MFA": gettext_lazy("Ministry of Foreign Affairs of Singapore"),
    "MHA": gettext_lazy("Ministry of Home Affairs of Singapore"),
    "https://www.mofa.go.jp": gettext_lazy("Ministry of Foreign Affairs of Japan"),
    "Bhutan MFA": gettext_lazy("Ministry of Foreign Affairs of Bhutan"),
}


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


def gazette_at(number: str) -> str:
    return _("Austrian Federal Law Gazette (BGBl.) III No. %(number)s") % {"number": number}


def iso_day(text: str) -> date:
    return date.fromisoformat(text)


def _dotted(text: str) -> date:
    day, month, year = re.split(r"[.-]", text)
    return date(int(year), int(month), int(day))


def _untc_2014(m: re.Match) -> str:
    chapter, as_at = TABLES_2014[m["table"]]
    return untc_status(chapter, as_at)


def _untc_page(m: re.Match) -> str:
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


def _untc_declarations_2014(m: re.Match) -> str:
    text = _(
        "%(collection)s, chapter %(chapter)s, declarations and reservations as published in "
        "%(year)s"
    ) % {"collection": collection(), "chapter": chapter_words(m["chapter"]), "year": 2014}
    return with_page(text, untc_page(m["chapter"]))


def _untc_tables_2014(m: re.Match) -> str:
    text = _("%(collection)s, chapter %(chapter)s, status tables as published in %(year)s") % {
        "collection": collection(),
        "chapter": "XVIII",
        "year": 2014,
    }
    return with_page(text, UNTC_CHAPTER_LIST % {"language": untc_language()})


def _gazette(m: re.Match) -> str:
    text = gazette_at(m["number"])
    if "scope announcement" in (m["extra"] or ""):
        text = _("%(citation)s (scope announcement)") % {"citation": text}
    return text


def _zaki(m: re.Match) -> str:
    """A copy of the depositary's table on another site: cited as a copy, with no link to
    the depositary's page (which gives today's status, not the copy's)."""
    text = _("%(collection)s, chapter %(chapter)s, status as at %(date)s") % {
        "collection": collection(),
        "chapter": chapter_words(CHAPTERS[m["instrument"]]),
        "date": long_day(_dotted(m["day"])),
    }
    return _("%(citation)s (copy at %(site)s)") % {"citation": text, "site": "zaki.ru"}


def _month_day(text: str) -> str:
    """ "29 Sep 2015" as "29 September 2015"."""
    return long_day(datetime.strptime(text, "%d %b %Y").date())


def _dutch_list(m: re.Match) -> str:
    text = _("Netherlands Treaty Database (%(site)s), %(what)s") % {
        "site": "verdragenbank.overheid.nl",
        "what": m["what"],
    }
    if m["as_at"]:
        text = _("%(citation)s, as at %(date)s") % {"citation": text, "date": m["as_at"]}
    return text


def _press_release(who: str, day: str | None, url: str | None) -> str:
    if day:
        text = _("%(ministry)s, press release of %(date)s") % {
            "ministry": MINISTRIES[who],
            "date": _month_day(day),
        }
    else:
        text = _("%(ministry)s, press release") % {"ministry": MINISTRIES[who]}
    return with_page(text, url) if url else text


def _dutch_treaty(m: re.Match) -> str:
    return _("Netherlands Treaty Database (%(site)s), treaty %(number)s") % {
        "site": m["host"],
        "number": m["number"],
    }


_CHAPTER = r"(?P<chapter>XVIII-12(?:-[abc])?)"
# (pattern, replacement): the first whose pattern matches the whole part wins.
RULES: list[tuple[re.Pattern, Callable[[re.Match], str]]] = [
    (
        re.compile(
            r"UNTC status table as scraped 2014 "
            r"\(\S+@\w+:treaties/(?P<table>18-12(?:-[abc])?)\.csv\)"
        ),
        _untc_2014,
    ),
    (
        re.compile(r"UNTC status table \(zmjones/untreaties 2014 scrape.*\)"),
        _untc_tables_2014,
    ),
    (
        re.compile(rf"UNTC {_CHAPTER} decl\. section \(.*2014 scrape\)"),
        _untc_declarations_2014,
    ),
    (
        re.compile(
            rf"treaties\.un\.org ShowMTDSGDetails {_CHAPTER} \(status as at (?P<d>[\d-]+)\)"
        ),
        lambda m: untc_status(m["chapter"], iso_day(m["d"])),
    ),
    (
        re.compile(
            rf"treaties\.un\.org ViewDetails (?:src=\w+ )?{_CHAPTER}(?:"
            rf" src=\w+)?(?: \((?P<extra>.*)\))?"
        ),
        _untc_page,
    ),
    (
        re.compile(
            r"Austria(?:n)? BGBl III \[?(?P<number>\d+/\d{4})\]?(?:"
            r" [A-Z]{3})?(?: \((?P<extra>.*)\))?"
        ),
        _gazette,
    ),
    (
        re.compile(
            r"zaki\.ru/\S+ \(copy of UNTC (?P<instrument>\w+)(?:"
            r" Protocol)? status as at (?P<day>[\d.]+)\)"
        ),
        _zaki,
    ),
    (
        re.compile(
            r"(?P<host>(?:verdragenbank|treatydatabase)\.overheid\.nl)/\S+/(?P<number>\d{6})_b(?:"
            r" \(.*\))?"
        ),
        _dutch_treaty,
    ),
    (
        re.compile(
            rf"UN Treaty Collection status page {_CHAPTER}, header 'Status as at (?P<d>[\d-]+)'"
        ),
        lambda m: untc_status(m["chapter"], _dotted(m["d"])),
    ),
    (
        # The reader's form staff may have typed, in the depositary's earlier name.
        re.compile(
            rf"UN(?:ited Nations)? Treaty Collection, chapter {_CHAPTER}, status as at "
            r"(?P<d>\d{1,2} [A-Z][a-z]+ \d{4})"
        ),
        lambda m: untc_status(m["chapter"], datetime.strptime(m["d"], "%d %B %Y").date()),
    ),
    (
        re.compile(
            r"Project's own (?:\S+ )?row \((?P<who>\w+) (?P<i>[A-Z]+)"
            r" .*\) citing treaties\.un\.org .*"
        ),
        lambda m: (
            _(
                "The tracker's record of a reservation %(participant)s made at deposit, citing "
                "%(collection)s, chapter %(chapter)s, and the Netherlands Treaty Database"
            )
            % {
                "participant": m["who"],
                "collection": collection(),
                "chapter": chapter_words(CHAPTERS[m["i"]]),
            }
        ),
    ),
    (
        re.compile(
            r"Netherlands treaty database \(Verdragenbank\), (?P<what>[^()]+?)"
            r"(?: \(as at (?P<as_at>\d{4})\))?"
        ),
        _dutch_list,
    ),
    (
        re.compile(
            r"(?P<who>Singapore MFA|MHA) press(?: release)? (?P<day>\d{1,2} \w{3} \d{4})"
            r"(?: \((?P<url>https?://\S+)\))?"
        ),
        lambda m: _press_release(m["who"], m["day"], m["url"]),
    ),
    (
        re.compile(r"(?P<url>(?P<who>https://www\.mofa\.go\.jp)/mofaj/press/release/\S+\.html)"),
        lambda m: _press_release(m["who"], None, m["url"]),
    ),
    (
        re.compile(
            r"corroborated by UNODC statement (?P<day>\d{1,2} \w{3} \d{4}) \((?P<url>\S+)\)"
        ),
        lambda m: with_page(
            _("UNODC statement of %(date)s") % {"date": _month_day(m["day"])}, m["url"]
        ),
    ),
    (
        re.compile(r"Inferred: Austrian BGBl III (?P<number>\d+/\d{4}) \(.*\) records .*"),
        lambda m: gazette_at(m["number"]),
    ),
    (
        re.compile(r"Korea Herald (?P<d>\d{4}-\d{2}-\d{2}) \(.*"),
        lambda m: f"The Korea Herald, {long_day(iso_day(m['d']))}",
    ),
    (
        re.compile(r"Tractatenblad (?P<year>\d{4}),(?P<number>\d+) \(.*\)"),
        lambda m: (
            _("Netherlands Treaty Series (Tractatenblad) %(year)s No. %(number)s")
            % {"year": m["year"], "number": m["number"]}
        ),
    ),
    (
        re.compile(r"Czech Sb\.m\.s\. (?P<number>\d+/\d{4}) \(.*\)"),
        lambda m: (
            _("Czech Collection of International Treaties (Sb.m.s.) %(number)s")
            % {"number": m["number"]}
        ),
    ),
    (
        re.compile(r"MOFA Japan press release via .*"),
        lambda m: _press_release("https://www.mofa.go.jp", None, None),
    ),
    (
        re.compile(r"lexology\.com \((?P<title>[^,]+), (?P<year>\d{4})\)"),
        lambda m: f"Lexology, “{m['title']}” ({m['year']})",
    ),
    (
        re.compile(r"Bhutan MFA press release (?P<d>\d{4}-\d{2}-\d{2}) \((?P<url>\S+)\)"),
        lambda m: with_page(
            _("%(ministry)s, press release of %(date)s")
            % {"ministry": MINISTRIES["Bhutan MFA"], "date": long_day(iso_day(m["d"]))},
            m["url"],
        ),
    ),
    (
        re.compile(r"finlex\.fi sopsviite (?P<year>\d{4})/\d{4}0*(?P<number>\d+) \(.*\)"),
        lambda m: (
            _("Finnish Treaty Series (SopS) %(number)s/%(year)s (finlex.fi)")
            % {"number": m["number"], "year": m["year"]}
        ),
    ),
    (
        re.compile(
            r"Dz\.U\. (?P<year>\d{4}) nr (?P<no>\d+) poz\."
            r" (?P<item>\d+) \((?P<what>[^,]+), infor\.pl\)"
        ),
        lambda m: (
            _("Polish Journal of Laws (Dz.U.) %(year)s No. %(number)s item %(item)s: %(what)s")
            % {"year": m["year"], "number": m["no"], "item": m["item"], "what": m["what"]}
        ),
    ),
    (
        re.compile(r"Moldova Law (?P<number>\d+/\d{4}) of (?P<d>[\d.]+) ratifying UNTOC \(.*\)"),
        lambda m: (
            _("Moldova, Law %(number)s of %(date)s ratifying the Convention")
            % {"number": m["number"], "date": long_day(_dotted(m["d"]))}
        ),
    ),
    (
        re.compile(r"Romania (?P<law>Law .+?) \((?:legislatie\.just\.ro; )?legex\.ro\)"),
        lambda m: _("Romania, %(law)s") % {"law": m["law"]},
    ),
]
# Working notes, not sources: left out of the citation.
NOTES = [
    re.compile(r"kind not recorded: .*"),
    re.compile(r"UNTOC \+ 3 protocols"),
    re.compile(r"per \.\./.*"),
    re.compile(r"the stored .*"),
    re.compile(r"kind inferred.*"),
    re.compile(r"UNTOC art\. 37\(2\)(?: requires .*)?"),
]
# "(as at 2017-07-12)" after a source: the date the source speaks for, in words.
AS_AT = re.compile(r"\s*\(as at (?P<d>\d{4}-\d{2}-\d{2})\)$")
_ISO_DAY = re.compile(r"\b(?P<d>\d{4}-\d{2}-\d{2})\b")
REMARKS = re.compile(r"\s*\((?:text cut|stored copy[^)]*)\)")  # about our copy, not the source
# A later source of the consent (or of its date) alone: what it gives, then the source.
PREFIXES: list[tuple[re.Pattern, Callable[[str], str]]] = [
    (
        re.compile(r"consent_date, consent_kind from "),
        lambda s: _("consent: %(source)s") % {"source": s},
    ),
    (re.compile(r"consent_date from "), lambda s: _("date of consent: %(source)s") % {"source": s}),
]
LEFTOVERS: list[tuple[re.Pattern, str | Callable[[re.Match], str]]] = [
    (re.compile(r"@[0-9a-f]{7,40}\b"), ""),  # a repository commit
    (re.compile(r"\s*\S*(?:\.\./|/)\S*\.(?:csv|txt)\b"), ""),  # a file path
    (
        re.compile(r"\bUNTC 2014 scrape\b"),
        lambda m: _("%(collection)s, 2014") % {"collection": collection()},
    ),
    (_ISO_DAY, lambda m: long_day(iso_day(m["d"]))),  # a date in words
    # An address alone names no source: its site's name before it.
    (
        re.compile(r"^(?P<url>https?://(?:www\.)?(?P<host>[^/\s]+)\S*)"),
        lambda m: f"{m['host']} ({m['url']})",
    ),
]
