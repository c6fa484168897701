"""status/: the status matrix as of a date, its contract, filters, orderings and exports."""

from datetime import date

import pytest
import time_machine

from instruments import services
from instruments.models import Instrument
from tests.apiclient import (
    API,
    all_results,
    as_csv_text,
    csv_rows,
    get_json,
    problems,
    xlsx_rows,
)

pytestmark = pytest.mark.usefixtures("real_data")

CONTRACT = {
    "state",
    "instrument",
    "status",
    "in_force",
    "signature_date",
    "consent_date",
    "consent_kind",
    "entry_into_force",
}


def entry(client, state: str, instrument: str, as_of: str) -> dict:
    body = get_json(client, "status/", {"state": state, "instrument": instrument, "as_of": as_of})
    assert body["as_of"] == as_of
    (found,) = body["results"]
    return found


def test_on_30_june_2007_germany_is_a_party_to_untoc_in_force_since_14_july_2006(client):
    germany = entry(client, "DEU", "untoc", "2007-06-30")
    assert germany["status"] == "party"
    assert germany["in_force"] is True
    assert germany["signature_date"] == "2000-12-12"
    assert germany["consent_date"] == "2006-06-14"
    assert germany["consent_kind"] == "ratification"
    assert germany["entry_into_force"] == "2006-07-14"


def test_on_1_january_2006_germany_had_only_signed_untoc(client):
    germany = entry(client, "DEU", "untoc", "2006-01-01")
    assert germany["status"] == "signatory"
    assert germany["in_force"] is False
    assert germany["signature_date"] == "2000-12-12"
    assert (germany["consent_date"], germany["consent_kind"], germany["entry_into_force"]) == (
        None,
        None,
        None,
    )


def test_between_deposit_and_entry_into_force_germany_is_a_party_not_yet_in_force(client):
    germany = entry(client, "DEU", "untoc", "2006-07-01")
    assert (germany["status"], germany["in_force"]) == ("party", False)
    assert germany["entry_into_force"] == "2006-07-14"


def test_before_any_action_a_participant_has_no_status(client):
    germany = entry(client, "DEU", "untoc", "2000-01-01")
    assert (germany["status"], germany["signature_date"]) == ("none", None)


def test_a_succession_without_a_recorded_date_has_no_entry_into_force_but_is_in_force(client):
    montenegro = entry(client, "MNE", "tip", "2007-06-30")
    assert montenegro["consent_kind"] == "succession"
    assert montenegro["entry_into_force"] is None
    assert montenegro["in_force"] is True


def test_a_consent_whose_kind_the_source_does_not_give_says_so(client):
    antigua = entry(client, "ATG", "tip", "2012-01-01")
    assert antigua["status"] == "party"
    assert antigua["consent_kind"] is None
    assert antigua["consent_kind_recorded"] is False


def test_every_entry_carries_the_contract_fields(client):
    body = get_json(client, "status/", {"as_of": "2010-01-01", "page_size": 1000})
    assert body["results"]
    for row in body["results"]:
        assert set(row) >= CONTRACT
        assert row["status"] in {"none", "signatory", "party", "denounced"}
        assert isinstance(row["in_force"], bool)
        assert row["consent_kind"] in {
            None,
            "ratification",
            "acceptance",
            "approval",
            "accession",
            "succession",
            "formal_confirmation",
        }


def test_as_of_defaults_to_today(client):
    with time_machine.travel(date(2010, 3, 1)):
        body = get_json(client, "status/", {"state": "DEU", "instrument": "untoc"})
    assert body["as_of"] == "2010-03-01"
    assert body["results"][0]["status"] == "party"


def test_the_answer_says_how_complete_each_instruments_data_are(client):
    body = get_json(client, "status/", {"as_of": "2020-01-01", "instrument": "untoc,fir"})
    assert body["instruments"] == [
        {
            "code": "untoc",
            "short_title": "Convention",
            "status_complete_to": "2014-01-27",
            "complete": False,
            "note": "complete to 27 January 2014; later actions partial",
        },
        {
            "code": "fir",
            "short_title": "Firearms Protocol",
            "status_complete_to": "2014-07-10",
            "complete": False,
            "note": "complete to 10 July 2014; later actions partial",
        },
    ]
    earlier = get_json(client, "status/", {"as_of": "2007-06-30", "instrument": "untoc"})
    assert earlier["instruments"][0]["complete"] is True


def test_moving_the_completeness_date_shows_at_once(client, editor):
    untoc = Instrument.objects.get(code="untoc")
    services.instrument_currency_update(
        instrument=untoc,
        status_complete_to=date(2024, 5, 4),
        status_currency_note="test",
        actor=editor,
    )
    body = get_json(client, "status/", {"as_of": "2020-01-01", "instrument": "untoc"})
    assert body["instruments"][0]["note"] == "complete to 4 May 2024; later actions partial"
    assert body["results"][0]["status_complete_to"] == "2024-05-04"


