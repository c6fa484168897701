"""The compliance sweep: bring every flag in line with the record as of a date.

The nightly task, the re-check after a write, the back office's "Run compliance check now"
and `manage.py check_compliance` all run `compliance_sweep`; it writes the flags and their
history in a fixed number of statements whatever the number of participants.
"""

import json
import logging
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from core.writes import Actor, revision_bump
from reports import domain
from reports.digest import digest_message, digest_order, digest_recipients
from reports.models import ComplianceCheck, ComplianceFlag
from reports.standings import Standings, obligation_standings

logger = logging.getLogger(__name__)

SYSTEM_CHANGE_REASON = "compliance check (system)"

FLAG_FIELDS = [
    "due_on",
    "raised_on",
    "resolved_on",
    "resolution",
    "evidence_on",
    "submission_id",
    "notified_on",
]


@dataclass
class SweepResult:
    """What one compliance sweep found and did."""

    as_of: date
    dry_run: bool = False
    participants: int = 0
    raised: int = 0
    reopened: int = 0
    updated: int = 0
    resolved: int = 0
    unchanged: int = 0
    open_by_obligation: Counter[str] = field(default_factory=Counter)
    open_by_bucket: Counter[str] = field(default_factory=Counter)
    digest_flags: int = 0
    digest_recipients: int = 0

    @property
    def open(self) -> int:
        return sum(self.open_by_obligation.values())

    @property
    def changed(self) -> int:
        return self.raised + self.reopened + self.updated + self.resolved

    def summary(self) -> dict[str, Any]:
        """A small JSON-safe summary, as tasks return it."""
        return {
            "as_of": self.as_of.isoformat(),
            "dry_run": self.dry_run,
            "participants": self.participants,
            "open": self.open,
            "raised": self.raised,
            "reopened": self.reopened,
            "updated": self.updated,
            "resolved": self.resolved,
            "unchanged": self.unchanged,
            "digest_flags": self.digest_flags,
            "digest_recipients": self.digest_recipients,
        }


def _take_turn(as_of: date, *, full: bool, dry_run: bool) -> None:
    """Begin the sweep's transaction by updating the one ComplianceCheck row.

    On PostgreSQL the update locks the row until commit, so a second sweep waits here and
    then reads the first one's flags; SQLite takes its write lock at the first write. Either
    way the second sweep finds nothing left to do, and only one digest goes out.

    Stored flags move forward in time: a sweep that writes may not check as of a date after
    today or before the last full check (its flags would rewrite history); a dry run may.
    """
    if not dry_run and as_of > timezone.localdate():
        raise ValidationError(
            {"as_of": f"{as_of:%d %b %Y} is after today; check a future date as a dry run."},
            code="date_in_future",
        )
    values: dict[str, Any] = {"last_run_at": timezone.now()}
    if full:
        values["last_as_of"] = as_of
    turn = ComplianceCheck.objects.filter(pk=1)
    if (turn if dry_run else turn.exclude(last_as_of__gt=as_of)).update(**values):
        return
    last = turn.values_list("last_as_of", flat=True).first()
    if last is not None:
        raise ValidationError(
            {
                "as_of": f"The flags stand as of {last:%d %b %Y}; a check as of the earlier "
                f"{as_of:%d %b %Y} can only be a dry run."
            },
            code="date_before_last_check",
        )
    ComplianceCheck.objects.bulk_create([ComplianceCheck(pk=1)], ignore_conflicts=True)
    turn.update(**values)


