"""Recording submissions through the API: who may, the rules, no lost update, and the flag
that a submission answers being resolved once the re-check has run.

Submissions recorded here are test fixtures, not facts.
"""

from datetime import date

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client

from reports import services, sweep
from reports.models import ComplianceFlag, Submission
from reports.tasks import participant_compliance_recheck
from tests.apiclient import etag, get_json, problems, send, token_headers
from tests.reports.conftest import obligation, state

pytestmark = pytest.mark.usefixtures("real_data")


@pytest.fixture
def admin(db):
    return get_user_model().objects.create_superuser("administrator", password="a-long-password")


@pytest.fixture
def submission():
    """Germany's languages for mutual legal assistance (UNTOC art. 18(14)), as a fixture."""
    return services.submission_record(
        participant=state("DEU"),
        obligation=obligation("untoc-18-14"),
        received_on=date(2009, 5, 4),
        reference="C.N.100.2009.TREATIES-1",
    )


def new_submission(**overrides):
    return {
        "state": "DEU",
        "obligation": "untoc-cop-2007",
        "received_on": "2009-05-01",
        "reference": "CTOC/COP/2008/CRP.1",
        "note": "questionnaire response",
    } | overrides


# --- who may write ---------------------------------------------------------------------------

ROLES = ["anonymous", "viewer", "editor", "admin"]
REFUSED = {"anonymous": 401, "viewer": 403}


@pytest.fixture
def as_role(client, viewer, editor, admin):
    def login(role: str):
        if role != "anonymous":
            client.force_login({"viewer": viewer, "editor": editor, "admin": admin}[role])
        return client

    return login


def write_requests(submission):
    """Each write submissions/ offers, as (method, path, body, success status)."""
    path = f"submissions/{submission.pk}/"
    return [
        ("POST", "submissions/", new_submission(), 201),
        ("PUT", path, new_submission(obligation="untoc-18-14", received_on="2009-05-05"), 200),
        ("PATCH", path, {"note": "checked"}, 200),
        ("DELETE", path, None, 204),
    ]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("index", range(4), ids=["POST", "PUT", "PATCH", "DELETE"])
def test_the_permission_matrix_on_every_write(as_role, submission, role, index):
    client = as_role(role)
    method, path, body, success = write_requests(submission)[index]
    headers = {} if method == "POST" else {"HTTP_IF_MATCH": etag(client, path)}
    before = list(Submission.objects.values_list("pk", "version", "note"))
    response = send(client, method, path, body, **headers)
    expected = REFUSED.get(role, success)
    assert response.status_code == expected, response.content
    if expected in (401, 403):
        assert problems(response) == {
            None: "not_authenticated" if expected == 401 else "permission_denied"
        }
        if expected == 401:
            assert response["WWW-Authenticate"] == "Token"
        assert list(Submission.objects.values_list("pk", "version", "note")) == before
    elif method != "DELETE":
        saved = response.json()
        assert response["ETag"] == f'"submission-{saved["id"]}-v{saved["version"]}"'


def test_an_editor_records_a_submission_with_a_token_and_history_names_them(client, editor):
    response = send(client, "POST", "submissions/", new_submission(), **token_headers(editor))
    assert response.status_code == 201, response.content
    body = response.json()
    recorded = Submission.objects.get(pk=body["id"])
    assert (recorded.participant.iso3, recorded.obligation.code, recorded.received_on) == (
        "DEU",
        "untoc-cop-2007",
        date(2009, 5, 1),
    )
    assert recorded.history.get().history_user == editor
    assert response["Location"].endswith(f"/api/v1/submissions/{recorded.pk}/")
    assert response["ETag"] == f'"submission-{recorded.pk}-v1"'
    assert (body["state"], body["obligation_reference"], body["version"]) == (
        "DEU",
        "UNTOC COP deadline",
        1,
    )


