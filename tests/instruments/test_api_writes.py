"""Writing treaty data through the API: who may, the treaty rules, and no lost update."""

import json
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from instruments import services
from instruments.models import Declaration, Instrument, TreatyAction
from tests.apiclient import API, problems, token_headers
from tests.factories import participant

pytestmark = pytest.mark.usefixtures("real_data")


@pytest.fixture
def signature(signed):
    return TreatyAction.objects.get(participant=signed, kind="signature")


@pytest.fixture
def declaration(signed):
    return services.declaration_record(
        participant=signed,
        instrument=Instrument.objects.get(code="untoc"),
        kind="notification",
        article="18(13)",
        date=date(2012, 8, 1),
        made_at="later",
        summary="Central authority: Ministry of Justice",
        source="test",
    )


@pytest.fixture
def admin(db):
    return get_user_model().objects.create_superuser("administrator", password="a-long-password")


def send(client, method: str, path: str, body=None, **headers):
    data = json.dumps(body) if body is not None else None
    return getattr(client, method.lower())(
        API + path, data, content_type="application/json", **headers
    )


def etag(client, path: str) -> str:
    return client.get(API + path)["ETag"]


def ratification(**overrides):
    return {
        "state": "SSD",
        "instrument": "untoc",
        "kind": "ratification",
        "date": "2012-08-01",
        "depositary_notification": "C.N.1.2012.TREATIES-XVIII-12",
        "source": "depositary notification",
    } | overrides


def new_declaration(**overrides):
    return {
        "state": "SSD",
        "instrument": "untoc",
        "kind": "reservation",
        "article": "35(3)",
        "date": "2012-08-01",
        "made_at": "deposit",
        "summary": "Not bound by art. 35(2)",
        "source": "test",
    } | overrides


# --- who may write ---------------------------------------------------------------------------

ROLES = ["anonymous", "viewer", "editor", "admin"]
EXPECTED = {"anonymous": 401, "viewer": 403}


@pytest.fixture
def as_role(request, client, viewer, editor, admin):
    def login(role: str):
        if role != "anonymous":
            client.force_login({"viewer": viewer, "editor": editor, "admin": admin}[role])
        return client

    return login


def write_requests(signature, declaration, client):
    """Each write the API offers, as (method, path, body, success status)."""
    action_path = f"actions/{signature.pk}/"
    declaration_path = f"declarations/{declaration.pk}/"
    return [
        ("POST", "actions/", ratification(), 201),
        ("PUT", action_path, ratification(kind="signature", date="2001-01-11"), 200),
        ("PATCH", action_path, {"note": "checked"}, 200),
        ("DELETE", action_path, None, 204),
        ("POST", "declarations/", new_declaration(), 201),
        ("PUT", declaration_path, new_declaration(article="18(13)", kind="notification"), 200),
        ("PATCH", declaration_path, {"summary": "Central authority: Ministry of Interior"}, 200),
        ("DELETE", declaration_path, None, 204),
    ]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("index", range(8), ids=lambda i: str(i))
def test_the_permission_matrix_on_every_write(as_role, signature, declaration, role, index):
    client = as_role(role)
    method, path, body, success = write_requests(signature, declaration, client)[index]
    headers = {}
    if method != "POST":
        headers["HTTP_IF_MATCH"] = etag(client, path)
    revision_before = TreatyAction.objects.count() + Declaration.objects.count()
    versions_before = list(TreatyAction.objects.values_list("version", flat=True)) + list(
        Declaration.objects.values_list("version", flat=True)
    )
    response = send(client, method, path, body, **headers)
    expected = EXPECTED.get(role, success)
    assert response.status_code == expected, response.content
    if expected in (401, 403):
        assert problems(response) == {
            None: "not_authenticated" if expected == 401 else "permission_denied"
        }
        if expected == 401:
            assert response["WWW-Authenticate"] == "Token"
        assert TreatyAction.objects.count() + Declaration.objects.count() == revision_before
        assert (
            list(TreatyAction.objects.values_list("version", flat=True))
            + list(Declaration.objects.values_list("version", flat=True))
            == versions_before
        )


def test_an_editor_writes_with_a_token_and_history_names_them(client, editor, signed):
    response = send(client, "POST", "actions/", ratification(), **token_headers(editor))
    assert response.status_code == 201, response.content
    body = response.json()
    action = TreatyAction.objects.get(pk=body["id"])
    assert action.history.get().history_user == editor
    assert response["Location"].endswith(f"/api/v1/actions/{action.pk}/")
    assert response["ETag"] == f'"treatyaction-{action.pk}-v1"'
    assert (body["state"], body["kind"], body["date"]) == ("SSD", "ratification", "2012-08-01")


