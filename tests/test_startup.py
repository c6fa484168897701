"""A bad setting stops every process of a deployment with one line naming the variable: the
management commands, the web server (gunicorn) and the Celery worker and beat. No traceback
through Django's or the server's start-up code, which would bury the message."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_faults import free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MESSAGE = "Configuration error: DJANGO_DEBUG='maybe' is not a boolean: use true or false"


def bad_environment() -> dict[str, str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE", "REDIS", "CELERY"))
    }
    return clean | {"DJANGO_DEBUG": "maybe"}


def started_with_a_bad_setting(*command: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        command,
        cwd=ROOT,
        env=bad_environment(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.parametrize("command", [["check"], ["migrate"], ["bootstrap"], ["help"]])
def test_a_bad_setting_stops_manage_py_with_one_line_naming_the_variable(command):
    result = started_with_a_bad_setting(sys.executable, "manage.py", *command)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [MESSAGE]
    assert result.stdout == ""


@pytest.mark.slow
@pytest.mark.parametrize("program", ["worker", "beat"])
def test_a_bad_setting_stops_celery_with_one_line_naming_the_variable(program):
    result = started_with_a_bad_setting(
        str(BIN / "celery"), "--app", "untoc_tracker", program, "--loglevel", "INFO"
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [MESSAGE]


@pytest.mark.slow
def test_a_bad_setting_stops_gunicorn_naming_the_variable_without_a_traceback():
    """Each worker says why it cannot load the application, once; the master then stops
    (gunicorn's exit status 4, "App failed to load") instead of booting worker after worker."""
    result = started_with_a_bad_setting(
        *(str(BIN / "gunicorn"), "untoc_tracker.wsgi:application"),
        # One worker: with two, both can exit while the master reaps the first, and gunicorn's
        # arbiter then raises its HaltServer inside the signal handler (exit status 1).
        *("--bind", f"127.0.0.1:{free_port()}", "--workers", "1"),
    )
    assert result.returncode == 4, result.stderr
    assert "Traceback" not in result.stderr
    assert MESSAGE in result.stderr.splitlines()
    assert "Reason: App failed to load." in result.stderr