def compliance_sweep(
    *,
    as_of: date | None = None,
    participant_ids: list[int] | None = None,
    dry_run: bool = False,
    notify: bool = True,
    actor: Actor = None,
) -> SweepResult:
    """Bring the compliance flags in line with the record on `as_of` (default today).

    For every participant (or those in `participant_ids`) and every obligation:
    1. Take turns with any other sweep (see _take_turn).
    2. Work out each standing from the treaty actions, submissions and notifications on
       record (reports.standings.obligation_standings: four queries).
    3. Read the stored flags (one query) and decide each one's next state (domain.flag_next):
       raise, reopen, follow a changed due date, resolve, or leave.
    4. If `notify`, mark the open flags no digest has mentioned yet and, after commit, send
       SPMU editors one e-mail digest of them.
    5. If anything changed, write all flags in one upsert on (participant, obligation) and
       their history rows in one insert, attributed to the system unless an `actor` ran the
       check, and count the data revision. If nothing changed, write nothing.
    The number of statements does not depend on the number of participants. With `dry_run`
    everything is rolled back and no digest is sent; only a dry run may look at a date after
    today or before the last full check.
    """
    as_of = as_of or timezone.localdate()
    result = SweepResult(as_of=as_of, dry_run=dry_run)
    with transaction.atomic():
        _take_turn(as_of, full=participant_ids is None, dry_run=dry_run)
        standings = obligation_standings(as_of=as_of, participant_ids=participant_ids)
        result.participants = len(standings.participants)
        final, changed = _flags_next(result, standings, _flags_stored(participant_ids))
        digest: list[tuple[int, int]] = []
        recipients: list[str] = []
        if notify:
            digest, recipients = _digest_mark(result, standings, final, changed)
        _count_open(result, standings, final)
        if changed:
            _flags_write({key: final[key] for key in changed}, changed, actor)
            revision_bump()
        if digest and not dry_run:
            message = digest_message(standings, [(key, final[key]) for key in digest], as_of)
            message.to = recipients
            # After commit, so no e-mail announces flags that were rolled back; a mail server
            # failure is logged and does not undo the sweep.
            transaction.on_commit(message.send, robust=True)
        if dry_run:
            transaction.set_rollback(True)
    if changed and not dry_run:
        logger.info("compliance sweep as of %s: %s", as_of, result.summary())
    return result


Key = tuple[int, int]  # (participant id, obligation id)


def _flags_stored(participant_ids: list[int] | None) -> dict[Key, domain.FlagState]:
    """The stored flags (of these participants), by key (one query)."""
    stored_flags = ComplianceFlag.objects.all()
    if participant_ids is not None:
        stored_flags = stored_flags.filter(participant_id__in=participant_ids)
    return {
        (row["participant_id"], row["obligation_id"]): domain.FlagState(
            **{name: row[name] for name in FLAG_FIELDS}
        )
        for row in stored_flags.values("participant_id", "obligation_id", *FLAG_FIELDS)
    }


def _flags_next(
    result: SweepResult, standings: Standings, stored: dict[Key, domain.FlagState]
) -> tuple[dict[Key, domain.FlagState], dict[Key, str]]:
    """Each flag's next state (domain.flag_next), and the history type of those that change:
    "+" new, "~" changed. Counts the changes into `result`."""
    final: dict[Key, domain.FlagState] = {}
    changed: dict[Key, str] = {}
    for key in stored.keys() | standings.entries.keys():
        before = stored.get(key)
        after = domain.flag_next(before, standings.standing(*key), result.as_of)
        if after is None:
            continue
        final[key] = after
        if after != before:
            _count_change(result, before, after)
            changed[key] = "+" if before is None else "~"
        else:
            result.unchanged += 1
    return final, changed


def _digest_mark(
    result: SweepResult,
    standings: Standings,
    final: dict[Key, domain.FlagState],
    changed: dict[Key, str],
) -> tuple[list[Key], list[str]]:
    """Mark the open flags no digest has mentioned yet as notified today, if anyone is to be
    told (one query for the recipients); the flags to list and the recipients."""
    unannounced = [k for k, f in final.items() if f.is_open and f.notified_on is None]
    recipients = digest_recipients() if unannounced else []
    if not recipients:
        return [], []
    digest = digest_order(standings, unannounced)
    for key in digest:
        final[key] = replace(final[key], notified_on=result.as_of)
        changed.setdefault(key, "~")
    result.digest_flags, result.digest_recipients = len(digest), len(recipients)
    return digest, recipients