def test_an_edit_through_the_api_is_in_the_history_with_its_author(
    editor_client, editor, signature
):
    path = f"actions/{signature.pk}/"
    response = send(
        editor_client, "PATCH", path, {"note": "checked"}, HTTP_IF_MATCH=etag(editor_client, path)
    )
    assert response.status_code == 200
    latest = signature.history.order_by("-history_date").first()
    assert (latest.history_type, latest.history_user, latest.note) == ("~", editor, "checked")


def test_a_viewer_with_a_token_may_not_write(client, viewer, signed):
    response = send(client, "POST", "actions/", ratification(), **token_headers(viewer))
    assert response.status_code == 403


def test_basic_authentication_is_not_accepted(client, editor, signed):
    import base64

    credentials = base64.b64encode(b"spmu-editor:a-long-test-password").decode()
    response = send(
        client, "POST", "actions/", ratification(), HTTP_AUTHORIZATION=f"Basic {credentials}"
    )
    assert response.status_code == 401
    assert not TreatyAction.objects.filter(participant=signed, kind="ratification").exists()


def test_a_bad_token_is_401(client, signed):
    response = send(client, "POST", "actions/", ratification(), HTTP_AUTHORIZATION="Token nope")
    assert response.status_code == 401
    assert problems(response) == {None: "authentication_failed"}


def test_a_session_write_needs_the_csrf_token(editor, signed):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = send(client, "POST", "actions/", ratification())
    assert response.status_code == 403
    assert not TreatyAction.objects.filter(participant=signed, kind="ratification").exists()


# --- the treaty rules ------------------------------------------------------------------------


def test_a_ratification_without_signature_is_refused_naming_field_and_rule(editor_client):
    participant()
    response = send(editor_client, "POST", "actions/", ratification())
    assert response.status_code == 400
    assert problems(response) == {"kind": "consent_requires_signature"}
    assert not TreatyAction.objects.filter(participant__iso3="SSD").exists()


def test_a_protocol_consent_before_the_convention_is_refused(editor_client, signed):
    signature = ratification(instrument="tip", kind="signature", date="2001-01-10")
    send(editor_client, "POST", "actions/", signature)
    response = send(editor_client, "POST", "actions/", ratification(instrument="tip"))
    assert response.status_code == 400
    body = response.json()
    assert problems(response) == {"instrument": "protocol_requires_convention"}
    assert "art. 37(2)" in body["errors"][0]["message"]


def test_deleting_the_consent_a_protocol_stands_on_is_refused(editor_client, signed):
    convention = send(editor_client, "POST", "actions/", ratification()).json()
    send(editor_client, "POST", "actions/", ratification(instrument="tip", kind="accession"))
    path = f"actions/{convention['id']}/"
    response = send(editor_client, "DELETE", path, HTTP_IF_MATCH=etag(editor_client, path))
    assert response.status_code == 400
    assert problems(response) == {"instrument": "protocol_requires_convention"}
    assert TreatyAction.objects.filter(pk=convention["id"]).exists()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (ratification(state="ZZZ"), {"state": "does_not_exist"}),
        (ratification(state="Germany"), {"state": "invalid"}),
        (ratification(instrument="xyz"), {"instrument": "does_not_exist"}),
        (ratification(kind="ratificaton"), {"kind": "invalid_choice"}),
        (ratification(date="2012-13-45"), {"date": "invalid"}),
        (ratification(date="2999-01-01"), {"date": "date_in_future"}),
        (
            ratification(date="1999-01-01"),
            {"date": "date_before_adoption"},  # and: a signature precedes consent
        ),
        (ratification(source=""), {"source": "blank"}),
        (
            {"state": "SSD"},
            {
                "instrument": "required",
                "kind": "required",
                "date": "required",
                "source": "required",
            },
        ),
        (
            ratification(effective_date="2012-07-01"),
            {"effective_date": "effective_date_only_for_succession"},
        ),
        (ratification(note="\x00"), {"note": "null_characters_not_allowed"}),
        (["not", "an", "object"], {None: "invalid"}),
    ],
)
def test_a_bad_action_is_refused_in_the_one_error_shape(editor_client, signed, body, expected):
    response = send(editor_client, "POST", "actions/", body)
    assert response.status_code == 400, response.content
    problems(response)
    found = {(e["field"], e["rule"]) for e in response.json()["errors"]}
    assert set(expected.items()) <= found
    assert {field for field, _ in found} == set(expected)
    assert not TreatyAction.objects.filter(participant=signed, kind="ratification").exists()


