from datetime import date

import pytest
from django.db.models import QuerySet

from instruments import domain
from instruments.models import DepositaryBatch, DepositaryProposal, TreatyAction
from tests.instruments.depositary.tables import Line, table_lines

# The newest depositary checkpoint of the Firearms Protocol (shared depositary_counts.csv);
# the tables built here hold our records as at that date, plus what a test adds.
AS_AT = date(2024, 5, 4)
# Germany's Firearms Protocol consent: post2014_candidates.csv (Netherlands treaty database,
# high confidence): deposit 14 Oct 2021, derived from the entry into force of 13 Nov 2021.
GERMANY_FIREARMS = Line("Germany", "DEU", date(2002, 9, 3), date(2021, 10, 14), "ratification")


@pytest.fixture
def germany_firearms_unrecorded(real_data):
    """Germany's 2021 consent as the shipped data leave it: proposed for review among the
    post-2014 facts, undecided, so not recorded. These tests are an editor's walk that brings
    it in from the depositary's table instead."""
    assert not TreatyAction.objects.filter(
        participant__iso3="DEU", instrument__code="fir", kind__in=domain.CONSENT_KINDS
    ).exists()
    pending = DepositaryProposal.objects.get(
        batch__source_form=DepositaryBatch.Form.FACTS,
        participant__iso3="DEU",
        new_date=GERMANY_FIREARMS.consent,
    )
    assert pending.decision == DepositaryProposal.Decision.UNDECIDED
    return pending


@pytest.fixture
def firearms_lines(germany_firearms_unrecorded):
    return table_lines("fir", AS_AT, [GERMANY_FIREARMS])


def kinds_we_lack(code: str) -> set[str]:
    """The participants that signed `code` and whose consent, as at AS_AT, we hold with its
    kind not recorded. A table equal to our records proposes each as a ratification (an
    unmarked date after a signature on the depositary's page), so the expected proposals
    follow the shipped data, and the post-2014 facts once accepted (post2014_facts_accepted)
    add some (China's 2023 Firearms consent)."""
    return {
        line.iso3
        for line in table_lines(code, AS_AT)
        if line.signature and line.consent and line.kind == domain.CONSENT_KIND_NOT_RECORDED
    }


def table_batches() -> QuerySet[DepositaryBatch]:
    """The depositary tables read, leaving out the post-2014 facts the shipped load proposes."""
    return DepositaryBatch.objects.exclude(source_form=DepositaryBatch.Form.FACTS)


def table_proposals() -> QuerySet[DepositaryProposal]:
    return DepositaryProposal.objects.exclude(batch__source_form=DepositaryBatch.Form.FACTS)
