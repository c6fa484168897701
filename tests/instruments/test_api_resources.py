"""Reading states/, instruments/, actions/ and declarations/: filters, orderings, exports."""

from datetime import date

import pytest

from instruments.models import Declaration, TreatyAction
from tests.apiclient import API, all_results, as_csv_text, csv_rows, get_json, problems, xlsx_rows

pytestmark = pytest.mark.usefixtures("real_data")


# --- states/ ---------------------------------------------------------------------------------


def test_a_participant_lists_with_kind_osce_role_and_former_names(client):
    rows = get_json(client, "states/", {"search": "Swaziland", "osce_role": "any"})["results"]
    (eswatini,) = rows
    assert eswatini["iso3"] == "SWZ"
    assert "Swaziland" in eswatini["aliases"]
    assert eswatini["kind"] == "state"
    assert eswatini["osce_role"] == "none"


def test_states_filter_by_osce_role_and_kind(client):
    assert get_json(client, "states/", {"osce_role": "participating"})["count"] == 57
    assert get_json(client, "states/", {"osce_role": "partner"})["count"] == 11
    (eu,) = get_json(client, "states/", {"kind": "reio", "osce_role": "any"})["results"]
    assert eu["iso3"] == "EUU"


def test_states_order_by_name_or_code(client):
    by_code = [r["iso3"] for r in all_results(client, "states/", {"ordering": "-iso3"})]
    assert by_code == sorted(by_code, reverse=True)
    by_name = [r["name"] for r in all_results(client, "states/")]
    assert by_name[0] == "Afghanistan"


def test_states_pages_carry_the_count_of_all_and_refuse_a_page_past_the_end(client):
    """The count comes with the page's rows (one query for both); an empty list still has
    its one empty page."""
    second = get_json(client, "states/", {"page": 2, "page_size": 50, "osce_role": "any"})
    assert second["count"] == 188
    assert len(second["results"]) == 50
    assert "rows_in_all_pages" not in second["results"][0]
    assert "page=3" in second["next"]
    assert "page=" not in second["previous"]
    last = get_json(client, "states/", {"page": 4, "page_size": 50, "osce_role": "any"})
    assert len(last["results"]) == 38
    assert last["next"] is None
    assert problems(client.get(API + "states/?page=5&page_size=50")) == {
        "page": "page_out_of_range"
    }
    none = get_json(client, "states/", {"search": "no such participant"})
    assert (none["count"], none["results"], none["next"]) == (0, [], None)


def test_a_participant_detail_shows_its_status_for_each_instrument(client):
    germany = get_json(client, "states/DEU/", {"as_of": "2007-06-30"})
    assert germany["name"] == "Germany"
    assert germany["osce_role"] == "participating"
    assert germany["as_of"] == "2007-06-30"
    assert [s["instrument"] for s in germany["status"]] == ["untoc", "tip", "som", "fir"]
    untoc, _, _, firearms = germany["status"]
    assert (untoc["status"], untoc["entry_into_force"]) == ("party", "2006-07-14")
    assert firearms["status"] == "signatory"
    assert [i["code"] for i in germany["instruments"]] == ["untoc", "tip", "som", "fir"]


def test_a_participant_is_found_by_its_code_in_either_case(client):
    assert get_json(client, "states/deu/")["iso3"] == "DEU"


def test_an_unknown_participant_is_404_in_the_error_shape(client):
    response = client.get(API + "states/ZZZ/")
    assert response.status_code == 404
    assert problems(response) == {None: "not_found"}


