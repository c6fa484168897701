"""manage.py import_depositary: the same review from the command line."""

import pytest
from django.core.management import CommandError, call_command

from instruments.models import TreatyAction
from tests.instruments.depositary.conftest import AS_AT, kinds_we_lack, table_batches
from tests.instruments.depositary.tables import csv_table, html_page, table_lines

pytestmark = pytest.mark.usefixtures("real_data")


def test_dry_run_prints_the_proposals_and_stores_nothing(tmp_path, capsys, firearms_lines):
    path = tmp_path / "fir.html"
    path.write_text(html_page("fir", AS_AT, firearms_lines))

    call_command("import_depositary", str(path), "--instrument", "fir", "--dry-run")

    out = capsys.readouterr().out
    assert "Germany: New action: - -> Ratification, 14 Oct 2021" in out
    # Germany's consent, and each consent whose kind we lack (kinds_we_lack) as a ratification.
    assert {"BRB", "SLE"} <= kinds_we_lack("fir")
    lacking = len(kinds_we_lack("fir"))
    assert f"{lacking + 1} proposal(s): {lacking} changed kind, 1 new action." in out
    assert "Dry run: nothing was stored." in out
    assert not table_batches().exists()


def test_without_dry_run_the_batch_is_stored_for_review_and_nothing_accepted(
    tmp_path, capsys, firearms_lines
):
    path = tmp_path / "fir.csv"
    path.write_text(csv_table("fir", AS_AT, firearms_lines))
    actions = TreatyAction.objects.count()

    call_command("import_depositary", str(path), "--instrument", "FIR")

    batch = table_batches().get()
    assert f"Stored for review as depositary import {batch.pk}" in capsys.readouterr().out
    # Our CSV says "kind not recorded" with an empty cell, so only Germany differs.
    assert [p.participant.iso3 for p in batch.proposals.filter(decision="undecided")] == ["DEU"]
    assert TreatyAction.objects.count() == actions


def test_a_csv_without_its_date_takes_as_at(tmp_path, capsys):
    lines = table_lines("tip", AS_AT)
    text = csv_table("tip", AS_AT, lines).replace(",status_as_at", "").replace(",2024-05-04", "")
    path = tmp_path / "tip.csv"
    path.write_text(text)

    with pytest.raises(CommandError):
        call_command("import_depositary", str(path), "--instrument", "tip", "--dry-run")
    assert "does not say its 'Status as at' date" in capsys.readouterr().err

    call_command(
        "import_depositary", str(path), "--instrument", "tip", "--as-at", "2024-05-04", "--dry-run"
    )
    assert "as at 4 May 2024" in capsys.readouterr().out


def test_problems_are_listed_by_line_and_nothing_is_stored(tmp_path, capsys):
    path = tmp_path / "fir.csv"
    text = csv_table("fir", AS_AT, table_lines("fir", AS_AT))
    path.write_text(text.replace("Albania,ALB", "Atlantis,").replace("2008-02-08", "2008-02-30"))

    with pytest.raises(CommandError, match="problem\\(s\\) found; nothing was stored"):
        call_command("import_depositary", str(path), "--instrument", "fir")

    err = capsys.readouterr().err
    assert "fir.csv: line 2, consent_date: '2008-02-30' is not a date in the form YYYY-MM-DD" in err
    assert not table_batches().exists()


def test_an_unknown_instrument_or_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_depositary", str(tmp_path / "none.csv"), "--instrument", "fir")
    (tmp_path / "x.csv").write_text("a")
    with pytest.raises(CommandError, match="'xyz' is not one of: untoc, tip, som, fir"):
        call_command("import_depositary", str(tmp_path / "x.csv"), "--instrument", "xyz")
