"""The API's shared machinery: its schema and docs, throttling, and the one error shape."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings

from tests.apiclient import API, problems, token_headers
from tests.test_project import settings_in

ROOT = Path(__file__).resolve().parent.parent


# --- schema and docs -------------------------------------------------------------------------


def test_the_schema_builds_without_a_warning_and_validates(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    resources = ("states", "instruments", "status", "actions", "declarations", "history")
    for resource in (*resources, "obligations", "submissions", "flags"):
        assert f"/api/v1/{resource}/" in paths


@pytest.mark.django_db
def test_the_schema_is_served_and_documents_the_status_contract(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    status = schema["paths"]["/api/v1/status/"]["get"]
    names = {p["name"] for p in status["parameters"]}
    assert {"as_of", "osce_role", "instrument", "state", "ordering", "format", "page"} <= names
    entry = schema["components"]["schemas"]["StatusEntry"]
    assert {"state", "instrument", "status", "in_force", "consent_kind"} <= set(entry["required"])
    assert set(status["responses"]["200"]["content"]) == {
        "application/json",
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    for record in ("actions", "submissions"):
        put = schema["paths"][f"/api/v1/{record}/{{id}}/"]["put"]
        assert {"412", "428"} <= set(put["responses"])
        assert any(p["name"] == "If-Match" and p["required"] for p in put["parameters"])


@pytest.mark.django_db
def test_the_schema_documents_the_compliance_resources(client):
    schema = client.get("/api/schema/?format=json").json()
    flags = schema["paths"]["/api/v1/flags/"]["get"]
    names = {p["name"] for p in flags["parameters"]}
    assert {"as_of", "state", "obligation", "instrument", "status", "bucket", "format"} <= names
    assert "text/csv" in flags["responses"]["200"]["content"]
    components = schema["components"]["schemas"]
    (finding,) = components["Flag"]["properties"]["finding"]["allOf"]
    assert components[finding["$ref"].rsplit("/", 1)[1]]["enum"] == ["no submission on record"]
    assert set(schema["paths"]["/api/v1/submissions/{id}/"]) == {"get", "put", "patch", "delete"}
    assert set(schema["paths"]["/api/v1/obligations/{code}/"]) == {"get"}
    assert set(schema["paths"]["/api/v1/flags/{id}/"]) == {"get"}
    history = schema["paths"]["/api/v1/history/"]["get"]
    (resource,) = [p for p in history["parameters"] if p["name"] == "resource"]
    assert "submissions" in resource["schema"]["items"]["enum"]


@pytest.mark.django_db
def test_the_docs_are_served_from_local_static_files(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources
    assert all(not s.startswith(("http:", "https:", "//")) for s in sources), sources
    bundle = next(s for s in sources if s.endswith("swagger-ui-bundle.js"))
    assert bundle.startswith(settings.STATIC_URL) or bundle.startswith("/" + settings.STATIC_URL)
    asset = client.get(bundle if bundle.startswith("/") else "/" + bundle)
    assert asset.status_code == 200


# --- throttling ------------------------------------------------------------------------------


@pytest.fixture
def low_anonymous_rate():
    rates = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"}}
    cache.clear()
    with override_settings(REST_FRAMEWORK=rates):
        yield
    cache.clear()


@pytest.mark.django_db
@pytest.mark.usefixtures("real_data", "low_anonymous_rate")
def test_anonymous_clients_are_throttled_in_the_error_shape(client):
    for _ in range(3):
        assert client.get(API + "instruments/").status_code == 200
    response = client.get(API + "instruments/")
    assert response.status_code == 429
    assert problems(response) == {None: "throttled"}
    assert int(response["Retry-After"]) > 0


@pytest.mark.django_db
@pytest.mark.usefixtures("real_data", "low_anonymous_rate")
def test_signed_in_clients_are_not_throttled(viewer_client):
    for _ in range(5):
        assert viewer_client.get(API + "instruments/").status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("real_data", "low_anonymous_rate")
def test_a_current_copy_of_public_data_is_confirmed_without_counting_against_the_rate(client):
    full = client.get(API + "status/", {"state": "AUT"})
    assert full.status_code == 200
    for _ in range(10):
        again = client.get(API + "status/", {"state": "AUT"}, HTTP_IF_NONE_MATCH=full["ETag"])
        assert again.status_code == 304
        assert again["ETag"] == full["ETag"]
        assert again["Vary"] == full["Vary"]
    # The full answers were counted: two more, and the third is refused.
    assert client.get(API + "instruments/").status_code == 200
    assert client.get(API + "states/").status_code == 200
    assert client.get(API + "states/").status_code == 429


@pytest.mark.django_db
@pytest.mark.usefixtures("real_data")
def test_a_staff_only_read_is_never_confirmed_to_a_client_that_is_not_signed_in(client, viewer):
    headers = token_headers(viewer)
    staff = client.get(API + "history/", {"page_size": 1}, **headers)
    assert staff.status_code == 200
    assert client.get(API + "history/", {"page_size": 1}, HTTP_IF_NONE_MATCH="*").status_code == 401
    # With the token, the REST framework answers the 304 after authenticating.
    again = client.get(
        API + "history/", {"page_size": 1}, HTTP_IF_NONE_MATCH=staff["ETag"], **headers
    )
    assert again.status_code == 304


def test_the_anonymous_rate_comes_from_the_environment():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from untoc_tracker.settings import base; "
            "print(base.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['anon'])",
        ],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "API_ANON_THROTTLE_RATE": "30/hour"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip() == "30/hour", result.stderr


@pytest.mark.parametrize("rate", ["lots", "10/fortnight", "0/minute", "-5/minute"])
def test_a_malformed_anonymous_rate_stops_the_process_naming_it(rate):
    result = settings_in({"API_ANON_THROTTLE_RATE": rate})
    assert result.returncode != 0
    assert f"API_ANON_THROTTLE_RATE={rate!r} is not a rate" in result.stderr


# --- the error shape -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_method_a_resource_does_not_offer_is_405_in_the_error_shape(editor_client):
    for who in (Client(), editor_client):
        response = who.delete(API + "status/")
        assert response.status_code == 405
        assert problems(response) == {None: "method_not_allowed"}
        assert "GET" in response["Allow"]
    response = editor_client.put(API + "instruments/untoc/", {}, content_type="application/json")
    assert response.status_code == 405


@pytest.mark.django_db
def test_an_unacceptable_format_is_406_in_the_error_shape(client):
    response = client.get(API + "instruments/", HTTP_ACCEPT="application/xml")
    assert response.status_code == 406
    assert problems(response) == {None: "not_acceptable"}


@pytest.mark.django_db
def test_a_url_no_route_matches_is_a_json_404_under_api_only(client):
    response = client.get("/api/v1/no-such-resource/")
    assert response.status_code == 404
    assert problems(response) == {None: "not_found"}
    elsewhere = client.get("/no-such-page/")
    assert elsewhere.status_code == 404
    assert not elsewhere["Content-Type"].startswith("application/json")


def test_a_conflict_the_database_refused_is_409_in_the_error_shape():
    from django.db import IntegrityError
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from core.rest.errors import exception_handler

    request = Request(APIRequestFactory().post("/api/v1/declarations/"))
    response = exception_handler(IntegrityError("duplicate key"), {"request": request})
    assert response.status_code == 409
    assert response.data["errors"] == [
        {"field": None, "rule": "conflict", "message": "Reload the data and try again."}
    ]
