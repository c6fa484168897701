"""Sources read as citations: nothing of how the data were gathered reaches a reader."""

import csv
import re
from html import unescape
from pathlib import Path

import pytest
from django.utils import translation

from instruments.citations import citation, from_depositary

ROOT = Path(__file__).resolve().parents[2]
INTERNAL = re.compile(
    r"@[0-9a-f]{7}|zmjones|scrape|\.csv|\.txt|stored|text cut|src=|\.\./|ViewDetails"
    r"|ShowMTDSG|verify|probably|inferred|consent_date|consent_kind|Project's",
    re.IGNORECASE,
)
ADDRESS = re.compile(r"https?://[^\s);]+")
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# Words of the recorded provenance no page, download or citation may show.
PROVENANCE = re.compile(r"scrap(e|ed|ing)|zmjones|stripped|untreaties", re.IGNORECASE)


def untc(mtdsg: str, language: str = "en") -> str:
    """The depositary's page of one instrument."""
    return (
        "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY"
        f"&mtdsg_no={mtdsg}&chapter=18&clang=_{language}"
    )


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
    prose = ADDRESS.sub("", text)  # an address is the source's own (a page's query)
    problems = [f"internal note {m.group()!r}" for m in INTERNAL.finditer(prose)]
    problems += [f"date not in words {m.group()!r}" for m in ISO_DAY.finditer(text)]
    problems += [f"an address, not a title: {p!r}" for p in parts(text) if p.startswith("http")]
    if text.count("(") != text.count(")"):
        problems.append("unbalanced brackets")
    return problems


def test_the_2014_table_reads_as_the_depositarys_status_as_at_its_date():
    source = "UNTC status table as scraped 2014 (zmjones/untreaties@b85e1e2:treaties/18-12.csv)"
    assert citation(source) == (
        "United Nations Treaty Collection, chapter XVIII-12, status as at 27 January 2014 "
        f"({untc('XVIII-12')})"
    )


def test_the_protocols_2014_tables_carry_their_own_date():
    source = "UNTC status table as scraped 2014 (zmjones/untreaties@65551ea:treaties/18-12-c.csv)"
    assert citation(source) == (
        "United Nations Treaty Collection, chapter XVIII-12-c, status as at 10 July 2014 "
        f"({untc('XVIII-12-c')})"
    )


def test_the_depositarys_page_is_in_french_where_it_has_one_else_in_english():
    source = "UNTC status table as scraped 2014 (zmjones/untreaties@b85e1e2:treaties/18-12.csv)"
    assert citation(source, "fr").endswith(f"({untc('XVIII-12', 'fr')})")
    assert "27 janvier 2014" in citation(source, "fr")
    for language in ("de", "it", "ru", "es"):
        assert citation(source, language).endswith(f"({untc('XVIII-12')})"), language
    with translation.override("fr"):
        assert citation(source) == citation(source, "fr")  # the active language by default


def test_declarations_cite_the_chapter_page():
    assert citation(
        "UNTC XVIII-12-a decl. section (zmjones/untreaties declarations/18-12-a.txt, 2014 scrape)"
    ) == (
        "United Nations Treaty Collection, chapter XVIII-12-a, declarations and reservations "
        f"as published in 2014 ({untc('XVIII-12-a')})"
    )
    assert (
        citation(
            "treaties.un.org ViewDetails XVIII-12-b src=TREATY (stored copy, text stripped: "
            "names/dates only)"
        )
        == f"United Nations Treaty Collection, chapter XVIII-12-b ({untc('XVIII-12-b')})"
    )


def test_a_citation_typed_in_the_earlier_form_reads_as_the_others():
    assert citation("UN Treaty Collection, chapter XVIII-12-a, status as at 10 January 2025") == (
        "United Nations Treaty Collection, chapter XVIII-12-a, status as at 10 January 2025 "
        f"({untc('XVIII-12-a')})"
    )


def test_a_later_consent_names_its_own_source_and_drops_the_working_notes():
    source = (
        "UNTC status table as scraped 2014 (zmjones/untreaties@b85e1e2:treaties/18-12.csv); "
        "consent_date, consent_kind from Korea Herald 2015-11-06 (m.koreaherald.com "
        "ud=20151106000324): documents delivered at UNHQ 'Thursday' = 2015-11-05; "
        "UNTOC + 3 protocols"
    )
    assert citation(source) == (
        "United Nations Treaty Collection, chapter XVIII-12, status as at 27 January 2014 "
        f"({untc('XVIII-12')}); consent: The Korea Herald, 6 November 2015"
    )


