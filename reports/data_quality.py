"""How complete and how well sourced the treaty data are: the data-quality page and its API.

For each instrument:
1. the date its data are complete to;
2. the tracker's signatories and parties as at each of the depositary's checkpoints, beside
   the depositary's own counts, with the difference (ours minus the depositary's);
3. the open questions: facts claimed by a source that are not recorded as actions;
4. the consents whose kind (ratification, accession, ...) the source does not give;
5. the actions whose source is weaker than the depositary's own record;
6. the dated facts after 2014 proposed for review that no editor has decided yet: they
   count nowhere until accepted.

It lives in reports because it reads both instruments and states. `data_quality` builds one
plain structure that the page renders and the API returns, so the two always agree.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from instruments import domain, selectors
from instruments.citations import citation, from_depositary
from instruments.depositary.facts import facts_awaiting_review
from instruments.models import (
    DepositaryCheckpoint,
    DepositaryProposal,
    Instrument,
    OpenQuestion,
    TreatyAction,
)
from states.models import Participant


@dataclass
class CheckpointComparison:
    as_at: date
    citation: str
    depositary: dict[str, int]  # signatories, parties
    ours: dict[str, int]
    rows_url: str  # the instrument's table as at the checkpoint: the rows behind "ours"

    @property
    def difference(self) -> dict[str, int]:
        return {what: self.ours[what] - self.depositary[what] for what in self.depositary}


@dataclass
class InstrumentQuality:
    instrument: Instrument
    checkpoints: list[CheckpointComparison] = field(default_factory=list)
    open_questions: list[OpenQuestion] = field(default_factory=list)
    kind_not_recorded: list[TreatyAction] = field(default_factory=list)
    weaker_sources: list[TreatyAction] = field(default_factory=list)
    awaiting_review: list[DepositaryProposal] = field(default_factory=list)

    @property
    def review_url(self) -> str:
        """The back office's review of the instrument's proposed facts (for editors)."""
        if not self.awaiting_review:
            return ""
        batch = self.awaiting_review[0].batch_id
        return reverse("admin:instruments_depositarybatch_change", args=[batch])


def _table_url(code: str, as_at: date) -> str:
    query = urlencode({"as_of": as_at.isoformat(), "osce_role": "any"})
    return f"{reverse('instrument-detail', args=[code])}?{query}"


def data_quality(instruments: list[Instrument] | None = None) -> list[InstrumentQuality]:
    """The data-quality report, one entry per instrument.

    Queries, whatever the number of participants and actions: the instruments (unless
    given); the checkpoints; the participants; one for the actions as at each distinct
    checkpoint date (the status matrix, as every status view computes it); the open
    questions; the actions with their participants, for steps 4 and 5; the facts awaiting
    review with their participants.
    """
    instruments = list(selectors.instrument_list() if instruments is None else instruments)
    report = {i.code: InstrumentQuality(i) for i in instruments}
    by_pk = {i.pk: i for i in instruments}
    checkpoints = list(DepositaryCheckpoint.objects.order_by("as_at", "instrument_id"))
    participants = list(Participant.objects.order_by("name"))
    by_date: dict[date, list[DepositaryCheckpoint]] = defaultdict(list)
    for checkpoint in checkpoints:
        by_date[checkpoint.as_at].append(checkpoint)
    for as_at, due in by_date.items():
        counts = selectors.status_matrix(
            as_of=as_at, participants=participants, instruments=instruments
        ).counts()
        for checkpoint in due:
            code = by_pk[checkpoint.instrument_id].code
            ours = counts[code]
            report[code].checkpoints.append(
                CheckpointComparison(
                    as_at=as_at,
                    citation=citation(checkpoint.source),
                    depositary={
                        "signatories": checkpoint.signatories,
                        "parties": checkpoint.parties,
                    },
                    ours={"signatories": ours["signatories"], "parties": ours["parties"]},
                    rows_url=_table_url(code, as_at),
                )
            )
    for question in OpenQuestion.objects.order_by("participant_name", "id"):
        question.instrument = by_pk[question.instrument_id]
        report[question.instrument.code].open_questions.append(question)
    actions = TreatyAction.objects.select_related("participant").order_by(
        "participant__name", "date", "id"
    )
    for action in actions:
        action.instrument = by_pk[action.instrument_id]
        entry = report[action.instrument.code]
        if action.kind == domain.CONSENT_KIND_NOT_RECORDED:
            entry.kind_not_recorded.append(action)
        if not from_depositary(action.source, signature=action.kind == domain.SIGNATURE):
            entry.weaker_sources.append(action)
    for proposal in facts_awaiting_review():
        report[by_pk[proposal.batch.instrument_id].code].awaiting_review.append(proposal)
    return [report[i.code] for i in instruments]


def facts_awaiting_review_count(report: list[InstrumentQuality]) -> int:
    return sum(len(q.awaiting_review) for q in report)


def _action(action: TreatyAction) -> dict[str, Any]:
    return {
        "state": action.participant.iso3,
        "state_name": action.participant.name,
        "kind": action.kind,
        "date": action.date,
        "citation": citation(action.source),
    }


def _proposal(proposal: DepositaryProposal) -> dict[str, Any]:
    return {
        "state": proposal.participant.iso3,
        "state_name": proposal.participant.name,
        "change": proposal.change,
        "recorded": {"kind": proposal.old_kind or None, "date": proposal.old_date},
        "proposed": {"kind": proposal.new_kind or None, "date": proposal.new_date},
        "confidence": proposal.confidence or None,
        "source": citation(proposal.source or proposal.batch.source),
    }


def data_quality_entries(report: list[InstrumentQuality]) -> list[dict[str, Any]]:
    """The report as plain values: the contract of the API (and what the page shows)."""
    return [
        {
            "instrument": q.instrument.code,
            "short_title": q.instrument.short_title,
            "status_complete_to": q.instrument.status_complete_to,
            "checkpoints": [
                {
                    "as_at": c.as_at,
                    "source": c.citation,
                    "depositary": c.depositary,
                    "tracker": c.ours,
                    "difference": c.difference,
                    "rows": c.rows_url,
                }
                for c in q.checkpoints
            ],
            "open_questions": [
                {
                    "state": o.iso3,
                    "state_name": o.participant_name,
                    "claim": o.claim,
                    "claimed_kind": o.claimed_kind or None,
                    "claimed_date": o.claimed_date,
                    "confidence": o.confidence,
                    "reason": o.reason,
                    "source": citation(o.source),
                }
                for o in q.open_questions
            ],
            "kind_not_recorded": [_action(a) for a in q.kind_not_recorded],
            "weaker_sources": [_action(a) for a in q.weaker_sources],
            "awaiting_review": [_proposal(p) for p in q.awaiting_review],
        }
        for q in report
    ]
