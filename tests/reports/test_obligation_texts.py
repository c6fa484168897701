"""Obligations' title, description and time in the site's six languages."""

import csv
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from django.utils import translation

from core.glossary import glossary_problems
from reports import flag_rules, sweep
from reports.digest import digest_message
from reports.models import Obligation
from reports.obligation_texts import FIELDS, TEXTS_FILE, obligation_text, texts
from reports.standings import obligation_standings
from tests.apiclient import get_json
from tests.reports.conftest import state

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE_FILE = ROOT / "reports" / "data" / "obligations.csv"
LANGUAGES = ["fr", "de", "it", "ru", "es"]
CENTRAL_AUTHORITY = {
    "fr": "Autorité centrale pour l'entraide judiciaire",
    "de": "Zentrale Behörde für die Rechtshilfe",
    "it": "Autorità centrale per l'assistenza giudiziaria",
    "ru": "Центральный орган по вопросам взаимной правовой помощи",
    "es": "Autoridad central para la asistencia judicial recíproca",
}


def catalogue() -> dict[str, dict[str, str]]:
    with CATALOGUE_FILE.open(encoding="utf-8", newline="") as rows:
        return {row["code"]: row for row in csv.DictReader(rows)}


def test_every_obligation_has_its_texts_in_the_five_other_languages():
    missing = [
        (code, language, field)
        for code in catalogue()
        for language in LANGUAGES
        for field in FIELDS
        if not (texts().get((code, language)) or {}).get(field, "").strip()
    ]
    assert missing == []


def test_the_texts_file_names_only_catalogued_obligations_each_language_once():
    with TEXTS_FILE.open(encoding="utf-8", newline="") as rows:
        keys = [(row["code"], row["language"]) for row in csv.DictReader(rows)]
    assert len(keys) == len(set(keys))
    assert {code for code, _ in keys} == set(catalogue())
    assert {language for _, language in keys} == set(LANGUAGES)


def test_every_translation_uses_the_glossary_s_treaty_terms():
    english = catalogue()
    problems = {
        (code, language, field): found
        for (code, language), row in texts().items()
        for field in FIELDS
        if (found := glossary_problems(english[code][field], row[field], language))
    }
    assert problems == {}


def test_the_un_s_own_words_for_a_state_party_and_the_secretary_general():
    central = {language: texts()["untoc-18-13", language]["description"] for language in LANGUAGES}
    assert "État partie" in central["fr"]
    assert "Государство-участник" in central["ru"]
    assert "Vertragsstaat" in central["de"]
    assert "Stato parte" in central["it"]
    assert "Estado parte" in central["es"]
    assert "Secrétaire général" in central["fr"]
    assert "Генеральному секретарю" in central["ru"]


def test_english_is_the_recorded_text_and_an_unknown_code_falls_back_to_it():
    assert obligation_text("untoc-18-13", "title", "Recorded", "en") == "Recorded"
    assert obligation_text("untoc-99", "title", "Recorded", "fr") == "Recorded"
    assert obligation_text("untoc-18-13", "title", "Recorded", "fr") == CENTRAL_AUTHORITY["fr"]


# --- where obligations are shown ----------------------------------------------------------


pages = pytest.mark.usefixtures("real_data", "records_checked")


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return unescape(response.content.decode())


@pages
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compliance_page_shows_the_obligations_in_its_language(client, language):
    html = page(client, f"/{language}/compliance/?as_of=2010-01-01")
    assert f"UNTOC art. 18(13): {CENTRAL_AUTHORITY[language]}" in html
    assert "Central authority for mutual legal assistance" not in html
    described = texts()["untoc-18-14", language]["description"]
    assert described in html


@pages
def test_the_english_compliance_page_keeps_the_catalogue_s_text(client):
    html = page(client, "/compliance/?as_of=2010-01-01")
    assert "UNTOC art. 18(13): Central authority for mutual legal assistance" in html


@pages
def test_the_french_participant_page_and_osce_report_show_french_titles(client):
    participant = page(client, "/fr/states/DEU/?as_of=2010-01-01")
    assert f"UNTOC art. 18(13): {CENTRAL_AUTHORITY['fr']}" in participant
    report = page(client, "/fr/reports/osce-status/?as_of=2010-01-01")
    assert f"UNTOC art. 18(13): {CENTRAL_AUTHORITY['fr']}" in report
    assert "Central authority for mutual legal assistance" not in participant + report


@pages
def test_the_api_gives_the_obligations_in_the_language_asked(client):
    french = get_json(client, "obligations/untoc-18-13/", {"lang": "fr"})
    assert french["title"] == CENTRAL_AUTHORITY["fr"]
    assert french["description"] == texts()["untoc-18-13", "fr"]["description"]
    assert french["due_note"] == "lors du dépôt"
    english = get_json(client, "obligations/untoc-18-13/")
    assert english["title"] == "Central authority for mutual legal assistance"
    russian = get_json(client, "obligations/", {"lang": "ru"})["results"]
    assert {o["code"]: o["title"] for o in russian}["untoc-18-13"] == CENTRAL_AUTHORITY["ru"]


@pages
def test_the_digest_names_the_obligation_in_the_language_it_is_written_in():
    germany = state("DEU")
    standings = obligation_standings(as_of=date(2010, 1, 1), participant_ids=[germany.pk])
    central = Obligation.objects.get(code="untoc-18-13")
    flag = flag_rules.FlagState(due_on=date(2006, 6, 14), raised_on=date(2010, 1, 1))
    with translation.override("fr"):
        message = digest_message(standings, [((germany.pk, central.pk), flag)], date(2010, 1, 1))
    assert f"UNTOC art. 18(13) ({CENTRAL_AUTHORITY['fr']})" in message.body


@pages
def test_the_flags_name_their_obligation_in_the_language_asked(client):
    sweep.compliance_recheck(participant_ids=[state("DEU").pk], as_of=date(2010, 1, 1))
    flags = get_json(client, "flags/", {"lang": "fr", "state": "DEU", "as_of": "2010-01-01"})
    titles = {f["obligation"]: f["obligation_title"] for f in flags["results"]}
    assert titles
    assert all(titles[code] == texts()[code, "fr"]["title"] for code in titles)
