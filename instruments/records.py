"""Reads of the treaty records themselves, actions and declarations, as lists, exports and
searches show them, each in one query. (Where participants stand, computed from those
records, is in instruments.selectors.)"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import F, Q, QuerySet

from instruments.citations import citation
from instruments.models import Declaration, TreatyAction
from states.names import participant_name
from states.selectors import in_osce_role


@dataclass(frozen=True)
class RecordColumns:
    """How one kind of record is listed and exported: each column beside the value the query
    reads for it (`state` and `instrument` are codes), and the reader's `citation` of the
    recorded `source` right after it. One joined query gives every row."""

    values: tuple[tuple[str, str], ...]  # (column, field path in the query)

    @property
    def columns(self) -> tuple[str, ...]:
        names = tuple(column for column, _ in self.values)
        after = names.index("source") + 1
        return (*names[:after], "citation", *names[after:])

    def rows(self, records: QuerySet) -> QuerySet:
        """The records as tuples, read in one query; `row` makes each a dict."""
        return records.values_list(*(path for _, path in self.values))

    def row(self, values: Sequence[Any], *, recorded_source: bool = True) -> dict[str, Any]:
        """`source` is the recorded text only for staff (`recorded_source`): it may hold
        working notes; everyone else reads the citation there too."""
        row = dict(zip((column for column, _ in self.values), values, strict=True))
        if "state_name" in row:  # the name in the active language (states/names.py)
            row["state_name"] = participant_name(row["state"], row["state_name"])
        row["citation"] = citation(row["source"])
        if not recorded_source:
            row["source"] = row["citation"]
        return {column: row[column] for column in self.columns}


# The fields every treaty record is listed with, first and last.
_OWNER = (
    ("id", "id"),
    ("state", "participant__iso3"),
    ("state_name", "participant__name"),
    ("instrument", "instrument__code"),
)
ACTIONS = RecordColumns(
    (
        *_OWNER,
        ("kind", "kind"),
        ("date", "date"),
        ("effective_date", "effective_date"),
        ("depositary_notification", "depositary_notification"),
        ("source", "source"),
        ("note", "note"),
        ("version", "version"),
    )
)
DECLARATIONS = RecordColumns(
    (
        *_OWNER,
        ("kind", "kind"),
        ("article", "article"),
        ("date", "date"),
        ("made_at", "made_at"),
        ("summary", "summary"),
        ("source", "source"),
        ("version", "version"),
    )
)
# `source` as recorded (for signed-in staff; the citation for everyone else: the recorded text
# may hold working notes), `citation` as a reader cites it.
ACTION_COLUMNS = ACTIONS.columns
DECLARATION_COLUMNS = DECLARATIONS.columns


def _by_codes(
    records: QuerySet,
    states: Iterable[str] | None,
    instruments: Iterable[str] | None,
    kinds: Iterable[str] | None,
) -> QuerySet:
    """The filters every list of treaty records takes: participant codes, instrument codes
    and kinds (None: any)."""
    if states is not None:
        records = records.filter(participant__iso3__in=list(states))
    if instruments is not None:
        records = records.filter(instrument__code__in=list(instruments))
    if kinds is not None:
        records = records.filter(kind__in=list(kinds))
    return records


def action_list(
    *,
    states: Iterable[str] | None = None,
    instruments: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    osce_role: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    roles_on: date | None = None,
) -> QuerySet[TreatyAction]:
    """Treaty actions, filtered by participant codes, instrument codes, kinds, an OSCE role
    group (states.selectors.in_osce_role) and
    an inclusive date range; by date unless the caller orders them otherwise."""
    actions = TreatyAction.objects.order_by(
        "date", "participant__name", "instrument__display_order", "id"
    )
    actions = _by_codes(actions, states, instruments, kinds)
    actions = actions.filter(in_osce_role(osce_role, through="participant__", as_of=roles_on))
    if date_from is not None:
        actions = actions.filter(date__gte=date_from)
    if date_to is not None:
        actions = actions.filter(date__lte=date_to)
    return actions


def action_rows(actions: QuerySet[TreatyAction]) -> QuerySet:
    """The actions as tuples in ACTION_COLUMNS order, joined to their participant and
    instrument in the same query; `dict(zip(ACTION_COLUMNS, row))` makes a row."""
    return ACTIONS.rows(actions)


def declaration_list(
    *,
    states: Iterable[str] | None = None,
    instruments: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    article: str | None = None,
    text: str | None = None,
) -> QuerySet[Declaration]:
    """Declarations, filtered; `article` matches that article and its paragraphs ("18"
    matches "18", "18(13)" and "16(14), 18(21)"); `text` searches summaries and articles."""
    declarations = Declaration.objects.order_by(
        "participant__name", "instrument__display_order", F("date").asc(nulls_last=True), "id"
    )
    declarations = _by_codes(declarations, states, instruments, kinds)
    if article:
        # An article reference starts the field or follows ", "; a paragraph may follow it.
        token = re.escape(article)
        declarations = declarations.filter(article__iregex=rf"(^|[ ,]){token}([( ,]|$)")
    if text:
        declarations = declarations.filter(Q(summary__icontains=text) | Q(article__icontains=text))
    return declarations


def declaration_rows(declarations: QuerySet[Declaration]) -> QuerySet:
    """The declarations as tuples in DECLARATION_COLUMNS order (one joined query)."""
    return DECLARATIONS.rows(declarations)


def action_list_latest(
    *,
    limit: int = 10,
    instrument_codes: Iterable[str] | None = None,
    participant_codes: Iterable[str] | None = None,
) -> list[TreatyAction]:
    """The most recent treaty actions by their date, newest first (one query)."""
    actions = TreatyAction.objects.select_related("participant", "instrument").order_by(
        "-date", "-id"
    )
    if instrument_codes is not None:
        actions = actions.filter(instrument__code__in=list(instrument_codes))
    if participant_codes is not None:
        actions = actions.filter(participant__iso3__in=list(participant_codes))
    return list(actions[:limit])


def declaration_search(text: str, *, limit: int = 50) -> list[Declaration]:
    """Declarations whose summary or article contains `text`, at most `limit` (one query)."""
    text = text.strip()
    if not text:
        return []
    found = declaration_list(text=text).select_related("participant", "instrument")
    return list(found[:limit])


def action_row(values: Sequence[Any], *, recorded_source: bool = True) -> dict[str, Any]:
    """One row of action_rows as a dict of ACTION_COLUMNS, with its citation; `source` is
    the recorded text only for staff (`recorded_source`), else the citation too."""
    return ACTIONS.row(values, recorded_source=recorded_source)


def declaration_row(values: Sequence[Any], *, recorded_source: bool = True) -> dict[str, Any]:
    """One row of declaration_rows as a dict of DECLARATION_COLUMNS; `source` as in
    action_row."""
    return DECLARATIONS.row(values, recorded_source=recorded_source)
