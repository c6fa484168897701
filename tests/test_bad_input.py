"""Garbage in every query parameter of every public page and API read: a clear 400 naming
the parameter (or the answer, for what may be ignored), never a server error."""

import json

import pytest
from django.contrib import admin
from django.urls import get_resolver
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from alerts.models import WebhookEndpoint
from instruments.admin.actions import ACTION_FORM_FIELDS
from instruments.admin.declarations import DECLARATION_FORM_FIELDS
from instruments.filters import (
    ActionFeedFilterSet,
    AsOfFilterSet,
    InstrumentTableFilterSet,
    SearchFilterSet,
    StatusFilterSet,
)
from instruments.models import Declaration, TreatyAction
from instruments.worldmap import MapFilterSet
from reports.filters import AuthorityFilterSet, ComplianceFilterSet
from reports.models import AuthorityDesignation, ComplianceFlag, Submission
from reports.services import SUBMISSION_FIELDS
from tests.apiclient import problems, token_headers

pytestmark = pytest.mark.usefixtures("real_data")

# Wrong dates, numbers and codes; empty, huge, control characters, markup, SQL, non-ASCII.
GARBAGE = [
    "",
    "x",
    "2007-13-45",
    "07/06/2007",
    "-1",
    "0",
    "99999999999999999999",
    "DEU,,FRA",
    "\x00",
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "Ünïcødé",
    "9" * 300,
]

# Every public page and the query parameters it reads: its FilterSet's.
PAGE_FILTERS = {
    "/": AsOfFilterSet,
    "/status/": StatusFilterSet,
    "/status/table.csv": StatusFilterSet,  # the page's table, downloaded: the page's query
    "/states/DEU/": AsOfFilterSet,
    "/instruments/untoc/": InstrumentTableFilterSet,
    "/instruments/untoc/table.xlsx": InstrumentTableFilterSet,
    "/search/": SearchFilterSet,
    "/feeds/actions/": ActionFeedFilterSet,
    "/compliance/": ComplianceFilterSet,
    "/reports/osce-status/": AsOfFilterSet,
    "/data-quality/": None,  # reads no parameter
    "/states/": None,  # the index pages read none either
    "/instruments/": None,
    "/map/": MapFilterSet,
    "/authorities/": AuthorityFilterSet,
}
PAGES = {
    path: list(filters.base_filters) if filters else [] for path, filters in PAGE_FILTERS.items()
}


def test_every_public_page_is_in_the_list():
    public = {
        pattern.name
        for module in ("instruments.urls", "reports.urls")
        for pattern in __import__(module, fromlist=["urlpatterns"]).urlpatterns
    }
    listed = {get_resolver().resolve(path).url_name for path in PAGES}
    assert listed == public


def page_cases():
    for path, params in PAGES.items():
        for param in [*params, "unknown_parameter"]:
            yield pytest.param(path, param, id=f"{path} {param}")


@pytest.mark.parametrize(("path", "param"), list(page_cases()))
def test_garbage_in_a_page_parameter_is_a_400_naming_it_never_a_500(client, path, param):
    for value in GARBAGE:
        response = client.get(path, {param: value})
        assert response.status_code in (200, 400), (path, param, value, response.status_code)
        if response.status_code == 400:
            assert param in response.content.decode(), (path, param, value)
    twice = client.get(path, {param: ["2007-06-30", "2008-06-30"]})
    assert twice.status_code in (200, 400), (path, param, "twice")


