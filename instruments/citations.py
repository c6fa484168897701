"""A fact's source as a reader cites it, from the source text staff recorded.

The recorded `source` says how a fact reached the tracker, for staff: which copy of the
depositary's table was read, at which repository commit, what was inferred. Readers need a
citation they can follow: "UN Treaty Collection, chapter XVIII-12, status as at 27 January
2014". `citation` derives one, part by part (the parts of a source are separated by "; "):
1. a part a rule below knows is rewritten into the citation it stands for;
2. a part that is a working note (an inference to verify, a pointer to a local file) is left
   out: it is not where the fact comes from;
3. anything else is kept, cleaned of repository hashes, file paths, "(text cut)" and
   "(stored copy ...)" remarks.
The recorded source is never changed; staff see it in the back office and the history.
"""

import re
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache

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
UNTC = "UN Treaty Collection"
# Ministries whose releases the sources name by an abbreviation or only by their address.
MINISTRIES = {
    "Singapore MFA": "Ministry of Foreign Affairs of Singapore",
    "MHA": "Ministry of Home Affairs of Singapore",
    "https://www.mofa.go.jp": "Ministry of Foreign Affairs of Japan",
}
GAZETTE_AT = "Austrian Federal Law Gazette (BGBl.) III No."


def long_day(when: date) -> str:
    return f"{when.day} {when:%B %Y}"


def _iso(text: str) -> date:
    return date.fromisoformat(text)


def _dotted(text: str) -> date:
    day, month, year = re.split(r"[.-]", text)
    return date(int(year), int(month), int(day))


def _untc_2014(m: re.Match) -> str:
    chapter, as_at = TABLES_2014[m["table"]]
    return f"{UNTC}, chapter {chapter}, status as at {long_day(as_at)}"


def _untc_page(m: re.Match) -> str:
    extra = m["extra"] or ""
    text = f"{UNTC}, chapter {m['chapter']}"
    if "declarations" in extra:
        text += ", declarations and reservations"
    if "Nov 2014" in extra:
        text += ", as published after November 2014"
    return text


def _gazette(m: re.Match) -> str:
    text = f"{GAZETTE_AT} {m['number']}"
    if "scope announcement" in (m["extra"] or ""):
        text += " (scope announcement)"
    return text


def _zaki(m: re.Match) -> str:
    chapter = CHAPTERS[m["instrument"]]
    return (
        f"{UNTC}, chapter {chapter}, status as at {long_day(_dotted(m['day']))} (copy at zaki.ru)"
    )


def _month_day(text: str) -> str:
    """ "29 Sep 2015" as "29 September 2015"."""
    return long_day(datetime.strptime(text, "%d %b %Y").date())


def _dutch_list(m: re.Match) -> str:
    text = f"Netherlands Treaty Database (verdragenbank.overheid.nl), {m['what']}"
    return text + (f", as at {m['as_at']}" if m["as_at"] else "")


def _press_release(who: str, day: str | None, url: str | None) -> str:
    text = f"{MINISTRIES[who]}, press release"
    if day:
        text += f" of {_month_day(day)}"
    return text + (f" ({url})" if url else "")


