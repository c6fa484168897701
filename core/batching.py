"""Ids gathered over a block of writes and handed on once, at the end of the block.

A write announces the records it touched (`add`); outside a block they are handed on at once,
inside `batched()` they are gathered and handed on together when the block ends without an
error (an import touching 188 participants sends one follow-up, not 188). A block that
raises hands on nothing: its transaction is rolled back. Plain context state, so nothing
depends on the database connection's internals.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar


class IdBatch:
    def __init__(self, name: str, hand_on: Callable[[list[int]], None]) -> None:
        self.hand_on = hand_on
        self._gathered: ContextVar[set[int] | None] = ContextVar(name, default=None)

    def add(self, ids: Iterable[int]) -> None:
        gathered = self._gathered.get()
        if gathered is None:
            self.hand_on(sorted(set(ids)))
        else:
            gathered.update(ids)

    @contextmanager
    def batched(self) -> Iterator[None]:
        if self._gathered.get() is not None:  # already inside a block: it hands them on
            yield
            return
        gathered: set[int] = set()
        token = self._gathered.set(gathered)
        try:
            yield
        finally:
            self._gathered.reset(token)
        if gathered:
            self.hand_on(sorted(gathered))
