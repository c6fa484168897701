"""Which facts after the 2014 tables become treaty actions, and which stay open questions."""

import csv
from datetime import date
from pathlib import Path

import pytest

from instruments import domain
from instruments.candidates import (
    OPEN_QUESTION_COLUMNS,
    STATUS_COLUMNS,
    Candidate,
    candidate_decide,
    candidates_decide,
    candidates_read,
    candidates_sort,
)
from instruments.importing import ImportRefused
from instruments.loading import DATA

TODAY = date(2026, 1, 1)
CONVENTION = domain.InstrumentFacts(
    code="untoc", short_title="Convention", adopted_on=date(2000, 11, 15),
    entry_into_force=date(2003, 9, 29),
)  # fmt: skip
FIREARMS = domain.InstrumentFacts(
    code="fir", short_title="Firearms Protocol", adopted_on=date(2001, 5, 31),
    convention="untoc", entry_into_force=date(2005, 7, 3),
)  # fmt: skip
FACTS = {"untoc": CONVENTION, "fir": FIREARMS}
GERMANY = {
    "untoc": [
        domain.Action(domain.SIGNATURE, date(2000, 12, 12), ref=1),
        domain.Action(domain.RATIFICATION, date(2006, 6, 14), ref=2),
    ],
    "fir": [domain.Action(domain.SIGNATURE, date(2002, 9, 3), ref=3)],
}
DERIVED_NOTE = (
    "Entry into force 2021-11-13 per the Netherlands treaty database; deposit date derived as "
    "30 days earlier (Firearms Protocol art. 18(2)). Kind not given by the source."
)


def candidate(**fields) -> Candidate:
    values = {
        "row": 2,
        "participant": "Germany",
        "iso3": "DEU",
        "instrument": "fir",
        "date": date(2021, 10, 14),
        "kind": domain.CONSENT_KIND_NOT_RECORDED,
        "source": "Netherlands treaty database",
        "source_as_of": "2024",
        "confidence": "high",
        "note": DERIVED_NOTE,
    } | fields
    return Candidate(**values)


def test_a_high_confidence_date_derived_by_the_exact_30_day_rule_becomes_an_action():
    decision = candidate_decide(candidate(), FACTS, GERMANY, TODAY)
    assert decision.accepted
    assert decision.derived_from == date(2021, 11, 13)
    assert "30-day rule" in decision.reason


def test_a_derived_date_that_is_not_30_days_before_entry_into_force_stays_open():
    decision = candidate_decide(candidate(date=date(2021, 10, 13)), FACTS, GERMANY, TODAY)
    assert not decision.accepted
    assert "not 30 days before the entry into force 2021-11-13" in decision.reason


def test_a_derivation_with_another_number_of_days_than_the_rule_stays_open():
    note = DERIVED_NOTE.replace("as 30 days", "as 29 days")
    decision = candidate_decide(
        candidate(note=note, date=date(2021, 10, 15)), FACTS, GERMANY, TODAY
    )
    assert not decision.accepted
    assert "29 days" in decision.reason


def test_a_derivation_from_the_protocols_own_entry_into_force_stays_open():
    # A deposit made before the Protocol itself entered into force waits for it ("whichever
    # is later"), so its date cannot be read back from the entry into force.
    note = "Entry into force 2005-07-03 per a database; deposit date derived as 30 days earlier"
    decision = candidate_decide(candidate(note=note, date=date(2005, 6, 3)), FACTS, GERMANY, TODAY)
    assert not decision.accepted
    assert "not after the instrument's own" in decision.reason


def test_medium_confidence_and_undated_candidates_stay_open_questions():
    medium = candidate_decide(candidate(confidence="medium", note=""), FACTS, GERMANY, TODAY)
    undated = candidate_decide(candidate(date=None, note=""), FACTS, GERMANY, TODAY)
    assert (medium.accepted, medium.reason) == (False, "confidence medium")
    assert (undated.accepted, undated.reason) == (False, "no source gives the day")


def test_a_protocol_consent_without_a_convention_consent_stays_open_under_art_37_2():
    somalia = candidate(participant="Somalia", iso3="SOM", note="", date=date(2025, 3, 25))
    decision = candidate_decide(somalia, FACTS, {}, TODAY)
    assert not decision.accepted
    assert "art. 37(2)" in decision.reason


def test_a_convention_consent_accepted_in_the_same_file_counts_for_the_protocol():
    convention = candidate(
        row=3, instrument="untoc", date=date(2025, 1, 6), note="", iso3="SOM",
        kind=domain.ACCESSION,
    )  # fmt: skip
    protocol = candidate(row=2, iso3="SOM", date=date(2025, 3, 25), note="", kind="accession")
    decisions = candidates_decide([protocol, convention], FACTS, {}, TODAY)
    assert [(d.candidate.row, d.accepted) for d in decisions] == [(2, True), (3, True)]


def test_a_kind_the_source_gives_replaces_an_unrecorded_kind_of_the_same_day():
    stored = {
        "untoc": [
            domain.Action(domain.SIGNATURE, date(2000, 12, 12), ref=1),
            domain.Action(domain.CONSENT_KIND_NOT_RECORDED, date(2017, 7, 11), ref=2),
        ]
    }
    japan = candidate(
        instrument="untoc", iso3="JPN", date=date(2017, 7, 11), kind=domain.ACCEPTANCE, note=""
    )
    assert candidate_decide(japan, FACTS, stored, TODAY).accepted


def test_a_bad_candidates_file_is_refused_naming_row_and_column(tmp_path: Path):
    path = tmp_path / "candidates.csv"
    path.write_text(
        "participant,iso3,instrument,action,date,consent_kind,source,source_as_of,confidence,note\n"
        "Japan,JPN,tip,consent,2017-13-11,acceptance,MOFA,2017,sure,\n"
    )
    with pytest.raises(ImportRefused) as refused:
        candidates_read(path, ["untoc", "tip"])
    messages = [str(e) for e in refused.value.errors]
    assert "candidates.csv: row 2, column confidence: 'sure' is not one of: high, medium, low" in (
        messages
    )
    assert any("row 2, column date" in m for m in messages)


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.django_db
def test_the_shipped_post2014_files_are_what_the_candidates_sort_gives(real_data):
    # The shipped status rows and open questions are derived, not edited by hand: sorting
    # the shipped candidates against the loaded data gives them again.
    sort = candidates_sort()
    status = _csv_rows(DATA / "post2014_status.csv")
    questions = _csv_rows(DATA / "open_questions.csv")
    assert list(status[0]) == STATUS_COLUMNS
    assert list(questions[0]) == OPEN_QUESTION_COLUMNS
    assert sort.status_rows() == status
    assert sort.open_question_rows() == questions
    accepted = {(d.candidate.iso3, d.candidate.instrument) for d in sort.accepted}
    assert accepted == {
        ("ERI", "untoc"), ("JPN", "untoc"), ("JPN", "tip"), ("JPN", "som"), ("SGP", "tip"),
        ("BOL", "fir"), ("CHN", "fir"), ("COM", "fir"), ("DNK", "fir"), ("DEU", "fir"),
        ("FRA", "fir"),
    }  # fmt: skip
