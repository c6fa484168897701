"""A snapshot (reports.snapshot) carries the tracker's records, not the focal points': the
export says what it leaves out, and a restore refuses, before writing anything, a database
that holds focal records, which refer to the participants and obligations it would bring."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from focal.models import Attachment, FocalPoint, FocalSubmission, Invitation
from focal.selectors import focal_record_counts
from reports.snapshot import (
    DatabaseNotEmpty,
    outside_records_counts,
    snapshot_restore,
    tracker_data_counts,
)
from tests.focal.conftest import draft
from tests.test_snapshot import empty_the_tracker_tables, export

pytestmark = pytest.mark.django_db


def held() -> dict[str, int]:
    return {k: v for k, v in focal_record_counts().items() if v}


def test_the_export_leaves_focal_records_out_and_says_so(austria_fp, tmp_path):
    draft(austria_fp)
    out = io.StringIO()
    call_command("export_snapshot", str(tmp_path / "s.json"), stdout=out)
    tables = [t["table"] for t in json.loads((tmp_path / "s.json").read_text())["tables"]]
    assert not [name for name in tables if name.startswith("focal.")]
    assert "Not in the snapshot (kept only by the database's backups): " in out.getvalue()
    assert "1 focal.focalpoint, 1 focal.focalsubmission" in out.getvalue()


def test_a_restore_onto_a_database_with_focal_records_writes_nothing(austria_fp, tmp_path):
    draft(austria_fp)
    text = export()
    before = (tracker_data_counts(), held())
    with pytest.raises(DatabaseNotEmpty) as refused:
        snapshot_restore(text)
    message = str(refused.value)
    assert message.startswith("The database holds records a snapshot does not carry (1 focal.")
    assert "Migrate a new database and restore into that." in message
    path = tmp_path / "s.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match=r"a snapshot does not carry .* Nothing was written"):
        call_command("import_snapshot", str(path))
    assert (tracker_data_counts(), held()) == before


def test_focal_history_left_behind_in_an_emptied_database_also_stops_a_restore(austria_fp):
    """The tracker's tables empty, the focal records gone but their history rows kept (they
    name participants by id only): restoring would give those ids to other records."""
    draft(austria_fp)
    text = export()
    with connection.cursor() as cursor:
        for model in (Attachment, FocalSubmission, Invitation, FocalPoint):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
    empty_the_tracker_tables()
    assert set(outside_records_counts()) == {
        "focal.historicalfocalpoint",
        "focal.historicalfocalsubmission",
    }
    with pytest.raises(DatabaseNotEmpty, match=r"1 focal\.historicalfocalpoint"):
        snapshot_restore(text)
    assert tracker_data_counts() == {}
