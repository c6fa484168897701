from datetime import date

import pytest

from instruments import domain, services
from instruments.models import TreatyAction
from tests.instruments.depositary.tables import Line, table_lines

# The newest depositary checkpoint of the Firearms Protocol (shared depositary_counts.csv);
# the tables built here hold our records as at that date, plus what a test adds.
AS_AT = date(2024, 5, 4)
# Germany's Firearms Protocol consent: post2014_candidates.csv (Netherlands treaty database,
# high confidence): deposit 14 Oct 2021, derived from the entry into force of 13 Nov 2021.
GERMANY_FIREARMS = Line("Germany", "DEU", date(2002, 9, 3), date(2021, 10, 14), "ratification")


@pytest.fixture
def germany_firearms_unrecorded(real_data):
    """The shipped data hold Germany's 2021 consent (post2014_status.csv); these tests are an
    editor's walk that brings it in from the depositary's table, so it is removed first,
    through the service, as if the post-2014 facts had not been loaded yet."""
    consent = TreatyAction.objects.get(
        participant__iso3="DEU",
        instrument__code="fir",
        kind__in=domain.CONSENT_KINDS,
        date=GERMANY_FIREARMS.consent,
    )
    services.action_delete(action=consent)


@pytest.fixture
def firearms_lines(germany_firearms_unrecorded):
    return table_lines("fir", AS_AT, [GERMANY_FIREARMS])


def kinds_we_lack(code: str) -> set[str]:
    """The participants that signed `code` and whose consent, as at AS_AT, we hold with its
    kind not recorded. A table equal to our records proposes each as a ratification (an
    unmarked date after a signature on the depositary's page), so the expected proposals
    follow the shipped data: the post-2014 facts (post2014_status.csv) add some (China's 2023
    Firearms consent) and settle others (Japan's 2017 Convention consent, now an
    acceptance)."""
    return {
        line.iso3
        for line in table_lines(code, AS_AT)
        if line.signature and line.consent and line.kind == domain.CONSENT_KIND_NOT_RECORDED
    }
