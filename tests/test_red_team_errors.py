"""The server errors of the second hardening round, each reproduced as it was found: the
history of an id that is no id, bodies the API could not take (deep nesting, a key twice, a
lone surrogate, too large), and errors under /api/ that were not JSON or not a 405. Each
passes once its fix is in. (The data-loss findings are in test_red_team_data.py.)"""

import json
from datetime import date

import pytest
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from instruments.models import Declaration
from reports.models import Submission
from tests.apiclient import API, token_headers

pytestmark = pytest.mark.usefixtures("real_data")

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
    ("post", "webhooks/", None),
    ("put", "webhooks/{id}/", "webhook"),
    ("patch", "webhooks/{id}/", "webhook"),
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


def _record(kind: str, editor):
    if kind == "webhook":  # the editor's own endpoint
        from alerts.models import WebhookEndpoint

        return WebhookEndpoint.objects.get_or_create(
            owner=editor, url="https://example.org/hook", defaults={"secret": "s" * 64}
        )[0]
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
        path = path.format(id=_record(kind, editor).pk)
        etag = client.get(API + path, **headers).get("ETag")
        if etag:
            headers["HTTP_IF_MATCH"] = etag
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
