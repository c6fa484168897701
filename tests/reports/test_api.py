"""obligations/, submissions/ and flags/: what they answer, their filters and their refusals.

Flags come from a compliance check run as of 1 January 2010 on the shipped data. Germany
(UNTOC deposit 14 June 2006) then has no submission on record for art. 18(14), due at its
deposit, and for the COP deadline of 30 June 2007. Submissions recorded here are test
fixtures, not facts.
"""

from datetime import date

import pytest
import time_machine

from reports import services, sweep
from reports.models import ComplianceFlag
from tests.apiclient import (
    API,
    all_results,
    as_csv_text,
    csv_rows,
    get_json,
    problems,
    send,
    xlsx_rows,
)
from tests.reports.conftest import obligation, state

pytestmark = pytest.mark.usefixtures("real_data")

AS_OF = "2010-01-01"
CATALOGUE = [
    "untoc-5-3",
    "untoc-16-5-a",
    "untoc-18-13",
    "untoc-18-14",
    "untoc-31-6",
    "untoc-32-5",
    "som-8-6",
    "fir-13-2",
    "untoc-cop-2007",
]


@pytest.fixture
def swept():
    return sweep.compliance_sweep(as_of=date(2010, 1, 1))


@pytest.fixture
def recorded():
    """Two submissions (test fixtures): Germany's languages under UNTOC art. 18(14) and
    France's Firearms Protocol point of contact."""
    germany = services.submission_record(
        participant=state("DEU"),
        obligation=obligation("untoc-18-14"),
        received_on=date(2009, 5, 4),
        reference="C.N.100.2009.TREATIES-1",
    )
    france = services.submission_record(
        participant=state("FRA"),
        obligation=obligation("fir-13-2"),
        received_on=date(2008, 1, 10),
        note="point of contact",
    )
    return germany, france


# --- obligations/ ----------------------------------------------------------------------------


def test_obligations_are_the_catalogue_in_its_order_with_due_rules_as_data(client):
    body = get_json(client, "obligations/")
    assert body["count"] == len(CATALOGUE)
    assert [o["code"] for o in body["results"]] == CATALOGUE
    cop = body["results"][-1]
    assert (cop["reference"], cop["due_rule"], cop["deadline"]) == (
        "UNTOC COP deadline",
        "cop_deadline",
        "2007-06-30",
    )
    central = body["results"][2]
    assert (central["reference"], central["due_rule"], central["applies_to"]) == (
        "UNTOC art. 18(13)",
        "at_deposit",
        "all_parties",
    )
    assert all(o["source"] and o["article_source"] for o in body["results"])


def test_obligations_filter_by_instrument(client):
    firearms = get_json(client, "obligations/", {"instrument": "fir"})["results"]
    assert [o["code"] for o in firearms] == ["fir-13-2"]
    protocols = get_json(client, "obligations/", {"instrument": "som,FIR"})["results"]
    assert [o["code"] for o in protocols] == ["som-8-6", "fir-13-2"]


def test_an_obligation_is_found_by_its_code(client):
    body = get_json(client, "obligations/untoc-16-5-a/")
    assert (body["code"], body["article"], body["applies_to"]) == (
        "untoc-16-5-a",
        "16(5)(a)",
        "parties_in_condition",
    )
    assert body["condition"]
    assert get_json(client, "obligations/UNTOC-18-13/")["code"] == "untoc-18-13"


def test_an_unknown_obligation_is_404_in_the_error_shape(client):
    response = client.get(API + "obligations/untoc-99/")
    assert response.status_code == 404
    assert problems(response) == {None: "not_found"}


def test_obligations_are_read_only_even_for_editors(editor_client):
    for method, path in [("POST", "obligations/"), ("PATCH", "obligations/untoc-18-13/")]:
        response = send(editor_client, method, path, {"grace_days": 30})
        assert response.status_code == 405
        assert problems(response) == {None: "method_not_allowed"}
    assert get_json(editor_client, "obligations/untoc-18-13/")["grace_days"] == 0


# --- submissions/ ----------------------------------------------------------------------------


def test_submissions_are_listed_latest_first(client, recorded):
    germany, france = recorded
    rows = get_json(client, "submissions/")["results"]
    assert [r["id"] for r in rows] == [germany.pk, france.pk]
    assert rows[0] | {"created_at": None, "updated_at": None} == {
        "id": germany.pk,
        "state": "DEU",
        "state_name": "Germany",
        "obligation": "untoc-18-14",
        "obligation_reference": "UNTOC art. 18(14)",
        "instrument": "untoc",
        "received_on": "2009-05-04",
        "reference": "C.N.100.2009.TREATIES-1",
        "note": "",
        "version": 1,
        "created_at": None,
        "updated_at": None,
    }