def test_a_body_that_is_not_json_is_refused(editor_client, signed):
    response = editor_client.post(API + "actions/", "kind=ratification", content_type="text/plain")
    assert response.status_code == 415
    assert problems(response) == {None: "unsupported_media_type"}
    broken = editor_client.post(API + "actions/", "{", content_type="application/json")
    assert broken.status_code == 400
    assert problems(broken) == {None: "parse_error"}


def test_an_action_cannot_move_to_another_participant(editor_client, signature):
    path = f"actions/{signature.pk}/"
    response = send(
        editor_client, "PATCH", path, {"state": "DEU"}, HTTP_IF_MATCH=etag(editor_client, path)
    )
    assert response.status_code == 400
    assert problems(response) == {"state": "fixed"}


def test_a_declaration_is_recorded_once(editor_client, declaration):
    twin = new_declaration(kind="notification", article="18(13)", date="2012-08-01")
    response = send(editor_client, "POST", "declarations/", twin)
    assert response.status_code == 400
    assert problems(response) == {"article": "declaration_recorded_once"}


def test_a_declaration_without_a_date_is_recorded_with_none(editor_client, signed):
    response = send(editor_client, "POST", "declarations/", new_declaration(date=None))
    assert response.status_code == 201, response.content
    assert response.json()["date"] is None


def test_a_patch_that_changes_nothing_saves_nothing(editor_client, signature):
    path = f"actions/{signature.pk}/"
    tag = etag(editor_client, path)
    response = send(editor_client, "PATCH", path, {}, HTTP_IF_MATCH=tag)
    assert response.status_code == 200
    assert response["ETag"] == tag
    assert signature.history.count() == 1


def test_a_put_replaces_every_field(editor_client, signature):
    path = f"actions/{signature.pk}/"
    send(editor_client, "PATCH", path, {"note": "a note"}, HTTP_IF_MATCH=etag(editor_client, path))
    body = ratification(kind="signature", date="2001-01-10")
    response = send(editor_client, "PUT", path, body, HTTP_IF_MATCH=etag(editor_client, path))
    assert response.status_code == 200
    assert response.json()["note"] == ""
    assert response.json()["version"] == 3


# --- no lost update --------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_an_edit_without_if_match_is_428_and_changes_nothing(editor_client, signature, method):
    body = None if method == "DELETE" else ratification(kind="signature", note="x")
    response = send(editor_client, method, f"actions/{signature.pk}/", body)
    assert response.status_code == 428
    assert problems(response) == {"If-Match": "if_match_required"}
    signature.refresh_from_db()
    assert (signature.version, signature.note) == (1, "")


def test_if_match_star_is_not_enough(editor_client, signature):
    response = send(
        editor_client, "PATCH", f"actions/{signature.pk}/", {"note": "x"}, HTTP_IF_MATCH="*"
    )
    assert response.status_code == 428


@pytest.mark.parametrize("kind", ["actions", "declarations"])
def test_a_stale_if_match_is_412_and_the_other_edit_survives(
    editor_client, signature, declaration, kind
):
    record = signature if kind == "actions" else declaration
    path = f"{kind}/{record.pk}/"
    field = "note" if kind == "actions" else "summary"
    seen = etag(editor_client, path)
    first = send(editor_client, "PATCH", path, {field: "first editor"}, HTTP_IF_MATCH=seen)
    assert first.status_code == 200
    assert first["ETag"] != seen
    second = send(editor_client, "PATCH", path, {field: "second editor"}, HTTP_IF_MATCH=seen)
    assert second.status_code == 412
    assert problems(second) == {"If-Match": "stale_version"}
    assert second["ETag"] == first["ETag"]
    record.refresh_from_db()
    assert getattr(record, field) == "first editor"
    gone = send(editor_client, "DELETE", path, HTTP_IF_MATCH=seen)
    assert gone.status_code == 412
    assert type(record).objects.filter(pk=record.pk).exists()


