"""Every list and the status matrix run a fixed number of queries whatever the number of rows.

Each test runs at two sizes: the shipped data plus 10, and plus 300, synthetic participants
(each with three actions). Pages are asked for as large as allowed, so that the rows served
grow with the data too.
"""

import pytest

from instruments.models import TreatyAction
from tests.apiclient import API, token_headers
from tests.factories import synthetic_participants

pytestmark = pytest.mark.usefixtures("real_data")

SIZES = [10, 300]


@pytest.fixture(params=SIZES, ids=lambda n: f"{n}-more")
def size(request, db):
    synthetic_participants(request.param)
    return request.param


def get(client, path: str, **headers):
    response = client.get(API + path, **headers)
    assert response.status_code == 200, response.content
    return response


def test_status_matrix_queries(client, size, django_assert_num_queries):
    # 1. the data revision (ETag), 2. the instruments with their Conventions (then held in
    # memory for this revision), 3. the page's participants with the count of all,
    # 4. their actions as bare values.
    with django_assert_num_queries(4):
        body = get(client, "status/?as_of=2010-01-01&osce_role=participating&page_size=1000")
    # 56 participating States on 1 January 2010 (Mongolia from 2012), and the synthetic ones.
    assert body.json()["count"] == (56 + size) * 4
    # The instruments now held: 1. the revision, 2. the participants, 3. their actions.
    with django_assert_num_queries(3):
        body = get(client, "status/?as_of=2010-01-01&osce_role=any&page=2&page_size=40")
    assert body.json()["count"] == (188 + size) * 4


def test_status_matrix_queries_with_filters(client, size, django_assert_num_queries):
    codes = ",".join(["DEU", "FRA"])
    # 1. the data revision, 2. the instruments (then held in memory; the codes named are
    # checked against them), 3. the participants named exist, 4.-5. the matrix: participants,
    # their actions.
    with django_assert_num_queries(5):
        get(client, f"status/?state={codes}&instrument=untoc,tip")


def test_status_export_queries(client, size, django_assert_num_queries):
    # 1. the data revision, 2. the instruments (not yet held), 3. the participants,
    # 4. their actions.
    with django_assert_num_queries(4):
        response = get(client, "status/?format=csv&osce_role=any")
    assert response.content.count(b"\n") == 1 + (188 + size) * 4


def test_states_list_queries(client, size, django_assert_num_queries):
    # 1. the data revision, 2. the page of participants, each carrying the count of all,
    # 3. their aliases.
    with django_assert_num_queries(3):
        body = get(client, "states/?page_size=1000&osce_role=any").json()
    assert len(body["results"]) == 188 + size


def test_states_export_queries(client, size, django_assert_num_queries):
    # 1. the data revision, 2. the participants, 3. their aliases.
    with django_assert_num_queries(3):
        get(client, "states/?format=xlsx")


def test_state_detail_queries(client, size, django_assert_num_queries):
    # 1. the data revision, 2. the participant, 3. its aliases, 4.-6. the matrix for it:
    # instruments, the participant again, its actions.
    with django_assert_num_queries(6):
        get(client, "states/DEU/")


def test_instruments_list_queries(client, size, django_assert_num_queries):
    # 1. the data revision, 2.-4. the matrix of every participant (for the counts):
    # instruments (then held in memory for this revision), participants, actions.
    with django_assert_num_queries(4):
        body = get(client, "instruments/?as_of=2010-01-01").json()
    assert body["results"][0]["counts"]["signatories"] >= size
    # The instruments held: 1. the revision, 2. the participants, 3. their actions.
    with django_assert_num_queries(3):
        get(client, "instruments/?as_of=2011-01-01")


def test_instrument_detail_queries(client, size, django_assert_num_queries):
    # 1. the data revision, 2.-4. the matrix: instruments, participants, actions.
    with django_assert_num_queries(4):
        get(client, "instruments/tip/")


def test_actions_list_queries(client, size, django_assert_num_queries):
    # 1. the data revision, 2. the count, 3. the page of actions joined to their
    # participants and instruments.
    with django_assert_num_queries(3):
        body = get(client, "actions/?osce_role=participating&page_size=1000").json()
    assert body["count"] > 3 * size


def test_actions_list_queries_with_filters(client, size, django_assert_num_queries):
    # 1. the data revision, 2. the participants named exist, 3. the instruments named
    # exist, 4. the count, 5. the page.
    with django_assert_num_queries(5):
        get(client, "actions/?state=DEU,FRA&instrument=untoc&date_from=2000-01-01")


def test_actions_export_queries(client, size, django_assert_num_queries):
    # 1. the data revision, 2. the actions, joined.
    with django_assert_num_queries(2):
        response = get(client, "actions/?format=csv&osce_role=any")
    assert response.content.count(b"\n") == 1 + TreatyAction.objects.count()


def test_declarations_list_queries(client, size, django_assert_num_queries):
    # 1. the data revision, 2. the count, 3. the page of declarations, joined.
    with django_assert_num_queries(3):
        get(client, "declarations/?page_size=1000&search=a")


def test_history_list_queries(client, viewer, size, django_assert_num_queries):
    actions = list(TreatyAction.objects.filter(participant__source="synthetic test data"))
    TreatyAction.history.bulk_history_create(actions)
    headers = token_headers(viewer)
    # 1. the token and its user, 2. the user's other tokens (django-rest-knox deletes the
    # expired ones), 3. the data revision, 4. the page of the feed with the count of all,
    # 5. the history of the actions on the page with the codes of their participants and
    # instruments. (Each other kind of record on a page adds one query.)
    with django_assert_num_queries(5):
        body = get(client, f"history/?resource=actions&page_size={3 * size}", **headers).json()
    assert len(body["results"]) == 3 * size
    assert {r["values"]["state"][0] for r in body["results"]} <= {"Q", "X"}
