"""Sources read as citations: nothing of how the data were gathered reaches a reader."""

import csv
import re
from pathlib import Path

from instruments.citations import citation, from_depositary

ROOT = Path(__file__).resolve().parents[2]
INTERNAL = re.compile(
    r"@[0-9a-f]{7}|zmjones|scrape|\.csv|\.txt|stored|text cut|src=|\.\./|ViewDetails"
    r"|ShowMTDSG|verify|probably|inferred|consent_date|consent_kind|Project's",
    re.IGNORECASE,
)
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def shipped_sources() -> list[tuple[str, str]]:
    """Every source recorded in the shipped data, with the file and column it is in: each
    `source` and `..._source` column of every table in an app's data/ folder."""
    found = set()
    for path in sorted(ROOT.glob("*/data/*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                for column, value in row.items():
                    if (column == "source" or column.endswith("_source")) and value:
                        found.add((f"{path.parent.parent.name}/data/{path.name}:{column}", value))
    return sorted(found)


def parts(text: str) -> list[str]:
    """A citation's parts: split at "; " outside parentheses."""
    found, depth, current = [], 0, ""
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        current += char
        if current.endswith("; ") and depth == 0:
            found.append(current[:-2])
            current = ""
    return [*found, current]


def citation_problems(text: str) -> list[str]:
    """What keeps a citation from being text a reader can use: empty; an internal note
    (a scrape, a commit, a file, an inference to verify); a date not in words; a part that
    is an address without the name of its source; unbalanced brackets."""
    if not text.strip():
        return ["empty"]
    problems = [f"internal note {m.group()!r}" for m in INTERNAL.finditer(text)]
    problems += [f"date not in words {m.group()!r}" for m in ISO_DAY.finditer(text)]
    problems += [f"an address, not a title: {p!r}" for p in parts(text) if p.startswith("http")]
    if text.count("(") != text.count(")"):
        problems.append("unbalanced brackets")
    return problems


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


def test_the_walk_finds_every_kind_of_shipped_source():
    files = {where.split(":")[0] for where, _ in shipped_sources()}
    assert {
        "instruments/data/treaty_status.csv",
        "instruments/data/post2014_candidates.csv",
        "instruments/data/post2014_status.csv",
        "instruments/data/open_questions.csv",
        "instruments/data/declarations.csv",
        "instruments/data/depositary_counts.csv",
        "states/data/participants.csv",
        "states/data/osce_role_periods.csv",
        "reports/data/obligations.csv",
    } <= files
    assert len(shipped_sources()) > 100


def test_every_shipped_source_renders_as_a_citation_a_reader_can_use():
    unusable = {
        where: (citation(source), problems)
        for where, source in shipped_sources()
        if (problems := citation_problems(citation(source)))
    }
    assert unusable == {}


def test_the_checker_catches_what_a_reader_cannot_use():
    assert citation_problems("") == ["empty"]
    assert citation_problems("UNTC status table as scraped 2014 (zmjones/untreaties@b85e1e2)")
    assert citation_problems("A gazette (as at 2017-07-12)") == ["date not in words '2017-07-12'"]
    assert citation_problems("A release; https://example.org/x") == [
        "an address, not a title: 'https://example.org/x'"
    ]
    assert citation_problems("A release (https://example.org/x; https://example.org/y)") == []


def test_each_post2014_fact_cites_its_source_by_name_with_its_date():
    with (ROOT / "instruments/data/post2014_status.csv").open(encoding="utf-8") as handle:
        cited = {
            row["iso3"] + " " + row["instrument"]: citation(row["source"])
            for row in csv.DictReader(handle)
        }
    assert cited["JPN UNTOC"] == (
        "Ministry of Foreign Affairs of Japan, press release "
        "(https://www.mofa.go.jp/mofaj/press/release/press3_000292.html), as at 12 July 2017; "
        "UNODC statement of 12 July 2017 (http://intlawinfo.globelaw.info/"
        "unodc-chief-welcomes-japans-decision-to-join-crime-and-corruption-conventions/)"
    )
    assert cited["SGP TIP"].startswith(
        "Ministry of Foreign Affairs of Singapore, press release of 29 September 2015 (https://"
    )
    assert cited["SGP TIP"].endswith(
        "; Ministry of Home Affairs of Singapore, press release of 10 March 2016"
    )
    assert cited["DEU FIR"] == (
        "Netherlands Treaty Database (verdragenbank.overheid.nl), Firearms Protocol party list, "
        "as at 2024; entry into force 13 November 2021, date of deposit 30 days earlier by "
        "the Firearms Protocol's rule for a later deposit"
    )
    assert cited["ERI UNTOC"] == (
        "Austrian Federal Law Gazette (BGBl.) III No. 232/2014, as at 31 December 2014"
    )
    for text in cited.values():
        assert re.search(r"\b20\d\d\b", text), text


def test_an_inference_from_a_gazette_cites_the_gazette_not_the_reasoning():
    source = (
        "Inferred: Austrian BGBl III 57/2025 (https://example.at/x; licensed from RIS, CC BY "
        "4.0) records Somalia's SOM accession of 25 Mar 2025; UNTOC art. 37(2) requires a "
        "State to be party to the Convention to join a Protocol"
    )
    assert citation(source) == "Austrian Federal Law Gazette (BGBl.) III No. 57/2025"


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
