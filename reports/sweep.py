"""The compliance sweep: bring every flag in line with the record as of a date.

The nightly task, the re-check after a write, the back office's "Run compliance check now"
and `manage.py check_compliance` all run `compliance_sweep`; it writes the flags and their
history in a fixed number of statements whatever the number of participants.
"""

import logging
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.events import Change, origin
from core.i18n import message_date
from core.models import Event
from core.writes import Actor, revision_bump
from reports import domain, flag_rules
from reports.digest import digest_message, digest_order, digest_recipients
from reports.flags import FLAG_FIELDS, flags_write
from reports.models import ComplianceCheck, ComplianceFlag
from reports.standings import Standings, obligation_standings
from states.models import Participant

logger = logging.getLogger(__name__)


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
            {
                "as_of": _("%(date)s is after today; check a future date as a dry run.")
                % {"date": message_date(as_of)}
            },
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
                "as_of": _(
                    "The flags stand as of %(last)s; a check as of the earlier %(date)s can "
                    "only be a dry run."
                )
                % {"last": message_date(last), "date": message_date(as_of)}
            },
            code="date_before_last_check",
        )
    ComplianceCheck.objects.bulk_create([ComplianceCheck(pk=1)], ignore_conflicts=True)
    turn.update(**values)


def _participants_lock(participant_ids: list[int] | None) -> None:
    """Lock the participants this sweep checks (all, or those in `participant_ids`), in the
    order of their ids, before reading their records.

    Every editor's write locks its participant first too (instruments.services.actions_apply,
    reports.services), so an editor and the sweep take turns per participant instead of
    each holding a row the other needs (a flag, a submission): no deadlock, and no flag
    pointing at a submission deleted after the sweep read it. FOR NO KEY UPDATE: rows that
    merely refer to a participant (a new coverage record, a flag) may still be written.
    """
    participants = Participant.objects.select_for_update(no_key=True).order_by("pk")
    if participant_ids is not None:
        participants = participants.filter(pk__in=participant_ids)
    list(participants.values_list("pk", flat=True))


def _is_deadlock(error: Exception) -> bool:
    cause = error.__cause__
    return (getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)) == "40P01"


def compliance_sweep(
    *,
    as_of: date | None = None,
    participant_ids: list[int] | None = None,
    dry_run: bool = False,
    notify: bool = True,
    actor: Actor = None,
) -> SweepResult:
    """Run `_compliance_sweep` (below); if PostgreSQL ends it as one side of a deadlock, run
    it once more: it was rolled back whole, and it is safe to run again. (Its locks are taken
    in the editors' order, so this is a safety net.) Inside a caller's transaction it is not
    retried: the caller's transaction is lost too."""
    arguments: dict[str, Any] = {
        "as_of": as_of,
        "participant_ids": participant_ids,
        "dry_run": dry_run,
        "notify": notify,
        "actor": actor,
    }
    if transaction.get_connection().in_atomic_block:
        return _compliance_sweep(**arguments)
    try:
        return _compliance_sweep(**arguments)
    except OperationalError as error:
        if not _is_deadlock(error):
            raise
        logger.warning("compliance sweep ended by a deadlock; running it once more")
        return _compliance_sweep(**arguments)


def _compliance_sweep(
    *,
    as_of: date | None,
    participant_ids: list[int] | None,
    dry_run: bool,
    notify: bool,
    actor: Actor,
) -> SweepResult:
    """Bring the compliance flags in line with the record on `as_of` (default today).

    For every participant (or those in `participant_ids`) and every obligation:
    1. Take turns with any other sweep (see _take_turn), then with the editors of these
       participants (_participants_lock).
    2. Work out each standing from the treaty actions, submissions and notifications on
       record, and how far those records are known complete
       (reports.standings.obligation_standings: five queries).
    3. Read the stored flags (one query) and decide each one's next state (flag_rules.flag_next):
       raise, reopen, follow a changed due date, resolve, or leave.
    4. If `notify`, mark the open flags no digest has mentioned yet and, after commit, send
       SPMU editors one e-mail digest of them.
    5. If anything changed, write the new flags and the changed ones, each kind in one bulk
       statement with its history rows in one more (reports.flags), attributed to the system
       unless an `actor` ran the check, and count the data revision. If nothing changed,
       write nothing.
    The number of statements does not depend on the number of participants. With `dry_run`
    everything is rolled back and no digest is sent; only a dry run may look at a date after
    today or before the last full check.
    """
    as_of = as_of or timezone.localdate()
    result = SweepResult(as_of=as_of, dry_run=dry_run)
    with transaction.atomic():
        _take_turn(as_of, full=participant_ids is None, dry_run=dry_run)
        _participants_lock(participant_ids)
        standings = obligation_standings(as_of=as_of, participant_ids=participant_ids)
        result.participants = len(standings.participants)
        stored, stored_ids = _flags_stored(participant_ids)
        final, changed = _flags_next(result, standings, stored)
        digest: list[tuple[int, int]] = []
        recipients: list[str] = []
        if notify:
            digest, recipients = _digest_mark(result, standings, final, changed)
        _count_open(result, standings, final)
        if changed:
            flags_write({key: final[key] for key in changed}, stored_ids, actor)
            with origin(Event.Origin.COMPLIANCE_CHECK):
                revision_bump(standing_events(standings, stored, final, changed))
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


