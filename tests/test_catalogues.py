"""The five message catalogues beside English (locale/<code>/LC_MESSAGES/django.po).

Each is complete (no message without a translation, none fuzzy), keeps every placeholder of
its English message, uses the glossary's treaty terms (locale/glossary.csv), and is current:
making the catalogues again from the code (README, "Languages") adds no message to it.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from django.conf import settings

from core.glossary import glossary_problems

ROOT = Path(settings.BASE_DIR)
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
# What `makemessages` reads besides the apps (README, "Languages"): never tests or benchmarks.
IGNORED = (".venv", ".git", "tests", "bench", "staticfiles", "private", "node_modules")


def catalogue(language: str, root: Path = ROOT) -> Catalog:
    path = root / "locale" / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as po:
        return read_po(po, locale=language)


def messages(language: str, root: Path = ROOT) -> list[Message]:
    return [m for m in catalogue(language, root) if m.id]


def english(message: Message) -> str:
    return message.id if isinstance(message.id, str) else " ".join(message.id)


def translations(message: Message) -> list[str]:
    return [message.string] if isinstance(message.string, str) else list(message.string)


def test_every_language_but_english_has_its_catalogue():
    assert LANGUAGES == ["fr", "de", "it", "ru", "es"]
    for language in LANGUAGES:
        assert len(messages(language)) > 500, language


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    untranslated = [english(m) for m in messages(language) if not all(translations(m))]
    fuzzy = [english(m) for m in messages(language) if m.fuzzy]
    assert untranslated == []
    assert fuzzy == []
    assert not catalogue(language).fuzzy, "the catalogue's header is marked fuzzy"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translation_keeps_the_placeholders_of_its_message(language):
    problems = [(english(m), [str(e) for e in errors]) for m, errors in catalogue(language).check()]
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translation_uses_the_glossary_s_treaty_terms(language):
    problems = [
        (english(m), problem)
        for m in messages(language)
        for translated in translations(m)
        for problem in glossary_problems(english(m), translated, language)
    ]
    assert problems == []


def test_a_catalogue_missing_a_translation_or_a_placeholder_is_caught(tmp_path):
    """The checks above can fail: a message left empty, one marked fuzzy, one that lost its
    placeholder."""
    po = tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Parties"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Signature"\nmsgstr "Signature"\n\n'
        '#, python-format\nmsgid "as at %(date)s"\nmsgstr "au %(jour)s"\n',
        encoding="utf-8",
    )
    found = messages("fr", tmp_path)
    assert [english(m) for m in found if not all(translations(m))] == ["Parties"]
    assert [english(m) for m in found if m.fuzzy] == ["Signature"]
    assert [english(m) for m, _errors in catalogue("fr", tmp_path).check()] == ["as at %(date)s"]


@pytest.mark.slow
def test_the_catalogues_hold_every_message_the_code_marks(tmp_path):
    """makemessages on a copy of the code: a message marked in a template or in Python and
    missing from a catalogue would show in English on that language's pages."""
    if not shutil.which("xgettext"):
        pytest.fail("GNU gettext (xgettext) is needed to make catalogues: apt-get install gettext")
    copy = tmp_path / "tracker"
    shutil.copytree(
        ROOT, copy, ignore=shutil.ignore_patterns(*IGNORED, "*.mo", "*.sqlite3", "__pycache__")
    )
    command = [sys.executable, "manage.py", "makemessages", "--no-obsolete"]
    command += [f"--locale={language}" for language in LANGUAGES]
    command += [f"--ignore={name}/*" for name in IGNORED]
    subprocess.run(command, cwd=copy, check=True, capture_output=True, timeout=300)
    for language in LANGUAGES:
        shipped = {(m.context, english(m)) for m in messages(language)}
        made = {(m.context, english(m)) for m in messages(language, copy)}
        assert sorted(made - shipped, key=str) == [], (
            f"{language}: marked in the code, not in the catalogue"
        )
        assert sorted(shipped - made, key=str) == [], (
            f"{language}: in the catalogue, no longer in the code"
        )
