"""Comparing the depositary's table with our records, and deciding the differences."""

import threading
from datetime import date

import pytest
from django.db import connection

from instruments import domain
from instruments.depositary.decisions import ProposalDecided, batch_decide_all, proposal_decide
from instruments.depositary.parsers import StatusRow, TableRefused, status_table_parse
from instruments.depositary.proposals import depositary_source, proposals_build, table_import
from instruments.models import DepositaryBatch, DepositaryProposal, Instrument, TreatyAction
from states.models import Participant
from tests.instruments.depositary.conftest import (
    AS_AT,
    GERMANY_FIREARMS,
    kinds_we_lack,
    table_batches,
)
from tests.instruments.depositary.tables import Line, csv_table, html_page, pasted_text, table_lines

pytestmark = pytest.mark.usefixtures("real_data")

Change = DepositaryProposal.Change


def _import(code, lines, as_at=AS_AT, actor=None, **kwargs):
    table = status_table_parse(pasted_text(code, as_at, lines))
    return table_import(
        instrument=Instrument.objects.get(code=code), table=table, actor=actor, **kwargs
    )


def _of(proposals, iso3):
    (proposal,) = [p for p in proposals if p.participant.iso3 == iso3]
    return proposal


def _action_state():
    return sorted(TreatyAction.objects.values_list("pk", "kind", "date", "version"))


def test_a_table_equal_to_our_records_proposes_only_the_kinds_we_lack():
    _, proposals = _import("untoc", table_lines("untoc", AS_AT))

    # Sierra Leone signed; our record leaves its consent's kind open, and an unmarked date on
    # the depositary's page is a ratification. (Japan's acceptance of 2017 awaits review among
    # the post-2014 facts: not recorded, so a table equal to our records does not hold it.)
    assert kinds_we_lack("untoc") == {"SLE"}
    assert {(p.participant.iso3, p.change, p.old_kind, p.new_kind) for p in proposals} == {
        ("SLE", Change.CHANGED_KIND, domain.CONSENT_KIND_NOT_RECORDED, domain.RATIFICATION),
    }


def test_accepted_post2014_facts_are_our_records_the_next_table_is_compared_with(
    post2014_facts_accepted,
):
    _, proposals = _import("fir", table_lines("fir", AS_AT))

    # Germany's and China's consents, accepted from the facts, are recorded without their
    # kind (the Dutch database does not give it): the table's dates agree, and each is
    # proposed as the ratification an unmarked date after a signature is on the
    # depositary's page, not as a new action.
    assert {"CHN", "DEU"} <= kinds_we_lack("fir")
    found = {(p.participant.iso3, p.change, p.new_kind, p.new_date) for p in proposals}
    assert ("CHN", Change.CHANGED_KIND, domain.RATIFICATION, date(2023, 12, 19)) in found
    assert ("DEU", Change.CHANGED_KIND, domain.RATIFICATION, date(2021, 10, 14)) in found
    assert Change.NEW_ACTION not in {p.change for p in proposals}


def test_germany_firearms_consent_is_proposed_and_nothing_is_written(firearms_lines, editor):
    before = _action_state()

    batch, proposals = _import("fir", firearms_lines, actor=editor)

    # In the table's order (by participant name): Germany's consent is new; each consent
    # whose kind we lack (Barbados's, Sierra Leone's) is proposed as a ratification.
    assert {"BRB", "SLE"} <= kinds_we_lack("fir")
    expected = [
        (
            line.iso3,
            Change.NEW_ACTION if line.iso3 == "DEU" else Change.CHANGED_KIND,
            domain.RATIFICATION,
            line.consent,
        )
        for line in firearms_lines
        if line.iso3 == "DEU" or line.iso3 in kinds_we_lack("fir")
    ]
    assert [(p.participant.iso3, p.change, p.new_kind, p.new_date) for p in proposals] == expected
    assert ("DEU", Change.NEW_ACTION, domain.RATIFICATION, date(2021, 10, 14)) in expected
    assert _of(proposals, "DEU").line is not None
    assert batch.pk is not None
    assert (batch.uploaded_by, batch.status_as_at) == (editor, AS_AT)
    assert batch.source == "UN Treaty Collection status page as at 4 May 2024"
    assert _action_state() == before
    assert Instrument.objects.get(code="fir").status_complete_to == date(2014, 7, 10)


def test_changed_date_changed_kind_and_missing_actions_are_proposed():
    lines = {line.iso3: line for line in table_lines("tip", AS_AT)}
    austria, albania = lines["AUT"], lines["ALB"]
    lines["AUT"] = Line(
        austria.participant, "AUT", austria.signature, date(2005, 1, 1), austria.kind
    )
    lines["ALB"] = Line(
        albania.participant, "ALB", albania.signature, albania.consent, "acceptance"
    )
    missing = lines.pop("BEL")

    _, proposals = _import("tip", sorted(lines.values(), key=lambda line: line.participant))

    found = {(p.participant.iso3, p.change, p.old_date, p.new_date) for p in proposals}
    assert found == {
        ("AUT", Change.CHANGED_DATE, austria.consent, date(2005, 1, 1)),
        ("ALB", Change.CHANGED_KIND, albania.consent, albania.consent),
        ("BEL", Change.NOT_IN_TABLE, missing.signature, None),
        ("BEL", Change.NOT_IN_TABLE, missing.consent, None),
    }