def flag_public(flag: flag_rules.FlagState | None, obligation_code: str) -> dict[str, Any] | None:
    """What the public compliance page shows of a flag."""
    if flag is None:
        return None
    return {
        "obligation": obligation_code,
        "open": flag.is_open,
        "due_on": flag.due_on,
        "raised_on": flag.raised_on,
        "resolved_on": flag.resolved_on,
        "resolution": flag.resolution,
    }


def standing_events(
    standings: Standings,
    stored: dict[Key, flag_rules.FlagState],
    final: dict[Key, flag_rules.FlagState],
    changed: dict[Key, str],
) -> list[Change]:
    """One event per flag whose public values changed (a digest mark alone is not one).
    No query: the participants and obligations are in `standings`."""
    participants = {p.pk: p for p in standings.participants}
    obligations = {o.pk: o for o in standings.obligations}
    events = []
    for key in changed:
        participant, obligation = participants.get(key[0]), obligations[key[1]]
        old = flag_public(stored.get(key), obligation.code)
        new = flag_public(final[key], obligation.code)
        if participant is None or old == new:
            continue
        events.append(
            Change(
                kind=Event.Kind.STANDING_CHANGED,
                participant=participant.iso3,
                participant_name=participant.name,
                instrument=obligation.instrument.code,
                old=old,
                new=new,
                source=f"Compliance check as of {standings.as_of.isoformat()}.",
            )
        )
    return events


def _flags_stored(
    participant_ids: list[int] | None,
) -> tuple[dict[Key, flag_rules.FlagState], dict[Key, int]]:
    """The stored flags (of these participants) and their ids, by key (one query)."""
    stored_flags = ComplianceFlag.objects.all()
    if participant_ids is not None:
        stored_flags = stored_flags.filter(participant_id__in=participant_ids)
    states: dict[Key, flag_rules.FlagState] = {}
    ids: dict[Key, int] = {}
    for row in stored_flags.values("id", "participant_id", "obligation_id", *FLAG_FIELDS):
        key = (row["participant_id"], row["obligation_id"])
        states[key] = flag_rules.FlagState(**{name: row[name] for name in FLAG_FIELDS})
        ids[key] = row["id"]
    return states, ids


def _flags_next(
    result: SweepResult, standings: Standings, stored: dict[Key, flag_rules.FlagState]
) -> tuple[dict[Key, flag_rules.FlagState], dict[Key, str]]:
    """Each flag's next state (flag_rules.flag_next), and the history type of those that change:
    "+" new, "~" changed. Counts the changes into `result`."""
    final: dict[Key, flag_rules.FlagState] = {}
    changed: dict[Key, str] = {}
    for key in stored.keys() | standings.entries.keys():
        before = stored.get(key)
        after = flag_rules.flag_next(before, standings.standing(*key), result.as_of)
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
    final: dict[Key, flag_rules.FlagState],
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
    result: SweepResult, before: flag_rules.FlagState | None, after: flag_rules.FlagState
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
    result: SweepResult, standings: Standings, final: dict[tuple[int, int], flag_rules.FlagState]
) -> None:
    references = {o.pk: o.reference for o in standings.obligations}
    for (_participant_id, obligation_id), flag in final.items():
        if flag.is_open:
            result.open_by_obligation[references[obligation_id]] += 1
            result.open_by_bucket[domain.ageing_bucket(flag.due_on, result.as_of)] += 1