def api_reads() -> dict[str, list[str]]:
    """Every GET operation of the API schema and its query parameters."""
    document = json.loads(
        OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
    )
    return {
        path: [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if method == "get"
    }


API_READS = api_reads()


def real_path(path: str) -> str:
    """The schema's path with real records in it (compliance_records makes the flags and the
    submission)."""
    record = {
        "/api/v1/actions/{id}/": TreatyAction,
        "/api/v1/declarations/{id}/": Declaration,
        "/api/v1/submissions/{id}/": Submission,
        "/api/v1/flags/{id}/": ComplianceFlag,
        "/api/v1/webhooks/{id}/": WebhookEndpoint,
        "/api/v1/webhooks/{id}/deliveries/": WebhookEndpoint,
        "/api/v1/authorities/{id}/": AuthorityDesignation,
    }
    if "{id}" in path:
        path = path.replace("{id}", str(record[path].objects.order_by("pk").first().pk))
    code = "untoc-18-13" if path.startswith("/api/v1/obligations/") else "untoc"
    return path.replace("{iso3}", "DEU").replace("{code}", code)


def api_cases():
    for path, params in API_READS.items():
        for param in [*params, "unknown_parameter"]:
            yield pytest.param(path, param, id=f"{path} {param}")


def test_the_api_reads_are_all_here():
    assert {
        "/api/v1/states/",
        "/api/v1/states/{iso3}/",
        "/api/v1/instruments/",
        "/api/v1/instruments/{code}/",
        "/api/v1/status/",
        "/api/v1/actions/",
        "/api/v1/actions/{id}/",
        "/api/v1/declarations/",
        "/api/v1/declarations/{id}/",
        "/api/v1/history/",
        "/api/v1/obligations/",
        "/api/v1/obligations/{code}/",
        "/api/v1/submissions/",
        "/api/v1/submissions/{id}/",
        "/api/v1/flags/",
        "/api/v1/flags/{id}/",
        "/api/v1/standings/",
        "/api/v1/authorities/",
        "/api/v1/authorities/{id}/",
    } <= set(API_READS)


@pytest.mark.parametrize(("path", "param"), list(api_cases()))
@pytest.mark.usefixtures("compliance_records")
def test_garbage_in_an_api_parameter_is_a_400_naming_it_never_a_500(client, viewer, path, param):
    # history/ is for staff and auth/tokens/ for the signed-in: read them as a delegation
    # viewer, the rest anonymously.
    signed_in = path.endswith(("/history/", "/auth/tokens/"))
    headers = token_headers(viewer) if signed_in else {}
    if "/webhooks/" in path:  # a signed-in client's own endpoints
        client.force_login(viewer)
        WebhookEndpoint.objects.get_or_create(
            owner=viewer, url="https://example.org/hook", defaults={"secret": "s" * 64}
        )
    for value in GARBAGE:
        response = client.get(real_path(path), {param: value}, **headers)
        status = response.status_code
        allowed = (200, 400, 406) if param == "format" else (200, 400)
        assert status in allowed, (path, param, value, status, response.content[:300])
        if status == 400:
            assert param in problems(response), (path, param, value)


@pytest.mark.parametrize(
    "path",
    [
        "/states/ZZZ/",
        "/states/%3Cscript%3E/",
        "/states/%00/",
        "/instruments/nope/",
        "/api/v1/states/ZZZ/",
        "/api/v1/instruments/nope/",
        "/api/v1/actions/abc/",
        "/api/v1/actions/99999999999999999999/",
        "/api/v1/actions/0/",
        "/api/v1/declarations/-1/",
    ],
)
def test_a_code_or_id_that_names_nothing_is_a_404(client, path):
    # (A lower-case code is first sent to its upper-case page.)
    assert client.get(path, follow=True).status_code == 404


# --- The back office ---------------------------------------------------------------------------


def back_office_lists() -> list[str]:
    return [
        f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for model in admin.site._registry
        if model._meta.app_label in {"states", "instruments", "reports"}
    ]


# The lists' search, filters (by choice, foreign key, year, ageing, status), date hierarchy,
# ordering and page.
LIST_PARAMS = [
    "q",
    "kind__exact",
    "instrument__id__exact",
    "participant__osce_role__exact",
    "year",
    "date__year",
    "date__month",
    "received_on__year",
    "due_on__year",
    "ageing",
    "status",
    "o",
    "p",
]


@pytest.mark.parametrize("path", back_office_lists())
def test_garbage_in_a_back_office_list_parameter_is_refused_or_ignored_never_a_500(
    editor_client, path
):
    for param in LIST_PARAMS:
        for value in GARBAGE:
            response = editor_client.get(path, {param: value})
            # 302: Django's own "invalid lookup" answer, back to the list with ?e=1.
            assert response.status_code in (200, 302, 400), (path, param, value)
            if response.status_code == 400:
                assert param in response.content.decode(), (path, param, value)


# Every field of the forms editors fill in.
FORMS = {
    "/admin/instruments/treatyaction/add/": ["participant", *ACTION_FORM_FIELDS],
    "/admin/instruments/declaration/add/": ["participant", *DECLARATION_FORM_FIELDS],
    "/admin/reports/submission/add/": ["participant", *SUBMISSION_FIELDS],
}


@pytest.mark.parametrize("path", list(FORMS))
@pytest.mark.parametrize("value", GARBAGE)
def test_garbage_in_a_back_office_form_is_a_form_error_and_saves_nothing(
    editor_client, path, value
):
    model = {
        "treatyaction": TreatyAction,
        "declaration": Declaration,
        "submission": Submission,
    }[path.split("/")[3]]
    before = model.objects.count()
    response = editor_client.post(path, dict.fromkeys(FORMS[path], value) | {"version": value})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert model.objects.count() == before
