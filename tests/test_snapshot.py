"""export_snapshot and import_snapshot: every record and its history, one deterministic file,
restored whole into an empty database or not at all."""

import io
import json
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from instruments import services as treaty_services
from instruments.models import (
    Declaration,
    DepositaryBatch,
    DepositaryProposal,
    Instrument,
    TreatyAction,
)
from reports import services, sweep
from reports.coverage import coverage_set
from reports.models import ComplianceFlag, Submission
from reports.snapshot import snapshot_write, tracker_data_counts
from reports.snapshot_format import MODELS
from states.models import Participant
from states.services import alias_upsert
from tests.factories import participant
from tests.reports.conftest import obligation, state

pytestmark = pytest.mark.usefixtures("real_data")


def export() -> str:
    out = io.StringIO()
    snapshot_write(out)
    return out.getvalue()


def empty_the_tracker_tables() -> None:
    """What a newly migrated database holds of tracker data: nothing, and no review of
    proposals either (the shipped load proposes the post-2014 facts, and a proposal refers
    to a participant and an instrument). (Plain DELETEs: a model delete would add history
    rows.)"""
    with connection.cursor() as cursor:
        for model in [DepositaryProposal, DepositaryBatch, *reversed(MODELS)]:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
    assert tracker_data_counts() == {}


@pytest.fixture
def every_kind_of_record(editor):
    """The shipped data, plus what staff and the job add: an edit and a deletion by an
    editor, an alias, a declaration, a submission, and the sweep's flags."""
    south_sudan = participant()
    untoc = Instrument.objects.get(code="untoc")
    signature = treaty_services.action_record(
        participant=south_sudan,
        instrument=untoc,
        kind="signature",
        date=date(2001, 1, 10),
        source="test",
        actor=editor,
    )
    treaty_services.action_update(action=signature, note="checked", actor=editor)
    alias_upsert(participant=south_sudan, name="Southern Sudan", source="test", actor=editor)
    declaration = treaty_services.declaration_record(
        participant=state("DEU"),
        instrument=untoc,
        kind="declaration",
        article="general",
        date=None,
        made_at="unknown",
        summary="Ünïcödé — «quoted» text",
        source="test",
        actor=editor,
    )
    treaty_services.declaration_delete(declaration=declaration, actor=editor)
    services.submission_record(
        participant=state("DEU"),
        obligation=obligation("untoc-cop-2007"),
        received_on=date(2009, 5, 1),
        reference="CTOC/COP/2008/CRP.1",
        actor=editor,
    )
    coverage_set(
        obligation=obligation("untoc-cop-2007"),
        participant=None,
        source="test check",
        checked_as_of=date(2010, 1, 1),
        actor=editor,
    )
    sweep.compliance_sweep(as_of=date(2010, 1, 2))
    assert ComplianceFlag.objects.exists()


def test_the_same_data_give_the_same_bytes(every_kind_of_record):
    first = export()
    assert export() == first
    header = json.loads(first)
    assert (header["format"], header["version"]) == ("untoc-tracker-snapshot", 1)


def test_the_file_holds_every_record_and_history_row_with_iso_dates(every_kind_of_record):
    document = json.loads(export())
    tables = {t["table"]: t for t in document["tables"]}
    for model in MODELS:
        name = f"{model._meta.app_label}.{model._meta.model_name}"
        assert len(tables[name]["rows"]) == model._base_manager.count(), name
    actions = tables["instruments.treatyaction"]
    ids = [row[0] for row in actions["rows"]]
    assert ids == sorted(ids)  # rows by primary key
    row = dict(zip(actions["columns"], actions["rows"][-1], strict=True))
    assert row["date"] == "2001-01-10"
    assert row["created_at"].endswith("+00:00")
    history = tables["instruments.historicaldeclaration"]
    deleted = [dict(zip(history["columns"], r, strict=True)) for r in history["rows"]][-1]
    assert (deleted["history_type"], deleted["history_user"]) == ("-", "spmu-editor")
    flags = tables["reports.historicalcomplianceflag"]
    by_the_system = dict(zip(flags["columns"], flags["rows"][0], strict=True))
    assert by_the_system["history_user"] is None
    assert by_the_system["history_change_reason"] == "compliance check (system)"


