"""The audit trail of treaty data: who changed what, and when, newest first.

django-simple-history keeps a row for every save and deletion of participants, aliases,
instruments, treaty actions and declarations, with the user the services name (none for
the system: the data loader, the compliance job). A feed reads the resources it is given
(`models`, `references`): by default the treaty data's; reports.history composes the
whole trail with its own records (obligations, submissions, compliance flags).
These selectors read them as one feed in a fixed number of queries whatever its length:
1. one page of it with the count of the whole feed (a UNION over the history tables, each
   row carrying the sum of each table's count, from scalar subqueries),
2. for each kind of record on the page, the history of those records (to find what each
   change changed), with the codes of the participants, instruments and obligations they
   refer to (from subqueries, so a record deleted since still shows its number).
"""

import operator
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from functools import reduce
from typing import Any

from django.db.models import CharField, Model, OuterRef, QuerySet, Subquery, Value

from core.querysets import COUNT_OF_ALL, count_of_all
from instruments.models import Declaration, Instrument, TreatyAction
from states.models import Participant, ParticipantAlias

HISTORY_MODELS: Mapping[str, type[Model]] = {
    "actions": TreatyAction,
    "declarations": Declaration,
    "instruments": Instrument,
    "states": Participant,
    "aliases": ParticipantAlias,
}
TYPES = {"+": "created", "~": "changed", "-": "deleted"}
# Bookkeeping that changes with every save; the change itself is in the other fields.
NOT_A_CHANGE = {"created_at", "updated_at", "version"}
# Foreign keys are shown by the code clients use elsewhere: field -> (label, model, code).
REFERENCES: Mapping[str, tuple[str, type[Model], str]] = {
    "participant": ("state", Participant, "iso3"),
    "instrument": ("instrument", Instrument, "code"),
    "convention": ("convention", Instrument, "code"),
}


def _has_participant(model: type[Model]) -> bool:
    return any(f.name == "participant" for f in model._meta.get_fields())


def history_feed(
    *,
    resources: Iterable[str] | None = None,
    states: Iterable[str] | None = None,
    username: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    record: int | None = None,
    models: Mapping[str, type[Model]] = HISTORY_MODELS,
) -> QuerySet:
    """Rows {history_date, resource, history_id, id, COUNT_OF_ALL}, newest first, filtered;
    each row carries the number of rows in the whole feed (COUNT_OF_ALL).

    `states` keeps changes to those participants and to the records that belong to them
    (actions, declarations, aliases, submissions, flags; not instruments or obligations).
    """
    parts: list[tuple[str, QuerySet]] = []
    for name in resources or models:
        model = models[name]
        if states is not None and name != "states" and not _has_participant(model):
            continue  # instruments, obligations: they belong to no participant
        rows = model.history.all()  # type: ignore[attr-defined]
        if states is not None:
            codes = list(states)
            if name == "states":
                rows = rows.filter(iso3__in=codes)
            else:
                rows = rows.filter(
                    participant_id__in=Participant.objects.filter(iso3__in=codes).values("pk")
                )
        if username:
            rows = rows.filter(history_user__username=username)
        if date_from:
            rows = rows.filter(history_date__date__gte=date_from)
        if date_to:
            rows = rows.filter(history_date__date__lte=date_to)
        if record is not None:
            rows = rows.filter(id=record)
        parts.append((name, rows))
    if not parts:
        return TreatyAction.history.none().values("history_date", "history_id")  # type: ignore[attr-defined]
    total = reduce(operator.add, [count_of_all(rows) for _, rows in parts])
    selected = [
        rows.annotate(resource=Value(name, output_field=CharField()), **{COUNT_OF_ALL: total})
        .values("history_date", "resource", "history_id", "id", COUNT_OF_ALL)
        .order_by()
        for name, rows in parts
    ]
    feed = selected[0].union(*selected[1:], all=True) if len(selected) > 1 else selected[0]
    return feed.order_by("-history_date", "resource", "-history_id")


def _tracked(model: type[Model]) -> list[Any]:
    return list(model.history.model.tracked_fields)  # type: ignore[attr-defined]


def _code_of(field: Any) -> str:
    return f"code_of_{field.name}"


def _values(
    entry: Any, fields: list[Any], references: Mapping[str, tuple[str, type[Model], str]]
) -> dict[str, Any]:
    values = {}
    for field in fields:
        if field.name in references:
            label, _, _ = references[field.name]
            pk = getattr(entry, field.attname)
            code = getattr(entry, _code_of(field))
            values[label] = None if pk is None else code if code is not None else pk
        else:
            values[field.name] = getattr(entry, field.attname)
    return values


def _record_histories(
    model: type[Model], records: set[int], references: Mapping[str, tuple[str, type[Model], str]]
) -> dict[int, list[Any]]:
    """Each record's history, oldest first, to compare each change with the one before; the
    records it refers to by their codes (one query)."""
    codes = {}
    for field in _tracked(model):
        if field.name in references:
            _, target, code = references[field.name]
            found = target._default_manager.filter(pk=OuterRef(field.attname))
            codes[_code_of(field)] = Subquery(found.values(code)[:1])
    by_record: dict[int, list[Any]] = defaultdict(list)
    entries = (
        model.history.filter(id__in=records)  # type: ignore[attr-defined]
        .select_related("history_user")
        .annotate(**codes)
        .order_by("id", "history_date", "history_id")
    )
    for entry in entries:
        by_record[entry.id].append(entry)
    return by_record


def history_entries(
    rows: Iterable[dict[str, Any]],
    *,
    models: Mapping[str, type[Model]] = HISTORY_MODELS,
    references: Mapping[str, tuple[str, type[Model], str]] = REFERENCES,
) -> list[dict[str, Any]]:
    """The feed's rows (from history_feed) as entries: who, when, what changed."""
    rows = list(rows)
    wanted: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        wanted[row["resource"]].add(row["id"])

    histories = {
        resource: _record_histories(models[resource], records, references)
        for resource, records in wanted.items()
    }
    result = []
    for row in rows:
        resource, history_id, record = row["resource"], row["history_id"], row["id"]
        fields = _tracked(models[resource])
        entries = histories[resource][record]
        position = next(i for i, e in enumerate(entries) if e.history_id == history_id)
        entry = entries[position]
        after = _values(entry, fields, references)
        before = _values(entries[position - 1], fields, references) if position > 0 else None
        if entry.history_type == "-":
            changes = []
        else:
            changes = [
                {"field": name, "old": None if before is None else before[name], "new": value}
                for name, value in after.items()
                if name not in NOT_A_CHANGE
                and (before[name] != value if before else value not in (None, ""))
            ]
        result.append(
            {
                "resource": resource,
                "record": record,
                "type": TYPES.get(entry.history_type, entry.history_type),
                "at": entry.history_date,
                "user": entry.history_user.get_username() if entry.history_user else None,
                "reason": entry.history_change_reason,
                "changes": changes,
                "values": after,
            }
        )
    return result
