"""Lists by name follow the name shown, sorted as its language sorts; English keeps its
order, and the API its English order."""

import re
from html import unescape

import pytest

from states.collation import by_local_name
from tests.apiclient import API


def test_accented_and_cyrillic_names_sort_with_their_letters():
    assert by_local_name(
        ["Zypern", "Österreich", "Oman", "Ägypten", "Algerien"], str, language="de"
    ) == [
        "Ägypten",
        "Algerien",
        "Oman",
        "Österreich",
        "Zypern",
    ]
    french = ["Estonie", "Égypte", "Espagne", "Équateur", "Émirats arabes unis", "Érythrée"]
    assert by_local_name(french, str, language="fr") == [
        "Égypte",
        "Émirats arabes unis",
        "Équateur",
        "Érythrée",
        "Espagne",
        "Estonie",
    ]
    assert by_local_name(["Япония", "Австрия", "Египет", "Германия"], str, language="ru") == [
        "Австрия",
        "Германия",
        "Египет",
        "Япония",
    ]


def test_english_keeps_the_order_given():
    assert by_local_name(["b", "a"], str, language="en") == ["b", "a"]


def names_listed(html: str) -> list[str]:
    return [
        unescape(n)
        for n in re.findall(r'<a href="/[a-z/]*states/[A-Z]{3}/(?:\?[^"]*)?">([^<]+)</a>', html)
    ]


@pytest.mark.usefixtures("real_data")
@pytest.mark.parametrize(
    ("language", "before", "after"),
    [
        ("fr", "Estonie", "États-Unis"),  # "United States" would come after the Z
        ("fr", "États-Unis", "Finlande"),
        ("de", "Österreich", "Polen"),  # "Austria" would come first
        ("de", "Norwegen", "Österreich"),
        ("ru", "Австрия", "Германия"),
        ("es", "Estados Unidos", "Finlandia"),
    ],
)
def test_the_states_page_lists_by_the_name_shown(client, language, before, after):
    html = client.get(f"/{language}/states/").content.decode()
    names = names_listed(html)
    first = next(i for i, name in enumerate(names) if name.startswith(before))
    second = next(i for i, name in enumerate(names) if name.startswith(after))
    assert first < second, names


@pytest.mark.usefixtures("real_data")
def test_the_status_page_and_its_download_follow_the_names_shown(client):
    page = client.get("/de/status/?osce_role=osce").content.decode()
    names = names_listed(page)
    assert names == by_local_name(names, str, language="de")
    assert names.index("Österreich") < names.index("Polen")
    sheet = client.get("/de/status/table.csv?osce_role=osce").content.decode("utf-8-sig")
    rows = [line.split(",")[0] for line in sheet.splitlines() if re.search(r",[A-Z]{3},", line)]
    assert rows == names


@pytest.mark.usefixtures("real_data")
def test_english_pages_and_the_api_keep_the_english_order(client):
    english = names_listed(client.get("/states/").content.decode())
    assert english.index("Austria") < english.index("Germany") < english.index("Greece")

    def codes(language):
        rows = client.get(API + f"states/?lang={language}&page_size=500").json()["results"]
        return [row["iso3"] for row in rows]

    assert codes("fr") == codes("en")
