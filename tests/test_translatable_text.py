"""Every word a reader sees in a template is marked for translation.

Each template is read as text (not rendered): comments and the translation tags are taken
out with what they translate, every other tag and expression becomes a blank, and what is
left is parsed as HTML. A text node, or a readable attribute (aria-label, title, alt,
placeholder, a button's value), that still holds a word is text nobody can translate.
Proper names and codes that read the same in every language are allowed.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIRS = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]
# The same in every language: the product, the organizations, the codes, the formats.
ALLOWED = {"UNTOC", "Tracker", "OSCE", "CSV", "XLSX", "API", "SPMU", "COP", "UN"}
READABLE_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder"}
# base.html's <head> (page title, description, feed titles) is set by the language
# infrastructure: the title and hreflang alternates, and the localized description there.
HEAD_EXEMPT = {"base.html"}

COMMENTS = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S)
BLOCKS = re.compile(r"\{%\s*blocktrans(?:late)?\b.*?%\}.*?\{%\s*endblocktrans(?:late)?\s*%\}", re.S)
TRANSLATE = re.compile(r"\{%\s*trans(?:late)?\s.*?%\}", re.S)
# A block that fills in a class name (body_class, bodyclass) holds no text.
CLASS_BLOCKS = re.compile(r"\{%\s*block\s+\w*class\s*%\}.*?\{%\s*endblock\s*%\}", re.S)
TAGS = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
WORD = re.compile(r"[^\W\d_]{2,}")


def untranslated_words(text: str) -> list[str]:
    """The words of `text` that are neither a path, an address nor an allowed name."""
    words = []
    for token in text.split():
        if token.startswith(("/", "http", "#")):
            continue
        words += [w for w in WORD.findall(token) if w not in ALLOWED]
    return words


class VisibleText(HTMLParser):
    """Collects what a reader sees: text nodes outside scripts and styles, and the readable
    attributes."""

    def __init__(self, skip_head: bool) -> None:
        super().__init__()
        self.skipping: list[str] = []
        self.skip = {"script", "style"} | ({"head"} if skip_head else set())
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.skip:
            self.skipping.append(tag)
        if self.skipping:
            return
        values = dict(attrs)
        for name, value in attrs:
            readable = name in READABLE_ATTRIBUTES or (
                tag == "input" and name == "value" and values.get("type") in {"submit", "button"}
            )
            if readable and value:
                self.found += untranslated_words(value)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.found += untranslated_words(data)


def untranslated(source: str, skip_head: bool = False) -> list[str]:
    """The words of a template's source that no translation tag covers."""
    for pattern in (COMMENTS, BLOCKS, TRANSLATE, CLASS_BLOCKS):
        source = pattern.sub("", source)
    parser = VisibleText(skip_head)
    parser.feed(TAGS.sub(" ", source))
    parser.close()
    return parser.found


def templates() -> list[Path]:
    return sorted(p for d in TEMPLATE_DIRS for p in d.rglob("*.html"))


def test_every_template_directory_is_scanned():
    names = {str(p.relative_to(ROOT)) for p in templates()}
    assert "templates/base.html" in names
    assert "reports/templates/admin/reports/complianceflag/change_list.html" in names
    assert len(names) > 30


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_template_has_no_untranslated_text(path):
    skip_head = path.name in HEAD_EXEMPT and path.parent == ROOT / "templates"
    assert untranslated(path.read_text(), skip_head) == []


def test_a_new_untranslated_word_is_found():
    source = (
        '{% load i18n %}<p>{% translate "Parties" %}: {{ n }}</p>'
        "<p>{% blocktranslate with d=day %}as at {{ d }}{% endblocktranslate %} OSCE, CSV</p>"
        '<a href="/states/AUT/" aria-label="{% translate "Home" %}">/states/AUT/</a>'
    )
    assert untranslated(source) == []
    assert untranslated(source.replace("OSCE, CSV", "OSCE, Signatories")) == ["Signatories"]
    assert untranslated('<button aria-label="Close">+</button>') == ["Close"]
    assert untranslated('<input type="submit" value="Save">') == ["Save"]
    assert untranslated('<input type="hidden" name="post" value="yes">') == []
    assert untranslated("{% block body_class %}report{% endblock %}<p>Report</p>") == ["Report"]