def test_a_round_trip_through_an_empty_database_finds_no_difference(
    every_kind_of_record, tmp_path, editor
):
    before = tmp_path / "before.json"
    call_command("export_snapshot", str(before), stdout=io.StringIO())
    empty_the_tracker_tables()
    editor.delete()  # a new database does not know the authors either

    out = io.StringIO()
    call_command("import_snapshot", str(before), stdout=out)
    assert "Restored" in out.getvalue()
    after = tmp_path / "after.json"
    call_command("export_snapshot", str(after), stdout=io.StringIO())
    assert after.read_bytes() == before.read_bytes()

    # The history still names its author, now an account that cannot sign in.
    author = get_user_model().objects.get(username="spmu-editor")
    assert (author.is_active, author.has_usable_password()) == (False, False)
    signature = TreatyAction.objects.get(participant__iso3="SSD")
    assert [h.history_user for h in signature.history.all()] == [author, author]
    # New records get new keys after the restored ones.
    new = participant("SOM", "Somalia")
    assert new.pk > max(Participant.objects.exclude(pk=new.pk).values_list("pk", flat=True))


def test_the_export_goes_to_standard_output_without_a_path(every_kind_of_record, capsys):
    call_command("export_snapshot")
    captured = capsys.readouterr()
    assert captured.out == export()
    assert "Total:" in captured.err


def test_a_database_holding_data_is_refused_and_left_alone(every_kind_of_record, tmp_path):
    path = tmp_path / "snapshot.json"
    path.write_text(export(), encoding="utf-8")
    counts = tracker_data_counts()
    with pytest.raises(CommandError, match="already holds tracker data") as refused:
        call_command("import_snapshot", str(path))
    assert "Nothing was written" in str(refused.value)
    assert tracker_data_counts() == counts


def rewrite(text: str, table: str, change) -> str:
    document = json.loads(text)
    (found,) = [t for t in document["tables"] if t["table"] == table]
    change(found)
    return json.dumps(document)


def test_a_bad_file_is_checked_whole_and_nothing_is_written(every_kind_of_record, tmp_path):
    text = export()

    def break_actions(table):
        columns = table["columns"]
        table["rows"][0][columns.index("date")] = "2012-13-01"
        table["rows"][1][columns.index("participant_id")] = 999999
        table["rows"][2][columns.index("kind")] = "conquest"

    text = rewrite(text, "instruments.treatyaction", break_actions)
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    empty_the_tracker_tables()
    err = io.StringIO()
    with pytest.raises(CommandError, match="3 problem\\(s\\) found; nothing was written"):
        call_command("import_snapshot", str(path), stderr=err)
    problems = err.getvalue()
    assert "table instruments.treatyaction, row 1, column date: '2012-13-01'" in problems
    assert "row 3, column kind: 'conquest' is not one of the choices" in problems
    assert (
        "row 2, column participant_id: refers to states.participant 999999, which is not in "
        "the file" in problems
    )
    assert tracker_data_counts() == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not JSON"),
        ('{"format": "something else"}', "not an UNTOC Tracker snapshot"),
        ('{"format": "untoc-tracker-snapshot", "version": 2, "tables": []}', "version 2"),
        (
            '{"format": "untoc-tracker-snapshot", "version": 1, "tables": []}',
            "its tables are not this tracker's: missing ['states.participant'",
        ),
    ],
)
def test_a_file_that_is_not_a_snapshot_of_this_version_is_refused(tmp_path, text, message):
    path = tmp_path / "other.json"
    path.write_text(text, encoding="utf-8")
    empty_the_tracker_tables()
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_snapshot", str(path), stderr=err)
    assert message in err.getvalue()


def test_columns_of_another_version_of_the_tracker_are_refused(every_kind_of_record, tmp_path):
    def drop_a_column(table):
        table["columns"] = table["columns"][:-1]
        table["rows"] = [row[:-1] for row in table["rows"]]

    path = tmp_path / "old.json"
    path.write_text(rewrite(export(), "reports.submission", drop_a_column), encoding="utf-8")
    empty_the_tracker_tables()
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_snapshot", str(path), stderr=err)
    assert "table reports.submission: its columns are not this tracker's: missing" in (
        err.getvalue()
    )


def test_a_file_the_database_refuses_is_rolled_back_whole(every_kind_of_record, tmp_path):
    """Two flags for one participant and obligation pass the file's checks but not the
    database's unique constraint, met after thousands of rows went in: none of them stays."""

    def twin(table):
        columns = table["columns"]
        for column in ("participant_id", "obligation_id"):
            table["rows"][1][columns.index(column)] = table["rows"][0][columns.index(column)]

    path = tmp_path / "twins.json"
    path.write_text(rewrite(export(), "reports.complianceflag", twin), encoding="utf-8")
    empty_the_tracker_tables()
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_snapshot", str(path), stderr=err)
    assert "the database refused the snapshot" in err.getvalue()
    assert tracker_data_counts() == {}
    assert not Submission.objects.exists()
    assert not Declaration.history.exists()
