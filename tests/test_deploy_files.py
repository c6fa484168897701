"""The deployment files agree with each other and with the code: the Dockerfile, .dockerignore,
docker-compose.yml, the two environment examples and the Makefile. (Docker itself is not
needed: the files are parsed.)"""

import fnmatch
import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("bootstrap", "web", "worker", "beat")


# --- reading the files -------------------------------------------------------------------------


def dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile's instructions, in order, as (INSTRUCTION, arguments)."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines()]
    return [
        (word.upper(), rest.strip())
        for word, _, rest in (line.partition(" ") for line in lines)
        if word and not word.startswith("#")
    ]


def copies() -> list[tuple[list[str], list[str]]]:
    """Each COPY as (its --options, its paths)."""
    found = []
    for instruction, arguments in dockerfile():
        if instruction == "COPY":
            words = shlex.split(arguments)
            found.append(
                (
                    [w for w in words if w.startswith("--")],
                    [w for w in words if not w.startswith("--")],
                )
            )
    return found


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def env_file(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text()
    return dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", text, flags=re.MULTILINE))


def dockerignored(path: str) -> bool:
    """Whether Docker leaves `path` out of the build context: the last matching line of
    .dockerignore wins, a leading ! lets a path back in, and a folder takes its contents."""
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    ignored = False
    for pattern in patterns:
        keep = pattern.startswith("!")
        pattern = pattern.lstrip("!").strip("/").removeprefix("**/")
        if any(
            fnmatch.fnmatchcase(p, pattern) or fnmatch.fnmatchcase(p.rsplit("/", 1)[-1], pattern)
            for p in prefixes
        ):
            ignored = not keep
    return ignored


# --- the image -----------------------------------------------------------------------------------


def test_the_image_runs_as_its_own_user_who_gets_its_files_as_they_are_copied():
    instructions = dockerfile()
    user = next(arguments for instruction, arguments in instructions if instruction == "USER")
    assert user not in {"root", "0"}
    made = next(
        i
        for i, (instruction, arguments) in enumerate(instructions)
        if instruction == "RUN" and re.search(rf"useradd [^&]* {user}(\s|$)", arguments)
    )
    first_copy = next(i for i, (instruction, _) in enumerate(instructions) if instruction == "COPY")
    assert made < first_copy, "the user must exist before the first COPY can give it files"
    for options, paths in copies():
        assert f"--chown={user}:{user}" in options, paths
    # No second layer that stores every file again only to change its owner.
    assert not [a for i, a in instructions if i == "RUN" and "chown" in a]
    # The working folder is the user's before WORKDIR names it (WORKDIR alone makes it
    # root's, and beat writes its schedule file there).
    workdir = next(i for i, (instruction, _) in enumerate(instructions) if instruction == "WORKDIR")
    folder = instructions[workdir][1]
    assert any(
        instruction == "RUN" and f"--owner={user}" in arguments and arguments.endswith(folder)
        for instruction, arguments in instructions[:workdir]
    ), f"{folder} must be made as {user}'s before WORKDIR"


def test_the_code_runs_from_one_copy_in_the_image():
    """An editable install: the processes import the code in the working folder, with the data
    files and templates beside it, never a second installed copy without them."""
    installs = [a for i, a in dockerfile() if i == "RUN" and "pip install" in a]
    assert installs
    assert all("--editable ." in a for a in installs)


def test_the_image_copies_every_package_before_installing_it():
    """The packages pyproject.toml installs are all copied before `pip install .` runs (a
    package added to pyproject.toml but not to the Dockerfile would be missing from it)."""
    found = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = found["packages"]["find"]["include"]
    packages = {
        folder.name
        for folder in ROOT.iterdir()
        if (folder / "__init__.py").is_file()
        and any(fnmatch.fnmatchcase(folder.name, p) for p in patterns)
    }
    assert packages, "pyproject.toml's include patterns match no package"
    instructions = dockerfile()
    install = next(
        i
        for i, (instruction, arguments) in enumerate(instructions)
        if instruction == "RUN" and "pip install" in arguments
    )
    copied_before = {
        Path(path).name
        for instruction, arguments in instructions[:install]
        if instruction == "COPY"
        for path in shlex.split(arguments)[:-1]
        if not path.startswith("--")
    }
    assert packages <= copied_before


def test_the_image_serves_what_the_web_service_runs_on_the_port_of_env_example():
    instructions = dockerfile()
    command = yaml.safe_load(next(a for i, a in instructions if i == "CMD"))
    web = compose()["services"]["web"]["command"]
    module = re.search(r"gunicorn (\S+)", web).group(1)
    assert command[:2] == ["gunicorn", module]
    port = env_file(".env.example")["PORT"]
    assert next(a for i, a in instructions if i == "EXPOSE") == port
    assert command[command.index("--bind") + 1] == f"0.0.0.0:{port}"
    assert f"${{PORT:-{port}}}" in web


@pytest.mark.parametrize(
    "path",
    [
        ".env",
        ".venv/bin/python",
        "db.sqlite3",
        ".git/HEAD",
        "screenshots/home-desktop.png",
        "bench/results/latest.json",
        "states/__pycache__/models.cpython-311.pyc",
    ],
)
def test_the_build_context_leaves_out_secrets_and_local_state(path):
    assert dockerignored(path)


def test_the_build_context_keeps_what_the_image_needs():
    needed = [path for _, paths in copies() for path in paths[:-1] if path != "."]
    needed += ["manage.py", "templates/base.html", "static", ".env.example", ".env.local.example"]
    assert [path for path in needed if dockerignored(path)] == []


# --- docker-compose ------------------------------------------------------------------------------


def test_bootstrap_runs_once_before_the_web_service_the_worker_and_beat_start():
    services = compose()["services"]
    bootstrap = services["bootstrap"]
    command = bootstrap["command"]
    assert command[-2:] == ["manage.py", "bootstrap"]
    assert "bootstrap" in get_commands()
    # A one-off: restarting it after it has finished would run it in a loop.
    assert bootstrap["restart"] == "no"
    assert bootstrap["depends_on"]["db"] == {"condition": "service_healthy"}
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["bootstrap"] == {
            "condition": "service_completed_successfully"
        }, name
        assert services[name]["depends_on"]["db"] == {"condition": "service_healthy"}, name
    # The web service only serves: migrating is bootstrap's.
    assert "migrate" not in services["web"]["command"]


def test_every_process_of_the_tracker_is_built_from_this_image_with_env_file():
    services = compose()["services"]
    for name in APP_SERVICES:
        assert services[name]["build"] == ".", name
        assert services[name]["env_file"] == ".env", name


# --- focal points' attachments --------------------------------------------------------------------

# The services that keep, serve or may reach focal points' attachments.
ATTACHMENT_SERVICES = ("web", "worker")

SETTING_OF = """
import django, json
django.setup()
from django.conf import settings
print(json.dumps([str(settings.FOCAL_ATTACHMENTS_ROOT), str(settings.STATIC_ROOT)]))
"""


def attachments_folder() -> str:
    """The folder docker-compose.yml names for FOCAL_ATTACHMENTS_ROOT, the same for every
    process of the tracker (set in `environment`, over what .env says)."""
    services = compose()["services"]
    folders = {services[name]["environment"]["FOCAL_ATTACHMENTS_ROOT"] for name in APP_SERVICES}
    assert len(folders) == 1, folders
    return folders.pop()


def test_focal_attachments_live_on_a_named_volume_mounted_where_the_setting_points():
    folder = attachments_folder()
    assert folder.startswith("/")
    volumes = compose()["volumes"]
    for name in ATTACHMENT_SERVICES:
        mounts = [m.split(":") for m in compose()["services"][name].get("volumes", [])]
        named = [source for source, target, *_ in mounts if target == folder]
        assert named, f"{name} mounts no volume on {folder}"
        # A named volume (it outlives the container), the one the file declares.
        assert named[0] in volumes, f"{name}: {named[0]} is not a named volume"


def test_the_image_makes_the_attachments_folder_as_the_tracker_user_s():
    folder = attachments_folder()
    instructions = dockerfile()
    user = next(arguments for instruction, arguments in instructions if instruction == "USER")
    switch = next(i for i, (instruction, _) in enumerate(instructions) if instruction == "USER")
    made = [
        arguments
        for instruction, arguments in instructions[:switch]
        if instruction == "RUN"
        and re.search(rf"install --directory\b.*--owner={user}\b.*--group={user}\b", arguments)
        and folder in arguments.split()
    ]
    assert made, f"the Dockerfile must make {folder} as {user}'s before USER"
    assert "--mode=700" in made[0]  # the attachments are the tracker's alone


def test_the_settings_read_the_folder_compose_names_outside_the_web_root():
    folder = attachments_folder()
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE", "REDIS"))
    }
    environment |= env_file(".env.local.example") | {
        "DJANGO_SETTINGS_MODULE": "untoc_tracker.settings.base",
        "DATABASE_URL": "sqlite:///unused.sqlite3",
        "REDIS_URL": "",
        "FOCAL_ATTACHMENTS_ROOT": folder,
    }
    result = subprocess.run(
        [sys.executable, "-c", SETTING_OF],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    attachments, static_root = json.loads(result.stdout.strip().splitlines()[-1])
    assert attachments == folder
    assert not Path(attachments).is_relative_to(static_root)
    assert not Path(attachments).is_relative_to("/app")  # nothing the image serves or ships
    # Both examples list the variable; compose's value wins over theirs.
    assert "FOCAL_ATTACHMENTS_ROOT" in env_file(".env.example")


# --- the environment examples --------------------------------------------------------------------


def test_the_local_example_sets_every_variable_of_the_production_example():
    assert set(env_file(".env.local.example")) == set(env_file(".env.example"))


def test_the_local_example_serves_plain_http_on_localhost():
    local = env_file(".env.local.example")
    port = local["PORT"]
    assert local["DJANGO_HTTPS"] == "false"
    assert local["DJANGO_HSTS_SECONDS"] == "0"
    assert "localhost" in local["DJANGO_ALLOWED_HOSTS"].split(",")
    assert f"http://localhost:{port}" in local["DJANGO_CSRF_TRUSTED_ORIGINS"].split(",")


LOCAL_TRIAL = """
import django, json
from django.core.management import call_command
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

call_command("migrate", verbosity=0)
get_user_model().objects.create_user("trial", password="a-long-trial-password", is_staff=True)
client = Client(HTTP_HOST="localhost:%(port)s", enforce_csrf_checks=True)
api = client.get("/api/v1/")
token = "t" * 32
client.cookies["csrftoken"] = token
login = client.post(
    "/admin/login/?next=/admin/",
    {"username": "trial", "password": "a-long-trial-password", "csrfmiddlewaretoken": token},
    HTTP_ORIGIN="http://localhost:%(port)s",
)
print(json.dumps({
    "api": api.status_code,
    "login": [login.status_code, login.get("Location")],
    "session_cookie_secure": bool(login.cookies["sessionid"]["secure"]),
}))
"""


@pytest.mark.slow
def test_with_the_local_example_a_browser_on_http_localhost_can_sign_in(tmp_path):
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE", "REDIS"))
    }
    local = env_file(".env.local.example")
    environment = (
        clean
        | local
        | {
            "DJANGO_SETTINGS_MODULE": "untoc_tracker.settings.base",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'trial.sqlite3'}",
            "REDIS_URL": "",
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", LOCAL_TRIAL % {"port": local["PORT"]}],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    # Served over plain http (no redirect to https), and a login sticks over plain http.
    assert answers == {
        "api": 200,
        "login": [302, "/admin/"],
        "session_cookie_secure": False,
    }


def test_the_production_example_is_not_the_local_one():
    production = env_file(".env.example")
    assert production["DJANGO_HTTPS"] == "true"
    assert production["DJANGO_SECRET_KEY"] != env_file(".env.local.example")["DJANGO_SECRET_KEY"]


# --- the Makefile --------------------------------------------------------------------------------


def make_dry_run(target: str) -> str:
    return subprocess.run(
        ["make", "--no-print-directory", "-n", target],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_make_run_bootstraps_then_serves():
    commands = make_dry_run("run")
    assert commands.index("manage.py bootstrap") < commands.index("manage.py runserver")


def test_make_test_fast_leaves_out_the_slow_tests_and_make_test_runs_them_all():
    assert re.search(r"-m pytest -n \S+ -m \"not slow\"", make_dry_run("test-fast"))
    full = make_dry_run("test")
    assert re.search(r"-m pytest -n \S+", full)
    assert "not slow" not in full


@pytest.mark.slow
def test_make_rebuilds_a_half_made_virtualenv_and_says_it_installs(tmp_path):
    """A .venv without pip (an interrupted `python -m venv`) is made again, and the quiet
    dependency install is announced. (The install itself is left out: PIP_INSTALL=true.)"""
    for name in ("Makefile", "pyproject.toml"):
        (tmp_path / name).write_text((ROOT / name).read_text())
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(tmp_path / ".venv")], check=True
    )
    (tmp_path / ".venv" / ".installed").touch()

    def make_install() -> str:
        result = subprocess.run(
            [
                "make",
                "--no-print-directory",
                "install",
                "PIP_INSTALL=true",
                f"PYTHON={sys.executable}",
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    first = make_install()
    assert ".venv is incomplete (no working pip): making it again" in first
    assert "Installing the tracker and its dependencies into .venv" in first
    pip = subprocess.run(
        [str(tmp_path / ".venv" / "bin" / "python"), "-m", "pip", "--version"],
        check=False,
        capture_output=True,
    )
    assert pip.returncode == 0
    # Made and installed: the next make has nothing to do.
    assert make_install() == ""
