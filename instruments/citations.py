"""A fact's source as a reader cites it, from the source text staff recorded.

The recorded `source` says how a fact reached the tracker, for staff: which copy of the
depositary's table was read, at which repository commit, what was inferred (its provenance,
which instruments/data/README.md explains). Readers need a citation they can follow:
"United Nations Treaty Collection, chapter XVIII-12, status as at 27 January 2014
(https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XVIII-12&chapter=18&clang=_en)":
the depositary's chapter, the date its table was as at, and its page. `citation` derives
one in the reader's language (its words through gettext, dates in the language's long form,
the depositary's page in French where the Treaty Collection has it, else in English), part
by part (the parts of a source are separated by "; "):
1. a part a rule below knows is rewritten into the citation it stands for;
2. a part that is a working note (an inference to verify, a pointer to a local file) is left
   out: it is not where the fact comes from;
3. anything else is kept, cleaned of repository hashes, file paths, "(text cut)" and
   "(stored copy ...)" remarks.
The recorded source is never changed; staff see it in the back office and the history. No
provenance note (a scrape, a repository, a stored copy, stripped text) reaches a citation.
"""

from collections.abc import Callable
from functools import lru_cache

from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.languages import ENGLISH, activation_code, public_code
from instruments.citation_rules import AS_AT, LEFTOVERS, NOTES, PREFIXES, REMARKS, RULES
from instruments.untc_citations import UNTC_NAMES, iso_day, long_day


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


def _part_citation(part: str) -> tuple[str, bool]:
    """A part's citation, and whether it is written in the reader's language (False: the
    note as recorded, in English)."""
    part = REMARKS.sub("", part)
    prefixed: Callable[[str], str] = str
    for pattern, with_prefix in PREFIXES:
        if pattern.match(part):
            prefixed = with_prefix
            part = pattern.sub("", part, count=1)
    for pattern, rewrite in RULES:
        found = pattern.fullmatch(part)
        if found:
            return prefixed(rewrite(found)), True
    if any(note.fullmatch(part) for note in NOTES):
        return "", True
    for leftover, cleaned in LEFTOVERS:
        part = leftover.sub(cleaned, part)
    part = part.strip()
    return (prefixed(part) if part else ""), False


def citation(source: str, language: str | None = None) -> str:
    """The citation a reader can use for a recorded source, in `language` (by default the
    active one; see the module docstring)."""
    return "; ".join(text for text, _translated in _citation(source, public_code(language)))


def citation_html(source: str, language: str | None = None) -> SafeString:
    """The same, escaped for a page, a part kept as recorded (in English) marked
    `lang="en"` on a page in another language."""
    language = public_code(language)
    parts = _citation(source, language)
    return mark_safe(  # every part is escaped here
        "; ".join(
            escape(text)
            if translated or language == "en"
            else format_html('<span lang="en">{}</span>', text)
            for text, translated in parts
        )
    )


# A status list cites the sources of hundreds of actions, most of them recorded from the
# same few tables: each text is worked out once per process and language.
@lru_cache(maxsize=8192)
def _citation(source: str, language: str) -> tuple[tuple[str, bool], ...]:
    with translation.override(activation_code(language)):
        as_at = AS_AT.search(source)
        if as_at:
            source = source[: as_at.start()]
        cited = [c for c in (_part_citation(part) for part in _parts(source)) if c[0]]
        if as_at and cited:
            day = long_day(iso_day(as_at["d"]))
            first, translated = cited[0]
            if day not in first:
                first = _("%(citation)s, as at %(date)s") % {"citation": first, "date": day}
            cited[0] = (first, translated)
        return tuple(cited)


def from_depositary(source: str, *, signature: bool = False) -> bool:
    """Whether a fact rests on the depositary: the part of its citation that gives it is the
    UN Treaty Collection's own page or table (not a copy on another site).

    A row's source serves its signature and its consent alike: the signature rests on the
    first part (the table it was read from); a consent on its "consent:" part when there is
    one (a later source for it), else on the first part. A fact resting on any other source
    (a national gazette or treaty database, a ministry's release, a newspaper) is weaker
    than the depositary's record, however good that source is."""
    parts = _parts(citation(source, ENGLISH))
    if not parts:
        return False
    giving = parts[0]
    if not signature:
        later = [p for p in parts if p.startswith(("consent: ", "date of consent: "))]
        if later:
            giving = later[0].split(": ", 1)[1]
    return giving.startswith(UNTC_NAMES) and "(copy at" not in giving
