"""Small helpers for tests that call the API."""

import csv
import io
import json
from typing import Any

from openpyxl import load_workbook

API = "/api/v1/"


def get_json(client, path: str, params: dict[str, Any] | None = None, **headers) -> Any:
    response = client.get(API + path, params or {}, **headers)
    assert response.status_code == 200, response.content
    return response.json()


def all_results(client, path: str, params: dict[str, Any] | None = None) -> list[dict]:
    """Every row of a list, following `next` from page to page."""
    page = get_json(client, path, {**(params or {}), "page_size": 50})
    rows = page["results"]
    while page["next"]:
        response = client.get(page["next"])
        assert response.status_code == 200, response.content
        page = response.json()
        rows += page["results"]
    return rows


def csv_rows(response) -> list[dict[str, str]]:
    assert response["Content-Type"].startswith("text/csv"), response["Content-Type"]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def xlsx_rows(response) -> list[dict[str, Any]]:
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    header, *rows = list(workbook.active.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


def as_csv_text(value: Any) -> str:
    """A JSON value as the CSV export writes it."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, list):
        return "; ".join(value)
    return str(value)


def token_headers(user) -> dict[str, str]:
    from core.models import ApiToken

    _, token = ApiToken.objects.create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Token {token}"}


def problems(response) -> dict[str | None, str]:
    """The error response's problems as {field: rule}, after checking the one error shape."""
    body = response.json()
    assert set(body) == {"status", "detail", "errors"}, body
    assert body["status"] == response.status_code
    for error in body["errors"]:
        assert set(error) == {"field", "rule", "message"}, error
        assert error["message"]
    return {error["field"]: error["rule"] for error in body["errors"]}


def send(client, method: str, path: str, body: Any = None, **headers) -> Any:
    """A write to the API with a JSON body (or none)."""
    data = json.dumps(body) if body is not None else None
    return getattr(client, method.lower())(
        API + path, data, content_type="application/json", **headers
    )


def etag(client, path: str) -> str:
    return client.get(API + path)["ETag"]
