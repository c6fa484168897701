"""The shipped catalogue of obligations and COP sessions, and loading it."""

import csv
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError

from core.selectors import data_revision
from core.tables import ImportRefused
from reports import services
from reports.importing import SHIPPED_FILES, catalogue_load
from reports.models import CopSession, Obligation
from tests.reports.conftest import obligation

pytestmark = pytest.mark.usefixtures("real_data")


def test_the_shipped_catalogue_has_the_eight_articles_and_the_june_2007_deadline():
    references = [o.reference for o in Obligation.objects.select_related("instrument")]
    assert references == [
        "UNTOC art. 5(3)",
        "UNTOC art. 16(5)(a)",
        "UNTOC art. 18(13)",
        "UNTOC art. 18(14)",
        "UNTOC art. 31(6)",
        "UNTOC art. 32(5)",
        "SOM art. 8(6)",
        "FIR art. 13(2)",
        "UNTOC COP deadline",
    ]
    cop = obligation("untoc-cop-2007")
    assert (cop.due_rule, cop.deadline) == ("cop_deadline", date(2007, 6, 30))
    assert cop.source == "OSCE SPMU report on OSCE-UNODC co-operation for the COP, 2007"


def test_every_catalogue_entry_carries_its_source_and_a_description_in_our_words():
    for entry in Obligation.objects.all():
        assert entry.source, entry.code
        assert entry.article_source, entry.code
        assert entry.description, entry.code
        assert entry.due_note, entry.code


def test_articles_that_set_no_time_get_no_due_date():
    no_date = set(Obligation.objects.filter(due_rule="no_date").values_list("code", flat=True))
    assert no_date == {"untoc-31-6", "untoc-32-5", "som-8-6", "fir-13-2"}
    assert obligation("untoc-31-6").due_note == "no date set in the article"


def test_the_cop_sessions_from_2004_to_2024_are_loaded_with_their_sources():
    sessions = list(CopSession.objects.all())
    assert [s.number for s in sessions] == list(range(1, 13))
    assert (sessions[0].starts_on, sessions[0].place) == (date(2004, 6, 28), "Vienna")
    assert sessions[-1].ends_on == date(2024, 10, 18)
    assert all(s.source for s in sessions)


def test_a_second_load_changes_nothing_and_keeps_an_editor_s_grace_period():
    cop = obligation("untoc-cop-2007")
    services.obligation_grace_update(obligation=cop, grace_days=60)
    summary = catalogue_load()
    assert summary.changed == 0
    assert obligation("untoc-cop-2007").grace_days == 60


def _table(tmp_path, name, rows):
    path = tmp_path / name
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_bad_catalogue_is_refused_whole_naming_row_and_column(tmp_path):
    with SHIPPED_FILES[0].open() as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["instrument"] = "XYZ"
    rows[2]["due_rule"] = "whenever"
    rows[8]["deadline"] = "30/06/2007"
    rows[3]["code"] = "new-entry"
    path = _table(tmp_path, "obligations.csv", rows)
    with pytest.raises(ImportRefused) as refused:
        catalogue_load([path])
    messages = [str(e) for e in refused.value.errors]
    assert (
        "obligations.csv: row 2, column instrument: 'XYZ' is not one of: FIR, SOM, TIP, UNTOC"
        in messages
    )
    assert any(
        m.startswith("obligations.csv: row 4, column due_rule: 'whenever'") for m in messages
    )
    assert any(
        m.startswith("obligations.csv: row 10, column deadline: '30/06/2007'") for m in messages
    )
    assert not Obligation.objects.filter(code="new-entry").exists()


def test_a_session_ending_before_it_starts_is_refused(tmp_path):
    path = _table(
        tmp_path,
        "sessions.csv",
        [
            {
                "session": "13",
                "start": "2026-10-20",
                "end": "2026-10-12",
                "place": "Vienna",
                "note": "",
                "source": "test",
            }
        ],
    )
    with pytest.raises(ImportRefused) as refused:
        catalogue_load([path])
    assert [str(e) for e in refused.value.errors] == [
        "sessions.csv: row 2, column end: the session cannot end before it starts"
    ]
    assert not CopSession.objects.filter(number=13).exists()


def test_the_command_checks_first_and_reports_problems_by_row(tmp_path):
    path = _table(tmp_path, "other.csv", [{"a": "1"}])
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("load_obligations", str(path), stderr=err)
    assert "other.csv: row 1, column -: unknown table" in err.getvalue()
    out = StringIO()
    call_command("load_obligations", "--dry-run", stdout=out)
    assert "obligations: 0 created, 0 updated, 9 unchanged" in out.getvalue()


def catalogue_history_rows() -> int:
    return Obligation.history.count() + CopSession.history.count()


def test_loading_the_catalogue_again_writes_no_history_and_counts_no_revision():
    before = (catalogue_history_rows(), data_revision())
    assert catalogue_load().changed == 0
    assert (catalogue_history_rows(), data_revision()) == before


def test_a_failure_while_writing_leaves_nothing_of_the_catalogue(tmp_path, monkeypatch):
    """Every row passed its checks; then the database fails on the COP sessions, after the
    obligations were written: those are rolled back too."""
    with SHIPPED_FILES[0].open() as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["code"], rows[0]["article"] = "untoc-new", "99"
    obligations = _table(tmp_path, "obligations.csv", rows)
    sessions = _table(
        tmp_path,
        "sessions.csv",
        [
            {
                "session": "13",
                "start": "2026-10-12",
                "end": "2026-10-16",
                "place": "Vienna",
                "note": "",
                "source": "test",
            }
        ],
    )

    def the_database_fails(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "cop_session_upsert", the_database_fails)
    before = (Obligation.objects.count(), catalogue_history_rows(), data_revision())
    with pytest.raises(OperationalError):
        catalogue_load([obligations, sessions])
    assert not Obligation.objects.filter(code="untoc-new").exists()
    assert (Obligation.objects.count(), catalogue_history_rows(), data_revision()) == before
