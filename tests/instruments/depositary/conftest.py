from datetime import date

import pytest

from tests.instruments.depositary.tables import Line, table_lines

# The newest depositary checkpoint of the Firearms Protocol (shared depositary_counts.csv);
# the tables built here hold our records as at that date, plus what a test adds.
AS_AT = date(2024, 5, 4)
# Germany's Firearms Protocol consent: post2014_candidates.csv (Netherlands treaty database,
# high confidence): deposit 14 Oct 2021, derived from the entry into force of 13 Nov 2021.
GERMANY_FIREARMS = Line("Germany", "DEU", date(2002, 9, 3), date(2021, 10, 14), "ratification")


@pytest.fixture
def firearms_lines(real_data):
    return table_lines("fir", AS_AT, [GERMANY_FIREARMS])