def test_edits_and_removal_are_in_the_history_with_their_author(editor_client, editor, submission):
    path = f"submissions/{submission.pk}/"
    changed = send(
        editor_client, "PATCH", path, {"note": "checked"}, HTTP_IF_MATCH=etag(editor_client, path)
    )
    assert changed.status_code == 200
    assert (changed.json()["note"], changed.json()["version"]) == ("checked", 2)
    latest = submission.history.order_by("-history_date").first()
    assert (latest.history_type, latest.history_user, latest.note) == ("~", editor, "checked")
    gone = send(editor_client, "DELETE", path, HTTP_IF_MATCH=changed["ETag"])
    assert gone.status_code == 204
    assert not Submission.objects.filter(pk=submission.pk).exists()
    last = Submission.history.filter(id=submission.pk).order_by("-history_date").first()
    assert (last.history_type, last.history_user) == ("-", editor)


def test_the_history_resource_shows_submissions_with_their_obligation(
    viewer_client, editor_client, editor
):
    created = send(editor_client, "POST", "submissions/", new_submission()).json()
    path = f"submissions/{created['id']}/"
    send(editor_client, "PATCH", path, {"note": "checked"}, HTTP_IF_MATCH=etag(editor_client, path))
    rows = get_json(viewer_client, "history/", {"resource": "submissions", "state": "DEU"})[
        "results"
    ]
    assert [(r["resource"], r["type"], r["user"]) for r in rows] == [
        ("submissions", "changed", editor.username),
        ("submissions", "created", editor.username),
    ]
    assert rows[0]["changes"] == [
        {"field": "note", "old": "questionnaire response", "new": "checked"}
    ]
    assert rows[1]["values"] | {"id": None} == {
        "id": None,
        "state": "DEU",
        "obligation": "untoc-cop-2007",
        "received_on": "2009-05-01",
        "reference": "CTOC/COP/2008/CRP.1",
        "note": "questionnaire response",
        "version": 1,
        "created_at": rows[1]["values"]["created_at"],
        "updated_at": rows[1]["values"]["updated_at"],
    }
    everything = get_json(viewer_client, "history/", {"state": "DEU", "user": editor.username})
    assert {r["resource"] for r in everything["results"]} == {"submissions"}


def test_a_viewer_with_a_token_may_not_record(client, viewer):
    response = send(client, "POST", "submissions/", new_submission(), **token_headers(viewer))
    assert response.status_code == 403
    assert problems(response) == {None: "permission_denied"}
    assert not Submission.objects.exists()


def test_a_session_write_needs_the_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = send(client, "POST", "submissions/", new_submission())
    assert response.status_code == 403
    assert not Submission.objects.exists()


def test_basic_authentication_is_not_accepted(client, editor):
    import base64

    credentials = base64.b64encode(b"spmu-editor:a-long-test-password").decode()
    response = send(
        client, "POST", "submissions/", new_submission(), HTTP_AUTHORIZATION=f"Basic {credentials}"
    )
    assert response.status_code == 401
    assert not Submission.objects.exists()


# --- the rules -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (new_submission(received_on="2999-01-01"), {"received_on": "date_in_future"}),
        (new_submission(received_on="1999-01-01"), {"received_on": "date_before_adoption"}),
        (new_submission(received_on="2009-02-30"), {"received_on": "invalid"}),
        (new_submission(state="ZZZ"), {"state": "does_not_exist"}),
        (new_submission(state="Germany"), {"state": "invalid"}),
        (new_submission(obligation="untoc-99"), {"obligation": "does_not_exist"}),
        (new_submission(obligation="18(13)"), {"obligation": "invalid"}),
        (new_submission(obligation=7), {"obligation": "invalid"}),
        (new_submission(reference="x" * 121), {"reference": "max_length"}),
        (new_submission(note="\x00"), {"note": "null_characters_not_allowed"}),
        (
            {"note": "only a note"},
            {"state": "required", "obligation": "required", "received_on": "required"},
        ),
        (["not", "an", "object"], {None: "invalid"}),
    ],
)
def test_a_bad_submission_is_refused_in_the_one_error_shape(editor_client, body, expected):
    response = send(editor_client, "POST", "submissions/", body)
    assert response.status_code == 400, response.content
    assert problems(response) == expected
    assert not Submission.objects.exists()


