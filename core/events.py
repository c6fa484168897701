"""The one stream of changes to public facts.

A service describes what it changed as `Change`s and hands them to `revision_bump` (through
`record_save`/`record_delete`), which writes them as `Event` rows in the writing transaction:
an event is never lost, and never kept for a change that rolled back.

Ids in commit order: `events_write` runs after the data revision's row was updated, and that
row lock is held until the transaction ends; so a later writer takes its ids after the
earlier one committed, and a reader that keeps the last id it saw (`?since=`) misses none.

Followers (alerts) read the stream by id in a worker, as an API client does with `?since=`:
the write itself sends nothing and waits for nobody, whatever their number.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from core.models import Event

_origin: ContextVar[str] = ContextVar("event_origin", default=Event.Origin.EDITOR)


@contextmanager
def origin(name: str) -> Iterator[None]:
    """Mark the events written inside the block as coming from `name` (an Event.Origin)."""
    token = _origin.set(name)
    try:
        yield
    finally:
        _origin.reset(token)


def public_value(value: Any) -> Any:
    """A value as JSON keeps it: dates as YYYY-MM-DD."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@dataclass(frozen=True)
class Change:
    """A change to a public fact, before it is an Event: what, of whom, from what to what."""

    kind: str
    participant: str = ""
    participant_name: str = ""
    instrument: str = ""
    old: dict[str, Any] | None = None
    new: dict[str, Any] | None = None
    source: str = ""
    key: str | None = None

    def event(self, origin_name: str) -> Event:
        def public(values: dict[str, Any] | None) -> dict[str, Any] | None:
            return None if values is None else {k: public_value(v) for k, v in values.items()}

        return Event(
            kind=self.kind,
            participant=self.participant,
            participant_name=self.participant_name,
            instrument=self.instrument,
            old=public(self.old),
            new=public(self.new),
            source=self.source,
            origin=origin_name,
            key=self.key,
        )


def events_write(changes: Sequence[Change]) -> None:
    """Write `changes` as events (one statement); call after the data revision's update.

    Changes with a `key` already recorded are skipped: the unique constraint decides, so
    two runs at once still record one."""
    if not changes:
        return
    name = _origin.get()
    rows = [change.event(name) for change in changes]
    Event.objects.bulk_create(rows, ignore_conflicts=any(change.key for change in changes))
