"""The facts after the 2014 tables reach the records only through an editor's review: the
shipped load proposes them, each with its source and confidence, and writes nothing."""

from datetime import date

import pytest

from instruments import domain
from instruments.depositary.decisions import proposal_decide
from instruments.depositary.facts import FACTS_ORIGIN, facts_awaiting_review, facts_batches_store
from instruments.models import DepositaryBatch, DepositaryProposal, TreatyAction

pytestmark = pytest.mark.usefixtures("real_data")

Change = DepositaryProposal.Change


def facts() -> list[DepositaryProposal]:
    return list(
        DepositaryProposal.objects.filter(batch__source_form=DepositaryBatch.Form.FACTS)
        .select_related("participant", "batch__instrument")
        .order_by("batch__instrument__display_order", "participant__name")
    )


def test_the_shipped_load_proposes_the_dated_facts_and_records_none_of_them():
    proposed = {
        (p.batch.instrument.code, p.participant.iso3, p.change, p.new_kind, p.new_date)
        for p in facts()
    }

    assert len(proposed) == 11
    assert (
        "fir",
        "DEU",
        Change.NEW_ACTION,
        domain.CONSENT_KIND_NOT_RECORDED,
        date(2021, 10, 14),
    ) in proposed
    assert ("untoc", "JPN", Change.NEW_ACTION, domain.ACCEPTANCE, date(2017, 7, 11)) in proposed
    assert ("tip", "JPN", Change.NEW_ACTION, domain.ACCEPTANCE, date(2017, 7, 11)) in proposed
    assert ("fir", "FRA", Change.NEW_ACTION, domain.ACCESSION, date(2019, 2, 28)) in proposed
    assert (
        "fir",
        "DNK",
        Change.NEW_ACTION,
        domain.CONSENT_KIND_NOT_RECORDED,
        date(2015, 2, 4),
    ) in proposed
    # Only the dated, high-confidence facts: Fiji's undated accession is an open question.
    assert "FJI" not in {iso3 for _, iso3, *_ in proposed}
    assert not TreatyAction.objects.filter(
        participant__iso3__in=["DEU", "JPN", "FRA", "DNK"],
        date__year__gte=2015,
        kind__in=domain.CONSENT_KINDS,
    ).exists()


def test_each_proposed_fact_keeps_its_source_and_confidence():
    for proposal in facts():
        assert proposal.confidence == "high"
        assert proposal.source
        assert proposal.decision == DepositaryProposal.Decision.UNDECIDED
    germany = next(p for p in facts() if p.participant.iso3 == "DEU")
    assert germany.source.startswith("Netherlands treaty database (Verdragenbank)")
    assert "entry into force 13 November 2021" in germany.source


def test_one_open_batch_per_instrument_of_facts_not_a_whole_table():
    batches = DepositaryBatch.objects.filter(source_form=DepositaryBatch.Form.FACTS)
    assert sorted(b.instrument.code for b in batches) == ["fir", "som", "tip", "untoc"]
    for batch in batches:
        assert (batch.state, batch.complete_table, batch.origin) == ("open", False, FACTS_ORIGIN)
    assert len(facts_awaiting_review()) == 11


def test_a_fact_gives_no_signature_so_the_recorded_signature_is_not_proposed_for_removal():
    # Germany signed the Firearms Protocol in 2002; the Dutch database gives only the consent.
    assert TreatyAction.objects.filter(
        participant__iso3="DEU", instrument__code="fir", kind=domain.SIGNATURE
    ).exists()
    assert {p.change for p in facts()} == {Change.NEW_ACTION}


def test_accepting_a_fact_writes_it_with_its_source_and_a_rejected_one_does_not_come_back(
    editor,
):
    germany, france = (
        next(p for p in facts() if p.participant.iso3 == iso3) for iso3 in ("DEU", "FRA")
    )

    proposal_decide(proposal=germany, accept=True, actor=editor, expected_version=1)
    proposal_decide(proposal=france, accept=False, actor=editor, expected_version=1)

    consent = TreatyAction.objects.get(
        participant__iso3="DEU", instrument__code="fir", date=date(2021, 10, 14)
    )
    assert consent.source == germany.source
    assert consent.history.first().history_user == editor
    assert not TreatyAction.objects.filter(participant__iso3="FRA", date=date(2019, 2, 28))
    assert len(facts_awaiting_review()) == 9
    # Loading the shipped data again proposes nothing more: France's fact stays rejected.
    assert facts_batches_store() == []
    assert len(facts()) == 11


def test_a_protocol_fact_accepted_before_the_conventions_is_refused_with_the_rule(editor):
    japan_tip = next(
        p for p in facts() if p.participant.iso3 == "JPN" and p.batch.instrument.code == "tip"
    )

    outcome = proposal_decide(proposal=japan_tip, accept=True, actor=editor, expected_version=1)

    # Art. 37(2): a Protocol party must be a Convention party; Japan's Convention acceptance
    # awaits review too. The proposal stays undecided, with the rule on it.
    assert not outcome.written
    assert "37" in outcome.refusal
    assert DepositaryProposal.objects.get(pk=japan_tip.pk).decision == "undecided"