@pytest.mark.parametrize(
    ("params", "states"),
    [
        ({"state": "deu"}, ["DEU"]),
        ({"state": "DEU,FRA"}, ["DEU", "FRA"]),
        ({"state": "AUT"}, []),
        ({"obligation": "fir-13-2"}, ["FRA"]),
        ({"obligation": "untoc-18-14,fir-13-2"}, ["DEU", "FRA"]),
        ({"instrument": "untoc"}, ["DEU"]),
        ({"instrument": "fir", "state": "DEU"}, []),
        ({"date_from": "2009-05-04"}, ["DEU"]),
        ({"date_to": "2009-05-03"}, ["FRA"]),
        ({"date_from": "2008-01-10", "date_to": "2009-05-04"}, ["DEU", "FRA"]),
        ({"date_from": "2009-05-05"}, []),
        ({"state": "", "obligation": ""}, ["DEU", "FRA"]),  # empty counts as absent
    ],
)
def test_submissions_filter_by_state_obligation_instrument_and_date(
    client, recorded, params, states
):
    assert [r["state"] for r in all_results(client, "submissions/", params)] == states


def test_a_submission_detail_carries_its_version_as_etag(client, recorded):
    germany, _ = recorded
    response = client.get(API + f"submissions/{germany.pk}/")
    assert response.status_code == 200
    assert response["ETag"] == f'"submission-{germany.pk}-v1"'
    assert response.json()["reference"] == "C.N.100.2009.TREATIES-1"
    again = client.get(API + f"submissions/{germany.pk}/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_a_missing_submission_is_404(client):
    response = client.get(API + "submissions/999999999/")
    assert response.status_code == 404
    assert problems(response) == {None: "not_found"}
    assert client.get(API + "submissions/abc/").status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"state": "ZZZ"}, {"state": "unknown_code"}),
        ({"state": "Germany"}, {"state": "code_format"}),
        ({"obligation": "untoc-99"}, {"obligation": "unknown_code"}),
        ({"obligation": "18(13)"}, {"obligation": "code_format"}),
        ({"instrument": "xyz"}, {"instrument": "unknown_code"}),
        ({"date_from": "2009-13-01"}, {"date_from": "invalid_date"}),
        ({"date_to": "4/5/2009"}, {"date_to": "date_format"}),
        ({"date_from": ["2009-01-01", "2009-02-01"]}, {"date_from": "given_twice"}),
        ({"state": "DEU\x00"}, {"state": "invalid_characters"}),
        ({"page": "0"}, {"page": "whole_number"}),
        ({"page": "2"}, {"page": "page_out_of_range"}),
        (
            {"state": "ZZZ", "date_from": "yesterday"},
            {"state": "unknown_code", "date_from": "date_format"},
        ),
    ],
)
def test_bad_submission_parameters_are_400_naming_each(client, recorded, params, expected):
    response = client.get(API + "submissions/", params)
    assert response.status_code == 400
    assert problems(response) == expected


# --- flags/ ----------------------------------------------------------------------------------


def test_flags_say_no_submission_on_record_with_days_overdue_for_as_of(client, swept):
    body = get_json(client, "flags/", {"as_of": AS_OF, "state": "DEU"})
    assert (body["as_of"], body["checked_as_of"]) == (AS_OF, AS_OF)
    assert "no submission is on record, not that none was made" in body["note"]
    languages, cop = body["results"]
    assert cop | {"id": None, "state_name": None, "obligation_title": None} == {
        "id": None,
        "state": "DEU",
        "state_name": None,
        "osce_role": "participating",
        "instrument": "untoc",
        "obligation": "untoc-cop-2007",
        "obligation_reference": "UNTOC COP deadline",
        "obligation_title": None,
        "finding": "no submission on record",
        "due_on": "2007-06-30",
        "grace_days": 0,
        "raised_on": AS_OF,
        "open": True,
        "resolved_on": None,
        "resolution": "",
        "received_on": None,
        "submission_reference": "",
        "days_overdue": 916,
        "ageing_bucket": "1_to_5_years",
        "as_of": AS_OF,
    }
    assert (languages["obligation"], languages["due_on"], languages["days_overdue"]) == (
        "untoc-18-14",
        "2006-06-14",
        1297,
    )
    assert ComplianceFlag.objects.get(pk=cop["id"]).participant.iso3 == "DEU"


def test_days_overdue_and_the_bucket_are_counted_to_the_date_asked_about(client, swept):
    params = {"state": "DEU", "obligation": "untoc-cop-2007"}
    (later,) = get_json(client, "flags/", {**params, "as_of": "2013-01-01"})["results"]
    assert (later["days_overdue"], later["ageing_bucket"]) == (2012, "over_5_years")
    assert get_json(client, "flags/", {**params, "as_of": "2009-12-31"})["count"] == 0