def test_one_request_gives_every_osce_participating_state_for_one_instrument(client):
    body = get_json(
        client,
        "status/",
        {
            "as_of": "2007-06-30",
            "osce_role": "participating",
            "instrument": "untoc",
            "page_size": 100,
        },
    )
    # The participating States of that date: 56, Mongolia (2012) not yet among them.
    assert body["count"] == 56
    assert len(body["results"]) == 56
    assert "MNG" not in {entry["state"] for entry in body["results"]}
    assert {row["osce_role"] for row in body["results"]} == {"participating"}
    assert "DEU" in {row["state"] for row in body["results"]}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("partner", {"partner_mediterranean", "partner_asian"}),
        ("partner_mediterranean", {"partner_mediterranean"}),
        ("partner_asian", {"partner_asian"}),
        ("osce", {"participating", "partner_mediterranean", "partner_asian"}),
        ("none", {"none"}),
    ],
)
def test_osce_role_groups_select_their_participants(client, role, expected):
    rows = get_json(
        client, "status/", {"osce_role": role, "instrument": "untoc", "page_size": 1000}
    )["results"]
    assert {row["osce_role"] for row in rows} == expected


def test_osce_role_any_is_the_default_and_lists_every_participant(client):
    default = get_json(client, "status/", {"instrument": "untoc", "page_size": 1})["count"]
    any_role = get_json(client, "status/", {"instrument": "untoc", "osce_role": "any"})["count"]
    assert default == any_role == 188
    partners = get_json(client, "status/", {"instrument": "untoc", "osce_role": "partner"})
    assert partners["count"] == 11


def test_state_and_instrument_take_one_code_or_a_list_in_any_case(client):
    body = get_json(client, "status/", {"state": "deu,fra", "instrument": "UNTOC,tip"})
    assert [(r["state"], r["instrument"]) for r in body["results"]] == [
        ("FRA", "untoc"),
        ("FRA", "tip"),
        ("DEU", "untoc"),
        ("DEU", "tip"),
    ]
    repeated = client.get(API + "status/?state=DEU&state=FRA&instrument=untoc")
    assert repeated.json()["count"] == 2


def test_empty_parameters_count_as_absent(client):
    response = client.get(API + "status/?osce_role=&instrument=&state=&ordering=&as_of=2007-06-30")
    assert response.status_code == 200
    assert response.json()["count"] == 188 * 4


def test_entries_come_by_participant_name_then_instrument(client):
    rows = get_json(client, "status/", {"page_size": 8})["results"]
    assert [r["instrument"] for r in rows] == ["untoc", "tip", "som", "fir"] * 2
    assert rows[0]["state_name"] <= rows[4]["state_name"]


def test_reverse_name_order_keeps_instruments_in_order(client):
    rows = all_results(client, "status/", {"ordering": "-name", "instrument": "untoc,tip"})
    names = [r["state_name"] for r in rows[::2]]
    forward = [r["state_name"] for r in all_results(client, "status/", {"instrument": "untoc"})]
    assert names == forward[::-1]
    assert [r["instrument"] for r in rows[:2]] == ["untoc", "tip"]


@pytest.mark.parametrize("field", ["signature_date", "consent_date", "entry_into_force"])
def test_date_orderings_put_entries_without_the_date_last_both_ways(client, field):
    params = {"instrument": "untoc", "as_of": "2007-06-30", "osce_role": "osce"}
    for ordering, descending in ((field, False), (f"-{field}", True)):
        rows = all_results(client, "status/", {**params, "ordering": ordering})
        dates = [r[field] for r in rows]
        dated = [d for d in dates if d is not None]
        assert dated == sorted(dated, reverse=descending)
        assert dates == dated + [None] * (len(dates) - len(dated))
        assert None in dates  # some OSCE participants had not yet consented in 2007


def test_pages_link_to_each_other_and_page_size_is_capped(client):
    first = get_json(client, "status/", {"page_size": 100})
    assert len(first["results"]) == 100
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert second["results"][0] != first["results"][0]
    assert "page=2" in first["next"]
    capped = get_json(client, "status/", {"page_size": 5000})
    assert len(capped["results"]) == 752 == capped["count"]
    huge = get_json(client, "status/", {"page_size": 1000, "page": 1})
    assert huge["next"] is None