def test_an_inference_to_verify_is_not_a_source():
    source = (
        "UNTC status table as scraped 2014 (zmjones/untreaties@b85e1e2:treaties/18-12-a.csv); "
        "kind not recorded: no signature, so probably an accession (verify)"
    )
    assert citation(source) == (
        "United Nations Treaty Collection, chapter XVIII-12-a, status as at 27 January 2014 "
        f"({untc('XVIII-12-a')})"
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


@pytest.mark.parametrize("language", ["en", "fr", "de", "it", "ru", "es"])
def test_every_shipped_source_renders_as_a_citation_a_reader_can_use(language):
    unusable = {
        where: (citation(source, language), problems)
        for where, source in shipped_sources()
        if (problems := citation_problems(citation(source, language)))
    }
    assert unusable == {}


def test_no_shipped_citation_names_the_provenance():
    assert PROVENANCE.search("UNTC status table as scraped 2014 (zmjones/untreaties@b85e1e2)")
    named = {
        where: cited
        for where, source in shipped_sources()
        if PROVENANCE.search(cited := citation(source))
    }
    assert named == {}


def test_every_citation_of_the_depositarys_tables_links_its_page():
    for where, source in shipped_sources():
        if where.startswith(("instruments/data/treaty_status.csv", "instruments/data/declar")):
            for part in citation(source).split("; "):
                if part.startswith("United Nations Treaty Collection") and "(copy at" not in part:
                    assert "(https://treaties.un.org/Pages/" in part, (where, part)


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


# --- what pages and the API show ------------------------------------------------------------

PAGES = [
    "/states/KOR/",  # a later consent from a newspaper, beside the 2014 table
    "/states/AFG/",  # a declaration from a stored copy whose text was stripped
    "/states/DZA/",  # declarations from the 2014 scrape
    "/states/MNE/",  # a succession
    "/status/",
    "/status/?osce_role=any&view=detailed",
    "/instruments/som/",
]


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return unescape(response.content.decode())


@pytest.mark.usefixtures("real_data")
@pytest.mark.parametrize("language", ["", "/fr", "/ru"])
def test_no_page_shows_how_the_data_were_gathered(client, language):
    for path in PAGES:
        html = page(client, f"{language}{path}")
        assert not PROVENANCE.findall(html), (language + path, PROVENANCE.findall(html))


@pytest.mark.usefixtures("real_data")
def test_the_participant_page_gives_the_reader_s_citation_with_the_depositarys_page(client):
    html = page(client, "/states/DZA/")
    assert (
        "United Nations Treaty Collection, chapter XVIII-12, declarations and reservations as "
        f"published in 2014 ({untc('XVIII-12')})"
    ) in html
    assert (
        "United Nations Treaty Collection, chapter XVIII-12, status as at 27 January 2014 "
        f"({untc('XVIII-12')})"
    ) in html
    french = page(client, "/fr/states/DZA/")
    assert (
        "Collection des traités des Nations Unies, chapitre XVIII-12, situation au "
        f"27 janvier 2014 ({untc('XVIII-12', 'fr')})"
    ) in french
    # A citation in the page's language is not marked as English text.
    assert '<td class="source" lang="en">' not in french


@pytest.mark.usefixtures("real_data")
def test_the_api_s_citations_are_the_reader_s_in_the_language_asked(client):
    from tests.apiclient import all_results

    actions = all_results(client, "actions/", {"state": "DZA", "instrument": "untoc"})
    declarations = all_results(client, "declarations/", {"state": "DZA"})
    for row in actions + declarations:
        assert not PROVENANCE.search(row["citation"] + row["source"]), row
        assert row["citation"].startswith("United Nations Treaty Collection, chapter XVIII-12")
        assert re.search(r"\(https://treaties\.un\.org/\S+&clang=_en\)$", row["citation"])
    french = all_results(client, "declarations/", {"state": "DZA", "lang": "fr"})
    assert french
    assert all(row["citation"].endswith("&clang=_fr)") for row in french)


def test_a_part_kept_as_recorded_is_marked_english_on_a_page_in_another_language():
    from instruments.citations import citation_html

    recorded = "Ministry of Foreign Affairs, press release of 3 May 2019"
    assert citation_html(recorded, "en") == recorded
    assert citation_html(recorded, "fr") == f'<span lang="en">{recorded}</span>'
    depositary = "UNTC status table as scraped 2014 (zmjones/untreaties@b85e1e2:treaties/18-12.csv)"
    french = citation_html(depositary, "fr")
    assert french.startswith("Collection des traités des Nations Unies")
    assert 'lang="en"' not in french
    assert citation_html("<script>", "fr") == '<span lang="en">&lt;script&gt;</span>'
