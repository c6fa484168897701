"""The project's wiring: settings from the environment, the deployment files, the commands."""

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parent.parent


def settings_in(env: dict[str, str]) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with `env` added to a clean environment."""
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE", "REDIS"))
    }
    return subprocess.run(
        [sys.executable, "-c", "import untoc_tracker.settings.base"],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG='maybe' is not a boolean"),
        ({"DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL must start with postgres://"),
        ({"DATABASE_URL": "postgres://x@y:5432"}, "DATABASE_URL names no database"),
        ({"REDIS_URL": "http://redis"}, "REDIS_URL must start with redis://"),
        ({"DJANGO_DEBUG": "false"}, "DJANGO_SECRET_KEY must be set"),
        ({"DATABASE_CONN_MAX_AGE": "soon"}, "DATABASE_CONN_MAX_AGE='soon' is not a whole number"),
        ({"CELERY_VISIBILITY_TIMEOUT": "0"}, "CELERY_VISIBILITY_TIMEOUT='0' must be at least 1"),
    ],
)
def test_a_malformed_setting_stops_the_process_naming_the_variable(env, message):
    result = settings_in(env)
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.slow
def test_good_settings_load():
    result = settings_in(
        {
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "x" * 50,
            "DATABASE_URL": "postgres://u@h:5432/d",
            "REDIS_URL": "redis://h:6379/0",
        }
    )
    assert result.returncode == 0, result.stderr


def env_example_names() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def test_every_variable_the_settings_read_is_listed_in_env_example():
    settings_text = "".join(
        path.read_text()
        for path in (ROOT / "untoc_tracker" / "settings").glob("*.py")
        if path.name != "test.py"
    )
    read = set(re.findall(r'env_\w+\(\s*"([A-Z][A-Z0-9_]*)"', settings_text))
    assert read, "no variables found: the pattern no longer matches the settings"
    assert read - env_example_names() == set()


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_and_env_example_use_the_same_variable_names():
    text = (ROOT / "docker-compose.yml").read_text()
    used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", text))
    assert used, "compose names no variables"
    assert used - env_example_names() == set()


def test_compose_has_the_six_services_from_one_image():
    services = compose()["services"]
    assert set(services) == {"db", "redis", "bootstrap", "web", "worker", "beat"}
    assert services["db"]["image"] == "postgres:15"
    for name in ("bootstrap", "web", "worker", "beat"):
        assert services[name]["build"] == "."
        assert services[name]["env_file"] == ".env"
    assert (ROOT / "Dockerfile").exists()


def command_of(service: str) -> str:
    command = compose()["services"][service]["command"]
    return command if isinstance(command, str) else " ".join(command)


def test_each_service_command_names_modules_that_exist():
    web = command_of("web")
    module, attribute = re.search(r"gunicorn (\S+):(\S+)", web).groups()
    assert callable(getattr(importlib.import_module(module), attribute))
    assert command_of("bootstrap") == "python manage.py bootstrap"
    assert (ROOT / "manage.py").exists()
    for service, verb in (("worker", "worker"), ("beat", "beat")):
        command = command_of(service)
        app_module = re.search(r"--app (\S+)", command).group(1)
        assert verb in command.split()
        celery_app = importlib.import_module(app_module).celery_app
        assert celery_app.main == "untoc_tracker"


@pytest.mark.django_db
def test_create_staff_user_makes_an_editor_who_can_log_in(monkeypatch):
    monkeypatch.setenv("UNTOC_STAFF_PASSWORD", "a-long-staff-password")
    call_command("create_staff_user", "amira", "--editor", "--email", "amira@example.org")
    user = get_user_model().objects.get(username="amira")
    assert user.is_staff
    assert not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["SPMU editors"]
    assert user.check_password("a-long-staff-password")
    assert user.has_perm("instruments.add_treatyaction")


@pytest.mark.django_db
def test_create_staff_user_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("UNTOC_STAFF_PASSWORD", "123")
    with pytest.raises(CommandError, match="password refused"):
        call_command("create_staff_user", "bo", "--viewer")
    assert not get_user_model().objects.filter(username="bo").exists()


@pytest.mark.django_db
def test_a_viewer_may_only_look():
    from django.contrib.auth.models import Group

    viewers = Group.objects.get(name="Delegation viewers")
    assert {p.codename.split("_", 1)[0] for p in viewers.permissions.all()} == {"view"}


def test_the_makefile_offers_the_two_commands():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run:", makefile, re.MULTILINE)
    assert re.search(r"^test:", makefile, re.MULTILINE)
    assert "manage.py bootstrap" in makefile