def test_records_after_the_tables_date_are_not_compared(post2014_facts_accepted):
    """A complete table as at 2016 lacks Germany's consent of 2021 because it came later:
    our record of it is not a difference, and nothing proposes to remove it."""
    as_at = date(2016, 1, 1)
    later = TreatyAction.objects.filter(
        instrument__code="fir", participant__iso3="DEU", date__gt=as_at
    )
    assert later.exists(), "the accepted facts record Germany's consent of 2021"

    _, proposals = _import("fir", table_lines("fir", as_at), as_at=as_at)

    assert not [p for p in proposals if p.participant.iso3 == "DEU"]
    assert Change.NOT_IN_TABLE not in {p.change for p in proposals}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (StatusRow(7, "Atlantis", date(2001, 1, 1)), "line 7, participant: 'Atlantis' matches no"),
        (StatusRow(8, "Austria", date(1999, 1, 1)), "line 8, signature: 01 Jan 1999 is before"),
        (StatusRow(9, "Austria", None, date(2030, 1, 1), "ratification"), "is in the future"),
        (StatusRow(9, "Austria", None, date(2024, 6, 1), "ratification"), "after the table's"),
    ],
)
def test_bad_rows_are_refused_naming_the_line_and_nothing_is_stored(row, message):
    with pytest.raises(TableRefused) as refused:
        proposals_build(
            instrument=Instrument.objects.get(code="fir"),
            rows=[row],
            status_as_at=AS_AT,
            source="test",
            today=date(2025, 1, 1),
        )
    assert message in str(refused.value.errors[0])
    assert not table_batches().exists()


def test_former_names_match():
    macedonia = Participant.objects.get(iso3="MKD")
    former = macedonia.aliases.first()
    assert former is not None
    lines = [
        line
        if line.iso3 != "MKD"
        else Line(former.name, "", line.signature, line.consent, line.kind)
        for line in table_lines("untoc", AS_AT)
    ]
    _, proposals = _import("untoc", lines)
    assert not [p for p in proposals if p.participant.iso3 == "MKD"]


def test_a_table_for_another_instrument_is_refused():
    table = status_table_parse(pasted_text("tip", AS_AT, table_lines("tip", AS_AT)))
    with pytest.raises(TableRefused) as refused:
        table_import(instrument=Instrument.objects.get(code="fir"), table=table)
    assert (
        "this is the status table of the Trafficking in Persons Protocol, not of the "
        "Firearms Protocol" in str(refused.value)
    )
    assert not table_batches().exists()


def test_a_table_older_than_our_complete_to_date_is_refused():
    with pytest.raises(TableRefused) as refused:
        _import("fir", table_lines("fir", date(2013, 1, 1)), as_at=date(2013, 1, 1))
    assert "older than the date our Firearms Protocol data are complete to" in str(refused.value)


def test_a_truncated_paste_is_refused_by_the_counts(firearms_lines):
    text = pasted_text("fir", AS_AT, firearms_lines)
    cut = "\r\n".join(text.split("\r\n")[:40])
    with pytest.raises(TableRefused, match="part of the table is missing"):
        table_import(instrument=Instrument.objects.get(code="fir"), table=status_table_parse(cut))


def test_accepting_writes_through_the_services_and_moves_complete_to(firearms_lines, editor):
    batch, proposals = _import("fir", firearms_lines, actor=editor)

    outcome = proposal_decide(
        proposal=_of(proposals, "DEU"), accept=True, actor=editor, expected_version=1
    )
    assert Instrument.objects.get(code="fir").status_complete_to == date(2014, 7, 10)
    # Every other proposal (the kinds we lack, kinds_we_lack) is rejected to finish the review.
    for other in kinds_we_lack("fir"):
        proposal_decide(
            proposal=_of(proposals, other), accept=False, actor=editor, expected_version=1
        )

    assert outcome.written
    action = TreatyAction.objects.get(
        participant__iso3="DEU", instrument__code="fir", kind="ratification"
    )
    assert action.date == date(2021, 10, 14)
    assert action.source == depositary_source(AS_AT)
    assert action.history.first().history_user == editor
    instrument = Instrument.objects.get(code="fir")
    assert instrument.status_complete_to == AS_AT
    assert instrument.history.first().history_user == editor
    batch.refresh_from_db()
    assert batch.state == DepositaryBatch.State.DECIDED


def test_rejecting_writes_nothing_but_completes_the_review(firearms_lines, editor):
    before = _action_state()
    _batch, proposals = _import("fir", firearms_lines, actor=editor)

    for proposal in proposals:
        proposal_decide(proposal=proposal, accept=False, actor=editor, expected_version=1)

    assert _action_state() == before
    assert Instrument.objects.get(code="fir").status_complete_to == AS_AT


