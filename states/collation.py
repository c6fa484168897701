"""Lists of participants in the order of the names a reader sees.

A list by name follows the name shown (states.names), sorted as the language sorts:
"Égypte" among the E in French, "Österreich" among the O in German, Russian names in the
order of the Cyrillic alphabet. The database orders by the English name; the other
languages re-sort in memory, after the one query that read the rows, so no page asks the
database more. English keeps the database's order.
"""

from collections.abc import Callable, Iterable
from functools import cache
from typing import TypeVar

# pyuca: the Unicode Collation Algorithm with its default table, in pure Python (no system
# ICU library to build against), which already orders these six languages' letters right.
import pyuca

from core.languages import ENGLISH, public_code

T = TypeVar("T")


@cache
def _collator() -> pyuca.Collator:
    return pyuca.Collator()


@cache
def collation_key(text: str) -> tuple[int, ...]:
    """The Unicode collation key of a name (case and accents second to the letters)."""
    return tuple(_collator().sort_key(text))


def local_name_of(item: object) -> str:
    """A participant's name shown (its `local_name`), or that of a record's participant."""
    participant = getattr(item, "participant", item)
    return str(getattr(participant, "local_name", participant))


def by_local_name(
    items: Iterable[T],
    name: Callable[[T], str] | None = None,
    *,
    language: str | None = None,
) -> list[T]:
    """`items` (already by English name) by their name in `language` (the active one by
    default), `name` giving it (by default the participant's, local_name_of); in English,
    as given. A stable sort: items of one name keep their order."""
    items = list(items)
    if public_code(language) == ENGLISH:
        return items
    name_of = name or local_name_of
    return sorted(items, key=lambda item: collation_key(name_of(item)))
