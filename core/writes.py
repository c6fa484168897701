"""The write protocol every service follows.

A write names its author (`Actor`, kept in the history row by `set_history_user`), refuses
an edit based on an older version of the record (`StaleVersionError`), says what it did
(`WriteResult`) and counts one committed change (`revision_bump`), all in one transaction.
`RuleError` is the base of the refusals that name the rule they break, so that the API's
error shape can read them without knowing the app that raised them.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import F

from core.models import DataRevision

Actor = AbstractBaseUser | AnonymousUser | None


class StaleVersionError(Exception):
    """The record changed after the editor loaded it; saving would overwrite that change."""

    def __init__(self, instance: Any, expected: int) -> None:
        self.instance = instance
        self.expected = expected
        self.current = instance.version
        super().__init__(
            f"{instance} was changed by someone else since you loaded it (version "
            f"{expected}, now {instance.version}). Reload it and apply your change again."
        )


class Violation(Protocol):
    """A broken rule: which `rule` (a stable code), on which `field`, said how."""

    @property
    def rule(self) -> str: ...

    @property
    def field(self) -> str: ...

    @property
    def message(self) -> str: ...


class RuleError(ValidationError):
    """A write that breaks a rule of the domain; `violations` say which rule and field."""

    violations: Sequence[Violation]

    def __init__(self, violations: Sequence[Violation]) -> None:
        self.violations = list(violations)
        by_field: dict[str, list[ValidationError]] = defaultdict(list)
        for violation in self.violations:
            by_field[violation.field].append(
                ValidationError(violation.message, code=violation.rule)
            )
        super().__init__(dict(by_field))


@dataclass(frozen=True)
class WriteResult:
    """What a write did: `created`, `updated` or `unchanged`, and the row."""

    outcome: str
    instance: Any


def revision_bump() -> None:
    """Count one committed change; call inside the writing transaction."""
    updated = DataRevision.objects.filter(pk=1).update(number=F("number") + 1)
    if not updated:
        DataRevision.objects.get_or_create(pk=1, defaults={"number": 1})


def set_history_user(instance: Any, actor: Actor) -> None:
    """Name the person behind the next history row of `instance` (None: the system)."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor
