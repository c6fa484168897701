"""The data-loss and server-error findings of the second hardening round, each reproduced as
it was found: a save or deletion that overwrote or removed someone else's change, and a
request that was answered with a server error. Each passes once its fix is in."""

import json
import threading
import time
from datetime import date

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from core.admin import VersionedDeleteMixin
from instruments import services
from instruments.models import Declaration
from reports.models import ComplianceFlag, Submission
from states import services as state_services
from states.models import Participant, ParticipantAlias
from tests.apiclient import API, token_headers
from tests.factories import participant
from tests.instruments.test_admin import participant_page_data
from tests.test_concurrent_edits import RECORDS, change_url, run_together

pytestmark = pytest.mark.usefixtures("real_data")


# --- 7. Aliases are versioned, and one spelling names one participant ------------------------


def alias_page_data(who, aliases: list[dict]) -> dict:
    """The participant page as sent, with these alias rows (existing ones carry an id)."""
    data = participant_page_data(who, [], [])
    data["aliases-TOTAL_FORMS"] = str(len(aliases))
    data["aliases-INITIAL_FORMS"] = str(sum(1 for row in aliases if "id" in row))
    for index, row in enumerate(aliases):
        for key, value in row.items():
            data[f"aliases-{index}-{key}"] = value
    return data


def page_of(who) -> str:
    return change_url("states_participant", who)


def alias_row(alias) -> dict:
    return {
        "id": alias.pk,
        "participant": alias.participant_id,
        "version": alias.version,
        "name": alias.name,
        "source": alias.source,
    }


def test_saving_a_participant_page_opened_earlier_keeps_a_colleague_s_alias_change(
    editor_client,
):
    who = participant()
    alias = state_services.alias_record(participant=who, name="Southern Sudan", source="first")
    seen = alias_row(alias)  # the page as the editor opened it
    state_services.alias_update(
        alias=alias, expected_version=alias.version, source="a colleague's source"
    )
    data = alias_page_data(who, [seen]) | {"short_name": "S. Sudan"}
    response = editor_client.post(page_of(who), data)
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    alias.refresh_from_db()
    who.refresh_from_db()
    assert (alias.source, alias.version) == ("a colleague's source", 2)
    assert who.short_name == "South Sudan"


def test_an_alias_edit_on_the_participant_page_counts_a_version_and_keeps_history(
    editor_client, editor
):
    who = participant()
    alias = state_services.alias_record(participant=who, name="Southern Sudan", source="first")
    row = alias_row(alias) | {"name": "Sudan (South)", "source": "second"}
    response = editor_client.post(page_of(who), alias_page_data(who, [row]))
    assert response.status_code == 302, response.content.decode()[:2000]
    alias.refresh_from_db()
    assert (alias.name, alias.source, alias.version) == ("Sudan (South)", "second", 2)
    assert alias.history.first().history_user == editor
    # Deleting it with the version seen is taken; with an older version, refused.
    stale = alias_row(alias) | {"version": 1, "DELETE": "on"}
    response = editor_client.post(page_of(who), alias_page_data(who, [stale]))
    assert response.status_code == 200
    assert ParticipantAlias.objects.filter(pk=alias.pk).exists()
    current = alias_row(alias) | {"DELETE": "on"}
    response = editor_client.post(page_of(who), alias_page_data(who, [current]))
    assert response.status_code == 302
    assert not ParticipantAlias.objects.filter(pk=alias.pk).exists()


@pytest.mark.parametrize("spelling", ["Swaziland", "SWAZILAND", "swaziland"])
def test_an_alias_of_one_participant_added_to_another_is_refused_not_moved(editor_client, spelling):
    swaziland = ParticipantAlias.objects.get(name="Swaziland")
    who = participant()
    new = {"participant": who.pk, "name": spelling, "source": "typed"}
    response = editor_client.post(page_of(who), alias_page_data(who, [new]))
    assert response.status_code == 200
    assert "already a former or other name of" in response.content.decode()
    swaziland.refresh_from_db()
    assert swaziland.participant.iso3 == "SWZ"
    assert not who.aliases.exists()


def test_the_database_refuses_a_second_participant_for_one_spelling():
    who = participant()
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantAlias.objects.create(participant=who, name="swaziLAND", source="raw")


def test_the_service_refuses_a_spelling_taken_in_the_meantime(monkeypatch):
    """The check passed (the colleague had not saved yet); the database's constraint refuses
    the insert, and the service says so as it says the check's refusal."""
    who = participant()
    monkeypatch.setattr(state_services, "_alias_name_problem", lambda *args: None)
    with pytest.raises(ValidationError) as refused:
        state_services.alias_record(participant=who, name="Swaziland", source="typed")
    assert refused.value.error_dict["name"][0].code == "alias_taken"
    assert not who.aliases.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("real_data")
def test_two_editors_adding_one_alias_to_two_participants_at_once(editor, monkeypatch):
    """Both add "Republic of South Sudan", each to another participant, in the same moment:
    one is saved, the other told, never moved and never an error page, round after round.

    On PostgreSQL both pass every check before either writes (they wait for each other
    there), so the refusal comes from the unique constraint at insert; SQLite runs one
    writer's transaction after the other's, so the second one's own check refuses it."""
    first = participant()
    second = participant("ATA", "Antarctica")  # test fixtures, not facts
    if connection.vendor == "postgresql":
        checked = threading.Barrier(2, timeout=30)
        original = state_services._alias_name_problem

        def check_then_wait_for_the_other(*args):
            problem = original(*args)
            checked.wait()
            return problem

        monkeypatch.setattr(state_services, "_alias_name_problem", check_then_wait_for_the_other)

    def add(who, name):
        client = Client()
        client.force_login(editor)
        row = {"participant": who.pk, "name": name, "source": "typed"}
        return client.post(change_url("states_participant", who), alias_page_data(who, [row]))

    for round_ in range(4):
        name = f"Republic of South Sudan {round_}"
        answers = run_together(
            lambda name=name: add(first, name), lambda name=name: add(second, name)
        )
        assert sorted(r.status_code for r in answers) == [200, 302]
        refused = next(r for r in answers if r.status_code == 200).content.decode()
        if connection.vendor == "postgresql":  # refused by the constraint, at insert
            assert "Nothing was saved" in refused
            assert "a moment ago" in refused
        else:
            assert "already a former or other name of" in refused
        owners = ParticipantAlias.objects.filter(name=name).values_list("participant", flat=True)
        assert len(owners) == 1
        assert ParticipantAlias.history.filter(name=name).count() == 1  # created once, not moved


# --- 12. An editor's save racing the worker's re-check: no deadlock, no server error ---------


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("real_data", "records_checked")
def test_an_editor_s_saves_racing_the_worker_s_rechecks_never_deadlock(editor):
    """For some seconds an editor records, corrects and deletes Germany's submission through
    the API while the worker re-checks Germany's flags, over and over. Before the fix, the
    deletion (which clears the flag's link to the submission) and the re-check (which writes
    that link) each held a row the other needed: PostgreSQL ended one of them (a 500 for the
    editor, a failed task for the worker), or the re-check linked a flag to a submission
    deleted after it read it."""
    from reports import sweep

    sweep.compliance_sweep(as_of=date(2010, 1, 1))
    germany = Participant.objects.get(iso3="DEU")
    headers = token_headers(editor)
    stop = time.monotonic() + 8
    body = {
        "state": "DEU",
        "obligation": "untoc-cop-2007",
        "received_on": "2009-05-01",
        "reference": "CTOC/COP/2008/CRP.1",
    }

    def editor_saves() -> list[int]:
        client = Client(**headers)
        answers = []
        while time.monotonic() < stop:
            created = client.post(f"{API}submissions/", body, content_type="application/json")
            answers.append(created.status_code)
            if created.status_code != 201:
                break
            path = f"{API}submissions/{created.json()['id']}/"
            tag = client.get(path)["ETag"]
            changed = client.patch(
                path, {"note": "checked"}, content_type="application/json", HTTP_IF_MATCH=tag
            )
            answers.append(changed.status_code)
            deleted = client.delete(path, HTTP_IF_MATCH=changed["ETag"])
            answers.append(deleted.status_code)
        return answers

    def worker_rechecks() -> int:
        count = 0
        while time.monotonic() < stop:
            sweep.compliance_recheck(participant_ids=[germany.pk])
            count += 1
        return count

    answers, rechecks = run_together(editor_saves, worker_rechecks)
    assert set(answers) <= {200, 201, 204}, sorted(set(answers))
    assert len(answers) >= 30
    assert rechecks >= 10
    flag = ComplianceFlag.objects.get(participant=germany, obligation__code="untoc-cop-2007")
    assert flag.submission_id is None or Submission.objects.filter(pk=flag.submission_id).exists()


# --- 8. "Delete selected" refuses rows changed after its confirmation was shown ------------


def _delete_selected_confirmation(client, rows) -> dict:
    """Ask to delete `rows`; return the confirmation form's fields as the page sends them."""
    url = reverse("admin:instruments_declaration_changelist")
    chosen = [row.pk for row in rows]
    page = client.post(url, {"action": "delete_selected", "_selected_action": chosen})
    assert page.status_code == 200
    text = page.content.decode()
    data = {"action": "delete_selected", "_selected_action": chosen, "post": "yes"}
    for row in rows:
        marker = f'name="version-{row.pk}" value="'
        assert marker in text, "the confirmation shows each row's version"
        data[f"version-{row.pk}"] = text.split(marker, 1)[1].split('"', 1)[0]
    return data


def test_delete_selected_refuses_a_declaration_changed_after_the_confirmation(editor_client):
    rows = list(Declaration.objects.filter(participant__iso3="DEU").order_by("pk")[:2])
    confirmed = _delete_selected_confirmation(editor_client, rows)
    services.declaration_update(declaration=rows[0], summary="a colleague's correction")
    url = reverse("admin:instruments_declaration_changelist")
    response = editor_client.post(url, confirmed, follow=True)
    assert "Nothing was deleted" in response.content.decode()
    assert Declaration.objects.filter(pk__in=[r.pk for r in rows]).count() == 2
    assert Declaration.objects.get(pk=rows[0].pk).summary == "a colleague's correction"


def test_delete_selected_without_the_versions_deletes_nothing(editor_client):
    rows = list(Declaration.objects.filter(participant__iso3="DEU").order_by("pk")[:2])
    url = reverse("admin:instruments_declaration_changelist")
    data = {"action": "delete_selected", "_selected_action": [r.pk for r in rows], "post": "yes"}
    response = editor_client.post(url, data, follow=True)
    assert "did not say which version" in response.content.decode()
    assert Declaration.objects.filter(pk__in=[r.pk for r in rows]).count() == 2


def test_delete_selected_of_unchanged_rows_deletes_them(editor_client):
    rows = list(Declaration.objects.filter(participant__iso3="DEU").order_by("pk")[:2])
    confirmed = _delete_selected_confirmation(editor_client, rows)
    url = reverse("admin:instruments_declaration_changelist")
    editor_client.post(url, confirmed, follow=True)
    assert not Declaration.objects.filter(pk__in=[r.pk for r in rows]).exists()


def test_every_versioned_admin_that_deletes_selected_rows_sends_their_versions(rf, editor):
    request = rf.get("/admin/")
    request.user = editor
    for model, model_admin in admin.site._registry.items():
        if "version" not in {f.name for f in model._meta.fields}:
            continue
        if "delete_selected" in model_admin.get_actions(request):
            assert isinstance(model_admin, VersionedDeleteMixin), model
            # The confirmation sends the versions; delete_queryset reads them.
            template = model_admin.delete_selected_confirmation_template
            assert template == "admin/versioned_delete_selected_confirmation.html", model


# --- 9. A save without the version it was made on is refused --------------------------------


@pytest.mark.parametrize("kind", RECORDS)
def test_a_save_without_the_hidden_version_is_refused(editor_client, signed, kind):
    make, admin_name = RECORDS[kind]
    record, form, colleague, (field, theirs) = make(signed)
    colleague()
    data = form(record.version)
    del data["version"]
    response = editor_client.post(change_url(admin_name, record), data)
    assert response.status_code == 200
    assert "did not say which version of this record you opened" in response.content.decode()
    record.refresh_from_db()
    assert getattr(record, field) == theirs


# --- 13. The history of an id that is no id is a 404 ----------------------------------------


@pytest.mark.parametrize("object_id", ["abc", "1.5", "-", "%00"])
def test_the_history_of_a_non_numeric_id_is_a_404_for_every_model_admin(admin_client, object_id):
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        base = f"/admin/{meta.app_label}/{meta.model_name}/{object_id}/history/"
        if not isinstance(model_admin, SimpleHistoryAdmin):
            # Django's own history page answers a missing record as its change page does.
            assert admin_client.get(base).status_code == 302, base
            continue
        assert admin_client.get(base).status_code == 404, base
        assert admin_client.get(f"{base}1/").status_code == 404, base


def test_the_history_of_a_record_still_shows(admin_client):
    action = Declaration.objects.first()
    url = reverse("admin:instruments_declaration_history", args=[action.pk])
    assert admin_client.get(url).status_code == 200


# --- 11, 14, 15. Bodies the API cannot take are a 400 in the error shape ----------------------

# Every operation that reads a body, with a record to address where it needs one.
WRITES = [
    ("post", "auth/token/", None),
    ("post", "actions/", None),
    ("put", "actions/{id}/", "action"),
    ("patch", "actions/{id}/", "action"),
    ("post", "declarations/", None),
    ("put", "declarations/{id}/", "declaration"),
    ("patch", "declarations/{id}/", "declaration"),
    ("post", "submissions/", None),
    ("put", "submissions/{id}/", "submission"),
    ("patch", "submissions/{id}/", "submission"),
]


def test_every_write_operation_of_the_schema_is_in_the_list():
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    schema = SchemaGenerator().get_schema(request=None, public=True)
    document = json.loads(OpenApiJsonRenderer().render(schema))
    with_body = {
        (method, path.removeprefix(API))
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    }
    assert with_body == {(method, path) for method, path, _ in WRITES}


def _record(kind: str):
    if kind == "action":
        return Declaration.objects.first().participant.actions.first()
    if kind == "declaration":
        return Declaration.objects.first()
    from reports.services import submission_record
    from tests.reports.conftest import obligation, state

    return Submission.objects.first() or submission_record(
        participant=state("DEU"),
        obligation=obligation("untoc-18-14"),
        received_on=date(2009, 5, 1),
        reference="C.N.55.2009",
    )


def send_body(client, editor, method: str, path: str, kind: str | None, body: bytes | str):
    """Send `body` as JSON to one write operation, as an editor, with the current ETag where
    the operation needs one (so that the body is what is judged)."""
    headers = token_headers(editor)
    if kind is not None:
        path = path.format(id=_record(kind).pk)
        headers["HTTP_IF_MATCH"] = client.get(API + path, **headers)["ETag"]
    send = getattr(client, method)
    return send(API + path, body, content_type="application/json", **headers)


def assert_refused(response, rule: str, field: str | None = None) -> None:
    assert response.status_code == 400, response.content[:500]
    assert response["Content-Type"] == "application/json"
    problems = response.json()["errors"]
    assert [(p["field"], p["rule"]) for p in problems] == [(field, rule)], problems


@pytest.mark.parametrize(("method", "path", "kind"), WRITES)
def test_deeply_nested_json_to_any_write_is_a_400_not_a_recursion_error(
    client, editor, method, path, kind
):
    for body in ["[" * 100_000, "[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1"]:
        response = send_body(client, editor, method, path, kind, body)
        assert_refused(response, "nesting_too_deep")


@pytest.mark.parametrize(("method", "path", "kind"), WRITES)
def test_a_body_larger_than_the_upload_limit_is_a_400(client, editor, settings, method, path, kind):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"note": "x" * 2000})
    assert_refused(send_body(client, editor, method, path, kind, body), "body_too_large")


@pytest.mark.parametrize(("method", "path", "kind"), WRITES)
def test_a_key_given_twice_is_a_400_naming_it(client, editor, method, path, kind):
    body = '{"note": "one", "note": "two", "username": "a", "password": "b"}'
    response = send_body(client, editor, method, path, kind, body)
    assert_refused(response, "duplicate_key", "note")


def test_nesting_and_brackets_inside_strings_are_still_taken(client, editor):
    body = json.dumps({"username": "[[[[" * 30, "password": "{{{{" * 100})
    response = send_body(client, editor, "post", "auth/token/", None, body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["rule"] == "invalid_credentials"


@pytest.mark.parametrize(("method", "path", "kind"), WRITES)
def test_a_lone_surrogate_in_a_body_is_a_400_naming_the_field(client, editor, method, path, kind):
    body = '{"kind": "\\ud800", "username": "a", "password": "b"}'
    response = send_body(client, editor, method, path, kind, body)
    assert_refused(response, "lone_surrogate", "kind")


@pytest.mark.parametrize(
    "path",
    [f"{API}actions/", f"{API}declarations/", f"{API}flags/", "/feeds/actions/", "/status/"],
)
def test_a_lone_surrogate_in_a_query_parameter_is_never_a_server_error(client, path):
    for name in ["kind", "instrument", "as_of", "format"]:
        response = client.get(path, QUERY_STRING=f"{name}=%ED%A0%80")
        assert response.status_code in (200, 400), (path, name)
        if response.status_code == 400 and path.startswith(API):
            assert response.json()["errors"][0]["field"] == name


# --- 15. Every error under /api/ is JSON; a method not allowed is a 405 ---------------------


@pytest.mark.parametrize("fmt", ["", "json", "csv", "xlsx", "api", "bogus"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["states/", "states/DEU/", "flags/", "instruments/untoc/"])
def test_a_method_the_resource_does_not_allow_is_a_405_whatever_the_format(
    client, editor, path, method, fmt
):
    query = f"?format={fmt}" if fmt else ""
    response = getattr(client, method)(f"{API}{path}{query}", **token_headers(editor))
    assert response.status_code == 405, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["rule"] == "method_not_allowed"


@pytest.mark.parametrize("fmt", ["", "json", "bogus"])
@pytest.mark.parametrize("method", ["post", "put", "delete"])
@pytest.mark.parametrize("path", ["/api/docs/", "/api/schema/"])
def test_the_schema_and_the_docs_refuse_a_method_in_json(client, path, method, fmt):
    query = f"?format={fmt}" if fmt else ""
    response = getattr(client, method)(f"{path}{query}")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["rule"] == "method_not_allowed"


def test_a_request_django_refuses_before_the_api_is_answered_in_json(client):
    response = client.get(f"{API}states/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["rule"] == "bad_request"
    page = client.get("/status/", HTTP_HOST="attacker.example")
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", ["nothing/", "v1/nothing/", "v1/states/XXX/", "v2/states/"])
def test_an_unknown_api_path_is_a_json_404(client, path):
    response = client.get(f"/api/{path}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_error_asked_for_as_a_download_is_json(client, fmt):
    response = client.get(f"{API}states/XXX/?format={fmt}")
    assert response.status_code in (400, 404)
    assert response["Content-Type"] == "application/json"
    response = client.get(f"{API}actions/?format={fmt}&kind=nonsense")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


def test_a_server_failure_under_the_api_is_json_without_details(client, monkeypatch):
    from instruments.api import views

    def fail(*args, **kwargs):
        raise RuntimeError("a secret detail")

    monkeypatch.setattr(views.StateViewSet, "list", fail)
    client.raise_request_exception = False
    response = client.get(f"{API}states/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "secret" not in response.content.decode()
