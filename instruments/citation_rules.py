"""The rules that write each kind of recorded source as a reader's citation
(instruments.citations applies them part by part): the depositary's tables and pages, the
national gazettes and treaty databases, ministries' releases, the copies of the depositary's
tables on other sites; the working notes left out; what is cleaned from anything else."""

import re
from collections.abc import Callable
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from instruments.untc_citations import (
    CHAPTERS,
    chapter_page,
    chapter_words,
    collection,
    declarations_2014,
    dotted_day,
    iso_day,
    long_day,
    table_2014,
    tables_2014,
    untc_status,
    with_page,
    zaki_copy,
)

# Ministries whose releases the sources name by an abbreviation or only by their address.
MINISTRIES = {
    "Singapore MFA": gettext_lazy("Ministry of Foreign Affairs of Singapore"),
    "MHA": gettext_lazy("Ministry of Home Affairs of Singapore"),
    "https://www.mofa.go.jp": gettext_lazy("Ministry of Foreign Affairs of Japan"),
    "Bhutan MFA": gettext_lazy("Ministry of Foreign Affairs of Bhutan"),
}


def gazette_at(number: str) -> str:
    return _("Austrian Federal Law Gazette (BGBl.) III No. %(number)s") % {"number": number}


def _gazette(m: re.Match) -> str:
    text = gazette_at(m["number"])
    if "scope announcement" in (m["extra"] or ""):
        text = _("%(citation)s (scope announcement)") % {"citation": text}
    return text


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
        table_2014,
    ),
    (
        re.compile(r"UNTC status table \(zmjones/untreaties 2014 scrape.*\)"),
        tables_2014,
    ),
    (
        re.compile(rf"UNTC {_CHAPTER} decl\. section \(.*2014 scrape\)"),
        declarations_2014,
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
        chapter_page,
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
        zaki_copy,
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
        lambda m: untc_status(m["chapter"], dotted_day(m["d"])),
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
            % {"number": m["number"], "date": long_day(dotted_day(m["d"]))}
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
