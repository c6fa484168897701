"""Reviewed changes from the depositary's table: the proposals.

`proposals_build` compares parsed rows with our records as at the table's date and stores
the differences as proposals; it writes no treaty data. Editors decide them through
instruments.depositary.decisions.
"""

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.i18n import message_date as _day
from instruments import domain
from instruments.depositary.parsers import LineError, StatusRow, StatusTable, TableRefused
from instruments.models import DepositaryBatch, DepositaryProposal, Instrument, TreatyAction
from states.models import Participant, ParticipantAlias

Change = DepositaryProposal.Change
Decision = DepositaryProposal.Decision
Progress = Callable[[Iterable[Any], int], Iterable[Any]]


def depositary_source(status_as_at: date) -> str:
    """How an accepted change cites the table: a reader can find the page and its date."""
    return f"UN Treaty Collection status page as at {status_as_at.day} {status_as_at:%B %Y}"


def _name_key(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).replace("\u2019", "'")
    return " ".join(text.split()).casefold()


def participant_names() -> dict[str, Participant]:
    """Every name a table may use for a participant: its name, short name and former names."""
    names: dict[str, Participant] = {}
    participants = {p.pk: p for p in Participant.objects.all()}
    for alias_name, pk in ParticipantAlias.objects.values_list("name", "participant_id"):
        names[_name_key(alias_name)] = participants[pk]
    for participant in participants.values():
        names[_name_key(participant.short_name)] = participant
        names[_name_key(participant.name)] = participant
    return names


def table_check(
    table: StatusTable, instrument: Instrument, today: date | None = None
) -> list[LineError]:
    """What makes a parsed table unusable for `instrument`, naming the line: another
    instrument's table, a missing or impossible date, one older than our data."""
    today = today or timezone.localdate()
    errors = []
    line = table.status_line
    if table.instrument_code and table.instrument_code != instrument.code:
        other = Instrument.objects.filter(code=table.instrument_code).first()
        errors.append(
            LineError(
                1,
                "instrument",
                _("this is the status table of the %(other)s, not of the %(title)s")
                % {"other": other or table.instrument_code, "title": instrument.short_title},
            )
        )
    as_at = table.status_as_at
    if as_at is None:
        errors.append(
            LineError(
                line,
                "status as at",
                _(
                    "the table does not say its 'Status as at' date; copy the line above the "
                    "table too, or give the date"
                ),
            )
        )
    elif as_at > today:
        errors.append(
            LineError(line, "status as at", _("%(date)s is after today") % {"date": _day(as_at)})
        )
    elif as_at < instrument.status_complete_to:
        errors.append(
            LineError(
                line,
                "status as at",
                _(
                    "the table is as at %(date)s, older than the date our %(title)s data are "
                    "complete to (%(complete_to)s); it can only be out of date"
                )
                % {
                    "date": _day(as_at),
                    "title": instrument.short_title,
                    "complete_to": _day(instrument.status_complete_to),
                },
            )
        )
    if table.parties is not None:
        with_consent = sum(1 for row in table.rows if row.consent)
        if with_consent != table.parties:
            errors.append(
                LineError(
                    line,
                    "parties",
                    _(
                        "the page counts %(parties)s parties but the table lists %(consents)s "
                        "consents: part of the table is missing"
                    )
                    % {"parties": table.parties, "consents": with_consent},
                )
            )
    return errors


def _row_errors(
    row: StatusRow, instrument: Instrument, as_at: date | None, today: date
) -> Iterable[LineError]:
    """Dates the depositary never prints: before adoption, in the future, after its table."""
    for column, value in (("signature", row.signature), ("consent", row.consent)):
        if value is None:
            continue
        if value < instrument.adopted_on:
            yield LineError(
                row.line,
                column,
                _("%(date)s is before the %(title)s was adopted (%(adopted)s)")
                % {
                    "date": _day(value),
                    "title": instrument.short_title,
                    "adopted": _day(instrument.adopted_on),
                },
            )
        elif value > today:
            yield LineError(
                row.line, column, _("%(date)s is in the future") % {"date": _day(value)}
            )
        elif as_at is not None and value > as_at:
            yield LineError(
                row.line,
                column,
                _("%(date)s is after the table's date (%(as_at)s)")
                % {"date": _day(value), "as_at": _day(as_at)},
            )
    if row.signature is None and row.consent is None:
        yield LineError(row.line, "participant", _("the row gives no date"))


