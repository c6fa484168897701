"""The facts after the depositary's 2014 tables, proposed for review like a depositary table.

The candidates of post2014_candidates.csv that candidates.py accepts (high confidence, dated,
no treaty rule broken) are not written as treaty actions: they are stored as one batch of
proposals per instrument (form "facts", not a whole table), each with its own source and
confidence, for an SPMU editor to accept or reject in the back office. Accepting one writes
it through the services with its source, which pages cite. The rest of the candidates are
open questions (open_questions.csv), never proposed.

A batch is stored once per instrument: once the shipped facts of an instrument have been
proposed, loading the data again proposes nothing more, so a fact an editor rejected does
not come back, and one already recorded is not proposed at all.
"""

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from core.tables import ImportRefused, ImportSummary, RowError
from instruments.candidates import CANDIDATES_FILE, CandidateSort, candidates_sort, status_row
from instruments.depositary.parsers import StatusRow, TableRefused
from instruments.depositary.proposals import batch_store, proposals_build
from instruments.models import DepositaryBatch, DepositaryProposal, Instrument

FACTS = DepositaryBatch.Form.FACTS
FACTS_ORIGIN = CANDIDATES_FILE.name
FACTS_SOURCE = (
    "Dated facts after the depositary's 2014 tables, from national treaty databases and "
    "gazettes and foreign ministries; each proposal cites its own source."
)
SUMMARY = "post-2014 facts proposed for review"


def facts_rows(sort: CandidateSort) -> dict[str, list[StatusRow]]:
    """The accepted candidates as status rows, by instrument code: the consent with its
    date and kind, the source as the tracker records it (with the date it is as at and any
    derivation of the date), and the candidate's confidence."""
    rows: dict[str, list[StatusRow]] = defaultdict(list)
    for decision in sort.accepted:
        c = decision.candidate
        rows[c.instrument].append(
            StatusRow(
                line=c.row,
                participant=c.participant,
                iso3=c.iso3,
                consent=c.date,
                consent_kind=c.kind,
                source=status_row(decision, sort.facts[c.instrument])["source"],
                confidence=c.confidence,
            )
        )
    return rows


def facts_batches_store(
    summary: ImportSummary | None = None, *, actor: Any = None, today: date | None = None
) -> list[DepositaryBatch]:
    """Propose the shipped post-2014 facts for review: one batch per instrument that has
    any, unless one was stored before; a batch only where a fact differs from our records.
    Raises ImportRefused, naming the candidates file's rows, if a fact cannot be proposed."""
    today = today or timezone.localdate()
    summary = summary if summary is not None else ImportSummary()
    stored = []
    rows = facts_rows(candidates_sort(today=today))
    proposed_before = dict(
        DepositaryBatch.objects.filter(source_form=FACTS, origin=FACTS_ORIGIN)
        .values("instrument__code")
        .annotate(n=Count("proposals"))
        .values_list("instrument__code", "n")
    )
    for instrument in Instrument.objects.filter(code__in=list(rows)).order_by("display_order"):
        if instrument.code in proposed_before:
            summary.add(SUMMARY, "unchanged", proposed_before[instrument.code])
            continue
        try:
            batch, proposals = proposals_build(
                instrument=instrument,
                rows=rows[instrument.code],
                status_as_at=today,
                source=FACTS_SOURCE,
                actor=actor,
                source_form=FACTS,
                complete_table=False,
                origin=FACTS_ORIGIN,
                dry_run=True,
                today=today,
            )
        except TableRefused as refused:
            raise ImportRefused(
                [RowError(FACTS_ORIGIN, e.line, e.column, e.message) for e in refused.errors]
            ) from None
        if proposals:
            batch_store(batch, proposals)
            stored.append(batch)
            summary.add(SUMMARY, "created", len(proposals))
    return stored


def facts_awaiting_review() -> list[DepositaryProposal]:
    """The facts proposed for review that no editor has decided yet (one query)."""
    return list(
        DepositaryProposal.objects.filter(
            Q(batch__source_form=FACTS, batch__state=DepositaryBatch.State.OPEN),
            decision=DepositaryProposal.Decision.UNDECIDED,
        )
        .select_related("participant", "batch")
        .order_by("participant__name", "id")
    )
