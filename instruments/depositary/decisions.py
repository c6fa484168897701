"""Deciding the proposals of a depositary table: accepted ones are written through
instruments.services (treaty rules checked, history naming the editor); a whole table's
review, once every proposal is decided, moves the instrument's "complete to" date."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core.events import origin
from core.i18n import message_date as _day
from core.models import Event
from core.writes import StaleVersionError, revision_bump
from instruments import domain, public_events, services
from instruments.models import DepositaryBatch, DepositaryProposal, TreatyAction

Change = DepositaryProposal.Change
Decision = DepositaryProposal.Decision


class ProposalDecided(Exception):
    """Someone else decided (or changed) the proposal after this editor saw it."""


@dataclass(frozen=True)
class Outcome:
    proposal: DepositaryProposal
    written: bool
    refusal: str = ""


def _refusal_text(error: Exception) -> str:
    if isinstance(error, services.TreatyRuleError):
        return " ".join(f"{v.message} [{v.rule}]" for v in error.violations)
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _write(proposal: DepositaryProposal, actor: Any) -> None:
    batch = proposal.batch
    source = proposal.source or batch.source
    if proposal.change == Change.NEW_ACTION:
        services.action_record(
            participant=proposal.participant,
            instrument=batch.instrument,
            kind=proposal.new_kind,
            date=proposal.new_date,  # type: ignore[arg-type]
            source=source,
            actor=actor,
        )
        return
    action = (
        TreatyAction.objects.filter(pk=proposal.action_id).first() if proposal.action_id else None
    )
    if action is None:
        raise TreatyAction.DoesNotExist(
            _("The recorded action this proposal concerns was deleted since the table was read.")
        )
    if proposal.change == Change.NOT_IN_TABLE:
        services.action_delete(action=action, actor=actor, expected_version=proposal.action_version)
    else:
        services.action_update(
            action=action,
            actor=actor,
            expected_version=proposal.action_version,
            kind=proposal.new_kind,
            date=proposal.new_date,
            source=source,
        )


REFUSALS = (ValidationError, StaleVersionError, TreatyAction.DoesNotExist)


def proposal_decide(
    *,
    proposal: DepositaryProposal,
    accept: bool,
    actor: Any,
    expected_version: int | None,
) -> Outcome:
    """Accept (write through the services) or reject one proposal.

    1. Lock the proposal; refuse if someone decided or changed it since the editor saw
       `expected_version` (ProposalDecided).
    2. Accepting writes the change in a savepoint: a broken treaty rule or a record changed
       since the table was read leaves the proposal undecided, with the rule on it.
    3. Record the decision and who made it; close the batch if nothing is left.
    """
    with transaction.atomic():
        stored = (
            DepositaryProposal.objects.select_for_update(of=("self",))
            .select_related("batch__instrument", "participant", "decided_by")
            .get(pk=proposal.pk)
        )
        if stored.decision != Decision.UNDECIDED:
            who = stored.decided_by or _("the system")
            decided_at = timezone.localtime(stored.decided_at)
            # A whole sentence for each decision, so that each language words its verb.
            already = (
                _(
                    "%(who)s already rejected this proposal (%(participant)s: %(change)s) at "
                    "%(date)s %(time)s; nothing was changed."
                )
                if stored.decision == Decision.REJECTED
                else _(
                    "%(who)s already accepted this proposal (%(participant)s: %(change)s) at "
                    "%(date)s %(time)s; nothing was changed."
                )
            )
            raise ProposalDecided(
                already
                % {
                    "who": who,
                    "participant": stored.participant,
                    "change": stored.get_change_display(),
                    "date": _day(decided_at.date()),
                    "time": f"{decided_at:%H:%M}",
                }
            )
        if expected_version is not None and stored.version != expected_version:
            raise ProposalDecided(
                _("This proposal changed after you opened the page; reload it and decide again.")
            )
        if accept:
            try:
                with transaction.atomic(), origin(Event.Origin.DEPOSITARY_IMPORT):
                    _write(stored, actor)
                if stored.change == Change.NOT_IN_TABLE:
                    stored.action = None  # removed; old_kind and old_date still say what it was
            except REFUSALS as error:
                stored.refusal = _("Not written: %(reason)s") % {"reason": _refusal_text(error)}
                stored.save(update_fields=["refusal"])
                return Outcome(stored, written=False, refusal=stored.refusal)
        stored.decision = Decision.ACCEPTED if accept else Decision.REJECTED
        stored.decided_by = actor if getattr(actor, "is_authenticated", False) else None
        stored.decided_at = timezone.now()
        stored.refusal = ""
        stored.version += 1
        stored.save()
        batch_close_if_decided(batch=stored.batch, actor=actor)
    return Outcome(stored, written=accept)


def batch_close_if_decided(*, batch: DepositaryBatch, actor: Any) -> bool:
    """Once no proposal is undecided, close the batch; a whole table then moves the date
    the instrument's data are complete to forward to the table's date. The closing is one
    event (import_applied) in the same transaction: the editor's decisions are applied."""
    with transaction.atomic():
        locked = DepositaryBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.state != DepositaryBatch.State.OPEN:
            return False
        decided = dict(locked.proposals.values_list("decision").annotate(n=Count("pk")).order_by())
        if decided.get(Decision.UNDECIDED):
            return False
        locked.state = DepositaryBatch.State.DECIDED
        locked.decided_at = timezone.now()
        locked.save(update_fields=["state", "decided_at"])
        instrument = locked.instrument
        as_at = locked.status_as_at
        complete_to = None
        if locked.complete_table and as_at and as_at > instrument.status_complete_to:
            services.instrument_currency_update(
                instrument=instrument,
                status_complete_to=as_at,
                status_currency_note=f"{locked.source}; every difference from it reviewed.",
                actor=actor,
            )
            complete_to = as_at
        applied = public_events.import_applied_change(
            locked,
            accepted=decided.get(Decision.ACCEPTED, 0),
            rejected=decided.get(Decision.REJECTED, 0),
            complete_to=complete_to,
        )
        with origin(Event.Origin.DEPOSITARY_IMPORT):
            revision_bump([applied])
    return True


def batch_decide_all(
    *, batch: DepositaryBatch, accept: bool, actor: Any, seen: dict[int, int]
) -> list[Outcome | str]:
    """Decide every undecided proposal the editor saw (`seen`: id -> version), each on its
    own: one that breaks a rule stays undecided with the rule, one decided meanwhile by
    someone else is reported. Signatures go before consents, so a ratification finds the
    signature it confirms. Accepting all leaves out actions the table lacks: removing a
    recorded action takes a decision of its own."""
    results: list[Outcome | str] = []
    pending = batch.proposals.filter(decision=Decision.UNDECIDED, pk__in=list(seen))
    if accept:
        pending = pending.exclude(change=Change.NOT_IN_TABLE)
    order: dict[str, int] = {Change.NOT_IN_TABLE: 2}
    for proposal in sorted(
        pending.select_related("participant"),
        key=lambda p: (order.get(p.change, 0), p.new_kind != domain.SIGNATURE, p.pk),
    ):
        try:
            results.append(
                proposal_decide(
                    proposal=proposal,
                    accept=accept,
                    actor=actor,
                    expected_version=seen[proposal.pk],
                )
            )
        except ProposalDecided as decided:
            results.append(str(decided))
    batch_close_if_decided(batch=batch, actor=actor)
    return results
