"""history/: the audit trail of treaty data, for staff only."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from instruments import services
from instruments.models import Instrument
from states.services import alias_upsert
from tests.apiclient import API, get_json, problems, token_headers
from tests.factories import participant

pytestmark = pytest.mark.usefixtures("real_data")


@pytest.fixture
def edited(editor):
    """South Sudan's signature, recorded and then corrected by the editor; a declaration
    recorded and removed; an alias (test fixtures, not facts)."""
    who = participant()
    untoc = Instrument.objects.get(code="untoc")
    signature = services.action_record(
        participant=who,
        instrument=untoc,
        kind="signature",
        date=date(2001, 1, 10),
        source="test",
        actor=editor,
    )
    services.action_update(action=signature, date=date(2001, 1, 11), note="corrected", actor=editor)
    declaration = services.declaration_record(
        participant=who,
        instrument=untoc,
        kind="notification",
        article="18(13)",
        summary="Central authority",
        source="test",
        actor=editor,
    )
    services.declaration_delete(declaration=declaration, actor=editor)
    alias_upsert(participant=who, name="Republic of South Sudan", source="test", actor=editor)
    return signature


def test_anonymous_clients_may_not_read_the_history(client):
    response = client.get(API + "history/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert problems(response) == {None: "not_authenticated"}


def test_a_signed_in_user_who_is_not_staff_may_not_read_the_history(client):
    user = get_user_model().objects.create_user("researcher", password="a-long-password")
    client.force_login(user)
    response = client.get(API + "history/")
    assert response.status_code == 403
    assert problems(response) == {None: "permission_denied"}


def test_staff_read_who_changed_what_and_when_newest_first(viewer_client, editor, edited):
    rows = get_json(viewer_client, "history/", {"state": "SSD"})["results"]
    assert [(r["resource"], r["type"]) for r in rows] == [
        ("aliases", "created"),
        ("declarations", "deleted"),
        ("declarations", "created"),
        ("actions", "changed"),
        ("actions", "created"),
        ("states", "created"),
    ]
    alias, deleted, _, changed, created, _ = rows
    assert {r["user"] for r in rows[:5]} == {editor.username}
    assert changed["record"] == edited.pk
    assert changed["changes"] == [
        {"field": "date", "old": "2001-01-10", "new": "2001-01-11"},
        {"field": "note", "old": "", "new": "corrected"},
    ]
    assert {"field": "kind", "old": None, "new": "signature"} in created["changes"]
    assert {"field": "state", "old": None, "new": "SSD"} in created["changes"]
    assert created["values"]["instrument"] == "untoc"
    assert deleted["changes"] == []
    assert deleted["values"]["summary"] == "Central authority"
    assert alias["values"]["state"] == "SSD"
    assert rows[0]["at"] >= rows[-1]["at"]


def test_history_filters_by_resource_record_user_and_date(viewer_client, editor, edited):
    actions = get_json(viewer_client, "history/", {"resource": "actions", "record": edited.pk})
    assert [r["type"] for r in actions["results"]] == ["changed", "created"]
    by_editor = get_json(viewer_client, "history/", {"user": editor.username})
    assert by_editor["count"] == 5
    nobody = get_json(viewer_client, "history/", {"user": "nobody"})
    assert nobody["count"] == 0
    future = get_json(viewer_client, "history/", {"date_from": "2999-01-01"})
    assert future["count"] == 0
    past = get_json(viewer_client, "history/", {"date_to": "1999-01-01"})
    assert past["count"] == 0


def test_the_count_covers_every_kind_and_every_page(viewer_client, editor, edited):
    query = {"user": editor.username}
    kinds = {"actions": 2, "declarations": 2, "aliases": 1}
    whole = get_json(viewer_client, "history/", {**query, "page_size": 100})
    assert whole["count"] == sum(kinds.values()) == len(whole["results"])
    for resource, changes in kinds.items():
        assert get_json(viewer_client, "history/", {**query, "resource": resource})["count"] == (
            changes
        )
    pages = [
        get_json(viewer_client, "history/", {**query, "page_size": 2, "page": number})
        for number in (1, 2, 3)
    ]
    assert [page["count"] for page in pages] == [5, 5, 5]
    assert [len(page["results"]) for page in pages] == [2, 2, 1]
    assert [r for page in pages for r in page["results"]] == whole["results"]
    assert pages[2]["next"] is None
    past = viewer_client.get(API + "history/", {**query, "page_size": 2, "page": 4})
    assert past.status_code == 400
    assert problems(past) == {"page": "page_out_of_range"}
    deleted = get_json(viewer_client, "history/", {**query, "resource": "declarations"})
    assert {r["values"]["state"] for r in deleted["results"]} == {edited.participant.iso3}


def test_the_loaded_data_appear_as_changes_without_a_user(viewer_client):
    body = get_json(viewer_client, "history/", {"resource": "instruments"})
    assert body["count"] >= 4
    assert {r["user"] for r in body["results"]} == {None}
    assert {r["values"]["code"] for r in body["results"]} >= {"untoc", "tip", "som", "fir"}
    tip = next(r for r in body["results"] if r["values"]["code"] == "tip")
    assert tip["values"]["convention"] == "untoc"


def test_staff_may_read_the_history_with_a_token(client, viewer):
    response = client.get(API + "history/", {"page_size": 1}, **token_headers(viewer))
    assert response.status_code == 200


def test_an_unknown_resource_is_refused(viewer_client):
    response = viewer_client.get(API + "history/", {"resource": "users"})
    assert response.status_code == 400
    assert problems(response) == {"resource": "unknown_code"}


def test_nobody_writes_to_the_history(editor_client):
    response = editor_client.post(API + "history/", {}, content_type="application/json")
    assert response.status_code in (403, 405)