def _dutch_treaty(m: re.Match) -> str:
    return f"Netherlands Treaty Database ({m['host']}), treaty {m['number']}"


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
        lambda m: f"{UNTC}, status tables as published in 2014",
    ),
    (
        re.compile(rf"UNTC {_CHAPTER} decl\. section \(.*2014 scrape\)"),
        lambda m: (
            f"{UNTC}, chapter {m['chapter']}, declarations and reservations as published in 2014"
        ),
    ),
    (
        re.compile(
            rf"treaties\.un\.org ShowMTDSGDetails {_CHAPTER} \(status as at (?P<d>[\d-]+)\)"
        ),
        lambda m: f"{UNTC}, chapter {m['chapter']}, status as at {long_day(_iso(m['d']))}",
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
        lambda m: f"{UNTC}, chapter {m['chapter']}, status as at {long_day(_dotted(m['d']))}",
    ),
    (
        re.compile(
            r"Project's own (?:\S+ )?row \((?P<who>\w+) (?P<i>[A-Z]+)"
            r" .*\) citing treaties\.un\.org .*"
        ),
        lambda m: (
            f"The tracker's record of a reservation {m['who']} made at deposit, citing "
            f"{UNTC}, chapter {CHAPTERS[m['i']]}, and the Netherlands Treaty Database"
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
        lambda m: f"UNODC statement of {_month_day(m['day'])} ({m['url']})",
    ),
    (
        re.compile(r"Inferred: Austrian BGBl III (?P<number>\d+/\d{4}) \(.*\) records .*"),
        lambda m: f"{GAZETTE_AT} {m['number']}",
    ),
    (
        re.compile(r"Korea Herald (?P<d>\d{4}-\d{2}-\d{2}) \(.*"),
        lambda m: f"The Korea Herald, {long_day(_iso(m['d']))}",
    ),
    (
        re.compile(r"Tractatenblad (?P<year>\d{4}),(?P<number>\d+) \(.*\)"),
        lambda m: f"Netherlands Treaty Series (Tractatenblad) {m['year']} No. {m['number']}",
    ),
    (
        re.compile(r"Czech Sb\.m\.s\. (?P<number>\d+/\d{4}) \(.*\)"),
        lambda m: f"Czech Collection of International Treaties (Sb.m.s.) {m['number']}",
    ),
    (
        re.compile(r"MOFA Japan press release via .*"),
        lambda m: "Ministry of Foreign Affairs of Japan, press release",
    ),
    (
        re.compile(r"lexology\.com \((?P<title>[^,]+), (?P<year>\d{4})\)"),
        lambda m: f"Lexology, “{m['title']}” ({m['year']})",
    ),
    (
        re.compile(r"Bhutan MFA press release (?P<d>\d{4}-\d{2}-\d{2}) \((?P<url>\S+)\)"),
        lambda m: (
            f"Ministry of Foreign Affairs of Bhutan, press release of "
            f"{long_day(_iso(m['d']))} ({m['url']})"
        ),
    ),
    (
        re.compile(r"finlex\.fi sopsviite (?P<year>\d{4})/\d{4}0*(?P<number>\d+) \(.*\)"),
        lambda m: f"Finnish Treaty Series (SopS) {m['number']}/{m['year']} (finlex.fi)",
    ),
    (
        re.compile(
            r"Dz\.U\. (?P<year>\d{4}) nr (?P<no>\d+) poz\."
            r" (?P<item>\d+) \((?P<what>[^,]+), infor\.pl\)"
        ),
        lambda m: (
            f"Polish Journal of Laws (Dz.U.) {m['year']} No. {m['no']} item {m['item']}: "
            f"{m['what']}"
        ),
    ),
    (
        re.compile(r"Moldova Law (?P<number>\d+/\d{4}) of (?P<d>[\d.]+) ratifying UNTOC \(.*\)"),
        lambda m: (
            f"Moldova, Law {m['number']} of {long_day(_dotted(m['d']))} ratifying the Convention"
        ),
    ),
    (
        re.compile(r"Romania (?P<law>Law .+?) \((?:legislatie\.just\.ro; )?legex\.ro\)"),
        lambda m: f"Romania, {m['law']}",
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
_AS_AT = re.compile(r"\s*\(as at (?P<d>\d{4}-\d{2}-\d{2})\)$")
_ISO_DAY = re.compile(r"\b(?P<d>\d{4}-\d{2}-\d{2})\b")
_REMARKS = re.compile(r"\s*\((?:text cut|stored copy[^)]*)\)")  # about our copy, not the source
_PREFIXES = [
    (re.compile(r"consent_date, consent_kind from "), "consent: "),
    (re.compile(r"consent_date from "), "date of consent: "),
]
_LEFTOVERS: list[tuple[re.Pattern, str | Callable[[re.Match], str]]] = [
    (re.compile(r"@[0-9a-f]{7,40}\b"), ""),  # a repository commit
    (re.compile(r"\s*\S*(?:\.\./|/)\S*\.(?:csv|txt)\b"), ""),  # a file path
    (re.compile(r"\bUNTC 2014 scrape\b"), f"{UNTC}, 2014"),
    (_ISO_DAY, lambda m: long_day(_iso(m["d"]))),  # a date in words
    # An address alone names no source: its site's name before it.
    (
        re.compile(r"^(?P<url>https?://(?:www\.)?(?P<host>[^/\s]+)\S*)"),
        lambda m: f"{m['host']} ({m['url']})",
    ),
]


def _parts(source: str) -> list[str]:
    """The source split at "; " outside parentheses."""
    parts, depth, current = [], 0, ""
    for index, char in enumerate(source):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == ";" and depth == 0 and source[index + 1 : index + 2] == " ":
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return [p for p in parts if p]


def _part_citation(part: str) -> str:
    part = _REMARKS.sub("", part)
    prefix = ""
    for pattern, replacement in _PREFIXES:
        if pattern.match(part):
            prefix = replacement
            part = pattern.sub("", part, count=1)
    for pattern, rewrite in RULES:
        found = pattern.fullmatch(part)
        if found:
            return prefix + rewrite(found)
    if any(note.fullmatch(part) for note in NOTES):
        return ""
    for leftover, cleaned in _LEFTOVERS:
        part = leftover.sub(cleaned, part)
    return prefix + part.strip()


# A status list cites the sources of hundreds of actions, most of them recorded from the
# same few tables: each text is worked out once per process.
@lru_cache(maxsize=4096)
def citation(source: str) -> str:
    """The citation a reader can use for a recorded source (see the module docstring)."""
    as_at = _AS_AT.search(source)
    if as_at:
        source = source[: as_at.start()]
    cited = [c for c in (_part_citation(part) for part in _parts(source)) if c]
    if as_at and cited:
        day = long_day(_iso(as_at["d"]))
        if day not in cited[0]:
            cited[0] += f", as at {day}"
    return "; ".join(cited)


def from_depositary(source: str, *, signature: bool = False) -> bool:
    """Whether a fact rests on the depositary: the part of its citation that gives it is the
    UN Treaty Collection's own page or table (not a copy on another site).

    A row's source serves its signature and its consent alike: the signature rests on the
    first part (the table it was read from); a consent on its "consent:" part when there is
    one (a later source for it), else on the first part. A fact resting on any other source
    (a national gazette or treaty database, a ministry's release, a newspaper) is weaker
    than the depositary's record, however good that source is."""
    parts = _parts(citation(source))
    if not parts:
        return False
    giving = parts[0]
    if not signature:
        later = [p for p in parts if p.startswith(("consent: ", "date of consent: "))]
        if later:
            giving = later[0].split(": ", 1)[1]
    return giving.startswith(UNTC) and "(copy at" not in giving
