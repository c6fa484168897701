"""Reading the depositary's table in its three forms."""

from datetime import date

import pytest

from instruments import domain
from instruments.depositary.parsers import (
    CSV,
    HTML,
    TEXT,
    TableRefused,
    detect_form,
    status_table_parse,
)
from tests.instruments.depositary.conftest import AS_AT
from tests.instruments.depositary.tables import csv_table, html_page, pasted_text

pytestmark = pytest.mark.usefixtures("real_data")

BUILDERS = {HTML: html_page, TEXT: pasted_text, CSV: csv_table}


def _germany(table):
    return next(row for row in table.rows if row.participant == "Germany")


@pytest.mark.parametrize("form", [HTML, TEXT, CSV])
def test_each_form_reads_every_row_with_dates_marks_and_status_date(form, firearms_lines):
    text = BUILDERS[form]("fir", AS_AT, firearms_lines)

    table = status_table_parse(text)

    assert table.form == form
    assert table.status_as_at == AS_AT
    assert table.instrument_code == "fir"
    assert len(table.rows) == len(firearms_lines)
    germany = _germany(table)
    assert (germany.signature, germany.consent) == (date(2002, 9, 3), date(2021, 10, 14))
    assert germany.consent_kind == domain.RATIFICATION
    by_name = {row.participant: row for row in table.rows}
    for line in firearms_lines:
        row = by_name[line.participant]
        assert (row.signature, row.consent) == (line.signature, line.consent)


@pytest.mark.parametrize("form", [HTML, TEXT])
def test_footnote_numbers_are_stripped_from_names_and_dates(form, firearms_lines):
    table = status_table_parse(BUILDERS[form]("fir", AS_AT, firearms_lines))

    names = {row.participant for row in table.rows}
    assert "Germany" in names
    assert not any(name[-1].isdigit() for name in names)


def test_marks_give_the_kind_of_consent():
    text = (
        "Status as at : 04-05-2024 09:58:39 EDT\n"
        "Participant 1\tSignature\tRatification, Acceptance(A), Approval(AA), Accession(a), "
        "Succession(d)\n"
        "Albania\t12 Dec 2000\t21 Aug 2002\n"
        "Austria\t12 Dec 2000\t23 Sep 2004 A\n"
        "Belgium 3\t12 Dec 2000\t11 Aug 2004 AA 4\n"
        "Bahrain\t\t7 Jun 2004 a\n"
        "Montenegro 2,5\t\t23 Oct 2006 d\n"
        "Bahamas\t\t26 Sep 2008\n"
    )
    table = status_table_parse(text)

    kinds = {row.participant: row.consent_kind for row in table.rows}
    assert kinds == {
        "Albania": domain.RATIFICATION,
        "Austria": domain.ACCEPTANCE,
        "Belgium": domain.APPROVAL,
        "Bahrain": domain.ACCESSION,
        "Montenegro": domain.SUCCESSION,
        # No mark and no signature: a ratification confirms a signature, so the kind is open.
        "Bahamas": domain.CONSENT_KIND_NOT_RECORDED,
    }
    assert table.status_as_at == date(2024, 5, 4)


def test_html_table_is_found_among_the_page_chrome():
    page = """<html><body><table><tr><td>Menu</td><td>Home</td></tr></table>
    <p>Status as at : 20-04-2024 10:00:00 EDT</p>
    <div class="table-responsive"><table><tr><th>Participant<sup>2</sup></th>
    <th>Signature</th><th>Ratification, Acceptance(A), Approval(AA), Accession(a),
    Succession(d)</th></tr>
    <tr><td>Serbia<sup>4,7</sup></td><td>12 Dec 2000</td><td>6 Sep 2001<sup>3</sup></td></tr>
    </table></div>
    <div class="table-responsive"><table><tr><td>1. A note.</td></tr></table></div></body></html>"""

    table = status_table_parse(page)

    assert [(r.participant, r.signature, r.consent) for r in table.rows] == [
        ("Serbia", date(2000, 12, 12), date(2001, 9, 6))
    ]
    assert table.rows[0].line == 6  # the row's line in the file
    assert table.status_as_at == date(2024, 4, 20)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<html><body><p>Hello</p></body></html>", "no status table"),
        ("Just some words\nwithout a table\n", "no status table"),
        ("name,age\nBob,4\n", "no status table"),
        ("", "the file is empty"),
    ],
)
def test_a_file_that_is_not_a_status_table_is_refused(text, message):
    with pytest.raises(TableRefused) as refused:
        status_table_parse(text)

    assert message in str(refused.value.errors[0])


def test_a_malformed_date_names_its_line_and_column():
    text = (
        "Participant\tSignature\tRatification, Acceptance(A), Approval(AA), Accession(a), "
        "Succession(d)\n"
        "Albania\t12 Dec 2000\t21 Aug 2002\n"
        "Austria\t31 Feb 2001\t23 Sep 2004 A\n"
        "Belgium\tsoon\t\n"
    )
    with pytest.raises(TableRefused) as refused:
        status_table_parse(text)

    assert [str(e) for e in refused.value.errors] == [
        "line 3, signature: '31 Feb 2001' is not a calendar date",
        "line 4, signature: 'soon' is not a date as the depositary writes it "
        "(e.g. '12 Dec 2000' or '24 Sep 2003 a')",
    ]


def test_csv_mixing_instruments_is_refused():
    text = (
        "participant,instrument,signature_date,consent_date,consent_kind\n"
        "Albania,fir,,2004-01-01,accession\n"
        "Austria,tip,,2004-01-01,accession\n"
    )
    with pytest.raises(TableRefused) as refused:
        status_table_parse(text, CSV)

    assert str(refused.value.errors[0]).startswith("line 3, instrument:")


def test_forms_are_told_apart():
    assert detect_form("<!DOCTYPE html><html>") == HTML
    assert detect_form("participant,iso3,consent_date,signature_date,consent_kind\n") == CSV
    assert detect_form("Participant\tSignature\tRatification\n") == TEXT


def test_text_that_is_not_utf8_is_refused():
    with pytest.raises(TableRefused, match="not UTF-8"):
        status_table_parse("Participant\tSignature\tCôte".encode("latin-1"))
