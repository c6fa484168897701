"""Sources read as citations: nothing of how the data were gathered reaches a reader."""

import csv
import re
from pathlib import Path

import pytest

from instruments.citations import citation, from_depositary

DATA = Path(__file__).resolve().parents[2]
SHIPPED = [
    "instruments/data/treaty_status.csv",
    "instruments/data/declarations.csv",
    "instruments/data/post2014_status.csv",
    "instruments/data/depositary_counts.csv",
]
INTERNAL = re.compile(
    r"@[0-9a-f]{7}|zmjones|scrape|\.csv|\.txt|stored|text cut|src=|\.\./|ViewDetails"
    r"|ShowMTDSG|verify|probably|consent_date|consent_kind|Project's",
    re.IGNORECASE,
)


def test_the_2014_table_reads_as_the_depositarys_status_as_at_its_date():
    source = "UNTC status table as scraped 2014 (zmjones/untreaties@b85e1e2:treaties/18-12.csv)"
    assert (
        citation(source) == "UN Treaty Collection, chapter XVIII-12, status as at 27 January 2014"
    )


def test_the_protocols_2014_tables_carry_their_own_date():
    source = "UNTC status table as scraped 2014 (zmjones/untreaties@65551ea:treaties/18-12-c.csv)"
    assert citation(source) == (
        "UN Treaty Collection, chapter XVIII-12-c, status as at 10 July 2014"
    )


def test_a_later_consent_names_its_own_source_and_drops_the_working_notes():
    source = (
        "UNTC status table as scraped 2014 (zmjones/untreaties@b85e1e2:treaties/18-12.csv); "
        "consent_date, consent_kind from Korea Herald 2015-11-06 (m.koreaherald.com "
        "ud=20151106000324): documents delivered at UNHQ 'Thursday' = 2015-11-05; "
        "UNTOC + 3 protocols"
    )
    assert citation(source) == (
        "UN Treaty Collection, chapter XVIII-12, status as at 27 January 2014; "
        "consent: The Korea Herald, 6 November 2015"
    )


def test_an_inference_to_verify_is_not_a_source():
    source = (
        "UNTC status table as scraped 2014 (zmjones/untreaties@b85e1e2:treaties/18-12-a.csv); "
        "kind not recorded: no signature, so probably an accession (verify)"
    )
    assert citation(source) == (
        "UN Treaty Collection, chapter XVIII-12-a, status as at 27 January 2014"
    )


def test_remarks_about_our_copy_and_file_paths_are_left_out_of_unknown_text():
    assert citation("Some gazette 12/2020 (text cut); see notes/raw/facts.txt") == (
        "Some gazette 12/2020; see"
    )
    assert citation("A ministry's release (stored copy, text stripped: names/dates only)") == (
        "A ministry's release"
    )


def test_a_citation_already_readable_is_kept():
    text = "UN Treaty Collection status page as at 4 May 2024"
    assert citation(text) == text


@pytest.mark.parametrize("path", SHIPPED)
def test_every_shipped_source_gives_a_citation_without_internal_notes(path: str):
    with (DATA / path).open(newline="", encoding="utf-8") as handle:
        sources = {row["source"] for row in csv.DictReader(handle)}
    for source in sources:
        cited = citation(source)
        assert cited, source
        assert not INTERNAL.search(cited), cited


def test_a_signature_rests_on_the_table_and_a_consent_on_its_own_later_source():
    source = (
        "UNTC status table as scraped 2014 (zmjones/untreaties@b85e1e2:treaties/18-12.csv); "
        "consent_date, consent_kind from Korea Herald 2015-11-06 (x): y"
    )
    assert from_depositary(source, signature=True)
    assert not from_depositary(source)


def test_only_the_depositarys_own_record_counts_as_the_depositary():
    table = "UNTC status table as scraped 2014 (zmjones/untreaties@b85e1e2:treaties/18-12.csv)"
    assert from_depositary(table)
    assert from_depositary(f"{table}; consent_date from treaties.un.org ShowMTDSGDetails "
                           "XVIII-12 (status as at 2024-05-04)")  # fmt: skip
    assert not from_depositary(f"{table}; consent_date from Korea Herald 2015-11-06 (x): y")
    assert not from_depositary("Austria BGBl III [232/2014] (global-regulation.com/x)")
    assert not from_depositary(
        "zaki.ru/pagesnew.php?id=1 (copy of UNTC UNTOC status as at 16.09.2010)"
    )