def test_the_states_csv_has_the_same_rows_as_the_json(client):
    rows = all_results(client, "states/", {"osce_role": "osce"})
    response = client.get(API + "states/", {"osce_role": "osce", "format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="untoc-states.csv"'
    assert csv_rows(response) == [{k: as_csv_text(v) for k, v in r.items()} for r in rows]
    xlsx = xlsx_rows(client.get(API + "states/", {"osce_role": "osce", "format": "xlsx"}))
    assert [r["iso3"] for r in xlsx] == [r["iso3"] for r in rows]


def test_a_participant_detail_offers_no_csv(client):
    response = client.get(API + "states/DEU/", {"format": "csv"})
    assert response.status_code == 400
    assert problems(response) == {"format": "invalid_choice"}


# --- instruments/ ----------------------------------------------------------------------------


def test_the_four_instruments_list_with_their_rule_and_recorded_date(client):
    rows = get_json(client, "instruments/")["results"]
    assert [r["code"] for r in rows] == ["untoc", "tip", "som", "fir"]
    untoc, tip, _, _ = rows
    assert untoc["entry_into_force"] == "2003-09-29"
    assert untoc["entry_into_force_rule"] == {
        "article": "art. 38",
        "instruments_needed": 40,
        "days_after_nth_instrument": 90,
        "days_after_later_deposit": 30,
        "organizations_count": False,
        "convention_first": False,
    }
    assert tip["convention"] == "untoc"
    assert tip["entry_into_force_rule"]["convention_first"] is True
    assert untoc["status_note"] == "complete to 27 January 2014; later actions partial"


def test_an_instrument_counts_signatories_and_parties_as_of_a_date(client):
    before = get_json(client, "instruments/untoc/", {"as_of": "2000-12-01"})["counts"]
    assert before == {
        "as_of": "2000-12-01",
        "signatories": 0,
        "parties": 0,
        "parties_in_force": 0,
    }
    in_2007 = get_json(client, "instruments/untoc/", {"as_of": "2007-06-30"})["counts"]
    in_2014 = get_json(client, "instruments/untoc/", {"as_of": "2014-01-27"})["counts"]
    assert 0 < in_2007["parties"] < in_2014["parties"]
    assert in_2007["parties_in_force"] <= in_2007["parties"]
    # The depositary's table as at 27 January 2014 lists 147 signatories (counts here are
    # of participants that had signed, whether or not they have since consented).
    assert in_2014["signatories"] == 147
    listed = get_json(client, "instruments/", {"as_of": "2014-01-27"})["results"][0]["counts"]
    assert listed == in_2014


def test_an_unknown_instrument_is_404(client):
    assert client.get(API + "instruments/xyz/").status_code == 404


# --- actions/ --------------------------------------------------------------------------------


def test_actions_filter_by_state_instrument_and_kind(client):
    rows = get_json(client, "actions/", {"state": "DEU", "instrument": "untoc"})["results"]
    assert [(r["kind"], r["date"]) for r in rows] == [
        ("signature", "2000-12-12"),
        ("ratification", "2006-06-14"),
    ]
    assert rows[0]["state_name"] == "Germany"
    ratifications = get_json(client, "actions/", {"state": "DEU", "kind": "ratification"})
    assert {r["instrument"] for r in ratifications["results"]} == {"untoc", "tip", "som"}


def test_actions_filter_by_date_range_inclusive(client):
    rows = all_results(client, "actions/", {"date_from": "2006-06-14", "date_to": "2006-06-14"})
    assert rows
    assert {r["date"] for r in rows} == {"2006-06-14"}
    assert "DEU" in {r["state"] for r in rows}


def test_actions_filter_by_osce_role(client):
    rows = all_results(client, "actions/", {"osce_role": "partner_asian", "kind": "signature"})
    asian = {"AFG", "AUS", "JPN", "KOR", "THA"}
    assert {r["state"] for r in rows} <= asian
    assert rows


@pytest.mark.parametrize(
    ("ordering", "key", "descending"),
    [
        ("date", "date", False),
        ("-date", "date", True),
        ("state", "state_name", False),
        ("-state", "state_name", True),
    ],
)
def test_actions_order_by_a_whitelisted_field(client, ordering, key, descending):
    rows = get_json(client, "actions/", {"ordering": ordering, "page_size": 300})["results"]
    values = [r[key] for r in rows]
    if key == "state_name":
        values = [v.lower() for v in values if v.isascii()]
    assert values == sorted(values, reverse=descending)


def test_actions_order_by_instrument(client):
    rows = all_results(client, "actions/", {"ordering": "-instrument", "state": "DEU"})
    # Germany's Firearms Protocol consent of 2021 awaits review: only its signature counts.
    assert [r["instrument"] for r in rows] == [
        "fir",
        "som",
        "som",
        "tip",
        "tip",
        "untoc",
        "untoc",
    ]


def test_the_actions_csv_has_the_same_rows_as_the_json(client):
    params = {"osce_role": "participating", "date_from": "2004-01-01", "ordering": "-date"}
    rows = all_results(client, "actions/", params)
    response = client.get(API + "actions/", {**params, "format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="untoc-actions.csv"'
    assert csv_rows(response) == [{k: as_csv_text(v) for k, v in r.items()} for r in rows]
    xlsx = xlsx_rows(client.get(API + "actions/", {**params, "format": "xlsx"}))
    assert [(r["id"], r["date"].date()) for r in xlsx] == [
        (r["id"], date.fromisoformat(r["date"])) for r in rows
    ]


def test_an_action_detail_carries_its_version_as_etag(client):
    action = TreatyAction.objects.filter(participant__iso3="DEU", kind="ratification").first()
    response = client.get(f"{API}actions/{action.pk}/")
    assert response.status_code == 200
    assert response["ETag"] == f'"treatyaction-{action.pk}-v{action.version}"'
    assert response.json()["state"] == "DEU"


@pytest.mark.parametrize("pk", ["999999999", "99999999999999999999", "-1", "abc"])
def test_a_missing_action_is_404(client, pk):
    response = client.get(f"{API}actions/{pk}/")
    assert response.status_code == 404


def test_unknown_action_kind_is_refused(client):
    response = client.get(API + "actions/", {"kind": "ratificaton"})
    assert response.status_code == 400
    assert problems(response) == {"kind": "unknown_code"}


# --- declarations/ ---------------------------------------------------------------------------


def test_declarations_filter_by_state_instrument_and_kind(client):
    rows = get_json(
        client, "declarations/", {"state": "DZA", "instrument": "untoc", "kind": "reservation"}
    )["results"]
    assert [(r["article"], r["date"]) for r in rows] == [("35(3)", "2002-10-07")]


def test_an_article_matches_its_paragraphs(client):
    articles = {r["article"] for r in all_results(client, "declarations/", {"article": "18"})}
    assert {"18", "18(13)", "18(14)", "16(14), 18(21)"} <= articles
    assert all("18" in a for a in articles)
    paragraph = {r["article"] for r in all_results(client, "declarations/", {"article": "18(13)"})}
    assert paragraph == {"18(13)"}
    words = {r["article"] for r in all_results(client, "declarations/", {"article": "territorial"})}
    assert words == {"territorial"}


def test_declarations_text_search_reads_the_summaries(client):
    rows = all_results(client, "declarations/", {"search": "central authority"})
    assert rows
    assert all("central authority" in (r["summary"] + r["article"]).lower() for r in rows)


def test_a_malformed_article_is_refused(client):
    response = client.get(API + "declarations/", {"article": "18((13"})
    assert response.status_code == 400
    assert problems(response) == {"article": "format"}


def test_declarations_without_a_date_come_last_within_a_participant(client):
    rows = all_results(client, "declarations/", {"state": "AUT", "instrument": "som"})
    dates = [r["date"] for r in rows]
    assert dates[-1] is None
    assert None not in dates[: dates.index(None)]


def test_a_declaration_detail_carries_its_version_as_etag(client):
    declaration = Declaration.objects.first()
    response = client.get(f"{API}declarations/{declaration.pk}/")
    assert response["ETag"] == f'"declaration-{declaration.pk}-v{declaration.version}"'
    assert response.json()["summary"] == declaration.summary


def test_declarations_offer_no_csv(client):
    assert client.get(API + "declarations/", {"format": "csv"}).status_code == 400


# --- the root --------------------------------------------------------------------------------


def test_the_api_root_lists_every_resource(client):
    body = get_json(client, "")
    assert set(body) == {
        "states",
        "instruments",
        "status",
        "actions",
        "declarations",
        "history",
        "obligations",
        "submissions",
        "flags",
        "standings",
        "data-quality",
        "changes",
        "webhooks",
        "authorities",
    }
