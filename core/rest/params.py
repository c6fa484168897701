"""Query parameters, declared once: parsed strictly and documented from the same declaration.

A resource lists its parameters in a `Params` set; `Params.parse(request)` returns their
values or refuses the request with one 400 naming every bad parameter and its rule, and
`Params.openapi()` gives drf-spectacular the same parameters for the schema. A parameter
given empty (`?osce_role=`, as an HTML form sends an unselected choice) counts as absent.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request

from core.rest.errors import ParameterError, Problem

# Control characters never belong in a parameter, and PostgreSQL refuses NUL outright.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Invalid(Exception):
    def __init__(self, rule: str, message: str) -> None:
        self.rule = rule
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Param:
    name: str
    description: str

    def values(self, request: Request) -> list[str]:
        return [v for v in request.query_params.getlist(self.name) if v.strip() != ""]

    def raw(self, request: Request) -> str | None:
        """The one value given, or None; a parameter given twice is refused."""
        values = self.values(request)
        if len(values) > 1:
            raise Invalid("given_twice", f"Give {self.name} once, not {len(values)} times.")
        return values[0].strip() if values else None

    def parse(self, request: Request) -> Any:
        raise NotImplementedError

    def openapi(self) -> OpenApiParameter:
        raise NotImplementedError


@dataclass(frozen=True)
class DateParam(Param):
    """A date as YYYY-MM-DD; `default_today` answers for today when it is not given."""

    default_today: bool = False

    def parse(self, request: Request) -> date | None:
        raw = self.raw(request)
        if raw is None:
            return timezone.localdate() if self.default_today else None
        if not ISO_DATE.fullmatch(raw):
            raise Invalid("date_format", f"Give {self.name} as YYYY-MM-DD, e.g. 2007-06-30.")
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise Invalid(
                "invalid_date", f"{self.name}={raw} is not a date in the calendar."
            ) from None

    def openapi(self) -> OpenApiParameter:
        return OpenApiParameter(self.name, OpenApiTypes.DATE, description=self.description)


@dataclass(frozen=True)
class ChoiceParam(Param):
    choices: Sequence[str] = ()
    default: str | None = None

    def parse(self, request: Request) -> str | None:
        raw = self.raw(request)
        if raw is None:
            return self.default
        if raw not in self.choices:
            raise Invalid(
                "invalid_choice",
                f"{self.name}={raw} is not one of: {', '.join(self.choices)}.",
            )
        return raw

    def openapi(self) -> OpenApiParameter:
        return OpenApiParameter(
            self.name,
            OpenApiTypes.STR,
            enum=list(self.choices),
            default=self.default,
            description=self.description,
        )


@dataclass(frozen=True)
class CodesParam(Param):
    """One code or a comma-separated list (also as repeated parameters).

    `pattern` is what one code looks like; `unknown` returns the codes among the given ones
    that name nothing (one query), so that a typo is refused rather than matching nothing.
    """

    pattern: str = r"[A-Za-z0-9_-]+"
    normalise: Callable[[str], str] = str.lower
    unknown: Callable[[list[str]], Iterable[str]] | None = None
    example: str = ""
    choices: Sequence[str] = ()  # for the schema, when the codes are a fixed set

    def parse(self, request: Request) -> list[str] | None:
        given = [c.strip() for v in self.values(request) for c in v.split(",") if c.strip()]
        if not given:
            return None
        malformed = [c for c in given if not re.fullmatch(self.pattern, c)]
        if malformed:
            raise Invalid(
                "code_format",
                f"{self.name}: {', '.join(malformed)} is not a code (e.g. {self.example}).",
            )
        codes = list(dict.fromkeys(self.normalise(c) for c in given))
        if self.unknown is not None:
            missing = sorted(self.unknown(codes))
            if missing:
                raise Invalid("unknown_code", f"{self.name}: no such code {', '.join(missing)}.")
        return codes

    def openapi(self) -> OpenApiParameter:
        items = {"enum": list(self.choices)} if self.choices else {"pattern": f"^{self.pattern}$"}
        return OpenApiParameter(
            self.name,
            {"type": "array", "items": {"type": "string", **items}},
            style="form",
            explode=False,
            description=f"{self.description} One code or a comma-separated list, e.g. "
            f"{self.example}.",
        )


@dataclass(frozen=True)
class TextParam(Param):
    max_length: int = 100

    def parse(self, request: Request) -> str | None:
        raw = self.raw(request)
        if raw is not None and len(raw) > self.max_length:
            raise Invalid("too_long", f"{self.name} is longer than {self.max_length} characters.")
        return raw

    def openapi(self) -> OpenApiParameter:
        return OpenApiParameter(self.name, OpenApiTypes.STR, description=self.description)


@dataclass(frozen=True)
class PatternParam(TextParam):
    """Free text of a known form, e.g. an article number."""

    pattern: str = ".*"
    example: str = ""

    def parse(self, request: Request) -> str | None:
        raw = super().parse(request)
        if raw is not None and not re.fullmatch(self.pattern, raw):
            raise Invalid("format", f"{self.name}={raw} is not of the form {self.example}.")
        return raw

    def openapi(self) -> OpenApiParameter:
        return OpenApiParameter(
            self.name,
            {"type": "string", "pattern": f"^(?:{self.pattern})$"},
            description=self.description,
        )


@dataclass(frozen=True)
class IntParam(Param):
    """A whole number from `minimum`; above `maximum` it is capped, not refused."""

    minimum: int = 1
    maximum: int | None = None
    default: int | None = None

    def parse(self, request: Request) -> int | None:
        raw = self.raw(request)
        if raw is None:
            return self.default
        if not re.fullmatch(r"\d{1,12}", raw) or int(raw) < self.minimum:
            raise Invalid(
                "whole_number", f"{self.name} must be a whole number from {self.minimum}."
            )
        value = int(raw)
        return min(value, self.maximum) if self.maximum is not None else value

    def openapi(self) -> OpenApiParameter:
        schema: dict[str, Any] = {"type": "integer", "minimum": self.minimum}
        if self.default is not None:
            schema["default"] = self.default
        return OpenApiParameter(self.name, schema, description=self.description)


def ordering_choices(*names: str) -> tuple[str, ...]:
    """The whitelist of an `ordering` parameter: each name, and its reverse with '-'."""
    return tuple(n for name in names for n in (name, f"-{name}"))


class Params:
    def __init__(self, *params: Param) -> None:
        self.params = tuple(params)

    def __add__(self, other: "Params") -> "Params":
        return Params(*self.params, *other.params)

    def parse(self, request: Request) -> dict[str, Any]:
        """Every parameter's value, or one 400 that names each bad parameter and its rule."""
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        for param in self.params:
            try:
                if any(CONTROL_CHARACTERS.search(v) for v in param.values(request)):
                    raise Invalid(
                        "invalid_characters", f"{param.name} contains control characters."
                    )
                values[param.name] = param.parse(request)
            except Invalid as invalid:
                problems.append(Problem(param.name, invalid.rule, invalid.message))
        if problems:
            raise ParameterError(problems)
        return values

    def openapi(self) -> list[OpenApiParameter]:
        return [param.openapi() for param in self.params]
