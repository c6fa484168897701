"""The directory of competent authorities on /authorities/, in authorities/ and on a
participant's page: the public read the name, languages, dates and source; signed-in staff
and focal points the contact details too; the page and the API give one answer, or one 400;
and the response cache never holds an answer with contact details."""

from datetime import date
from urllib.parse import parse_qsl

import pytest
from django.contrib.auth import get_user_model

from reports.authorities import may_see_contacts
from reports.authority_services import designation_record
from tests.apiclient import API, all_results, token_headers
from tests.reports.conftest import obligation, state

pytestmark = pytest.mark.usefixtures("real_data")

SECRET = ("Head of Division IV 4", "Museumstrasse 7", "+43 1 52152", "mla@example.org")


@pytest.fixture
def designations():
    austria = designation_record(
        None,
        participant=state("AUT"),
        obligation=obligation("untoc-18-13"),
        authority_name="Federal Ministry of Justice",
        contact_person=SECRET[0],
        postal_address=SECRET[1],
        phone=SECRET[2],
        email=SECRET[3],
        notified_on=date(2004, 9, 23),
        source="Note verbale of 23 Sep 2004 (test)",
    )
    poland = designation_record(
        None,
        participant=state("POL"),
        obligation=obligation("untoc-18-14"),
        languages="Polish and English",
        notified_on=date(2001, 11, 12),
        since=date(2001, 11, 12),
        source="Dz.U. 2005 nr 18 poz. 159",
    )
    norway = designation_record(
        None,
        participant=state("NOR"),
        obligation=obligation("fir-13-2"),
        authority_name="National Criminal Investigation Service",
        source="test source",
    )
    return austria, poland, norway


def page(client, query: str = "") -> str:
    response = client.get(f"/authorities/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_public_reads_names_languages_dates_and_sources_but_no_contact(client, designations):
    html = page(client)
    assert "Federal Ministry of Justice" in html
    assert "Polish and English" in html
    assert "notified 23 Sep 2004" in html or "notified 23 September 2004" in html
    assert all(secret not in html for secret in SECRET)
    rows = all_results(client, "authorities/")
    (austria,) = [r for r in rows if r["state"] == "AUT"]
    assert austria["authority_name"] == "Federal Ministry of Justice"
    assert austria["notified_on"] == "2004-09-23"
    assert not {"contact_person", "postal_address", "phone", "email"} & set(austria)


def test_staff_read_the_contact_details_on_the_page_and_in_the_api(client, viewer, designations):
    client.force_login(viewer)
    html = page(client)
    assert all(secret in html for secret in SECRET)
    rows = all_results(client, "authorities/")
    (austria,) = [r for r in rows if r["state"] == "AUT"]
    assert austria["email"] == "mla@example.org"
    detail = client.get(f"{API}authorities/{designations[0].pk}/").json()
    assert detail["contact_person"] == SECRET[0]


def test_a_token_client_reads_contacts_only_with_the_right(client, viewer, designations):
    staff = client.get(f"{API}authorities/", **token_headers(viewer)).json()["results"]
    assert any(r.get("email") == "mla@example.org" for r in staff)
    user = get_user_model().objects.create_user("someone", password="a-long-test-password")
    plain = client.get(f"{API}authorities/", **token_headers(user)).json()["results"]
    assert plain
    assert all("email" not in r for r in plain)


def test_a_focal_point_may_see_contacts_and_a_plain_user_may_not(db, editor):
    from focal.models import FocalPoint
    from states.models import Participant

    user = get_user_model().objects.create_user("focal", password="a-long-test-password")
    assert not may_see_contacts(user)
    focal_point = FocalPoint.objects.create(
        user=user, participant=Participant.objects.get(iso3="AUT"), invited_by=editor
    )
    user = get_user_model().objects.get(pk=user.pk)
    assert may_see_contacts(user)
    focal_point.active = False
    focal_point.save()
    user = get_user_model().objects.get(pk=user.pk)
    assert not may_see_contacts(user)
    assert not may_see_contacts(None)


def test_an_anonymous_page_kept_in_the_cache_never_holds_contacts_and_a_staff_page_is_not_kept(
    client, viewer, designations, django_assert_num_queries
):
    public = page(client)
    with django_assert_num_queries(1):  # the revision: served from the cache
        again = client.get("/authorities/")
    assert again.content.decode() == public
    assert all(secret not in public for secret in SECRET)
    client.force_login(viewer)
    staff = page(client)
    assert all(secret in staff for secret in SECRET)
    client.logout()
    assert all(secret not in page(client) for secret in SECRET)
    api = client.get(f"{API}authorities/")
    assert all(secret not in api.content.decode() for secret in SECRET)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?obligation=untoc-18-14", {"POL"}),
        ("?instrument=fir", {"NOR"}),
        ("?state=AUT,NOR", {"AUT", "NOR"}),
        ("?osce_role=any&state=POL", {"POL"}),
        ("?osce_role=partner", set()),
    ],
)
def test_the_page_and_the_api_filter_alike(client, designations, query, expected):
    rows = all_results(client, "authorities/", dict(parse_qsl(query[1:])))
    assert {r["state"] for r in rows} == expected
    html = page(client, query)
    for iso3 in {"AUT", "POL", "NOR"}:
        assert (f'<span class="code">{iso3}</span>' in html) == (iso3 in expected)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?obligation=untoc-5-3", "obligation"),
        ("?osce_role=xyz", "osce_role"),
        ("?state=ZZZ", "state"),
        ("?ordering=colour", "ordering"),
        ("?currency=maybe", "currency"),
    ],
)
def test_a_bad_parameter_is_the_same_400_on_the_page_and_in_the_api(client, query, field):
    api = client.get(f"{API}authorities/{query}")
    assert api.status_code == 400
    problems = api.json()["errors"] if "errors" in api.json() else api.json()
    assert field in str(problems)
    html = client.get(f"/authorities/{query}")
    assert html.status_code == 400
    assert field in html.content.decode()