def compliance_recheck(*, participant_ids: list[int], as_of: date | None = None) -> SweepResult:
    """Re-check some participants after their data changed; the nightly sweep sends the
    digest of any flag this raises."""
    return compliance_sweep(as_of=as_of, participant_ids=participant_ids, notify=False)


def _count_change(
    result: SweepResult, before: domain.FlagState | None, after: domain.FlagState
) -> None:
    if before is None:
        result.raised += 1
    elif not before.is_open and after.is_open:
        result.reopened += 1
    elif before.is_open and not after.is_open:
        result.resolved += 1
    else:
        result.updated += 1


def _count_open(
    result: SweepResult, standings: Standings, final: dict[tuple[int, int], domain.FlagState]
) -> None:
    references = {o.pk: o.reference for o in standings.obligations}
    for (_, obligation_id), flag in final.items():
        if flag.is_open:
            result.open_by_obligation[references[obligation_id]] += 1
            result.open_by_bucket[domain.ageing_bucket(flag.due_on, result.as_of)] += 1


def _flags_write(
    flags: dict[tuple[int, int], domain.FlagState],
    history_types: dict[tuple[int, int], str],
    actor: Actor,
) -> None:
    """Write the flags in one upsert and their history rows in one insert."""
    rows = [
        ComplianceFlag(participant_id=participant_id, obligation_id=obligation_id, **asdict(flag))
        for (participant_id, obligation_id), flag in flags.items()
    ]
    ComplianceFlag.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["participant", "obligation"],
        update_fields=[name.removesuffix("_id") for name in FLAG_FIELDS],
    )
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    reason = SYSTEM_CHANGE_REASON if user is None else "compliance check run in the back office"
    _flags_history_insert(history_types, timezone.now(), user.pk if user else None, reason)


def _flags_history_insert(
    history_types: dict[tuple[int, int], str], when: Any, user_id: int | None, reason: str
) -> None:
    """One history row per flag in `history_types`, copied from the flags just written.

    One INSERT ... SELECT whatever the number of flags: the keys and history types travel as
    one JSON parameter, which the database unpacks (json_each on SQLite,
    json_array_elements on PostgreSQL) and joins to the flags on (participant, obligation).
    A list of rows would need 14 parameters each, more than SQLite allows in one statement
    from about 18,000 flags on.
    """
    History = ComplianceFlag.history.model  # type: ignore[attr-defined]
    quote = connection.ops.quote_name
    tracked = [quote(f.column) for f in History.tracked_fields]
    columns = ", ".join(
        [*tracked, *map(quote, ["history_date", "history_change_reason", "history_user_id"])]
    )
    copied = ", ".join(f"f.{column}" for column in tracked)
    keys = json.dumps([[p, o, kind] for (p, o), kind in history_types.items()])
    if connection.vendor == "postgresql":
        source = "json_array_elements(%s::json) WITH ORDINALITY AS j(value, position)"
        item = "(j.value ->> {})"
        number = "(j.value ->> {})::integer"
        order = "j.position"
    else:
        source = "json_each(%s) AS j"
        item = "json_extract(j.value, '$[{}]')"
        number = item
        order = "j.key"
    sql = (
        f"INSERT INTO {quote(History._meta.db_table)} ({columns}, {quote('history_type')}) "
        f"SELECT {copied}, %s, %s, %s, {item.format(2)} FROM {source} "
        f"JOIN {quote(ComplianceFlag._meta.db_table)} f "
        f"ON f.{quote('participant_id')} = {number.format(0)} "
        f"AND f.{quote('obligation_id')} = {number.format(1)} ORDER BY {order}"
    )
    params = [connection.ops.adapt_datetimefield_value(when), reason, user_id, keys]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