@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({"obligation": "untoc-cop-2007"}, ["untoc-cop-2007"]),
        ({"obligation": "untoc-18-13,untoc-18-14"}, ["untoc-18-14"]),
        ({"instrument": "untoc"}, ["untoc-18-14", "untoc-cop-2007"]),
        ({"instrument": "som,fir"}, []),
        ({"status": "open"}, ["untoc-18-14", "untoc-cop-2007"]),
        ({"status": "resolved"}, []),
        ({"bucket": "1_to_5_years"}, ["untoc-18-14", "untoc-cop-2007"]),
        ({"bucket": "under_1_year"}, []),
        ({"osce_role": "participating"}, ["untoc-18-14", "untoc-cop-2007"]),
        ({"osce_role": "partner"}, []),
    ],
)
def test_germany_s_flags_filter_by_obligation_instrument_status_bucket_and_role(
    client, swept, params, codes
):
    rows = get_json(client, "flags/", {"as_of": AS_OF, "state": "DEU", **params})["results"]
    assert [r["obligation"] for r in rows] == codes


def test_flags_filter_across_participants(client, swept):
    every = all_results(client, "flags/", {"as_of": AS_OF})
    assert len(every) == swept.open
    assert [r["due_on"] for r in every] == sorted(r["due_on"] for r in every)  # most overdue
    two = all_results(client, "flags/", {"as_of": AS_OF, "state": "DEU,FRA"})
    assert {r["state"] for r in two} == {"DEU", "FRA"}
    partners = all_results(client, "flags/", {"as_of": AS_OF, "osce_role": "partner"})
    assert partners
    assert {r["osce_role"] for r in partners} <= {"partner_mediterranean", "partner_asian"}
    central = all_results(client, "flags/", {"as_of": AS_OF, "obligation": "untoc-18-13"})
    assert len(central) == swept.open_by_obligation["UNTOC art. 18(13)"]


def test_a_resolved_flag_names_what_resolved_it_and_was_open_before(client, swept):
    services.submission_record(
        participant=state("DEU"),
        obligation=obligation("untoc-cop-2007"),
        received_on=date(2010, 2, 1),
        reference="CTOC/COP/2010/CRP.1",
    )
    sweep.compliance_sweep(as_of=date(2010, 3, 1))
    params = {"state": "DEU", "obligation": "untoc-cop-2007"}
    (resolved,) = get_json(client, "flags/", {**params, "as_of": "2010-03-01"})["results"]
    assert {k: resolved[k] for k in ("open", "resolved_on", "resolution", "received_on")} == {
        "open": False,
        "resolved_on": "2010-03-01",
        "resolution": "submission",
        "received_on": "2010-02-01",
    }
    assert (resolved["submission_reference"], resolved["days_overdue"]) == (
        "CTOC/COP/2010/CRP.1",
        947,  # how late it arrived
    )
    assert resolved["ageing_bucket"] is None
    statuses = {"as_of": "2010-03-01", "state": "DEU"}
    assert get_json(client, "flags/", {**statuses, "status": "resolved"})["count"] == 1
    assert get_json(client, "flags/", {**statuses, "status": "open"})["count"] == 1
    (before,) = get_json(client, "flags/", {**params, "as_of": "2010-02-15"})["results"]
    assert (before["open"], before["resolution"], before["days_overdue"]) == (True, "", 961)


def test_flags_answer_for_today_unless_as_of_is_given(client):
    with time_machine.travel(date(2010, 6, 1), tick=False):
        sweep.compliance_sweep(as_of=date(2010, 1, 1))
        body = get_json(client, "flags/", {"state": "DEU"})
    assert body["as_of"] == "2010-06-01"
    assert body["results"][1]["days_overdue"] == 1067


def test_before_any_check_there_are_no_flags_and_no_check_date(client):
    body = get_json(client, "flags/", {"as_of": AS_OF})
    assert (body["count"], body["checked_as_of"]) == (0, None)


