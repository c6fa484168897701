"""Page and API read one declaration per list, so the same parameters get the same answer or
the same 400 (the same parameter, rule and message) from both, with the same defaults.

Every filter of every list's FilterSet is walked with good values, bad values, dates out of
range, and absent (the default): a filter added to a FilterSet without values here fails
test_every_filter_of_every_list_is_walked.
"""

from dataclasses import asdict
from datetime import timedelta

import pytest
from django.utils import timezone

from alerts.feeds import FEED_LENGTH as CHANGE_FEED_LENGTH
from alerts.filters import ChangeFilterSet
from instruments.feeds import FEED_LENGTH
from instruments.filters import (
    ActionFeedFilterSet,
    AsOfFilterSet,
    InstrumentTableFilterSet,
    StatusFilterSet,
)
from reports.filters import ComplianceFilterSet, FlagFilterSet

pytestmark = pytest.mark.usefixtures("real_data")

TOMORROW = (timezone.localdate() + timedelta(days=1)).isoformat()

# For each parameter: values that must be read alike, good and bad. None: not given.
VALUES: dict[str, list[str | list[str] | None]] = {
    "as_of": [
        None,
        "",
        "2007-06-30",
        "2001-06-01",  # after the Convention's adoption, before the Firearms Protocol's
        "garbage",
        "2007-02-30",
        "2999-01-01",
        TOMORROW,
        "1999-12-31",  # before the Convention was adopted
        ["2007-06-30", "2008-06-30"],
        "2007-06-30\x00",
    ],
    "osce_role": [None, "", "participating", "partner_asian", "any", "none", "xyz"],
    "instrument": [None, "tip", "untoc,som", "FIR", ["som", "tip"], "abc", "untoc,abc", "12!"],
    "state": [None, "DEU", "aut,deu", "BRA", "XYZ", "AUT,12"],
    "ordering": [
        None,
        "-consent_date",
        "entry_into_force",
        "size",
        ["name", "-name"],
        "status",
        "-status:som",  # a column heading's order
        "consent_date:fir",
        "status:xyz",
    ],
    "status": [
        None,
        "party",
        "party_in_force,signatory",
        "none",
        "denounced",
        "not_party",
        ["signatory", "none"],
        "PARTY",
        "bogus",
        "party,12!",
    ],
    "view": [None, "detailed", "compact", "wide"],
    "obligation": [None, "untoc-18-13", "untoc-18-13,untoc-cop-2007", "nope", "18(13)"],
    "bucket": [None, "over_5_years", "under_1_year", "ancient"],
    "kind": [None, "action_recorded", "entry_into_force,action_changed", "nonsense"],
    "since": [None, "0", "5", "-1", "abc", "99999999999999999999"],
}

# Parameters given together, for the rules across them.
COMBINATIONS = [
    {"instrument": "fir", "as_of": "2001-01-01"},  # before the Firearms Protocol's adoption
    {"instrument": "untoc,fir", "as_of": "2001-01-01"},  # the Convention existed then
    {"osce_role": "any", "state": "BRA", "as_of": "2010-01-01"},
    {"osce_role": "participating", "state": "BRA"},  # Brazil is not in the group: no rows
    # The participating States not party to the Smuggling of Migrants Protocol.
    {"osce_role": "participating", "instrument": "som", "status": "not_party"},
    {"instrument": "untoc,fir", "status": "signatory", "ordering": "-status:fir"},
]


def cases(filterset: type, fixed: dict | None = None) -> list[dict]:
    """One query per value of each filter, then the combinations that fit the FilterSet."""
    queries = [{}]
    for name in filterset.base_filters:
        queries += [{name: v} for v in VALUES[name] if v is not None]
    queries += [c for c in COMBINATIONS if set(c) <= set(filterset.base_filters)]
    return [{**q, **(fixed or {})} for q in queries]


def page_get(client, path: str, query: dict):
    response = client.get(path, query)
    assert response.status_code in (200, 400), (path, query, response.status_code)
    return response


def api_get(client, path: str, query: dict):
    response = client.get("/api/v1/" + path, {**query, "page_size": 1000})
    assert response.status_code in (200, 400), (path, query, response.content[:300])
    return response


def page_problems(response) -> list[dict]:
    return [asdict(p) for p in response.context["problems"]]


def assert_same_refusal(page, api, query) -> None:
    assert page.status_code == api.status_code, (query, page.status_code, api.content[:300])
    if api.status_code == 400:
        assert page_problems(page) == api.json()["errors"], query
        assert all(p["field"] for p in api.json()["errors"]), query


def status_cells(rows) -> list[tuple[str, str, str]]:
    return [(p.iso3, i.code, s.status) for p, cells in rows for i, s in cells]


def api_cells(results: list[dict]) -> list[tuple[str, str, str]]:
    return [(r["state"], r["instrument"], r["status"]) for r in results]


def completeness(instruments, as_of) -> list[tuple[str, str]]:
    return [(i.code, i.status_complete_to.isoformat()) for i in instruments]


def test_every_filter_of_every_list_is_walked():
    for filterset in (
        StatusFilterSet,
        InstrumentTableFilterSet,
        AsOfFilterSet,
        ActionFeedFilterSet,
        ComplianceFilterSet,
        ChangeFilterSet,
    ):
        assert set(filterset.base_filters) <= set(VALUES), filterset.__name__