def test_a_submission_is_recorded_once_per_participant_obligation_and_day(
    editor_client, submission
):
    twin = new_submission(obligation="untoc-18-14", received_on="2009-05-04")
    response = send(editor_client, "POST", "submissions/", twin)
    assert response.status_code == 400
    assert problems(response) == {"received_on": "submission_recorded_once"}
    assert Submission.objects.count() == 1


def test_a_submission_cannot_move_to_another_participant(editor_client, submission):
    path = f"submissions/{submission.pk}/"
    response = send(
        editor_client, "PATCH", path, {"state": "FRA"}, HTTP_IF_MATCH=etag(editor_client, path)
    )
    assert response.status_code == 400
    assert problems(response) == {"state": "fixed"}
    same = send(
        editor_client, "PATCH", path, {"state": "deu"}, HTTP_IF_MATCH=etag(editor_client, path)
    )
    assert same.status_code == 200


def test_an_edit_that_breaks_a_rule_saves_nothing(editor_client, submission):
    path = f"submissions/{submission.pk}/"
    response = send(
        editor_client,
        "PATCH",
        path,
        {"received_on": "2999-01-01", "note": "x"},
        HTTP_IF_MATCH=etag(editor_client, path),
    )
    assert response.status_code == 400
    assert problems(response) == {"received_on": "date_in_future"}
    submission.refresh_from_db()
    assert (submission.version, submission.note, submission.received_on) == (
        1,
        "",
        date(2009, 5, 4),
    )


def test_a_patch_that_changes_nothing_saves_nothing(editor_client, submission):
    path = f"submissions/{submission.pk}/"
    tag = etag(editor_client, path)
    response = send(editor_client, "PATCH", path, {}, HTTP_IF_MATCH=tag)
    assert response.status_code == 200
    assert response["ETag"] == tag
    assert submission.history.count() == 1


def test_a_put_replaces_every_field(editor_client, submission):
    path = f"submissions/{submission.pk}/"
    body = {"state": "DEU", "obligation": "untoc-18-13", "received_on": "2009-05-06"}
    response = send(editor_client, "PUT", path, body, HTTP_IF_MATCH=etag(editor_client, path))
    assert response.status_code == 200, response.content
    assert {k: response.json()[k] for k in ("obligation", "received_on", "reference")} == {
        "obligation": "untoc-18-13",
        "received_on": "2009-05-06",
        "reference": "",
    }
    partial = send(editor_client, "PUT", path, {"note": "x"}, HTTP_IF_MATCH=response["ETag"])
    assert partial.status_code == 400
    assert set(problems(partial)) == {"state", "obligation", "received_on"}


# --- no lost update --------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_an_edit_without_if_match_is_428_and_changes_nothing(editor_client, submission, method):
    body = None if method == "DELETE" else new_submission(note="x")
    response = send(editor_client, method, f"submissions/{submission.pk}/", body)
    assert response.status_code == 428
    assert problems(response) == {"If-Match": "if_match_required"}
    star = send(editor_client, method, f"submissions/{submission.pk}/", body, HTTP_IF_MATCH="*")
    assert star.status_code == 428
    submission.refresh_from_db()
    assert (submission.version, submission.note) == (1, "")


def test_a_stale_if_match_is_412_and_the_other_edit_survives(editor_client, submission):
    path = f"submissions/{submission.pk}/"
    seen = etag(editor_client, path)
    first = send(editor_client, "PATCH", path, {"note": "first editor"}, HTTP_IF_MATCH=seen)
    assert first.status_code == 200
    assert first["ETag"] != seen
    second = send(editor_client, "PATCH", path, {"note": "second editor"}, HTTP_IF_MATCH=seen)
    assert second.status_code == 412
    assert problems(second) == {"If-Match": "stale_version"}
    assert second["ETag"] == first["ETag"]
    weak = send(editor_client, "PATCH", path, {"note": "x"}, HTTP_IF_MATCH="W/" + first["ETag"])
    assert weak.status_code == 412
    gone = send(editor_client, "DELETE", path, HTTP_IF_MATCH=seen)
    assert gone.status_code == 412
    submission.refresh_from_db()
    assert (submission.note, submission.version) == ("first editor", 2)


