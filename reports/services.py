"""Every write to obligations, submissions and compliance flags.

The back office, the API, the catalogue loader and the Celery tasks call these functions.
Each write is atomic, refuses bad input whole (a ValidationError naming the field and rule),
keeps history, counts the data revision, and re-checks the participant it touches once the
transaction has committed.
"""

import json
import logging
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.utils import timezone

from instruments import domain as treaty
from instruments.services import StaleVersionError, TreatyRuleError
from reports import domain
from reports.models import ComplianceCheck, ComplianceFlag, CopSession, Obligation, Submission
from reports.standings import Standings, obligation_standings
from states.models import Participant
from states.roles import SPMU_EDITORS
from states.services import Actor, revision_bump, set_history_user

logger = logging.getLogger(__name__)

SUBMISSION_FIELDS = ("obligation", "received_on", "reference", "note")
SYSTEM_CHANGE_REASON = "compliance check (system)"


def _recheck_after_commit(participant_ids: list[int]) -> None:
    from reports.tasks import recheck_on_commit  # tasks import this module

    recheck_on_commit(participant_ids)


# --- Submissions -----------------------------------------------------------------------------


def submission_violations(
    submission: Submission, today: date | None = None
) -> list[treaty.Violation]:
    """Rules for a submission: received on a real past date, after the instrument existed, and
    recorded once per participant, obligation and day."""
    today = today or timezone.localdate()
    violations = []
    received_on = submission.received_on
    instrument = submission.obligation.instrument
    if received_on > today:
        violations.append(
            treaty.Violation(
                "date_in_future",
                "received_on",
                f"{received_on:%d %b %Y} is after today ({today:%d %b %Y}); record a "
                "submission once it has arrived.",
            )
        )
    if received_on < instrument.adopted_on:
        violations.append(
            treaty.Violation(
                "date_before_adoption",
                "received_on",
                f"{received_on:%d %b %Y} is before the {instrument.short_title} was adopted "
                f"({instrument.adopted_on:%d %b %Y}).",
            )
        )
    twins = Submission.objects.filter(
        participant_id=submission.participant_id,
        obligation_id=submission.obligation_id,
        received_on=received_on,
    ).exclude(pk=submission.pk)
    if twins.exists():
        violations.append(
            treaty.Violation(
                "submission_recorded_once",
                "received_on",
                f"A submission of {submission.participant} under "
                f"{submission.obligation.reference} received on {received_on:%d %b %Y} is "
                "already recorded; edit that one.",
            )
        )
    return violations


def _submission_save(submission: Submission, actor: Actor) -> Submission:
    submission.full_clean(exclude=["version"], validate_unique=False, validate_constraints=False)
    violations = submission_violations(submission)
    if violations:
        raise TreatyRuleError(violations)
    set_history_user(submission, actor)
    submission.save()
    revision_bump()
    _recheck_after_commit([submission.participant_id])
    return submission