@pytest.mark.parametrize("ordering", ["name", "-name"])
@pytest.mark.parametrize(
    "filters",
    [
        {"as_of": "2007-06-30"},
        {"osce_role": "participating", "instrument": "tip,fir"},
        {"state": "AUT,DEU,EUU,FRA", "instrument": "som"},
    ],
)
def test_pages_by_name_hold_exactly_the_rows_of_the_whole_table(client, ordering, filters):
    """A page by name computes its own participants only; page after page, in pages of a
    size that splits a participant's entries, it is the whole table the export gives."""
    query = {**filters, "ordering": ordering}
    whole = [
        {k: v for k, v in row.items() if k in CONTRACT}
        for row in csv_rows(client.get(API + "status/", {**query, "format": "csv"}))
    ]
    paged = []
    page = get_json(client, "status/", {**query, "page_size": 7})
    while True:
        assert page["count"] == len(whole)
        paged += [{k: as_csv_text(row[k]) for k in CONTRACT} for row in page["results"]]
        if not page["next"]:
            break
        response = client.get(page["next"])
        assert response.status_code == 200, response.content
        page = response.json()
    assert paged == whole


def test_a_page_by_name_past_the_end_is_refused_naming_the_last_page(client):
    response = client.get(API + "status/?state=AUT,DEU&page=2&page_size=8")
    assert problems(response) == {"page": "page_out_of_range"}
    assert "last page (1)" in response.json()["errors"][0]["message"]
    nothing = client.get(API + "status/?state=AUT&osce_role=partner")
    assert nothing.status_code == 200
    assert nothing.json()["count"] == 0
    assert nothing.json()["results"] == []


@pytest.mark.parametrize(
    ("query", "field", "rule"),
    [
        ("as_of=2007-13-45", "as_of", "invalid_date"),
        ("as_of=30/06/2007", "as_of", "date_format"),
        ("as_of=2007-06-30&as_of=2008-01-01", "as_of", "given_twice"),
        ("page=abc", "page", "whole_number"),
        ("page=0", "page", "whole_number"),
        ("page=99", "page", "page_out_of_range"),
        ("page_size=-5", "page_size", "whole_number"),
        ("osce_role=xyz", "osce_role", "invalid_choice"),
        ("instrument=xyz", "instrument", "unknown_code"),
        ("instrument=untoc,12", "instrument", "code_format"),
        ("state=ZZZ", "state", "unknown_code"),
        ("state=Germany", "state", "code_format"),
        ("ordering=population", "ordering", "invalid_choice"),
        ("format=xml", "format", "invalid_choice"),
        ("state=DE%00", "state", "invalid_characters"),
    ],
)
def test_a_bad_parameter_is_refused_naming_it_and_the_rule(client, query, field, rule):
    response = client.get(f"{API}status/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert problems(response) == {field: rule}


def test_every_bad_parameter_is_named_at_once(client):
    response = client.get(API + "status/?as_of=2007-13-45&page=abc&osce_role=xyz&instrument=foo")
    assert response.status_code == 400
    assert problems(response) == {
        "as_of": "invalid_date",
        "page": "whole_number",
        "osce_role": "invalid_choice",
        "instrument": "unknown_code",
    }


def test_a_bad_parameter_on_a_csv_download_is_still_a_json_error(client):
    response = client.get(API + "status/?format=csv&as_of=2007-13-45")
    assert response.status_code == 400
    assert "Content-Disposition" not in response
    assert problems(response) == {"as_of": "invalid_date"}


FILTERS = {"as_of": "2007-06-30", "osce_role": "osce", "ordering": "-consent_date"}


def test_the_csv_download_has_the_same_rows_as_the_json(client):
    rows = all_results(client, "status/", FILTERS)
    response = client.get(API + "status/", {**FILTERS, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="untoc-status-2007-06-30.csv"'
    exported = csv_rows(response)
    assert list(exported[0]) == list(rows[0])
    assert exported == [{k: as_csv_text(v) for k, v in row.items()} for row in rows]
    assert len(exported) == 67 * 4  # 56 participating States and 11 Partners on 30 June 2007


def test_the_xlsx_download_has_the_same_rows_as_the_json(client):
    rows = all_results(client, "status/", FILTERS)
    response = client.get(API + "status/", {**FILTERS, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('filename="untoc-status-2007-06-30.xlsx"')
    exported = xlsx_rows(response)

    def plain(value):
        return value.date().isoformat() if hasattr(value, "date") else value

    assert [{k: plain(v) for k, v in row.items()} for row in exported] == rows


def test_a_download_is_the_whole_filtered_table_whatever_the_page(client):
    response = client.get(API + "status/", {"format": "csv", "page_size": 5, "page": 2})
    assert len(csv_rows(response)) == 188 * 4


def test_a_csv_download_can_be_asked_for_by_accept_header(client):
    response = client.get(API + "status/", {"state": "DEU"}, HTTP_ACCEPT="text/csv")
    assert [row["instrument"] for row in csv_rows(response)] == ["untoc", "tip", "som", "fir"]
