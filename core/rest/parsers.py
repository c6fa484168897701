"""The API's JSON parser: a body is checked before and while it is parsed.

Python's json module recurses once per nesting level (`[` x 100,000 is a RecursionError, a
server error) and keeps the last of two equal keys (`{"kind": "a", "kind": "b"}` says two
things). This parser refuses, each with a 400 naming the rule:
- a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE (`body_too_large`), before reading it all;
- nesting deeper than MAX_DEPTH (`nesting_too_deep`), counted before parsing;
- a key given twice in one object (`duplicate_key`), NaN or Infinity (`not_json`);
- text that is not UTF-8 (`not_utf8`), or a lone surrogate such as "\\ud800", which no
  UTF-8 text can hold (`lone_surrogate`, naming the field).
The limits are hand-written because no maintained parser for DRF offers them; they are a few
lines over the standard library's own parser.
"""

import json
import re
from collections.abc import Mapping
from itertools import accumulate
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.parsers import JSONParser

from core.rest.errors import Problem, RequestRefused

MAX_DEPTH = 32  # the deepest body the API takes is 2 levels; room for clients' wrappers

STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
BRACKET = re.compile(r"[\[\]{}]")


class BodyRefused(RequestRefused):
    status_code = 400
    default_code = "parse_error"
    summary = gettext_lazy("The request body is not valid JSON; nothing was saved.")


def _refuse(rule: str, message: str, field: str | None = None) -> BodyRefused:
    return BodyRefused([Problem(field, rule, message)])


def nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in `text`, brackets inside strings aside."""
    outside_strings = STRING.sub("", text)
    steps = (1 if m.group() in "[{" else -1 for m in BRACKET.finditer(outside_strings))
    return max(accumulate(steps, initial=0))


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _refuse(
                "duplicate_key",
                _("The key %(key)r is given twice.") % {"key": key},
                _printable(key),
            )
        seen[key] = value
    return seen


def _no_constant(name: str) -> Any:
    raise _refuse("not_json", _("%(name)s is not a JSON value.") % {"name": name})


def _printable(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def surrogate_field(value: Any, path: str = "") -> str | None:
    """The field (a dotted path) holding a lone surrogate, a key or a text, if any."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path or "(body)"
        return None
    items: Any = ()
    if isinstance(value, Mapping):
        items = ((_printable(str(key)), key, inner) for key, inner in value.items())
    elif isinstance(value, list):
        items = ((str(index), None, inner) for index, inner in enumerate(value))
    for name, key, inner in items:
        where = f"{path}.{name}" if path else name
        if key is not None and surrogate_field(key) is not None:
            return where
        found = surrogate_field(inner, where)
        if found is not None:
            return found
    return None


class StrictJSONParser(JSONParser):
    """JSON with bounded size and depth, unique keys and UTF-8 text (see the module)."""

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise _refuse(
                "body_too_large", _("The body is larger than %(limit)s bytes.") % {"limit": limit}
            )
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _refuse(
                "not_utf8", _("The body is not UTF-8 text (%(reason)s).") % {"reason": error.reason}
            ) from None
        if nesting_depth(text) > MAX_DEPTH:
            raise _refuse(
                "nesting_too_deep",
                _("The body nests deeper than %(depth)s levels.") % {"depth": MAX_DEPTH},
            )
        try:
            data = json.loads(
                text,
                object_pairs_hook=_object_without_duplicates,
                parse_constant=_no_constant,
            )
        except ValueError as error:
            raise _refuse(
                "parse_error", _("The body is not JSON: %(error)s.") % {"error": error}
            ) from None
        field = surrogate_field(data)
        if field is not None:
            raise _refuse(
                "lone_surrogate",
                _("The text holds a lone surrogate (such as \\ud800), which is not a character."),
                field,
            )
        return data