def _match_rows(rows: Sequence[StatusRow], errors: list[LineError]) -> dict[Participant, StatusRow]:
    names = participant_names()
    by_code = {p.iso3: p for p in names.values()}
    matched: dict[Participant, StatusRow] = {}
    for row in rows:
        participant = by_code.get(row.iso3) if row.iso3 else None
        for name in (row.participant, row.former_name):
            participant = participant or (names.get(_name_key(name)) if name else None)
        if participant is None:
            errors.append(
                LineError(
                    row.line,
                    "participant",
                    _(
                        "%(name)s matches no participant's name, code or former name; add the "
                        "name as a former name of the participant first"
                    )
                    % {"name": repr(row.participant or row.iso3)},
                )
            )
        elif participant in matched:
            errors.append(
                LineError(
                    row.line,
                    "participant",
                    _("%(participant)s is already listed on line %(line)s")
                    % {"participant": participant, "line": matched[participant].line},
                )
            )
        else:
            matched[participant] = row
    return matched


def _recorded(instrument: Instrument, as_at: date) -> dict[int, dict[str, TreatyAction]]:
    """Our signature and consent in effect for each participant, as at `as_at`."""
    recorded: dict[int, dict[str, TreatyAction]] = {}
    for action in instrument.actions.filter(date__lte=as_at).order_by("date", "id"):
        mine = recorded.setdefault(action.participant_id, {})
        if action.kind == domain.SIGNATURE:
            mine.setdefault("signature", action)
        elif action.kind in domain.CONSENT_KINDS:
            mine["consent"] = action
        elif action.kind == domain.DENUNCIATION:
            mine.pop("consent", None)
    return recorded


def _differences(
    participant: Participant,
    row: StatusRow | None,
    recorded: dict[str, TreatyAction],
    complete_table: bool = True,
) -> Iterable[DepositaryProposal]:
    """1. Signature: new, or a changed date. 2. Consent: new, a changed date (with the
    table's kind where it gives one), or a changed kind. 3. Recorded but not in the table:
    only for a whole table; a row of dated facts that gives no signature does not say there
    was none."""
    table: dict[str, tuple[date, str] | None] = {
        "signature": (row.signature, domain.SIGNATURE) if row and row.signature else None,
        "consent": (row.consent, row.consent_kind or domain.CONSENT_KIND_NOT_RECORDED)
        if row and row.consent
        else None,
    }
    for which in ("signature", "consent"):
        ours, theirs = recorded.get(which), table[which]
        base: dict[str, Any] = {
            "participant": participant,
            "line": row.line if row else None,
            "source": row.source if row else "",
            "confidence": row.confidence if row else "",
        }
        if theirs is None and (ours is None or not complete_table):
            continue
        if ours is None:
            assert theirs is not None
            new_date, new_kind = theirs
            yield DepositaryProposal(
                change=Change.NEW_ACTION, new_kind=new_kind, new_date=new_date, **base
            )
            continue
        old = {
            "action": ours,
            "action_version": ours.version,
            "old_kind": ours.kind,
            "old_date": ours.date,
        }
        if theirs is None:
            yield DepositaryProposal(change=Change.NOT_IN_TABLE, **old, **base)
            continue
        new_date, new_kind = theirs
        if new_kind == domain.CONSENT_KIND_NOT_RECORDED:
            new_kind = ours.kind  # a table that leaves the kind open does not erase ours
        if new_date != ours.date:
            change = Change.CHANGED_DATE
        elif new_kind != ours.kind:
            change = Change.CHANGED_KIND
        else:
            continue
        yield DepositaryProposal(change=change, new_kind=new_kind, new_date=new_date, **old, **base)