def test_the_directory_sorts_by_its_columns(client, designations):
    rows = all_results(client, "authorities/", {"ordering": "-state"})
    assert [r["state"] for r in rows] == ["POL", "NOR", "AUT"]
    html = page(client, "?ordering=-state")
    assert html.index("Poland") < html.index("Norway") < html.index("Austria")
    assert 'aria-sort="descending"' in html


def test_the_directory_sorts_by_the_names_shown_in_the_language_of_the_page(client, designations):
    html = client.get("/de/authorities/?ordering=state").content.decode()
    assert html.index("Norwegen") < html.index("Österreich") < html.index("Polen")
    html = client.get("/de/authorities/?ordering=-state").content.decode()
    assert html.index("Polen") < html.index("Österreich") < html.index("Norwegen")
    # The API keeps its order by the English name, whatever the language asked for.
    rows = all_results(client, "authorities/", {"ordering": "state", "lang": "de"})
    assert [r["state"] for r in rows] == ["AUT", "NOR", "POL"]


def test_the_csv_download_leaves_the_contacts_out_for_the_public(client, designations):
    response = client.get(f"{API}authorities/?format=csv")
    assert response.status_code == 200
    text = response.content.decode()
    assert "authority_name" in text
    assert "Federal Ministry of Justice" in text
    assert "email" not in text.splitlines()[0]
    assert all(secret not in text for secret in SECRET)


def test_superseded_designations_are_listed_when_asked_for(client, designations):
    designation_record(
        None,
        participant=state("AUT"),
        obligation=obligation("untoc-18-13"),
        authority_name="Ministry of Justice",
        source="test",
    )
    current = all_results(client, "authorities/", {"state": "AUT"})
    assert [r["authority_name"] for r in current] == ["Ministry of Justice"]
    old = all_results(client, "authorities/", {"state": "AUT", "currency": "superseded"})
    assert [(r["authority_name"], r["in_effect"]) for r in old] == [
        ("Federal Ministry of Justice", False)
    ]


def test_the_participant_page_lists_its_designations_with_the_same_split(
    client, viewer, designations
):
    html = client.get("/states/AUT/").content.decode()
    assert "Competent authorities" in html
    assert "Federal Ministry of Justice" in html
    assert all(secret not in html for secret in SECRET)
    client.force_login(viewer)
    html = client.get("/states/AUT/").content.decode()
    assert all(secret in html for secret in SECRET)
