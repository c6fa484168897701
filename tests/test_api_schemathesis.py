"""A schemathesis run over the OpenAPI schema: no server error, every answer as documented.

Reads go anonymous (the staff-only history as a delegation viewer); writes go as an SPMU
editor with a token, so that they get past the permission check and reach the services.
A compliance check and a recorded submission give flags/ and submissions/ records to find.
Every write operation runs twice: with requests that fit the schema, and with requests that
do not (schemathesis's negative mode: wrong types, missing or extra fields, bodies that are
no JSON object), which must be refused in the error shape, never with a server error.

One test per operation, named after it (`test_get_api_v1_actions_id_answers_as_documented`),
so that a slow or failing operation shows by name and pytest-xdist can spread them.
"""

import json
import os
import re

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from core.rest.conditional import version_etag
from instruments.models import Declaration, TreatyAction
from reports.models import ComplianceFlag, Submission
from tests.apiclient import token_headers

pytestmark = pytest.mark.slow

# At least this many generated requests per operation (hypothesis adds its explicit and
# boundary cases); 100, as CI runs it, unless SCHEMATHESIS_MAX_EXAMPLES says otherwise: about
# 3,000 requests, some 250 s on SQLite.
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES") or 100)

# No server error, and every answer as documented: its status, media type, headers and body.
# (Not schemathesis's "positive data acceptance": a schema cannot say which codes exist,
# which page is the last or which treaty rule a write breaks, so a schema-valid request may
# rightly be refused with a 400.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def api_schema():
    """The schema as /api/schema/ serves it, built without a request or the database."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(document)))
    loaded.app = get_wsgi_application()
    loaded.location = "/api/schema/"
    return loaded


schema = api_schema()


@pytest.fixture
def connection_kept_open():
    """Django's WSGI handler closes the database connection after each request, as it should
    in production; here the test's transaction lives on it, so keep it open (as Django's own
    test client does)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def answers_as_documented(
    case, real_data, compliance_records, editor, viewer, connection_kept_open
) -> None:
    # Schemathesis calls the WSGI app directly and does not undo a Content-Encoding; ask for
    # the answers as they are (GZipMiddleware compresses for clients that accept gzip).
    headers = {"Accept-Encoding": "identity"}
    if case.method != "GET":
        headers["Authorization"] = token_headers(editor)["HTTP_AUTHORIZATION"]
    elif case.path.endswith("/history/"):
        headers["Authorization"] = token_headers(viewer)["HTTP_AUTHORIZATION"]
    aim_at_a_real_record(case)
    case.call_and_validate(headers=headers, checks=CHECKS)


def operation_test(method: str, path: str):
    """The schemathesis test of one operation, as a test function named after it."""
    label = f"{method} {path}"

    def test(case, real_data, compliance_records, editor, viewer, connection_kept_open):
        answers_as_documented(
            case, real_data, compliance_records, editor, viewer, connection_kept_open
        )

    test.__name__ = "test_" + re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
    test.__name__ += "_answers_as_documented"
    test.__doc__ = f"{label}: no server error, every answer as documented."
    return schema.include(method=method, path=path).parametrize()(
        settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            # Fixtures hold the loaded data and the users for every example of an operation.
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )(test)
    )


for _operation in (result.ok() for result in schema.get_all_operations()):
    _test = operation_test(_operation.method.upper(), _operation.path)
    globals()[_test.__name__] = _test


# The write operations again with bodies and parameters that do not fit the schema
# (schemathesis's negative mode): each must be refused in the error shape, never a server error.
negative_schema = api_schema()
negative_schema.config.generation.update(modes=[GenerationMode.NEGATIVE])
NEGATIVE_CHECKS = [not_a_server_error, content_type_conformance]


def negative_operation_test(method: str, path: str):
    label = f"{method} {path}"

    def test(case, real_data, compliance_records, editor, viewer, connection_kept_open):
        headers = {
            "Accept-Encoding": "identity",
            "Authorization": token_headers(editor)["HTTP_AUTHORIZATION"],
        }
        aim_at_a_real_record(case)
        case.call_and_validate(headers=headers, checks=NEGATIVE_CHECKS)

    test.__name__ = "test_" + re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
    test.__name__ += "_refuses_what_does_not_fit_the_schema"
    test.__doc__ = f"{label}: invalid input is refused, never a server error."
    return negative_schema.include(method=method, path=path).parametrize()(
        settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )(test)
    )


for _operation in (result.ok() for result in negative_schema.get_all_operations()):
    if _operation.method.upper() in {"POST", "PUT", "PATCH", "DELETE"}:
        _test = negative_operation_test(_operation.method.upper(), _operation.path)
        globals()[_test.__name__] = _test


def aim_at_a_real_record(case) -> None:
    """Point every other generated edit at a record that exists, with its current ETag, so
    that generated bodies reach the services and their treaty rules rather than a 404; and
    every other read of a flag at a real flag, so that its answer is checked too."""
    model = {
        "/api/v1/actions/{id}/": TreatyAction,
        "/api/v1/declarations/{id}/": Declaration,
        "/api/v1/submissions/{id}/": Submission,
    }
    flag_read = case.path == "/api/v1/flags/{id}/" and case.method == "GET"
    if not flag_read and (case.path not in model or case.method == "GET"):
        return
    aim_at_a_real_record.calls = getattr(aim_at_a_real_record, "calls", 0) + 1
    if aim_at_a_real_record.calls % 2:
        return
    record = (ComplianceFlag if flag_read else model[case.path]).objects.order_by("?").first()
    if record is None:  # an earlier example deleted the last one
        return
    case.path_parameters = {"id": str(record.pk)}
    if not flag_read:
        case.headers = {**(case.headers or {}), "If-Match": version_etag(record)}
