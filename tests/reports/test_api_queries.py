"""obligations/, submissions/, flags/ and standings/ run a fixed number of queries whatever
the number of rows.

Each test runs at two sizes: the shipped data plus 10, and plus 300, synthetic participants
(each a party to the Convention, so the compliance check flags them), with one synthetic
submission each; obligations/ grows by as many synthetic catalogue entries. Pages are asked
for as large as allowed, so that the rows served grow with the data too.
"""

from datetime import date, timedelta

import pytest

from instruments.models import Instrument
from reports import sweep
from reports.models import Obligation, Submission
from tests.apiclient import API, token_headers
from tests.factories import synthetic_participants

pytestmark = pytest.mark.usefixtures("real_data", "records_checked")

SIZES = [10, 300]
AS_OF = date(2010, 1, 1)


@pytest.fixture(params=SIZES, ids=lambda n: f"{n}-more")
def size(request, db):
    """Synthetic participants with a submission each, and as many synthetic obligations
    (scaffolding written in bulk, not facts)."""
    participants = synthetic_participants(request.param)
    languages = Obligation.objects.get(code="untoc-18-14")
    Submission.objects.bulk_create(
        Submission(
            participant=who,
            obligation=languages,
            received_on=date(2008, 1, 1) + timedelta(days=index),
            reference=f"synthetic {index}",
        )
        for index, who in enumerate(participants)
    )
    untoc = Instrument.objects.get(code="untoc")
    Obligation.objects.bulk_create(
        Obligation(
            code=f"synthetic-{index}",
            instrument=untoc,
            article=f"synthetic {index}",
            title="Synthetic obligation",
            owed=Obligation.Owed.NOTIFICATION,
            applies_to=Obligation.AppliesTo.ALL_PARTIES,
            due_rule=Obligation.DueRule.NO_DATE,
            due_note="none",
            description="synthetic",
            article_source="synthetic",
            source="synthetic test data",
            display_order=100 + index,
        )
        for index in range(request.param)
    )
    return request.param


@pytest.fixture
def swept(size):
    """The flags of the shipped and synthetic participants as of AS_OF."""
    sweep.compliance_sweep(as_of=AS_OF)
    return size


def get(client, path: str, **headers):
    response = client.get(API + path, **headers)
    assert response.status_code == 200, response.content
    return response


def test_obligations_list_queries(client, size, django_assert_num_queries):
    # 1. the data revision (ETag), 2. the count, 3. the page of obligations joined to
    # their instruments.
    with django_assert_num_queries(3):
        body = get(client, "obligations/?page_size=1000").json()
    assert len(body["results"]) == 9 + size


def test_obligations_list_queries_with_a_filter(client, size, django_assert_num_queries):
    # 1. the data revision, 2. the instruments named exist, 3. the count, 4. the page.
    with django_assert_num_queries(4):
        get(client, "obligations/?instrument=untoc,fir")


def test_obligation_detail_queries(client, size, django_assert_num_queries):
    # 1. the data revision, 2. the obligation joined to its instrument.
    with django_assert_num_queries(2):
        get(client, "obligations/untoc-18-13/")


def test_submissions_list_queries(client, size, django_assert_num_queries):
    # 1. the data revision, 2. the count, 3. the page of submissions joined to their
    # participants, obligations and instruments.
    with django_assert_num_queries(3):
        body = get(client, "submissions/?page_size=1000").json()
    assert len(body["results"]) == size


def test_submissions_list_queries_with_filters(client, size, django_assert_num_queries):
    # 1. the data revision, 2. the participants named exist, 3. the obligations named
    # exist, 4. the instruments named exist, 5. the count, 6. the page.
    with django_assert_num_queries(6):
        get(
            client,
            "submissions/?state=QAA,QAB&obligation=untoc-18-14&instrument=untoc"
            "&date_from=2008-01-01&date_to=2010-01-01",
        )


def test_submission_detail_queries(client, size, django_assert_num_queries):
    submission = Submission.objects.first()
    # 1. the submission joined to its participant, obligation and instrument (its ETag is
    # its version, so no data revision is read).
    with django_assert_num_queries(1):
        get(client, f"submissions/{submission.pk}/")


