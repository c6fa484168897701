"""The six languages: every public page under each prefix, the switch that keeps the page and
its filters, the remembered choice, the API's `lang`, and a response cache that never hands
one language's answer to another."""

import re
from html import unescape
from urllib.parse import quote

import pytest
from django.conf import settings
from django.utils import translation

from instruments.models import Instrument
from states.models import Participant
from states.search import participant_find
from tests.apiclient import API

pytestmark = pytest.mark.usefixtures("real_data")

LANGUAGES = ["en", "fr", "de", "it", "ru", "es"]
PUBLIC_PAGES = [
    "/",
    "/status/?as_of=2007-06-30&instrument=tip",
    "/instruments/",
    "/instruments/tip/",
    "/states/",
    "/states/DEU/",
    "/search/?q=austr",
    "/map/",
    "/compliance/",
    "/reports/osce-status/?as_of=2007-06-30",
    "/data-quality/",
    "/changes/",
    "/alerts/subscribe/",
    "/authorities/",
    "/instruments/fir/",
    "/states/AUT/?as_of=2007-06-30",
]
GERMANY = {
    "en": "Germany",
    "fr": "Allemagne",
    "de": "Deutschland",
    "it": "Germania",
    "ru": "Германия",
    "es": "Alemania",
}


def prefixed(language: str, path: str) -> str:
    return path if language == "en" else f"/{language}{path}"


def html_of(response) -> str:
    assert response.status_code == 200, response.content[:1000]
    return unescape(response.content.decode())


def alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html))