@pytest.mark.parametrize("query", cases(StatusFilterSet), ids=str)
def test_the_status_page_and_status_api_agree(client, query):
    page = page_get(client, "/status/", query)
    api = api_get(client, "status/", query)
    assert_same_refusal(page, api, query)
    if api.status_code == 200:
        answer = api.json()
        assert page.context["filters"]["as_of"].isoformat() == answer["as_of"]
        assert status_cells(page.context["rows"]) == api_cells(answer["results"])
        assert [(i["code"], i["status_complete_to"]) for i in answer["instruments"]] == (
            completeness(page.context["matrix"].instruments, answer["as_of"])
        )


@pytest.mark.parametrize("query", cases(InstrumentTableFilterSet), ids=str)
@pytest.mark.parametrize("code", ["untoc", "fir"])
def test_an_instrument_page_and_status_api_for_it_agree(client, code, query):
    page = page_get(client, f"/instruments/{code}/", query)
    api = api_get(client, "status/", {**query, "instrument": code})
    assert_same_refusal(page, api, query)
    if api.status_code == 200:
        # The page lists the participants that acted; the API every one, "none" included.
        acted = [c for c in api_cells(api.json()["results"]) if c[2] != "none"]
        assert [(p.iso3, code, s.status) for p, s in page.context["rows"]] == acted


@pytest.mark.parametrize("query", cases(AsOfFilterSet), ids=str)
def test_the_home_page_and_instruments_api_agree(client, query):
    page = page_get(client, "/", query)
    api = api_get(client, "instruments/", query)
    assert_same_refusal(page, api, query)
    if api.status_code == 200:
        counts = [
            (i.code, worldwide["signatories"], worldwide["parties"])
            for i, worldwide, _ in page.context["counts"]
        ]
        assert counts == [
            (r["code"], r["counts"]["signatories"], r["counts"]["parties"])
            for r in api.json()["results"]
        ]
        assert {r["counts"]["as_of"] for r in api.json()["results"]} == {
            page.context["as_of"].isoformat()
        }


@pytest.mark.parametrize("query", cases(AsOfFilterSet), ids=str)
def test_a_participant_page_and_its_api_detail_agree(client, query):
    page = page_get(client, "/states/DEU/", query)
    api = client.get("/api/v1/states/DEU/", query)
    assert_same_refusal(page, api, query)
    if api.status_code == 200:
        assert api.json()["as_of"] == page.context["citation"]["as_of"].isoformat()


@pytest.mark.parametrize("query", cases(AsOfFilterSet), ids=str)
def test_the_osce_report_and_the_status_api_agree_on_the_date(client, query):
    page = page_get(client, "/reports/osce-status/", query)
    api = api_get(client, "status/", {**query, "osce_role": "osce"})
    assert_same_refusal(page, api, query)


@pytest.mark.parametrize("query", cases(ActionFeedFilterSet), ids=str)
def test_the_action_feed_and_actions_api_agree(client, query):
    page = page_get(client, "/feeds/actions/", query)
    api = api_get(client, "actions/", {**query, "ordering": "-date", "osce_role": "any"})
    if page.status_code == 200:
        assert api.status_code == 200, query
        ids = {r["id"] for r in api.json()["results"]}
        assert page.content.decode().count("<entry>") == min(len(ids), FEED_LENGTH), query
    else:
        assert_same_refusal(page, api, query)


@pytest.mark.parametrize("query", cases(ComplianceFilterSet), ids=str)
def test_the_compliance_page_and_flags_api_agree(client, query):
    page = page_get(client, "/compliance/", query)
    api = api_get(client, "flags/", query)
    assert_same_refusal(page, api, query)
    if api.status_code == 200:
        assert api.json()["as_of"] == page.context["as_of"].isoformat()
        assert set(FlagFilterSet.base_filters) - set(ComplianceFilterSet.base_filters) == {"status"}


@pytest.mark.parametrize("query", cases(ChangeFilterSet), ids=str)
def test_the_change_log_page_feed_and_api_agree(client, query):
    page = page_get(client, "/changes/", query)
    api = api_get(client, "changes/", query)
    feed = page_get(client, "/feeds/changes/", {k: v for k, v in query.items() if k != "since"})
    assert_same_refusal(page, api, query)
    if api.status_code == 200:
        rows = api.json()["results"]
        assert [e.pk for e in page.context["events"]] == [r["id"] for r in rows][:100]
        if "since" not in query:
            assert feed.content.decode().count("<entry>") == min(len(rows), CHANGE_FEED_LENGTH)


def test_the_defaults_are_the_same_on_page_and_api(client):
    today = timezone.localdate().isoformat()
    api = api_get(client, "status/", {}).json()
    page = page_get(client, "/status/", {})
    assert api["as_of"] == today == page.context["filters"]["as_of"].isoformat()
    assert page.context["filters"]["osce_role"] == "osce"
    osce_area = api_get(client, "states/", {"osce_role": "osce"}).json()["results"]
    assert {r["state"] for r in api["results"]} == {s["iso3"] for s in osce_area}
    assert api_get(client, "states/", {}).json()["count"] == len(osce_area)
    assert api_get(client, "flags/", {}).json()["as_of"] == today


def test_a_date_after_today_is_the_same_400_on_page_and_api(client):
    """The reported disagreement: the API answered 200 for a date the page refused."""
    page = page_get(client, "/status/", {"as_of": "2999-01-01"})
    api = api_get(client, "status/", {"as_of": "2999-01-01"})
    assert page.status_code == api.status_code == 400
    (problem,) = api.json()["errors"]
    assert problem["field"] == "as_of"
    assert problem["rule"] == "after_today"
    assert page_problems(page) == [problem]