def test_a_proposal_that_breaks_a_treaty_rule_stays_undecided_with_the_rule(editor):
    # Iran signed the Convention and never consented: a Protocol consent breaks art. 37(2).
    # (A test's table line, not a fact.)
    iran = Participant.objects.get(iso3="IRN")
    extra = [Line(iran.name, "IRN", None, date(2020, 1, 6), "accession")]
    _batch, proposals = _import("fir", table_lines("fir", AS_AT, extra), actor=editor)
    proposal = _of(proposals, "IRN")
    before = _action_state()

    outcome = proposal_decide(proposal=proposal, accept=True, actor=editor, expected_version=1)

    assert not outcome.written
    proposal.refresh_from_db()
    assert proposal.decision == DepositaryProposal.Decision.UNDECIDED
    assert "[protocol_requires_convention]" in proposal.refusal
    assert _action_state() == before
    assert Instrument.objects.get(code="fir").status_complete_to == date(2014, 7, 10)


def test_the_second_editor_deciding_the_same_proposal_is_told(firearms_lines, editor, viewer):
    _, proposals = _import("fir", firearms_lines, actor=editor)
    proposal = _of(proposals, "DEU")
    proposal_decide(proposal=proposal, accept=True, actor=editor, expected_version=1)

    with pytest.raises(ProposalDecided, match="editor already accepted this proposal"):
        proposal_decide(proposal=proposal, accept=False, actor=viewer, expected_version=1)
    assert (
        TreatyAction.objects.filter(participant__iso3="DEU", date=date(2021, 10, 14)).count() == 1
    )


def test_accept_all_leaves_actions_the_table_lacks_to_a_decision_of_their_own(editor):
    lines = [line for line in table_lines("tip", AS_AT) if line.iso3 != "BEL"]
    lines.append(Line("South Sudan", "SSD", None, None, None))
    lines = [line for line in lines if line.signature or line.consent]
    batch, proposals = _import("tip", lines, actor=editor)
    seen = {p.pk: p.version for p in proposals}

    batch_decide_all(batch=batch, accept=True, actor=editor, seen=seen)

    assert TreatyAction.objects.filter(participant__iso3="BEL", instrument__code="tip").count() == 2
    batch.refresh_from_db()
    assert batch.state == DepositaryBatch.State.OPEN
    batch_decide_all(batch=batch, accept=False, actor=editor, seen=seen)
    batch.refresh_from_db()
    assert batch.state == DepositaryBatch.State.DECIDED


def test_accepting_an_action_the_table_lacks_removes_it_through_the_services(editor):
    lines = [line for line in table_lines("fir", AS_AT) if line.iso3 != "AUT"]
    _batch, proposals = _import("fir", lines, actor=editor)
    (consent,) = [p for p in proposals if p.participant.iso3 == "AUT" and p.old_kind != "signature"]

    proposal_decide(proposal=consent, accept=True, actor=editor, expected_version=1)

    assert not TreatyAction.objects.filter(pk=consent.action_id).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_editors_deciding_at_once_one_wins(germany_firearms_unrecorded, editor, viewer):
    lines = table_lines("fir", AS_AT, [GERMANY_FIREARMS])
    _, proposals = _import("fir", lines, actor=editor)
    proposal = _of(proposals, "DEU")
    results: list[str] = []
    barrier = threading.Barrier(2)

    def decide(actor, accept):
        barrier.wait()
        try:
            proposal_decide(proposal=proposal, accept=accept, actor=actor, expected_version=1)
            results.append("decided")
        except ProposalDecided as decided:
            results.append(str(decided))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(u, a)) for u, a in ((editor, True), (viewer, False))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results)[0] == "decided"
    assert "already" in sorted(results)[1]
    proposal.refresh_from_db()
    written = TreatyAction.objects.filter(participant__iso3="DEU", date=date(2021, 10, 14)).count()
    assert written == (1 if proposal.decision == "accepted" else 0)


def test_a_table_with_no_difference_is_closed_by_the_editor_and_moves_complete_to(editor):
    table = status_table_parse(csv_table("fir", AS_AT, table_lines("fir", AS_AT)))
    batch, proposals = table_import(
        instrument=Instrument.objects.get(code="fir"), table=table, actor=editor
    )
    assert proposals == []
    assert Instrument.objects.get(code="fir").status_complete_to == date(2014, 7, 10)

    batch_decide_all(batch=batch, accept=True, actor=editor, seen={})

    batch.refresh_from_db()
    assert batch.state == DepositaryBatch.State.DECIDED
    assert Instrument.objects.get(code="fir").status_complete_to == AS_AT


def test_a_saved_page_of_another_instrument_is_refused_by_its_address():
    page = html_page("som", AS_AT, table_lines("som", AS_AT))
    with pytest.raises(TableRefused, match="status table of the Smuggling of Migrants Protocol"):
        table_import(instrument=Instrument.objects.get(code="tip"), table=status_table_parse(page))
