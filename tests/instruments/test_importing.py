"""Loading CSV files: check every row first, write all or nothing, report row and column."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError

from core.selectors import data_revision
from core.tables import ImportRefused
from instruments import services
from instruments.events import treaty_data_changed
from instruments.importing import treaty_data_load
from instruments.models import Declaration, TreatyAction
from states.models import Participant, ParticipantAlias

pytestmark = pytest.mark.usefixtures("real_data")

HEADER = "participant,iso3,former_name,instrument,signature_date,consent_date,consent_kind,source\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_with_one_bad_row_writes_nothing_and_names_row_and_column(tmp_path):
    path = write(
        tmp_path,
        "status.csv",
        HEADER
        + "Somalia,SOM,,UNTOC,,2021-07-20,accession,test table\n"
        + "Somalia,SOM,,TIP,,2021-07-20,acession,test table\n",
    )
    before = TreatyAction.objects.count()
    with pytest.raises(ImportRefused) as refused:
        treaty_data_load([path])
    (error,) = refused.value.errors
    assert (error.row, error.column) == (3, "consent_kind")
    assert "'acession' is not one of" in str(error)
    assert str(error).startswith("status.csv: row 3, column consent_kind:")
    assert TreatyAction.objects.count() == before
    assert not Participant.objects.filter(iso3="SOM").exists()


def test_a_broken_treaty_rule_is_reported_by_row_and_column(tmp_path):
    path = write(
        tmp_path,
        "status.csv",
        HEADER + "Somalia,SOM,,TIP,,2021-07-20,accession,test table\n",
    )
    with pytest.raises(ImportRefused) as refused:
        treaty_data_load([path])
    (error,) = refused.value.errors
    assert (error.row, error.column) == (2, "consent_date")
    assert "protocol_requires_convention" in error.message


def test_a_newer_table_adds_a_participant_and_its_actions_then_changes_nothing(tmp_path):
    path = write(
        tmp_path,
        "status.csv",
        HEADER
        + "Somalia,SOM,,UNTOC,,2021-07-20,accession,test table\n"
        + "Somalia,SOM,,SOM,,2021-07-20,accession,test table\n",
    )
    first = treaty_data_load([path])
    assert first.counts["participants"]["created"] == 1
    assert first.counts["treaty actions"]["created"] == 2
    second = treaty_data_load([path])
    assert second.changed == 0
    assert second.counts["treaty actions"]["unchanged"] == 2


def test_a_corrected_date_updates_the_action_and_keeps_its_history(tmp_path):
    germany = Participant.objects.get(iso3="DEU")
    path = write(
        tmp_path,
        "status.csv",
        HEADER + "Germany,DEU,,UNTOC,2000-12-12,2006-06-13,ratification,corrected table\n",
    )
    summary = treaty_data_load([path])
    # The consent's date changed; the signature's date did not, but its source did.
    assert summary.counts["treaty actions"]["updated"] == 2
    ratification = germany.actions.get(instrument__code="untoc", kind="ratification")
    assert str(ratification.date) == "2006-06-13"
    assert ratification.history.count() == 2


def test_a_row_found_by_its_former_name_when_the_code_is_empty(tmp_path):
    path = write(
        tmp_path,
        "status.csv",
        HEADER + "Swaziland,,,UNTOC,,2012-09-24,accession,older table\n",
    )
    summary = treaty_data_load([path], dry_run=True)
    assert summary.dry_run
    assert (
        summary.counts["treaty actions"]["updated"] + summary.counts["treaty actions"]["unchanged"]
        == 1
    )


def test_a_dry_run_writes_nothing(tmp_path):
    path = write(
        tmp_path, "status.csv", HEADER + "Somalia,SOM,,UNTOC,,2021-07-20,accession,test table\n"
    )
    summary = treaty_data_load([path], dry_run=True)
    assert summary.counts["treaty actions"]["created"] == 1
    assert not Participant.objects.filter(iso3="SOM").exists()


def test_malformed_dates_and_unknown_codes_are_each_reported(tmp_path):
    path = write(
        tmp_path,
        "status.csv",
        HEADER
        + "Somalia,SOM,,UNTOC,,20-07-2021,accession,t\n"
        + "Nowhere,XXX,,UNTOC,,2021-07-20,accession,t\n"
        + "Somalia,SOM,,XYZ,,2021-07-20,accession,\n",
    )
    with pytest.raises(ImportRefused) as refused:
        treaty_data_load([path])
    found = {(e.row, e.column) for e in refused.value.errors}
    assert found == {(2, "consent_date"), (3, "iso3"), (4, "instrument"), (4, "source")}


def test_a_declarations_table_loads_and_is_idempotent(tmp_path):
    path = write(
        tmp_path,
        "declarations.csv",
        "participant,iso3,instrument,article,kind,date,made_at,summary,source\n"
        "Germany,DEU,UNTOC,18(14),notification,2006-06-14,deposit,Languages: German,test\n",
    )
    assert treaty_data_load([path]).counts["declarations"]["created"] == 1
    assert treaty_data_load([path]).changed == 0
    assert Declaration.objects.filter(participant__iso3="DEU", article="18(14)").exists()


def test_an_unknown_table_is_refused_with_what_it_lacks(tmp_path):
    path = write(tmp_path, "other.csv", "iso3,instrument,consent_date\nDEU,UNTOC,2006-06-14\n")
    with pytest.raises(ImportRefused) as refused:
        treaty_data_load([path])
    assert "lacks" in refused.value.errors[0].message


def test_the_command_prints_every_problem_and_fails(tmp_path, capsys):
    path = write(tmp_path, "status.csv", HEADER + "Somalia,SOM,,UNTOC,,2021-13-01,accession,t\n")
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("load_treaty_data", str(path))
    assert "status.csv: row 2, column consent_date:" in capsys.readouterr().err


def test_the_command_summarises_what_it_did(tmp_path, capsys):
    write(tmp_path, "status.csv", HEADER + "Somalia,SOM,,UNTOC,,2021-07-20,accession,test table\n")
    call_command("load_treaty_data", str(tmp_path))
    out = capsys.readouterr().out
    assert "treaty actions: 1 created, 0 updated, 0 unchanged" in out
    assert "participants: 1 created" in out


def history_rows() -> int:
    return sum(
        model.history.count()
        for model in (Participant, ParticipantAlias, TreatyAction, Declaration)
    )


def test_loading_the_shipped_data_again_writes_no_history_and_counts_no_revision():
    before = (history_rows(), data_revision())
    summary = treaty_data_load()
    assert summary.changed == 0
    assert (history_rows(), data_revision()) == before


def test_a_failure_while_writing_leaves_nothing_of_the_load(tmp_path, monkeypatch):
    """The rows passed every check; then the database fails on the second participant's
    actions (a lost connection, a full disk): the first participant's are rolled back too."""
    path = write(
        tmp_path,
        "status.csv",
        HEADER
        + "Somalia,SOM,,UNTOC,,2021-07-20,accession,test table\n"
        + "South Sudan,SSD,,UNTOC,,2021-07-21,accession,test table\n",
    )
    written = []
    real_apply = services.actions_apply

    def fails_the_second_time(**kwargs):
        if written:
            raise OperationalError("server closed the connection unexpectedly")
        written.append(real_apply(**kwargs))
        return written[-1]

    monkeypatch.setattr(services, "actions_apply", fails_the_second_time)
    before = (TreatyAction.objects.count(), history_rows(), data_revision())
    with pytest.raises(OperationalError):
        treaty_data_load([path])
    assert written  # the first participant's actions had been written
    assert not Participant.objects.filter(iso3__in=["SOM", "SSD"]).exists()
    assert (TreatyAction.objects.count(), history_rows(), data_revision()) == before


def test_a_load_announces_the_participants_it_changed_once_after_all_its_writes(tmp_path):
    """Followers (the compliance re-check) hear of a whole load once, not once per row."""
    path = write(
        tmp_path,
        "status.csv",
        HEADER
        + "Somalia,SOM,,UNTOC,,2021-07-20,accession,test table\n"
        + "South Sudan,SSD,,UNTOC,,2021-08-02,accession,test table\n",
    )
    heard = []

    def listener(sender, participant_ids, **kwargs):
        heard.append(participant_ids)

    treaty_data_changed.connect(listener)
    try:
        treaty_data_load([path])
    finally:
        treaty_data_changed.disconnect(listener)
    assert heard == [
        sorted(Participant.objects.filter(iso3__in=["SOM", "SSD"]).values_list("pk", flat=True))
    ]