@pytest.mark.parametrize("path", PUBLIC_PAGES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_answers_in_each_language_with_its_lang_and_alternates(
    client, language, path
):
    response = client.get(prefixed(language, path))
    html = html_of(response)
    assert re.search(rf'<html lang="{language}">', html)
    assert response["Content-Language"] == language
    links = alternates(html)
    assert set(links) == {*LANGUAGES, "x-default"}
    for code in LANGUAGES:
        assert links[code] == settings.SITE_URL + prefixed(code, path)
    assert links["x-default"] == settings.SITE_URL + path


def test_the_english_urls_are_the_urls_of_before_and_en_has_no_prefix(client):
    assert client.get("/status/").status_code == 200
    response = client.get("/en/status/?as_of=2007-06-30")
    assert response.status_code == 302
    assert response["Location"] == "/status/?as_of=2007-06-30"


def test_the_switch_keeps_the_view_and_its_filters_and_remembers_the_choice(client):
    html = html_of(client.get("/status/?as_of=2007-06-30&instrument=tip"))
    switch = re.search(r'<nav class="language-switch".*?</nav>', html, re.S).group(0)
    for name in ("Français", "Deutsch", "Italiano", "Русский", "Español"):
        assert name in switch
    assert 'aria-current="true">English<' in switch
    link = re.search(r'<a href="([^"]+)" hreflang="ru"', switch).group(1)
    assert link == "/language/ru/?next=" + quote(
        "/status/?as_of=2007-06-30&instrument=tip", safe=""
    )
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == "/ru/status/?as_of=2007-06-30&instrument=tip"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    # Remembered: an unprefixed page now sends the visitor to its Russian URL ...
    later = client.get("/states/DEU/?as_of=2007-06-30")
    assert later.status_code == 302
    assert later["Location"] == "/ru/states/DEU/?as_of=2007-06-30"
    assert "Cookie" in later["Vary"]
    assert "private" in later["Cache-Control"]
    # ... and choosing English again brings the unprefixed URLs back.
    back = client.get("/language/en/?next=" + quote("/ru/states/DEU/", safe=""))
    assert back["Location"] == "/states/DEU/"
    assert client.get("/states/DEU/").status_code == 200


def test_a_switch_to_a_page_off_the_site_goes_home_instead(client):
    for target in ("https://example.com/", "//example.com/status/", "javascript:alert(1)"):
        response = client.get("/language/fr/", {"next": target})
        assert response.status_code == 302
        assert response["Location"] == "/fr/"
    assert client.get("/language/xx/?next=/").status_code == 404


def test_the_remembered_choice_does_not_redirect_the_api_or_the_back_office(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert client.get(API + "states/DEU/").status_code == 200
    login = client.get("/admin/login/")
    assert login.status_code == 200
    assert 'lang="fr"' in login.content.decode()  # Django's own catalogue for the back office


def test_unprefixed_pages_say_they_vary_with_the_cookie(client):
    response = client.get("/status/")
    assert "Cookie" in response["Vary"]
    assert response["Content-Language"] == "en"


@pytest.mark.parametrize("language", LANGUAGES)
def test_participant_names_and_instrument_titles_follow_the_language(client, language):
    html = html_of(client.get(prefixed(language, "/states/DEU/")))
    assert f"<h1>{GERMANY[language]}</h1>" in html
    with translation.override(language):
        title = Participant.objects.get(iso3="DEU").local_name
    assert title == GERMANY[language]


# 30 June 2007 as each language writes it in full (CLDR's long date).
ON_THE_DAY = {
    "en": "30 June 2007",
    "fr": "30 juin 2007",
    "de": "30. Juni 2007",
    "it": "30 giugno 2007",
    "ru": "30 июня 2007",
    "es": "30 de junio de 2007",
}
# The instruments' short titles as the status pages show them.
SHORT_TITLES = {
    "fr": ["Protocole relatif à la traite des personnes", "Protocole relatif aux armes à feu"],
    "ru": ["Протокол о торговле людьми", "Протокол об огнестрельном оружии"],  # noqa: RUF001
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "path", [p for p in PUBLIC_PAGES if "as_of=2007-06-30" in p], ids=lambda p: p.split("?")[0]
)
def test_a_page_as_at_a_date_gives_the_date_as_its_language_writes_it(client, language, path):
    html = html_of(client.get(prefixed(language, path)))
    assert ON_THE_DAY[language] in html
    for other, written in ON_THE_DAY.items():
        if other != language and written not in ON_THE_DAY[language]:
            assert written not in html, (other, written)


@pytest.mark.parametrize("language", ["fr", "ru"])
@pytest.mark.parametrize("path", ["/instruments/", "/status/", "/reports/osce-status/"])
def test_the_instrument_titles_on_the_lists_are_the_language_s(client, language, path):
    html = html_of(client.get(prefixed(language, path)))
    with translation.override(language):
        instruments = list(Instrument.objects.all())
        if path == "/instruments/":  # the full titles of the texts
            shown = [str(i.local_title) for i in instruments]
        else:
            shown = [str(i.local_short_title) for i in instruments]
            assert all(title in shown for title in SHORT_TITLES[language])
    assert all(title in html for title in shown), shown
    assert "Trafficking in Persons Protocol" not in html


def test_instrument_titles_are_those_of_the_texts(client):
    html = html_of(client.get("/ru/instruments/untoc/"))
    assert (
        "Конвенция Организации Объединенных Наций против транснациональной организованной "
        "преступности" in html
    )
    html = html_of(client.get("/de/instruments/som/"))
    assert "Zusatzprotokoll gegen die Schleusung von Migranten" in html
    html = html_of(client.get("/instruments/untoc/"))
    assert "<h1>United Nations Convention against Transnational Organized Crime</h1>" in html


def test_the_european_union_and_the_holy_see_keep_their_names(client):
    with translation.override("fr"):
        assert Participant.objects.get(iso3="EUU").local_name == "Union européenne"
        assert Participant.objects.get(iso3="VAT").local_name == "Saint-Siège"
    with translation.override("de"):
        assert Participant.objects.get(iso3="VAT").local_name == "Heiliger Stuhl"


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_finds_a_participant_by_its_name_in_each_language(client, language):
    found = participant_find(GERMANY[language].upper())
    assert found.exact is not None
    assert found.exact.iso3 == "DEU"
    response = client.get(prefixed(language, "/search/"), {"q": GERMANY[language].lower()})
    assert response.status_code == 302
    assert response["Location"] == prefixed(language, "/states/DEU/")


def test_search_folds_accents_in_other_languages_too():
    assert participant_find("etats-unis d amerique").exact.iso3 == "USA"
    assert participant_find("Российская федерация").exact.iso3 == "RUS"


def test_the_citation_links_to_the_page_in_its_language(client):
    html = html_of(client.get("/fr/status/?as_of=2007-06-30"))
    permalink = re.search(r'class="permalink" href="([^"]+)"', html).group(1)
    assert permalink.startswith(settings.SITE_URL + "/fr/status/?")


def test_the_feed_page_and_the_error_pages_carry_the_language(client):
    feed = client.get("/ru/feeds/actions/", HTTP_ACCEPT="text/html")
    assert '<html lang="ru">' in feed.content.decode()
    missing = client.get("/es/no-such-page/")
    assert missing.status_code == 404
    assert '<html lang="es">' in missing.content.decode()


# --- The API --------------------------------------------------------------------------------


def test_the_api_names_a_participant_in_the_language_asked_for(client):
    english = client.get(API + "states/DEU/")
    assert english.json()["name"] == "Germany"
    assert english["Content-Language"] == "en"
    russian = client.get(API + "states/DEU/?lang=ru")
    assert russian.json()["name"] == "Германия"
    assert russian.json()["iso3"] == "DEU"  # codes and field names stay English
    assert russian["Content-Language"] == "ru"
    assert "Accept-Language" in russian["Vary"]
    french = client.get(API + "states/DEU/", HTTP_ACCEPT_LANGUAGE="fr-CH, de;q=0.5")
    assert french.json()["name"] == "Allemagne"
    assert french["Content-Language"] == "fr"
    # The query wins over the header.
    spanish = client.get(API + "states/DEU/?lang=es", HTTP_ACCEPT_LANGUAGE="fr")
    assert spanish.json()["name"] == "Alemania"


def test_the_api_gives_instrument_titles_and_status_names_in_the_language(client):
    instruments = client.get(API + "instruments/?lang=es").json()
    titles = {i["code"]: i["title"] for i in instruments["results"]}
    assert titles["untoc"] == (
        "Convención de las Naciones Unidas contra la Delincuencia Organizada Transnacional"
    )
    status = client.get(API + "status/?lang=it&state=DEU&instrument=untoc").json()
    assert {row["state_name"] for row in status["results"]} == {"Germania"}


def test_an_unknown_language_is_refused_naming_the_parameter_and_the_choices(client):
    response = client.get(API + "states/?lang=xx")
    assert response.status_code == 400
    (problem,) = response.json()["errors"]
    assert problem["field"] == "lang"
    assert "en, fr, de, it, ru, es" in problem["message"]


def test_the_schema_documents_the_lang_parameter(client):
    schema = client.get("/api/schema/?format=json").json()
    parameters = schema["paths"]["/api/v1/states/"]["get"]["parameters"]
    (lang,) = [p for p in parameters if p["name"] == "lang"]
    assert sorted(lang["schema"]["enum"]) == sorted(LANGUAGES)


# --- The response cache ---------------------------------------------------------------------


def test_the_cache_keeps_one_answer_per_language_for_pages(client):
    english = html_of(client.get("/states/DEU/"))
    russian = html_of(client.get("/ru/states/DEU/"))
    assert "<h1>Germany</h1>" in english
    assert "<h1>Германия</h1>" in russian
    assert "<h1>Germany</h1>" in html_of(client.get("/states/DEU/"))
    assert "<h1>Германия</h1>" in html_of(client.get("/ru/states/DEU/"))


def test_the_cache_keeps_one_answer_per_language_for_the_api(client, django_assert_num_queries):
    assert client.get(API + "states/DEU/", HTTP_ACCEPT_LANGUAGE="fr").json()["name"] == "Allemagne"
    with django_assert_num_queries(1):  # the revision: the French answer from the cache
        again = client.get(API + "states/DEU/", HTTP_ACCEPT_LANGUAGE="fr")
    assert again.json()["name"] == "Allemagne"
    assert again["Content-Language"] == "fr"
    german = client.get(API + "states/DEU/", HTTP_ACCEPT_LANGUAGE="de")
    assert german.json()["name"] == "Deutschland"
    assert client.get(API + "states/DEU/").json()["name"] == "Germany"


def test_the_table_downloads_speak_the_language_of_the_page(client):
    response = client.get("/de/status/table.csv?as_of=2007-06-30&state=DEU")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    # The headings are the catalogue's, in German (the first is the participant's).
    with translation.override("de"):
        participant = translation.gettext("Participant")
    assert participant == "Teilnehmer"
    assert f"\r\n{participant}," in text
    assert "Deutschland,DEU," in text
    assert settings.SITE_URL + "/de/status/?" in text  # the permalink, in its language
    english = client.get("/status/table.csv?as_of=2007-06-30&state=DEU").content.decode("utf-8-sig")
    assert "Participant,Code,Convention — Signature" in english
