"""The audit trail of treaty data: who changed what, and when, newest first.

django-simple-history keeps a row for every save and deletion of participants, aliases,
instruments, treaty actions and declarations, with the user the services name (none for
the system: the data loader, the compliance job). Apps that build on instruments add their
records with `history_register` (reports: obligations, submissions, compliance flags).
These selectors read them as one feed in a fixed number of queries whatever its length:
1. the count of the feed, 2. one page of it (a UNION over the history tables),
3. for each kind of record on the page, the history of those records (to find what each
   change changed), 4. for each kind of record they refer to (participants, instruments,
   obligations), the codes of those records.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import CharField, Model, QuerySet, Value

from instruments.models import Declaration, Instrument, TreatyAction
from states.models import Participant, ParticipantAlias

HISTORY_MODELS: dict[str, type[Model]] = {
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
REFERENCES: dict[str, tuple[str, type[Model], str]] = {
    "participant": ("state", Participant, "iso3"),
    "instrument": ("instrument", Instrument, "code"),
    "convention": ("convention", Instrument, "code"),
}


def history_register(
    resource: str,
    model: type[Model],
    references: dict[str, tuple[str, type[Model], str]] | None = None,
) -> None:
    """Add another app's records to the feed as `resource`, their foreign keys in
    `references` shown by code. Apps that depend on instruments call this from their
    AppConfig.ready(), since instruments may not import them."""
    HISTORY_MODELS[resource] = model
    REFERENCES.update(references or {})


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
) -> QuerySet:
    """Rows (history_date, resource, history_id, record id), newest first, filtered.

    `states` keeps changes to those participants and to the records that belong to them
    (actions, declarations, aliases, submissions, flags; not instruments or obligations).
    """
    parts = []
    for name in resources or HISTORY_MODELS:
        model = HISTORY_MODELS[name]
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
        parts.append(
            rows.annotate(resource=Value(name, output_field=CharField()))
            .values_list("history_date", "resource", "history_id", "id")
            .order_by()
        )
    if not parts:
        return TreatyAction.history.none().values_list("history_date", "history_id")  # type: ignore[attr-defined]
    feed = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return feed.order_by("-history_date", "resource", "-history_id")


def _tracked(model: type[Model]) -> list[Any]:
    return list(model.history.model.tracked_fields)  # type: ignore[attr-defined]


def _values(entry: Any, fields: list[Any], codes: dict[str, dict[int, str]]) -> dict[str, Any]:
    values = {}
    for field in fields:
        if field.name in REFERENCES:
            label, _, _ = REFERENCES[field.name]
            pk = getattr(entry, field.attname)
            values[label] = codes[field.name].get(pk, pk) if pk is not None else None
        else:
            values[field.name] = getattr(entry, field.attname)
    return values


def history_entries(rows: Iterable[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """The feed's rows (from history_feed) as entries: who, when, what changed."""
    rows = list(rows)
    wanted: dict[str, set[int]] = defaultdict(set)
    for _, resource, _, record in rows:
        wanted[resource].add(record)

    # Each record's history, oldest first, to compare each change with the one before.
    histories: dict[str, dict[int, list[Any]]] = {}
    for resource, records in wanted.items():
        model = HISTORY_MODELS[resource]
        by_record: dict[int, list[Any]] = defaultdict(list)
        entries = (
            model.history.filter(id__in=records)  # type: ignore[attr-defined]
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        for entry in entries:
            by_record[entry.id].append(entry)
        histories[resource] = by_record

    # The records they refer to, by model (one query for each model).
    referenced: dict[type[Model], set[int]] = defaultdict(set)
    for resource, by_record in histories.items():
        for field in _tracked(HISTORY_MODELS[resource]):
            if field.name in REFERENCES:
                _, target, _ = REFERENCES[field.name]
                for entries in by_record.values():
                    referenced[target] |= {getattr(e, field.attname) for e in entries}
    code_fields = {target: code for _, target, code in REFERENCES.values()}
    target_codes = {
        target: dict(
            target._default_manager.filter(pk__in=ids).values_list("pk", code_fields[target])
        )
        for target, ids in referenced.items()
    }
    codes = {name: target_codes.get(target, {}) for name, (_, target, _) in REFERENCES.items()}

    result = []
    for _, resource, history_id, record in rows:
        fields = _tracked(HISTORY_MODELS[resource])
        entries = histories[resource][record]
        position = next(i for i, e in enumerate(entries) if e.history_id == history_id)
        entry = entries[position]
        after = _values(entry, fields, codes)
        before = _values(entries[position - 1], fields, codes) if position > 0 else None
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
