"""No English of the interface left on a page in another language.

Each public page (those test_languages walks) is rendered in French, German, Italian, Russian
and Spanish; what a reader sees or hears of it (its text, and the labels, titles and alt texts
of its elements) is searched for the English interface's phrases: the English of the French
catalogue's messages whose translation differs, their phrases of two words or more and their
one-word messages of five letters or more, less those the language itself writes the same.

Not searched: elements marked lang="en" (data recorded in English only: summaries, sources,
notes), scripts and styles, the participants' names in any language, the instruments'
abbreviations, codes, numbers and URLs.
"""

import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from bs4.element import Comment, Tag

# The site as a server starts it: every module imported (in English) before a request.
import untoc_tracker.urls  # noqa: F401
from instruments.models import Instrument
from states.models import Participant, ParticipantAlias
from states.names import names_in_every_language
from tests.core.test_languages import PUBLIC_PAGES, prefixed

LOCALE = Path(__file__).resolve().parents[2] / "locale"
OTHER_LANGUAGES = ["fr", "de", "it", "ru", "es"]
# Attributes a reader hears or sees as text.
SPOKEN_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder", "aria-description")
ABBREVIATIONS = ("UNTOC", "TIP", "SOM", "FIR", "COP", "OSCE", "UNODC", "ISO", "CSV", "XLSX")
PLACEHOLDER = re.compile(r"%\([^)]*\)[sd]|%[sd]|\{\{[^}]*\}\}|\{[^}]*\}|<[^>]+>|&[a-z]+;")
# A fragment of a message ends where a placeholder, a tag or a sentence mark cuts it.
FRAGMENT_BREAK = re.compile(r"[.;:!?()\[\]\"\u201c\u201d«»\u2014\u2013/…]|, |\s-\s|\n")
WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")


def catalogue(language: str):
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        return read_po(po, locale=language)


def _texts(value) -> list[str]:
    if isinstance(value, (tuple, list)):
        return [v for v in value if v]
    return [value] if value else []


@cache
def english_phrases() -> frozenset[str]:
    """The English interface's phrases: of each message whose French differs from it."""
    found: set[str] = set()
    for message in catalogue("fr"):
        if not message.id:
            continue
        english = _texts(message.id)
        translated = _texts(message.string)
        if not translated or english == translated:
            continue
        for text in english:
            words = WORD.findall(PLACEHOLDER.sub(" ", text))
            if len(words) == 1 and len(words[0]) >= 5:
                found.add(words[0])
                continue
            for fragment in FRAGMENT_BREAK.split(PLACEHOLDER.sub("\n", text)):
                fragment_words = WORD.findall(fragment)
                if len(fragment_words) >= 2 and sum(map(len, fragment_words)) >= 8:
                    found.add(" ".join(fragment_words))
    return frozenset(found)


@cache
def phrases_for(language: str) -> frozenset[str]:
    """The English phrases, less those the language writes the same (in its catalogue)."""
    written = " ".join(
        " ".join(WORD.findall(PLACEHOLDER.sub(" ", text)))
        for message in catalogue(language)
        for text in _texts(message.string)
    ).casefold()
    return frozenset(
        phrase
        for phrase in english_phrases()
        if not re.search(rf"(?<!\w){re.escape(phrase.casefold())}(?!\w)", written)
    )


def proper_names() -> list[str]:
    """Every name of a participant and every title of an instrument, longest first."""
    names: set[str] = set()
    for participant in Participant.objects.all():
        names |= names_in_every_language(participant.iso3, participant.name)
        names |= {participant.name, participant.short_name}
    names |= set(ParticipantAlias.objects.values_list("name", flat=True))
    for instrument in Instrument.objects.all():
        names |= {instrument.title, instrument.short_title}
    return sorted((n for n in names if n), key=len, reverse=True)


def heard_text(html: str, names: list[str]) -> str:
    """What a reader of the page sees or hears, less English data and proper names."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(["script", "style", "template"]):
        element.decompose()
    for element in soup.find_all(lambda tag: str(tag.get("lang", "")).lower().startswith("en")):
        element.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    parts = [soup.get_text(" ")]
    for element in soup.find_all(True):
        assert isinstance(element, Tag)
        parts += [str(element.get(a)) for a in SPOKEN_ATTRIBUTES if element.get(a)]
    text = " \n ".join(parts)
    text = re.sub(r"https?://\S+|/[\w/.?=&%-]+", " ", text)  # URLs and paths
    for name in names:
        text = text.replace(name, " ")
    text = re.sub(rf"\b(?:{'|'.join(ABBREVIATIONS)})\b", " ", text)
    text = re.sub(r"\b[A-Z]{2,3}\b|\d+", " ", text)  # codes and numbers
    return re.sub(r"\s+", " ", text)


def english_found(html: str, language: str, names: list[str]) -> list[str]:
    """The English phrases the page shows, each with a little of its context."""
    text = heard_text(html, names)
    found = []
    for phrase in sorted(phrases_for(language)):
        match = re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE)
        if match:
            start, end = max(match.start() - 40, 0), match.end() + 40
            found.append(f"{phrase!r} in …{text[start:end]}…")
    return found


def page_cases() -> list:
    return [
        pytest.param(language, path, id=f"{language}:{path}")
        for language in OTHER_LANGUAGES
        for path in PUBLIC_PAGES
    ]


@pytest.mark.usefixtures("real_data")
@pytest.mark.parametrize(("language", "path"), page_cases())
def test_no_english_of_the_interface_on_a_page_in_another_language(client, language, path):
    response = client.get(prefixed(language, path))
    assert response.status_code == 200
    found = english_found(response.content.decode(), language, proper_names())
    assert not found, f"English on {prefixed(language, path)}:\n" + "\n".join(found)


def test_the_scan_finds_an_english_phrase_and_skips_what_is_marked_english():
    phrases = phrases_for("fr")
    assert "Participant" not in phrases  # French writes it the same
    assert "Sorted by" in phrases
    html = (
        '<html lang="fr"><body><h1>État des ratifications</h1>'
        "<p>Trié par nom</p>{injected}"
        '<p lang="en">Sorted by the depositary, a summary in English.</p>'
        "<script>const label = 'Sorted by';</script></body></html>"
    )
    assert english_found(html.format(injected=""), "fr", []) == []
    found = english_found(html.format(injected="<p>Sorted by name</p>"), "fr", [])
    assert any(line.startswith("'Sorted by'") for line in found), found
    labelled = html.format(injected='<a href="/fr/" aria-label="Download the table">x</a>')
    assert english_found(labelled, "fr", [])


def test_the_english_filter_marks_and_escapes_data_inside_a_translated_sentence():
    from django.template import Context, Template
    from django.utils import translation

    template = Template(
        "{% load i18n languages %}"
        "{% blocktranslate with source=source|english trimmed %}Source: {{ source }}"
        "{% endblocktranslate %}|{{ empty|english }}"
    )
    with translation.override("fr"):
        html = template.render(Context({"source": "Note <b>verbale</b>", "empty": ""}))
    assert html.endswith('<span lang="en">Note &lt;b&gt;verbale&lt;/b&gt;</span>|')
    assert english_found(f"<p>{html}</p>", "fr", []) == []