def test_a_change_saved_between_the_check_and_the_write_is_412(
    editor_client, submission, monkeypatch
):
    """The service's own version check closes the window after the If-Match check."""
    from core.rest import views

    def checked_then_overtaken(request, instance):
        services.submission_update(
            submission=instance, expected_version=instance.version, note="other"
        )
        return instance.version

    monkeypatch.setattr(views, "expected_version", checked_then_overtaken)
    response = send(editor_client, "PATCH", f"submissions/{submission.pk}/", {"note": "mine"})
    assert response.status_code == 412
    assert problems(response) == {"If-Match": "stale_version"}
    submission.refresh_from_db()
    assert submission.note == "other"


def test_an_edit_of_a_missing_submission_is_404(editor_client):
    response = send(
        editor_client, "PATCH", "submissions/999999999/", {"note": "x"}, HTTP_IF_MATCH='"x"'
    )
    assert response.status_code == 404
    assert problems(response) == {None: "not_found"}


# --- the flag it answers ---------------------------------------------------------------------


def test_a_submission_posted_through_the_api_resolves_the_flag_once_the_re_check_runs(
    editor_client, django_capture_on_commit_callbacks
):
    flags = {"state": "DEU", "obligation": "untoc-cop-2007", "as_of": "2010-01-02"}
    with time_machine.travel(date(2010, 1, 2), tick=False):
        sweep.compliance_sweep(as_of=date(2010, 1, 1))
        (flag,) = get_json(editor_client, "flags/", flags)["results"]
        assert flag["open"] is True
        with django_capture_on_commit_callbacks() as callbacks:
            response = send(editor_client, "POST", "submissions/", new_submission())
        assert response.status_code == 201, response.content
        # Nothing runs before the commit: the flag is still open.
        assert get_json(editor_client, "flags/", flags)["results"][0]["open"] is True
        (recheck,) = callbacks
        assert recheck.args == ([state("DEU").pk],)
        summary = participant_compliance_recheck.apply(args=[recheck.args[0]])
        assert summary.get()["resolved"] == 1
        (resolved,) = get_json(editor_client, "flags/", flags)["results"]
    assert resolved["id"] == flag["id"]
    assert {k: resolved[k] for k in ("open", "resolved_on", "resolution", "received_on")} == {
        "open": False,
        "resolved_on": "2010-01-02",
        "resolution": "submission",
        "received_on": "2009-05-01",
    }
    assert resolved["submission_reference"] == "CTOC/COP/2008/CRP.1"
    assert ComplianceFlag.objects.get(pk=flag["id"]).submission_id == response.json()["id"]


def test_removing_the_submission_through_the_api_reopens_the_flag_once_re_checked(
    editor_client, django_capture_on_commit_callbacks
):
    with time_machine.travel(date(2010, 1, 3), tick=False):
        sweep.compliance_sweep(as_of=date(2010, 1, 1))
        # Each write sends its re-check after commit (here, the test's own transaction's).
        with django_capture_on_commit_callbacks() as callbacks:
            created = send(editor_client, "POST", "submissions/", new_submission()).json()
            sweep.compliance_sweep(as_of=date(2010, 1, 2))
            path = f"submissions/{created['id']}/"
            response = send(editor_client, "DELETE", path, HTTP_IF_MATCH=etag(editor_client, path))
            assert response.status_code == 204
        assert [recheck.args for recheck in callbacks] == [([state("DEU").pk],)] * 2
        for recheck in callbacks:
            participant_compliance_recheck.apply(args=[recheck.args[0]])
        (flag,) = get_json(
            editor_client,
            "flags/",
            {"state": "DEU", "obligation": "untoc-cop-2007", "as_of": "2010-01-03"},
        )["results"]
    assert (flag["open"], flag["raised_on"], flag["days_overdue"]) == (True, "2010-01-03", 918)