def _check_fields(values: dict[str, Any]) -> None:
    unknown = set(values) - set(SUBMISSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown submission fields: {sorted(unknown)}")


def submission_record(
    *,
    participant: Participant,
    obligation: Obligation,
    received_on: date,
    reference: str = "",
    note: str = "",
    actor: Actor = None,
) -> Submission:
    """Record a notification or report received from a participant."""
    with transaction.atomic():
        # Writers for one participant take turns, as in instruments.services.
        Participant.objects.select_for_update().get(pk=participant.pk)
        submission = Submission(
            participant=participant,
            obligation=obligation,
            received_on=received_on,
            reference=reference,
            note=note,
        )
        return _submission_save(submission, actor)


def submission_update(
    *,
    submission: Submission,
    actor: Actor = None,
    expected_version: int | None = None,
    **values: Any,
) -> Submission:
    """Change a recorded submission; `expected_version` guards against lost updates."""
    _check_fields(values)
    with transaction.atomic():
        stored = Submission.objects.select_for_update().get(pk=submission.pk)
        if expected_version is not None and stored.version != expected_version:
            raise StaleVersionError(stored, expected_version)
        for name, value in values.items():
            setattr(stored, name, value)
        stored.version += 1
        return _submission_save(stored, actor)


def submission_delete(
    *, submission: Submission, actor: Actor = None, expected_version: int | None = None
) -> None:
    """Remove a submission recorded in error; a flag it resolved opens again on re-check."""
    with transaction.atomic():
        stored = Submission.objects.select_for_update().get(pk=submission.pk)
        if expected_version is not None and stored.version != expected_version:
            raise StaleVersionError(stored, expected_version)
        set_history_user(stored, actor)
        stored.delete()
        revision_bump()
        _recheck_after_commit([stored.participant_id])


# --- The catalogue ---------------------------------------------------------------------------

OBLIGATION_FIELDS = (
    "instrument",
    "article",
    "title",
    "owed",
    "applies_to",
    "condition",
    "due_rule",
    "due_days",
    "deadline",
    "grace_days",
    "due_note",
    "description",
    "article_source",
    "source",
    "display_order",
)


def obligation_upsert(*, code: str, actor: Actor = None, **values: Any) -> tuple[str, Obligation]:
    """Create or bring up to date a catalogue entry (the shipped obligations.csv).

    The grace period is the tracker's policy, which editors may change: the catalogue sets
    it for a new entry and leaves an existing entry's alone.
    """
    unknown = set(values) - set(OBLIGATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown obligation fields: {sorted(unknown)}")
    with transaction.atomic():
        obligation = Obligation.objects.select_for_update().filter(code=code).first()
        outcome = "created"
        if obligation is None:
            obligation = Obligation(code=code, **values)
        else:
            values = {k: v for k, v in values.items() if k != "grace_days"}
            changed = [n for n, v in values.items() if getattr(obligation, n) != v]
            if not changed:
                return "unchanged", obligation
            for name in changed:
                setattr(obligation, name, values[name])
            obligation.version += 1
            outcome = "updated"
        obligation.full_clean(exclude=["version"], validate_unique=False)
        set_history_user(obligation, actor)
        obligation.save()
        revision_bump()
    if outcome == "updated":
        _sweep_after_commit()
    return outcome, obligation


def obligation_grace_update(
    *,
    obligation: Obligation,
    grace_days: int,
    actor: Actor = None,
    expected_version: int | None = None,
) -> Obligation:
    """Change how many days after the due date the tracker waits before flagging."""
    if grace_days < 0:
        raise ValidationError(
            {"grace_days": ValidationError("A grace period cannot be negative.", code="min_value")}
        )
    with transaction.atomic():
        stored = Obligation.objects.select_for_update().get(pk=obligation.pk)
        if expected_version is not None and stored.version != expected_version:
            raise StaleVersionError(stored, expected_version)
        if stored.grace_days == grace_days:
            return stored
        stored.grace_days = grace_days
        stored.version += 1
        set_history_user(stored, actor)
        stored.save()
        revision_bump()
        _sweep_after_commit()
    return stored


def _sweep_after_commit() -> None:
    from reports.tasks import sweep_on_commit  # tasks import this module

    sweep_on_commit()


COP_SESSION_FIELDS = ("starts_on", "ends_on", "place", "note", "source")


def cop_session_upsert(
    *, number: int, actor: Actor = None, **values: Any
) -> tuple[str, CopSession]:
    unknown = set(values) - set(COP_SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown COP session fields: {sorted(unknown)}")
    with transaction.atomic():
        session = CopSession.objects.select_for_update().filter(number=number).first()
        outcome = "created"
        if session is None:
            session = CopSession(number=number, **values)
        else:
            changed = [n for n, v in values.items() if getattr(session, n) != v]
            if not changed:
                return "unchanged", session
            for name in changed:
                setattr(session, name, values[name])
            outcome = "updated"
        session.full_clean(validate_unique=False)
        set_history_user(session, actor)
        session.save()
        revision_bump()
    return outcome, session


# --- The compliance sweep --------------------------------------------------------------------

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
       record (reports.standings.obligation_standings: five queries).
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
        stored_flags = ComplianceFlag.objects.all()
        if participant_ids is not None:
            stored_flags = stored_flags.filter(participant_id__in=participant_ids)
        stored = {
            (row["participant_id"], row["obligation_id"]): domain.FlagState(
                **{name: row[name] for name in FLAG_FIELDS}
            )
            for row in stored_flags.values("participant_id", "obligation_id", *FLAG_FIELDS)
        }

        final: dict[tuple[int, int], domain.FlagState] = {}
        changed: dict[tuple[int, int], str] = {}  # key -> history type: "+" new, "~" changed
        for key in stored.keys() | standings.entries.keys():
            before = stored.get(key)
            after = domain.flag_next(before, standings.standing(*key), as_of)
            if after is None:
                continue
            final[key] = after
            if after != before:
                _count_change(result, before, after)
                changed[key] = "+" if before is None else "~"
            else:
                result.unchanged += 1

        digest: list[tuple[int, int]] = []
        if notify:
            unannounced = [k for k, f in final.items() if f.is_open and f.notified_on is None]
            recipients = digest_recipients() if unannounced else []
            if recipients:
                digest = _digest_order(standings, unannounced)
                for key in digest:
                    final[key] = replace(final[key], notified_on=as_of)
                    changed.setdefault(key, "~")
                result.digest_flags, result.digest_recipients = len(digest), len(recipients)

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


# --- The digest ------------------------------------------------------------------------------


def digest_recipients() -> list[str]:
    """The e-mail addresses of active SPMU editors (one query)."""
    users = get_user_model().objects.filter(is_active=True, groups__name=SPMU_EDITORS)
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def _digest_order(standings: Standings, keys: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """By participant name, then the catalogue's order of obligations."""
    names = {p.pk: p.name for p in standings.participants}
    orders = {o.pk: o.display_order for o in standings.obligations}
    return sorted(keys, key=lambda key: (names.get(key[0], ""), orders.get(key[1], 0)))


def digest_message(
    standings: Standings,
    flags: list[tuple[tuple[int, int], domain.FlagState]],
    as_of: date,
) -> EmailMessage:
    """One e-mail listing new flags, worded as the record allows: no submission on record."""
    names = {p.pk: p.name for p in standings.participants}
    obligations = {o.pk: o for o in standings.obligations}
    lines = [
        f"The compliance check as of {as_of:%d %B %Y} found {len(flags)} new case(s) where no "
        "submission is on record past the due date and grace period.",
        "",
        "The tracker knows only what was recorded: a submission or notification may exist "
        "that is not yet entered.",
        "",
    ]
    for (participant_id, obligation_id), flag in flags:
        obligation = obligations[obligation_id]
        lines.append(
            f"- {names.get(participant_id, participant_id)}: {obligation.reference} "
            f"({obligation.title}) - no submission on record; due {flag.due_on:%d %b %Y}, "
            f"{domain.days_overdue(flag.due_on, as_of)} days overdue"
        )
    lines += ["", "Record a submission in the back office once it has arrived."]
    return EmailMessage(
        subject=f"UNTOC Tracker: {len(flags)} new flag(s) - no submission on record",
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
    )
