"""The production configuration: from the environment only, it passes Django's deployment check
and sends the security headers; /healthz says whether the process can serve."""

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import override_settings

from tests.test_project import settings_in

ROOT = Path(__file__).resolve().parent.parent
HOST = "untoc-tracker.example.org"


def env_example() -> dict[str, str]:
    text = (ROOT / ".env.example").read_text()
    return dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", text, flags=re.MULTILINE))


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_environment(**changes: str) -> dict[str, str]:
    """The production values of .env.example with a real secret key, on top of an environment
    cleared of every setting the tracker reads."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE", "REDIS", "API_"))
    }
    production = env_example() | {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}
    return clean | production | {"DJANGO_SETTINGS_MODULE": "untoc_tracker.settings.base"} | changes


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return run(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")


# --- the deployment check --------------------------------------------------------------------


@pytest.mark.slow
def test_the_production_configuration_of_env_example_passes_the_deployment_check():
    env = production_environment()
    assert env["DJANGO_DEBUG"] == "false"
    result = deploy_check(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    ("changes", "warning"),
    [
        ({"DJANGO_DEBUG": "true"}, "security.W018"),
        ({"DJANGO_HTTPS": "false"}, "security.W008"),
        ({"DJANGO_HSTS_SECONDS": "0"}, "security.W004"),
    ],
)
def test_the_deployment_check_fails_when_production_is_weakened(changes, warning):
    result = deploy_check(production_environment(**changes))
    assert result.returncode != 0
    assert warning in result.stderr


@pytest.mark.slow
def test_the_placeholder_secret_key_of_env_example_stops_the_process():
    placeholder = env_example()["DJANGO_SECRET_KEY"]
    result = settings_in({"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": placeholder})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too short" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_HTTPS": "sometimes"}, "DJANGO_HTTPS='sometimes' is not a boolean"),
        (
            {"DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto: https"},
            "DJANGO_SECURE_PROXY_SSL_HEADER='X-Forwarded-Proto: https' is not a header name",
        ),
        ({"DJANGO_HSTS_SECONDS": "a year"}, "DJANGO_HSTS_SECONDS='a year' is not a whole number"),
        ({"DJANGO_PROXY_COUNT": "-1"}, "DJANGO_PROXY_COUNT='-1' must be at least 0"),
    ],
)
def test_a_malformed_security_setting_stops_the_process_naming_it(env, message):
    result = settings_in(env)
    assert result.returncode != 0
    assert message in result.stderr


# --- production behaviour, end to end in a process configured like production ---------------

PRODUCTION_REQUESTS = """
import json
import django

django.setup()
from django.conf import settings
from django.test import Client

client = Client(HTTP_HOST="%(host)s")
plain = client.get("/status/")
plain_health = client.get("/healthz")
behind_proxy = client.get("/healthz", HTTP_X_FORWARDED_PROTO="https")
api = client.get("/api/v1/", HTTP_X_FORWARDED_PROTO="https", HTTP_ACCEPT="text/html")
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "plain_health": plain_health.status_code,
    "healthz": [behind_proxy.status_code, behind_proxy.json(), dict(behind_proxy.headers)],
    "api": [api.status_code, api["Content-Type"]],
    "renderers": settings.REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"],
    "cookies": {
        name: getattr(settings, name)
        for name in (
            "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
            "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE",
        )
    },
}))
"""


@pytest.mark.slow
def test_in_production_http_redirects_to_https_and_answers_carry_the_security_headers(tmp_path):
    env = production_environment(
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0",
    )
    result = run(env, "-c", PRODUCTION_REQUESTS % {"host": HOST})
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])

    assert answers["plain"] == [301, f"https://{HOST}/status/"]
    # A load balancer may ask over plain http.
    assert answers["plain_health"] == 200

    status, body, headers = answers["healthz"]
    # The broker is down: reported, and the process still serves.
    assert (status, body["status"], body["broker"]["state"]) == (200, "degraded", "down")
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy

    # No browsable API: a browser asking for HTML gets JSON's refusal, never an HTML page.
    assert answers["renderers"] == ["rest_framework.renderers.JSONRenderer"]
    assert answers["api"] == [406, "application/json"]
    assert answers["cookies"] == {
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SAMESITE": "Lax",
    }


# --- /healthz --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_reports_the_database_and_the_broker(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    embedded = not settings.CELERY_BROKER_URL.startswith("redis://")
    assert response.json() == {
        "status": "ok",
        "database": {"state": "up"},
        "broker": {"state": "inline" if embedded else "up"},
    }


@pytest.mark.django_db
def test_healthz_with_the_broker_down_answers_200_at_once_and_says_so(client):
    with override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{closed_port()}/0"):
        started = time.monotonic()
        response = client.get("/healthz")
        elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": {"state": "up"},
        "broker": {"state": "down", "error": "ConnectionError"},
    }
    assert elapsed < 2


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_raises(client):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with mock.patch("untoc_tracker.health.connections") as connections:
        connections.__getitem__.return_value.cursor.side_effect = refuse
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert response.json()["database"] == {"state": "down", "error": "OperationalError"}


@pytest.mark.slow
def test_healthz_is_503_when_the_database_is_at_a_closed_port():
    env = production_environment(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed_port()}/untoc_down",
        REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0",
    )
    script = (
        "import django, json; django.setup(); from django.test import Client; "
        f"r = Client(HTTP_HOST='{HOST}').get('/healthz'); "
        "print(json.dumps([r.status_code, r.json()]))"
    )
    started = time.monotonic()
    result = run(env, "-c", script)
    assert result.returncode == 0, result.stderr
    status, body = json.loads(result.stdout.strip().splitlines()[-1])
    assert status == 503
    assert body["status"] == "down"
    assert body["database"] == {"state": "down", "error": "OperationalError"}
    assert time.monotonic() - started < 20
