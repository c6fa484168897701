"""The depositary's checkpoints and the open questions load like every other table: every row
checked first, nothing written if one is wrong, a second load changes nothing."""

from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from instruments import quality_services
from instruments.importing import ImportRefused
from instruments.loading import data_load
from instruments.models import DepositaryCheckpoint, Instrument, OpenQuestion, TreatyAction
from states.models import Participant

pytestmark = pytest.mark.usefixtures("real_data")

CHECKPOINT_HEADER = "instrument,as_at,signatories,parties,source\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_checkpoints_and_open_questions_are_loaded():
    fir = DepositaryCheckpoint.objects.get(instrument__code="fir")
    assert (fir.as_at, fir.signatories, fir.parties) == (date(2024, 5, 4), 52, 123)
    assert DepositaryCheckpoint.objects.count() == 4
    assert OpenQuestion.objects.count() == 21
    fiji = OpenQuestion.objects.get(iso3="FJI", instrument__code="untoc")
    assert fiji.participant is None  # the tracker does not list Fiji yet
    assert (fiji.claimed_date, fiji.reason) == (None, "confidence medium; no source gives the day")


def test_the_facts_after_2014_are_written_only_once_an_editor_accepts_them(
    post2014_facts_accepted,
):
    germany = TreatyAction.objects.get(
        participant__iso3="DEU", instrument__code="fir", kind="consent"
    )
    assert germany.date == date(2021, 10, 14)
    assert "entry into force 13 November 2021" in germany.source
    assert germany.history.first().history_user.username == "facts-editor"
    japan = TreatyAction.objects.get(
        participant__iso3="JPN", instrument__code="untoc", kind="acceptance"
    )
    assert japan.date == date(2017, 7, 11)
    assert "mofa.go.jp" in japan.source
    # Somalia's Smuggling Protocol accession waits for a dated Convention consent (art. 37(2)).
    assert not Participant.objects.filter(iso3="SOM").exists()


def test_loading_the_shipped_data_again_changes_nothing():
    summary = data_load()
    assert summary.changed == 0
    assert summary.counts["open questions"]["unchanged"] == 21
    assert summary.counts["post-2014 facts proposed for review"]["unchanged"] == 11


def test_a_bad_checkpoints_table_is_refused_row_by_row_and_nothing_is_written(tmp_path):
    path = write(
        tmp_path,
        "counts.csv",
        CHECKPOINT_HEADER
        + "tip,2025-01-10,117,190,UN Treaty Collection status page as at 10 January 2025\n"
        + "xyz,2025-01-10,1,2,somewhere\n"
        + "som,2025-02-30,112,-1,\n"
        + "tip,2025-01-10,117,191,again\n",
    )
    with pytest.raises(ImportRefused) as refused:
        data_load([path])
    assert [str(e) for e in refused.value.errors] == [
        "counts.csv: row 3, column instrument: 'xyz' is not one of: fir, som, tip, untoc",
        "counts.csv: row 4, column as_at: '2025-02-30' is not a date in the form YYYY-MM-DD",
        "counts.csv: row 4, column parties: '-1' is not a count",
        "counts.csv: row 4, column source: is required and empty",
        "counts.csv: row 5, column instrument: repeats row 2",
    ]
    assert not DepositaryCheckpoint.objects.filter(as_at=date(2025, 1, 10)).exists()


def test_staff_extend_the_checkpoints_with_a_table_and_a_second_load_changes_nothing(tmp_path):
    path = write(
        tmp_path,
        "counts.csv",
        CHECKPOINT_HEADER
        + 'tip,2025-01-10,117,190,"UN Treaty Collection, status as at 10 January 2025"\n',
    )
    assert data_load([path]).counts["depositary checkpoints"]["created"] == 1
    assert data_load([path]).changed == 0
    added = DepositaryCheckpoint.objects.get(instrument__code="tip", as_at=date(2025, 1, 10))
    assert added.history.count() == 1


def test_a_checkpoint_in_the_future_is_refused_by_the_service():
    with pytest.raises(ValidationError) as refused:
        quality_services.checkpoint_upsert(
            instrument=Instrument.objects.get(code="tip"),
            as_at=date(2999, 1, 1),
            signatories=1,
            parties=1,
            source="x",
        )
    assert refused.value.error_dict["as_at"][0].code == "date_in_future"


def test_an_open_question_is_linked_to_its_participant_once_the_tracker_lists_it():
    question = OpenQuestion.objects.get(iso3="SLE", instrument__code="untoc")
    assert question.participant.iso3 == "SLE"
    result = quality_services.open_question_upsert(
        iso3="SLE",
        instrument=question.instrument,
        participant_name=question.participant_name,
        claim=question.claim,
        claimed_kind=question.claimed_kind,
        claimed_date=question.claimed_date,
        confidence="high",
        reason="checked",
        source=question.source,
        source_as_of=question.source_as_of,
        note=question.note,
        expected_version=question.version,
    )
    assert result.outcome == "updated"
    assert result.instance.version == question.version + 1