def test_flags_list_queries(client, swept, django_assert_num_queries):
    # 1. the data revision, 2. the instruments (for the as_of rules; then held in memory),
    # 3. the count, 4. the page of flags joined to their participants, obligations,
    # instruments and submissions, 5. the date of the last check.
    with django_assert_num_queries(5):
        body = get(client, "flags/?as_of=2010-01-01&page_size=1000&osce_role=participating")
    assert body.json()["count"] >= 2 * swept


def test_flags_list_queries_with_filters(client, swept, django_assert_num_queries):
    # 1. the data revision, 2. the instruments (the codes named are checked against them,
    # and as_of), 3. the participants named exist, 4. the obligations named exist, 5. the
    # count, 6. the page, 7. the date of the last check.
    with django_assert_num_queries(7):
        get(
            client,
            "flags/?as_of=2012-01-01&state=QAA,DEU&obligation=untoc-cop-2007&instrument=untoc"
            "&status=open&bucket=1_to_5_years",
        )


def test_flags_export_queries(client, swept, django_assert_num_queries):
    # 1. the data revision, 2. the instruments (for the as_of rules), 3. the flags, joined.
    with django_assert_num_queries(3):
        response = get(client, "flags/?as_of=2010-01-01&format=csv&osce_role=any")
    assert response.content.count(b"\n") > 2 * swept


def test_standings_list_queries(client, size, django_assert_num_queries):
    # 1. the data revision, 2. the instruments (for the as_of rules), 3. the participants of
    # the group, 4. the obligations with their instruments and Conventions, 5. the
    # participants with their codes, 6. their treaty actions, 7. what was received
    # (submissions and notifications in one UNION), 8. the evidence coverage.
    with django_assert_num_queries(8):
        body = get(client, "standings/?as_of=2010-01-01&page_size=1000&osce_role=any")
    assert body.json()["count"] >= 3 * size


def test_standings_list_queries_with_filters(client, size, django_assert_num_queries):
    # 1. the data revision, 2. the participants named exist, 3. the obligations named
    # exist, 4. the instruments named exist, 5.-10. as without filters.
    with django_assert_num_queries(10):
        get(
            client,
            "standings/?as_of=2010-01-01&state=QAA,DEU&obligation=untoc-cop-2007,untoc-18-14"
            "&instrument=untoc&standing=no_submission_on_record&bucket=1_to_5_years",
        )


def test_standings_export_queries(client, size, django_assert_num_queries):
    # As without filters: the export is the same rows, unpaginated.
    with django_assert_num_queries(8):
        response = get(client, "standings/?as_of=2010-01-01&format=csv")
    assert response.content.count(b"\n") > 3 * size


def test_flag_detail_queries(client, swept, django_assert_num_queries):
    flag_id = get(client, "flags/?as_of=2010-01-01&state=QAA&osce_role=any").json()["results"][0][
        "id"
    ]
    # 1. the data revision, 2. the flag, joined. (The instruments, for the as_of rules, are
    # held in memory since the list.)
    with django_assert_num_queries(2):
        get(client, f"flags/{flag_id}/?as_of=2010-01-01")


def test_history_of_submissions_queries(client, viewer, size, django_assert_num_queries):
    Submission.history.bulk_history_create(list(Submission.objects.all()))
    headers = token_headers(viewer)
    # 1. the token and its user, 2. the user's other tokens (django-rest-knox deletes the
    # expired ones), 3. the data revision, 4. the page of the feed with the count of all,
    # 5. the history of the submissions on the page with the codes of their participants
    # and obligations.
    with django_assert_num_queries(5):
        body = get(client, f"history/?resource=submissions&page_size={size}", **headers).json()
    assert len(body["results"]) == size
    assert {r["values"]["obligation"] for r in body["results"]} == {"untoc-18-14"}
    assert {r["values"]["state"][0] for r in body["results"]} <= {"Q", "X"}
