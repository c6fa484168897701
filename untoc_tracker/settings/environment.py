"""Reading settings from the environment, strictly.

django-environ quietly reads "maybe" as False and accepts any URL scheme; a settings typo
should stop the process with a message naming the variable instead, and with that message
alone (`settings_or_exit`): the traceback through Django's start-up would only bury it.
"""

import os
import re
import sys
from typing import Any, NoReturn

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use true or false")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}")
    return value


def env_rate(name: str, default: str) -> str:
    """A request rate as the REST framework reads it: a number per second, minute, hour or day
    (e.g. 120/minute)."""
    raw = env_str(name, default)
    if not re.fullmatch(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", raw):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a rate: give a number per second, minute, hour or day, "
            "e.g. 120/minute"
        )
    return raw


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_database(name: str, default: dict[str, Any]) -> dict[str, Any]:
    raw = env_str(name)
    if not raw:
        return default
    scheme = raw.split("://", 1)[0] if "://" in raw else ""
    if scheme not in {"postgres", "postgresql", "sqlite"}:
        raise ImproperlyConfigured(
            f"{name} must start with postgres:// or sqlite://, not {raw.split(':', 1)[0]!r}"
        )
    try:
        config = environ.Env.db_url_config(raw)
    except Exception as exc:  # environ raises several types for a malformed URL
        raise ImproperlyConfigured(f"{name} is not a database URL: {exc}") from None
    if scheme != "sqlite" and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} names no database (postgres://user@host:port/NAME)")
    return config


def env_site_url(name: str, default: str) -> str:
    """The site's address as readers reach it (scheme and host, perhaps a port), without a
    trailing slash."""
    raw = env_str(name, default).rstrip("/")
    if not re.fullmatch(r"https?://[A-Za-z0-9.\-\[\]:]+", raw):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a site address: give the scheme and host the site is "
            "reached at, e.g. https://untoc-tracker.example.org"
        )
    return raw


def env_redis_url(name: str) -> str:
    raw = env_str(name)
    if raw and not raw.startswith(("redis://", "rediss://")):
        raise ImproperlyConfigured(f"{name} must start with redis:// or rediss://")
    return raw


def env_proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """The header a TLS-terminating proxy sets to "https" (e.g. X-Forwarded-Proto), as
    Django's SECURE_PROXY_SSL_HEADER; None when no proxy is trusted to say so."""
    raw = env_str(name)
    if not raw:
        return None
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", raw):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a header name: give the header your proxy sets, "
            "e.g. X-Forwarded-Proto"
        )
    return ("HTTP_" + raw.upper().replace("-", "_"), "https")


def exit_for_bad_setting(error: ImproperlyConfigured, *, code: int = 1) -> NoReturn:
    """End the process with the message naming the variable, and nothing else."""
    print(f"Configuration error: {error}", file=sys.stderr, flush=True)
    raise SystemExit(code)


def settings_or_exit(*, code: int = 1) -> None:
    """Read the settings now, so that a bad one stops the process with its message alone.

    Only the loading of the settings is guarded: an ImproperlyConfigured raised later, by
    code, keeps its traceback, which is what its reader needs.
    """
    from django.conf import settings

    try:
        settings.INSTALLED_APPS  # noqa: B018 (reading a setting imports the settings module)
    except ImproperlyConfigured as error:
        exit_for_bad_setting(error, code=code)
