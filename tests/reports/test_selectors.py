"""Reads for the API and pages: filters and query counts at two sizes."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import services, sweep
from reports.selectors import (
    flag_entries,
    flag_filters,
    flag_list,
    submission_list,
)
from reports.standings import obligation_standings
from tests.factories import synthetic_participants
from tests.reports.conftest import obligation, state

pytestmark = pytest.mark.usefixtures("real_data")

AS_OF = date(2010, 1, 1)


@pytest.fixture
def swept():
    return sweep.compliance_sweep(as_of=AS_OF)


def test_flags_filter_by_state_obligation_instrument_and_status(swept):
    germany = flag_list(state="DEU", as_of=AS_OF)
    assert {f.obligation.code for f in germany} == {"untoc-18-14", "untoc-cop-2007"}
    assert (
        flag_list(obligation="untoc-18-13", as_of=AS_OF).count()
        == swept.open_by_obligation["UNTOC art. 18(13)"]
    )
    assert flag_list(instrument="som", as_of=AS_OF).count() == 0
    assert flag_list(status="open", as_of=AS_OF).count() == swept.open
    assert flag_list(status="resolved", as_of=AS_OF).count() == 0


def test_flags_as_of_a_date_before_they_were_raised_are_not_shown(swept):
    assert flag_list(as_of=date(2009, 12, 31)).count() == 0


def test_a_resolved_flag_is_open_as_of_a_date_before_its_resolution(swept):
    services.submission_record(
        participant=state("DEU"),
        obligation=obligation("untoc-cop-2007"),
        received_on=date(2010, 2, 1),
    )
    sweep.compliance_sweep(as_of=date(2010, 3, 1))
    assert flag_list(state="DEU", status="resolved", as_of=date(2010, 3, 1)).count() == 1
    (entry,) = flag_entries(
        flag_list(state="DEU", obligation="untoc-cop-2007", as_of=date(2010, 2, 15)),
        date(2010, 2, 15),
    )
    assert (entry["open"], entry["finding"], entry["ageing_bucket"]) == (
        True,
        "no submission on record",
        "1_to_5_years",
    )


def test_an_unknown_filter_value_is_refused_naming_it():
    with pytest.raises(ValueError, match="unknown flag status 'closed'"):
        flag_list(status="closed")
    with pytest.raises(ValueError, match="unknown ageing bucket 'old'"):
        list(flag_list(bucket="old"))


def test_standings_say_what_arrived_and_what_is_missing_for_each_state():
    rows = {
        (r["state"], r["obligation"]): r
        for r in obligation_standings(as_of=AS_OF, participant_ids=[state("DEU").pk]).rows()
    }
    assert rows["DEU", "untoc-18-13"]["finding"] == "received"
    assert rows["DEU", "untoc-18-13"]["received_on"] == date(2006, 6, 14)
    assert rows["DEU", "untoc-18-14"]["finding"] == "no submission on record"
    assert rows["DEU", "untoc-31-6"]["finding"] == "no due date set"
    assert rows["DEU", "untoc-5-3"]["received_by"] == "notification"
    assert ("DEU", "untoc-16-5-a") not in rows  # conditional, and nothing on record


def test_submissions_filter_by_state_and_instrument():
    services.submission_record(
        participant=state("DEU"), obligation=obligation("fir-13-2"), received_on=date(2009, 1, 5)
    )
    assert submission_list(state="DEU").count() == 1
    assert submission_list(instrument="fir").count() == 1
    assert submission_list(instrument="untoc").count() == 0


def test_the_flag_list_and_its_rows_take_one_query_at_two_sizes():
    counts = []
    for size in (5, 40):
        synthetic_participants(size)
        sweep.compliance_sweep(as_of=AS_OF)
        with CaptureQueriesContext(connection) as queries:
            # 1 the flags with their participant, obligation, instrument and submission
            rows = flag_entries(flag_list(status="open", as_of=AS_OF), AS_OF)
        assert len(rows) > 3 * size
        counts.append(len(queries))
    assert counts == [1, 1]


def test_standings_take_four_queries_at_two_sizes():
    counts = []
    for size in (5, 40):
        synthetic_participants(size)
        with CaptureQueriesContext(connection) as queries:
            # 1 obligations with their instruments and Conventions; 2 participants;
            # 3 treaty actions; 4 submissions and notifications in the treaty data (UNION)
            rows = obligation_standings(as_of=AS_OF).rows()
        assert len(rows) > 3 * size
        counts.append(len(queries))
    assert counts == [4, 4]


def test_query_string_filters_are_checked_and_named_when_wrong():
    from django.core.exceptions import ValidationError

    assert flag_filters({"state": "deu", "status": "open", "as_of": "2010-01-01"}) == {
        "state": "DEU",
        "status": "open",
        "as_of": AS_OF,
    }
    with pytest.raises(ValidationError) as refused:
        flag_filters({"status": "closed", "bucket": "ancient", "as_of": "1/1/2010"})
    assert set(refused.value.message_dict) == {"status", "bucket", "as_of"}
    assert refused.value.message_dict["as_of"] == [
        "'1/1/2010' is not a date in the form YYYY-MM-DD"
    ]
    with pytest.raises(ValidationError) as refused:
        flag_filters({"state": "DEU\x00", "obligation": "18(13)"})
    assert set(refused.value.message_dict) == {"state", "obligation"}
