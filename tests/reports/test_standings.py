"""One answer for a past date: the compliance page, standings/ and the page's downloads."""

import html as html_text
import re
from datetime import date, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from reports import sweep
from tests.apiclient import API, all_results, csv_rows, get_json, xlsx_rows
from tests.reports.conftest import records_checked_for_all

pytestmark = pytest.mark.usefixtures("real_data")

SECTION = re.compile(r'<section aria-labelledby="obligation-([\w-]+)">(.*?)</section>', re.S)
ROW = re.compile(
    r'<th scope="row"><a href="/states/(\w+)/[^"]*">[^<]*</a></th><td>([^<]*)</td><td>([^<]*)</td>'
)
BUCKET_CODES = {"under 1 year": "under_1_year", "1-5 years": "1_to_5_years"}
BUCKET_CODES["over 5 years"] = "over_5_years"


def page_rows(page: str) -> list[tuple[str, str, str, str]]:
    """The compliance page's tables as (obligation, state, due date, ageing bucket), in order."""
    rows = []
    for code, body in SECTION.findall(page):
        for iso3, due, bucket in ROW.findall(body):
            day = datetime.strptime(due, "%d %b %Y").date().isoformat()
            rows.append((code, iso3, day, BUCKET_CODES[bucket]))
    return rows


def download_url(page: str, label: str) -> str:
    href = re.search(rf'<a class="button-secondary" href="([^"]+)" download>{label}</a>', page)
    assert href, f"no {label} download on the page"
    return html_text.unescape(href.group(1))


def test_the_csv_downloaded_from_the_page_as_at_1_july_2007_matches_the_page_row_for_row(client):
    records_checked_for_all()
    page = client.get("/compliance/?as_of=2007-07-01").content.decode()
    shown = page_rows(page)
    assert len(shown) > 50, "the parties bound by June 2007 with nothing on record"
    assert ("untoc-cop-2007", "DEU", "2007-06-30", "under_1_year") in shown

    for label, read in (("CSV", csv_rows), (re.escape("Excel (XLSX)"), xlsx_rows)):
        response = client.get(download_url(page, label))
        assert response.status_code == 200
        downloaded = [
            (r["obligation"], r["state"], str(r["due_on"])[:10], r["ageing_bucket"])
            for r in read(response)
        ]
        assert downloaded == shown, label


def test_the_page_s_downloads_carry_every_filter_of_the_view(client):
    page = client.get(
        "/compliance/?as_of=2010-01-01&osce_role=participating&obligation=untoc-18-14"
        "&bucket=over_5_years"
    ).content.decode()
    query = parse_qs(urlsplit(download_url(page, "CSV")).query)
    assert urlsplit(download_url(page, "CSV")).path == API + "standings/"
    assert query == {
        "as_of": ["2010-01-01"],
        "osce_role": ["participating"],
        "obligation": ["untoc-18-14"],
        "bucket": ["over_5_years"],
        "standing": ["no_submission_on_record"],
        "format": ["csv"],
    }


def test_standings_for_a_past_date_are_computed_while_flags_stay_what_the_check_recorded(client):
    records_checked_for_all()
    params = {"as_of": "2007-07-01", "standing": "no_submission_on_record"}
    standings = get_json(client, "standings/", params)
    assert standings["as_of"] == "2007-07-01"
    assert standings["count"] > 50
    # No check ran as at that day, so flags/ (what the nightly check recorded) has none.
    assert get_json(client, "flags/", {"as_of": "2007-07-01"})["count"] == 0
    sweep.compliance_sweep(as_of=date(2007, 7, 1))
    flags = all_results(client, "flags/", {"as_of": "2007-07-01", "status": "open"})
    rows = all_results(client, "standings/", params)
    assert {(f["state"], f["obligation"]) for f in flags} == {
        (r["state"], r["obligation"]) for r in rows
    }


@pytest.mark.usefixtures("post2014_facts_accepted")  # Japan's 2017 acceptance
def test_japan_is_not_held_to_the_june_2007_deadline_anywhere(client):
    records_checked_for_all()
    japan = all_results(client, "standings/", {"state": "JPN", "as_of": "2026-01-01"})
    assert {r["obligation"] for r in japan} >= {"untoc-18-13", "untoc-18-14"}
    assert "untoc-cop-2007" not in {r["obligation"] for r in japan}
    page = client.get("/compliance/?as_of=2026-01-01&osce_role=any").content.decode()
    cop = dict(SECTION.findall(page)).get("untoc-cop-2007", "")
    assert "/states/JPN/" not in cop


@pytest.mark.usefixtures("post2014_facts_accepted")  # Japan's 2017 acceptance
def test_between_its_deposit_and_entry_into_force_japan_is_a_contracting_state(client):
    # Japan deposited on 11 July 2017; the Convention entered into force for it on
    # 10 August 2017 (UNTOC art. 38(2); VCLT art. 2(1)(f), (g)).
    rows = all_results(
        client, "standings/", {"state": "JPN", "as_of": "2017-07-20", "obligation": "untoc-18-13"}
    )
    assert [r["participant_is"] for r in rows] == ["contracting State"]
    rows = all_results(
        client, "standings/", {"state": "JPN", "as_of": "2017-08-10", "obligation": "untoc-18-13"}
    )
    assert [r["participant_is"] for r in rows] == ["party"]


def test_as_shipped_nothing_is_known_complete_so_nothing_is_overdue(client):
    rows = all_results(client, "standings/", {"as_of": "2026-01-01", "osce_role": "osce"})
    standings = {r["standing"] for r in rows}
    assert "no_submission_on_record" not in standings
    assert "not_yet_checked" in standings
    assert not any(r["records_checked"] for r in rows)
    page = client.get("/compliance/?as_of=2026-01-01").content.decode()
    assert re.search(r"UNTOC art\. 18\(13\): records checked for 0 of \d+ participants", page)
    assert page_rows(page) == []
    # The neutral word, counted apart from "no submission on record".
    assert "Not yet checked" in page


def test_the_page_leads_with_the_coverage_and_its_source(client):
    records_checked_for_all(date(2026, 1, 1))
    page = client.get("/compliance/?as_of=2026-01-01").content.decode()
    lead = page[page.index('id="coverage-heading"') : page.index('id="filters-heading"')]
    found = re.search(
        r"UNTOC art\. 18\(13\): records checked for (\d+) of (\d+) participants "
        r"\(test check: every submission and notification entered as at 1 January 2026\)",
        lead,
    )
    assert found
    assert found.group(1) == found.group(2)
    assert "Days overdue" not in page