def proposals_build(
    *,
    instrument: Instrument,
    rows: Sequence[StatusRow],
    status_as_at: date | None,
    source: str,
    actor: Any = None,
    source_form: str = DepositaryBatch.Form.CSV,
    complete_table: bool = True,
    origin: str = "",
    dry_run: bool = False,
    progress: Progress | None = None,
    today: date | None = None,
) -> tuple[DepositaryBatch, list[DepositaryProposal]]:
    """Compare `rows` with our records of `instrument` as at `status_as_at`, and store the
    differences as proposals for an editor (unless `dry_run`); write no treaty data.

    1. Refuse the rows, naming each line, if a participant is unknown or listed twice, or a
       date is one the depositary never prints (TableRefused, nothing stored).
    2. Take our signature and consent in effect at `status_as_at` for each participant.
    3. Propose what differs; for a whole table (`complete_table`), also what it lacks (an
       action is never removed without an editor's decision).
    4. Store the batch and its proposals in one transaction.
    `source` is recorded on every accepted change (a row's own `source` wins).
    """
    today = today or timezone.localdate()
    table = StatusTable(source_form, list(rows), status_as_at)
    errors = table_check(table, instrument, today)
    for row in rows:
        errors.extend(_row_errors(row, instrument, status_as_at, today))
    matched = _match_rows(rows, errors)
    if errors:
        raise TableRefused(errors)
    assert status_as_at is not None  # table_check refuses a table without its date
    recorded = _recorded(instrument, status_as_at)
    participants = list(matched)
    if complete_table:
        absent = set(recorded) - {p.pk for p in participants}
        participants += list(Participant.objects.filter(pk__in=absent))
    step = progress or (lambda items, total: items)
    proposals: list[DepositaryProposal] = []
    for participant in step(participants, len(participants)):
        found = _differences(
            participant, matched.get(participant), recorded.get(participant.pk, {}), complete_table
        )
        proposals.extend(found)
    batch = DepositaryBatch(
        instrument=instrument,
        source_form=source_form,
        status_as_at=status_as_at,
        source=source,
        complete_table=complete_table,
        origin=origin[:500],
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if not dry_run:
        batch_store(batch, proposals)
    return batch, proposals


def batch_store(batch: DepositaryBatch, proposals: list[DepositaryProposal]) -> None:
    """Store a batch built with `dry_run` and its proposals, in one transaction."""
    with transaction.atomic():
        batch.save()
        for proposal in proposals:
            proposal.batch = batch
        DepositaryProposal.objects.bulk_create(proposals)


def table_import(
    *,
    instrument: Instrument,
    table: StatusTable,
    actor: Any = None,
    origin: str = "",
    status_as_at: date | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> tuple[DepositaryBatch, list[DepositaryProposal]]:
    """A parsed depositary table: checked whole (TableRefused naming every line), then
    its proposals built, with the depositary's page as the source. `status_as_at` is the
    table's date when the table does not print it (a CSV, a paste without its heading)."""
    if status_as_at is not None:
        if table.status_as_at not in (None, status_as_at):
            raise TableRefused(
                [
                    LineError(
                        table.status_line,
                        "status as at",
                        _("the table says %(table_date)s, not %(date)s as given")
                        % {"table_date": _day(table.status_as_at), "date": _day(status_as_at)},
                    )
                ]
            )
        table.status_as_at = status_as_at
    errors = table_check(table, instrument)
    if errors:
        raise TableRefused(errors)
    assert table.status_as_at is not None
    return proposals_build(
        instrument=instrument,
        rows=table.rows,
        status_as_at=table.status_as_at,
        source=depositary_source(table.status_as_at),
        actor=actor,
        source_form=table.form,
        origin=origin,
        dry_run=dry_run,
        progress=progress,
    )


def batch_record_failure(
    *, instrument: Instrument, message: str, origin: str = ""
) -> DepositaryBatch:
    """Keep a fetch that gave nothing to review, so the back office shows why."""
    return DepositaryBatch.objects.create(
        instrument=instrument,
        source_form=DepositaryBatch.Form.WEB,
        state=DepositaryBatch.State.FAILED,
        message=message,
        origin=origin[:500],
    )
