"""Every status row, in the API and in its downloads, says where its facts come from."""

import pytest

from tests.apiclient import API, all_results, csv_rows
from tests.instruments.test_citations import citation_problems

pytestmark = pytest.mark.usefixtures("real_data")


@pytest.mark.usefixtures("post2014_facts_accepted")
def test_every_status_row_with_a_signature_or_consent_carries_its_citation(client):
    rows = all_results(client, "status/", {"osce_role": "any", "as_of": "2025-01-01"})
    for row in rows:
        assert (row["signature_source"] is not None) == (row["signature_date"] is not None)
        assert (row["consent_source"] is not None) == (row["consent_date"] is not None)
        for source in (row["signature_source"], row["consent_source"]):
            assert source is None or citation_problems(source) == [], source


@pytest.mark.usefixtures("post2014_facts_accepted")
def test_every_citation_the_exports_and_the_data_quality_api_give_is_readable(client):
    actions = csv_rows(client.get(API + "actions/", {"format": "csv", "osce_role": "any"}))
    declarations = all_results(client, "declarations/", {"osce_role": "any"})
    cited = [row["citation"] for row in [*actions, *declarations]]
    quality = client.get(API + "data-quality/").json()["instruments"]
    for entry in quality:
        cited += [c["source"] for c in entry["checkpoints"]]
        cited += [q["source"] for q in entry["open_questions"]]
        cited += [a["citation"] for a in entry["weaker_sources"] + entry["kind_not_recorded"]]
    assert len(cited) > 1000
    assert {text: citation_problems(text) for text in cited if citation_problems(text)} == {}


@pytest.mark.usefixtures("post2014_facts_accepted")
def test_germanys_firearms_consent_cites_the_dutch_treaty_database_and_its_derivation(client):
    (row,) = all_results(client, "status/", {"state": "DEU", "instrument": "fir"})
    assert (row["status"], row["consent_date"]) == ("party", "2021-10-14")
    assert row["consent_source"].startswith(
        "Netherlands Treaty Database (verdragenbank.overheid.nl), Firearms Protocol party list, "
        "as at 2024"
    )
    assert "entry into force 13 November 2021" in row["consent_source"]
    assert row["signature_source"] == (
        "United Nations Treaty Collection, chapter XVIII-12-c, status as at 10 July 2014 "
        "(https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XVIII-12-c"
        "&chapter=18&clang=_en)"
    )


@pytest.mark.usefixtures("post2014_facts_accepted")
def test_the_status_download_carries_the_sources_too(client):
    response = client.get(API + "status/", {"state": "JPN", "format": "csv"})
    rows = {row["instrument"]: row for row in csv_rows(response)}
    assert rows["untoc"]["consent_kind"] == "acceptance"
    assert "mofa.go.jp" in rows["untoc"]["consent_source"]
    assert rows["fir"]["consent_source"] == ""  # no consent, no source
    assert rows["fir"]["signature_source"].startswith("United Nations Treaty Collection")


KOREA_CITATION = (
    "United Nations Treaty Collection, chapter XVIII-12, status as at 27 January 2014 "
    "(https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XVIII-12&chapter=18"
    "&clang=_en); consent: The Korea Herald, 6 November 2015"
)


def test_staff_read_the_recorded_source_beside_its_citation(viewer_client):
    rows = all_results(viewer_client, "actions/", {"state": "KOR", "instrument": "untoc"})
    consent = next(r for r in rows if r["kind"] != "signature")
    assert "koreaherald" in consent["source"]  # as recorded, for staff
    assert "zmjones" in consent["source"]
    assert consent["citation"] == KOREA_CITATION
    detail = viewer_client.get(API + f"actions/{consent['id']}/").json()
    assert detail["source"] == consent["source"]


def test_everyone_else_reads_the_citation_as_the_source_too(client):
    rows = all_results(client, "actions/", {"state": "KOR", "instrument": "untoc"})
    consent = next(r for r in rows if r["kind"] != "signature")
    assert consent["source"] == consent["citation"] == KOREA_CITATION
    assert client.get(API + f"actions/{consent['id']}/").json()["source"] == KOREA_CITATION
    exported = csv_rows(client.get(API + "actions/", {"state": "KOR", "format": "csv"}))
    assert {row["source"] for row in exported} == {row["citation"] for row in exported}
    declarations = all_results(client, "declarations/", {"osce_role": "any"})
    assert all(d["source"] == d["citation"] for d in declarations)
    feed = client.get("/feeds/actions/", {"state": "KOR"}).content.decode()
    assert "Source: United Nations Treaty Collection, chapter XVIII-12" in feed
    assert "zmjones" not in feed
