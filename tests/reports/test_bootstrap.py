"""manage.py bootstrap: what a new deployment needs, in one command that `make run` and
docker-compose both run; a second run changes nothing."""

import gettext
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from instruments.models import DepositaryProposal
from reports.models import ComplianceCheck, ComplianceFlag

ROOT = Path(__file__).resolve().parents[2]


def bootstrap(**options) -> list[str]:
    out = io.StringIO()
    call_command("bootstrap", stdout=out, **options)
    return out.getvalue().splitlines()


def line(lines: list[str], step: str) -> str:
    return next(text for text in lines if text.startswith(f"{step}:"))


@pytest.mark.usefixtures("real_data")
def test_bootstrap_checks_compliance_and_a_second_run_changes_nothing():
    assert not ComplianceFlag.objects.exists()

    first = bootstrap()
    assert "up to date" in line(first, "database")
    assert line(first, "treaty data").endswith("changed 0 record(s).")
    assert line(first, "obligations").endswith("changed 0 record(s).")
    # The competent authorities the notifications on record name (reports.authority_seed).
    assert line(first, "authorities").startswith("authorities:  designations: 18 created,")
    # The five catalogues besides English (locale/), compiled by Babel.
    assert line(first, "messages").endswith("compiled 5 catalogue(s)")
    # As shipped no obligation's records are known complete (README, "Compliance"), so the
    # first check runs and raises no flag: what is not yet checked is never overdue.
    raised = ComplianceFlag.objects.count()
    assert raised == 0
    assert ComplianceCheck.objects.filter(last_run_at__isnull=False).exists()
    assert f"changed {raised} flag(s)." in line(first, "compliance")
    assert first[-1] == "Ready."
    # The post-2014 facts stay proposed for an editor's review: bootstrap accepts none.
    facts = DepositaryProposal.objects.filter(batch__source_form="facts")
    assert facts.count() == facts.filter(decision="undecided").count() == 11

    second = bootstrap()
    assert "0 created, 0 updated, 18 unchanged" in line(second, "authorities")
    assert line(second, "compliance").endswith("changed 0 flag(s).")
    assert ComplianceFlag.objects.count() == raised


@pytest.mark.usefixtures("real_data")
def test_bootstrap_names_the_command_that_makes_a_staff_login_until_there_is_one(editor):
    editor.is_staff = False
    editor.save()
    assert any("create_staff_user" in text for text in bootstrap(skip_compliance=True))
    editor.is_staff = True
    editor.save()
    lines = bootstrap(skip_compliance=True)
    assert not any("create_staff_user" in text for text in lines)
    assert not any(text.startswith("compliance:") for text in lines)


@pytest.mark.usefixtures("real_data")
def test_bootstrap_compiles_the_message_catalogues_there_are_without_gettext(tmp_path, settings):
    catalogue = tmp_path / "fr" / "LC_MESSAGES" / "django.po"
    catalogue.parent.mkdir(parents=True)
    catalogue.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Status"\nmsgstr "Statut"\n\n'
        '#, fuzzy\nmsgid "Party"\nmsgstr "Partie"\n',
        encoding="utf-8",
    )
    settings.LOCALE_PATHS = [tmp_path]
    lines = bootstrap(skip_compliance=True)
    assert line(lines, "messages").endswith("compiled 1 catalogue(s)")
    with catalogue.with_suffix(".mo").open("rb") as compiled:
        messages = gettext.GNUTranslations(compiled)
    assert messages.gettext("Status") == "Statut"
    assert messages.gettext("Party") == "Party"  # a fuzzy entry is left out, as msgfmt does


@pytest.mark.slow
def test_bootstrap_makes_a_new_database_ready_to_serve(tmp_path):
    """As on a first `make run` or `docker compose up`: from an empty database."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE", "REDIS", "CELERY"))
    }
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "manage.py", "bootstrap"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert line(lines, "database").startswith("database:     applied ")
    assert not line(lines, "treaty data").endswith("changed 0 record(s).")
    assert not line(lines, "obligations").endswith("changed 0 record(s).")
    assert "open flag(s)" in line(lines, "compliance")
    assert lines[-1] == "Ready."
    # What an editor then sees: the post-2014 facts proposed, none written.
    shown = subprocess.run(
        [sys.executable, "manage.py", "load_treaty_data", "--dry-run"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    ).stdout
    assert "post-2014 facts proposed for review: 0 created, 0 updated, 11 unchanged" in shown
