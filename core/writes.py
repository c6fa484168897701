"""The write protocol every service follows.

A write names its author (`Actor`, kept in the history row by `set_history_user`), refuses
an edit based on an older version of the record (`StaleVersionError`), says what it did
(`WriteResult`) and counts one committed change (`revision_bump`), all in one transaction.
`RuleError` is the base of the refusals that name the rule they break, so that the API's
error shape can read them without knowing the app that raised them.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Model

from core.events import Change, events_write
from core.models import DataRevision
from core.revision import revision_moved_on_commit

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


def revision_bump(events: Sequence[Change] = ()) -> None:
    """Count one committed change, and write the `events` it makes public (core.events);
    call inside the writing transaction. The update locks the revision row until the
    transaction ends, so the events' ids are taken in commit order."""
    updated = DataRevision.objects.filter(pk=1).update(number=F("number") + 1)
    if not updated:
        DataRevision.objects.get_or_create(pk=1, defaults={"number": 1})
    events_write(events)
    # Once committed, every web process reads the new revision (core/revision.py).
    revision_moved_on_commit()


def set_history_user(instance: Any, actor: Actor) -> None:
    """Name the person behind the next history row of `instance` (None: the system)."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor


# --- The one shape of a versioned write ------------------------------------------------------
# Every service writes a record the same way: inside its transaction, take the stored row under
# a row lock and refuse a stale edit (`locked`), then save or delete it naming the author and
# count the revision (`record_save`, `record_delete`); a load by natural key is `record_upsert`.

M = TypeVar("M", bound=Model)


def version_check(stored: Any, expected_version: int | None) -> None:
    """Refuse an edit based on another version than the stored one (None: do not check)."""
    if expected_version is not None and stored.version != expected_version:
        raise StaleVersionError(stored, expected_version)


def locked(model: type[M], pk: Any, expected_version: int | None = None) -> M:
    """The stored row, locked until the transaction ends, if it is the version the editor saw.

    Call inside `transaction.atomic()`: concurrent writers of the row then take turns, and
    the second finds the first one's version."""
    stored = model._default_manager.select_for_update().get(pk=pk)
    version_check(stored, expected_version)
    return stored


def record_save(
    instance: M, actor: Actor, *, new_version: bool = False, events: Sequence[Change] = ()
) -> M:
    """Save the row with its history naming `actor`, counting one more version of the row if
    `new_version` (an edit of a stored row), and count the data revision with its `events`."""
    if new_version:
        instance.version += 1  # type: ignore[attr-defined]
    set_history_user(instance, actor)
    instance.save()
    revision_bump(events)
    return instance


def record_delete(instance: Model, actor: Actor, *, events: Sequence[Change] = ()) -> None:
    """Delete the row, its history naming `actor`, and count the data revision with its
    `events`."""
    set_history_user(instance, actor)
    instance.delete()
    revision_bump(events)


def fields_check(values: Mapping[str, Any], allowed: Iterable[str], what: str) -> None:
    """A caller passing a field the service does not write is a programming error."""
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"unknown {what} fields: {sorted(unknown)}")


def record_upsert(
    model: type[M],
    *,
    key: Mapping[str, Any],
    values: Mapping[str, Any],
    actor: Actor,
    clean: Callable[[M], None],
    expected_version: int | None = None,
    create_only: Iterable[str] = (),
    versioned: bool = True,
) -> WriteResult:
    """Create the row with this natural `key`, or bring its fields to `values`.

    1. Lock the stored row, if any, and refuse a stale edit (`expected_version`).
    2. None: create it from `key` and `values`. Else change the fields that differ, except
       `create_only` ones (set when the row is made, then left to editors); nothing differs:
       "unchanged", and nothing is written.
    3. `clean` the row (raising ValidationError), then save it as `record_save` does,
       counting a version if the model is `versioned`.
    """
    with transaction.atomic():
        stored = model._default_manager.select_for_update().filter(**key).first()
        if stored is None:
            created = model(**key, **values)
            clean(created)
            return WriteResult("created", record_save(created, actor))
        version_check(stored, expected_version)
        kept = {name: value for name, value in values.items() if name not in create_only}
        changed = [name for name, value in kept.items() if getattr(stored, name) != value]
        if not changed:
            return WriteResult("unchanged", stored)
        for name in changed:
            setattr(stored, name, kept[name])
        clean(stored)
        return WriteResult("updated", record_save(stored, actor, new_version=versioned))
