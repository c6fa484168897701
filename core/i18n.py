"""Translated text with values put in when it is read, not when the module is imported."""

from typing import Any

from django.utils.functional import lazy


def _interpolate(message: Any, values: dict[str, Any]) -> str:
    return str(message) % {name: str(value) for name, value in values.items()}


_lazy_interpolate = lazy(_interpolate, str)


def lazy_format(message: Any, **values: Any) -> Any:
    """`message` (a gettext_lazy text with %(name)s placeholders) with `values`, translated
    into the language active where it is shown: for help texts declared at import time."""
    return _lazy_interpolate(message, values)