def test_a_flag_detail_is_the_flag_as_of_a_date(client, swept):
    (listed,) = get_json(
        client, "flags/", {"as_of": AS_OF, "state": "DEU", "obligation": "untoc-cop-2007"}
    )["results"]
    path = API + f"flags/{listed['id']}/"
    assert client.get(path, {"as_of": AS_OF}).json() == listed
    later = client.get(path, {"as_of": "2013-01-01"}).json()
    assert (later["days_overdue"], later["as_of"]) == (2012, "2013-01-01")
    before = client.get(path, {"as_of": "2009-12-31"})
    assert before.status_code == 404
    assert problems(before) == {None: "not_found"}
    assert client.get(API + "flags/999999999/").status_code == 404
    bad = client.get(path, {"as_of": "2010-02-30"})
    assert bad.status_code == 400
    assert problems(bad) == {"as_of": "invalid_date"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "closed"}, {"status": "invalid_choice"}),
        ({"bucket": "ancient"}, {"bucket": "invalid_choice"}),
        ({"as_of": "2010-13-01"}, {"as_of": "invalid_date"}),
        ({"as_of": "1/1/2010"}, {"as_of": "date_format"}),
        ({"state": "ZZZ"}, {"state": "unknown_code"}),
        ({"obligation": "untoc-99"}, {"obligation": "unknown_code"}),
        ({"instrument": "abc"}, {"instrument": "unknown_code"}),
        ({"osce_role": "member"}, {"osce_role": "invalid_choice"}),
        ({"status": ["open", "resolved"]}, {"status": "given_twice"}),
        ({"bucket": "over_5_years\x07"}, {"bucket": "invalid_characters"}),
        ({"format": "xls"}, {"format": "invalid_choice"}),
        ({"page_size": "-1"}, {"page_size": "whole_number"}),
        (
            {"status": "closed", "bucket": "ancient", "as_of": "1/1/2010"},
            {"status": "invalid_choice", "bucket": "invalid_choice", "as_of": "date_format"},
        ),
    ],
)
def test_bad_flag_parameters_are_400_naming_each(client, swept, params, expected):
    response = client.get(API + "flags/", params)
    assert response.status_code == 400
    assert problems(response) == expected


@pytest.mark.parametrize("as_of", ["0001-01-01", "0003-05-01", "9999-12-31"])
@pytest.mark.parametrize("bucket", ["under_1_year", "1_to_5_years", "over_5_years"])
def test_any_calendar_date_is_answered(client, swept, as_of, bucket):
    response = client.get(API + "flags/", {"as_of": as_of, "bucket": bucket})
    assert response.status_code == 200


def test_flags_are_read_only(editor_client, swept):
    flag = ComplianceFlag.objects.first()
    for method, path in [("POST", "flags/"), ("DELETE", f"flags/{flag.pk}/")]:
        response = send(editor_client, method, path, {})
        assert response.status_code == 405
    assert ComplianceFlag.objects.filter(pk=flag.pk).exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_flags_download_is_the_whole_filtered_list_as_json_shows_it(client, swept, fmt):
    params = {"as_of": AS_OF, "osce_role": "participating"}
    rows = all_results(client, "flags/", params)
    response = client.get(API + "flags/", {**params, "format": fmt, "page_size": 1})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="untoc-flags-{AS_OF}.{fmt}"'
    if fmt == "csv":
        downloaded = csv_rows(response)
        assert downloaded == [{k: as_csv_text(v) for k, v in row.items()} for row in rows]
    else:
        downloaded = xlsx_rows(response)
        assert [(r["id"], r["state"], r["days_overdue"]) for r in downloaded] == [
            (r["id"], r["state"], r["days_overdue"]) for r in rows
        ]
        assert downloaded[0]["finding"] == "no submission on record"
    assert len(downloaded) > 1


def test_a_bad_parameter_on_a_download_is_answered_as_json(client):
    response = client.get(API + "flags/", {"format": "csv", "as_of": "2010-02-30"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert problems(response) == {"as_of": "invalid_date"}


# --- conditional GET -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "obligations/",
        "obligations/untoc-18-13/",
        "submissions/?state=DEU",
        f"flags/?as_of={AS_OF}&state=DEU",
        f"flags/?as_of={AS_OF}&format=csv",
    ],
)
def test_a_current_copy_is_answered_304_until_the_data_change(client, swept, path):
    first = client.get(API + path)
    assert first.status_code == 200
    tag = first["ETag"]
    assert client.get(API + path, HTTP_IF_NONE_MATCH=tag).status_code == 304
    services.submission_record(
        participant=state("DEU"), obligation=obligation("fir-13-2"), received_on=date(2009, 1, 5)
    )
    changed = client.get(API + path, HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200
    assert changed["ETag"] != tag


def test_a_flag_detail_is_304_until_a_check_changes_the_flags(client, swept):
    flag = ComplianceFlag.objects.get(participant__iso3="DEU", obligation__code="untoc-cop-2007")
    path = API + f"flags/{flag.pk}/?as_of=2010-03-01"
    tag = client.get(path)["ETag"]
    assert client.get(path, HTTP_IF_NONE_MATCH=tag).status_code == 304
    services.submission_record(
        participant=state("DEU"),
        obligation=obligation("untoc-cop-2007"),
        received_on=date(2010, 2, 1),
    )
    sweep.compliance_sweep(as_of=date(2010, 3, 1))
    changed = client.get(path, HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200
    assert changed.json()["open"] is False
