"""Reads of the treaty records themselves, actions and declarations, as lists, exports and
searches show them, each in one query. (Where participants stand, computed from those
records, is in instruments.selectors.)"""

import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db.models import F, Q, QuerySet

from instruments.citations import citation
from instruments.models import Declaration, TreatyAction
from states.selectors import in_osce_role

# The columns of an action as lists and exports show it; `state` and `instrument` are codes.
_ACTION_FIELDS = (
    "id",
    "state",
    "state_name",
    "instrument",
    "kind",
    "date",
    "effective_date",
    "depositary_notification",
    "source",
    "note",
    "version",
)
# `source` as recorded (for signed-in staff; the citation for everyone else: the recorded text
# may hold working notes), `citation` as a reader cites it.
ACTION_COLUMNS = (*_ACTION_FIELDS[:9], "citation", *_ACTION_FIELDS[9:])
_ACTION_VALUES = (
    "id",
    "participant__iso3",
    "participant__name",
    "instrument__code",
    "kind",
    "date",
    "effective_date",
    "depositary_notification",
    "source",
    "note",
    "version",
)


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
    if states is not None:
        actions = actions.filter(participant__iso3__in=list(states))
    if instruments is not None:
        actions = actions.filter(instrument__code__in=list(instruments))
    if kinds is not None:
        actions = actions.filter(kind__in=list(kinds))
    actions = actions.filter(in_osce_role(osce_role, through="participant__", as_of=roles_on))
    if date_from is not None:
        actions = actions.filter(date__gte=date_from)
    if date_to is not None:
        actions = actions.filter(date__lte=date_to)
    return actions


def action_rows(actions: QuerySet[TreatyAction]) -> QuerySet:
    """The actions as tuples in ACTION_COLUMNS order, joined to their participant and
    instrument in the same query; `dict(zip(ACTION_COLUMNS, row))` makes a row."""
    return actions.values_list(*_ACTION_VALUES)


_DECLARATION_FIELDS = (
    "id",
    "state",
    "state_name",
    "instrument",
    "kind",
    "article",
    "date",
    "made_at",
    "summary",
    "source",
    "version",
)
DECLARATION_COLUMNS = (*_DECLARATION_FIELDS[:10], "citation", *_DECLARATION_FIELDS[10:])
_DECLARATION_VALUES = (
    "id",
    "participant__iso3",
    "participant__name",
    "instrument__code",
    "kind",
    "article",
    "date",
    "made_at",
    "summary",
    "source",
    "version",
)


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
    if states is not None:
        declarations = declarations.filter(participant__iso3__in=list(states))
    if instruments is not None:
        declarations = declarations.filter(instrument__code__in=list(instruments))
    if kinds is not None:
        declarations = declarations.filter(kind__in=list(kinds))
    if article:
        # An article reference starts the field or follows ", "; a paragraph may follow it.
        token = re.escape(article)
        declarations = declarations.filter(article__iregex=rf"(^|[ ,]){token}([( ,]|$)")
    if text:
        declarations = declarations.filter(Q(summary__icontains=text) | Q(article__icontains=text))
    return declarations


def declaration_rows(declarations: QuerySet[Declaration]) -> QuerySet:
    """The declarations as tuples in DECLARATION_COLUMNS order (one joined query)."""
    return declarations.values_list(*_DECLARATION_VALUES)


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
    row = dict(zip(_ACTION_FIELDS, values, strict=True))
    row["citation"] = citation(row["source"])
    if not recorded_source:
        row["source"] = row["citation"]
    return {column: row[column] for column in ACTION_COLUMNS}


def declaration_row(values: Sequence[Any], *, recorded_source: bool = True) -> dict[str, Any]:
    """One row of declaration_rows as a dict of DECLARATION_COLUMNS, with its citation;
    `source` as in action_row."""
    row = dict(zip(_DECLARATION_FIELDS, values, strict=True))
    row["citation"] = citation(row["source"])
    if not recorded_source:
        row["source"] = row["citation"]
    return {column: row[column] for column in DECLARATION_COLUMNS}
