"""manage.py check_compliance: the same sweep, run by hand, with a summary."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reports.models import ComplianceFlag

pytestmark = pytest.mark.usefixtures("real_data", "records_checked")


def run(*args):
    out = StringIO()
    call_command("check_compliance", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_prints_what_the_check_would_find_and_writes_nothing():
    output = run("--as-of", "2010-01-01", "--dry-run")
    assert "Compliance as of 01 Jan 2010, 188 participants:" in output
    assert "open flag(s) - no submission on record." in output
    assert "UNTOC COP deadline:" in output
    assert "overdue: under 1 year" in output
    assert "Dry run: nothing was written." in output
    assert not ComplianceFlag.objects.exists()


def test_the_check_writes_flags_and_a_second_run_changes_none():
    first = run("--as-of", "2010-01-01")
    raised = ComplianceFlag.objects.count()
    assert f"raised {raised}, reopened 0, updated 0, resolved 0, unchanged 0" in first
    second = run("--as-of", "2010-01-01")
    assert f"raised 0, reopened 0, updated 0, resolved 0, unchanged {raised}" in second
    assert "Done: changed 0 flag(s)." in second


def test_a_malformed_date_is_refused_naming_the_option():
    with pytest.raises(CommandError, match="--as-of '2010-13-01' is not a date"):
        run("--as-of", "2010-13-01")


def test_stored_flags_only_move_forward_a_look_back_is_a_dry_run():
    run("--as-of", "2010-01-01")
    with pytest.raises(CommandError, match="The flags stand as of 01 Jan 2010; a check as of"):
        run("--as-of", "2008-01-01")
    assert "Dry run: nothing was written." in run("--as-of", "2008-01-01", "--dry-run")
    with pytest.raises(CommandError, match="is after today; check a future date as a dry run"):
        run("--as-of", "2999-01-01")
    assert not ComplianceFlag.objects.filter(raised_on__lt=date(2010, 1, 1)).exists()