def test_the_weak_etag_of_a_gzipped_answer_satisfies_if_match(editor_client, signature):
    """A client that accepted gzip holds GZipMiddleware's weak ETag: it names the same
    version, so it can edit with it."""
    # A body long enough that gzip shrinks it (GZipMiddleware leaves an answer alone when
    # compressing would not make it smaller, as it may not for a short record).
    signature = services.action_update(
        action=signature, expected_version=signature.version, note="Long enough to gzip. " * 20
    )
    path = f"actions/{signature.pk}/"
    gzipped = editor_client.get(API + path, HTTP_ACCEPT_ENCODING="gzip")
    assert gzipped["Content-Encoding"] == "gzip"
    weak = gzipped["ETag"]
    assert weak.startswith('W/"')
    response = send(editor_client, "PATCH", path, {"note": "x"}, HTTP_IF_MATCH=weak)
    assert response.status_code == 200
    signature.refresh_from_db()
    assert (signature.note, signature.version) == ("x", 3)


def test_a_stale_weak_etag_is_412(editor_client, signature):
    path = f"actions/{signature.pk}/"
    weak = "W/" + etag(editor_client, path)
    assert send(editor_client, "PATCH", path, {"note": "x"}, HTTP_IF_MATCH=weak).status_code == 200
    response = send(editor_client, "PATCH", path, {"note": "y"}, HTTP_IF_MATCH=weak)
    assert response.status_code == 412
    assert problems(response) == {"If-Match": "stale_version"}


def test_a_change_saved_between_the_check_and_the_write_is_412(
    editor_client, signature, monkeypatch
):
    """The service's own version check closes the window after the If-Match check."""
    from core.rest import views

    def checked_then_overtaken(request, instance):
        services.action_update(action=instance, expected_version=instance.version, note="other")
        return instance.version

    monkeypatch.setattr(views, "expected_version", checked_then_overtaken)
    response = send(editor_client, "PATCH", f"actions/{signature.pk}/", {"note": "mine"})
    assert response.status_code == 412
    assert problems(response) == {"If-Match": "stale_version"}
    signature.refresh_from_db()
    assert signature.note == "other"


def test_an_edit_on_a_missing_record_is_404(editor_client):
    response = send(
        editor_client, "PATCH", "actions/999999999/", {"note": "x"}, HTTP_IF_MATCH='"x"'
    )
    assert response.status_code == 404


# --- conditional GET -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "status/?as_of=2007-06-30",
        "status/?format=csv",
        "states/",
        "states/DEU/",
        "instruments/",
        "instruments/untoc/",
        "actions/?state=DEU",
        "declarations/",
    ],
)
def test_a_current_copy_is_answered_304_until_the_data_change(client, editor, path, signed):
    first = client.get(API + path)
    assert first.status_code == 200
    tag = first["ETag"]
    again = client.get(API + path, HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304
    assert again.content == b""
    assert client.get(API + path, HTTP_IF_NONE_MATCH=f"W/{tag}").status_code == 304
    services.action_record(
        participant=signed,
        instrument=Instrument.objects.get(code="untoc"),
        kind="ratification",
        date=date(2012, 8, 1),
        source="test",
        actor=editor,
    )
    changed = client.get(API + path, HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200
    assert changed["ETag"] != tag


def test_the_etag_differs_by_filter_and_format(client):
    tags = {
        client.get(API + path)["ETag"]
        for path in (
            "status/?as_of=2007-06-30",
            "status/?as_of=2006-01-01",
            "status/?as_of=2007-06-30&format=csv",
        )
    }
    assert len(tags) == 3


def test_an_answer_for_today_changes_at_midnight(client):
    import time_machine

    with time_machine.travel(date(2010, 3, 1)):
        tag = client.get(API + "status/?state=DEU")["ETag"]
        assert client.get(API + "status/?state=DEU", HTTP_IF_NONE_MATCH=tag).status_code == 304
    with time_machine.travel(date(2010, 3, 2)):
        assert client.get(API + "status/?state=DEU", HTTP_IF_NONE_MATCH=tag).status_code == 200


def test_a_record_detail_is_304_until_it_changes(editor_client, signature):
    path = f"actions/{signature.pk}/"
    tag = etag(editor_client, path)
    assert editor_client.get(API + path, HTTP_IF_NONE_MATCH=tag).status_code == 304
    send(editor_client, "PATCH", path, {"note": "x"}, HTTP_IF_MATCH=tag)
    assert editor_client.get(API + path, HTTP_IF_NONE_MATCH=tag).status_code == 200
