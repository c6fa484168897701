"""CSV and XLSX downloads of exactly the rows a list shows as JSON.

A resource that exports adds CSVRenderer and XLSXRenderer to its renderers and, when the
negotiated format is one of theirs, answers with `export_response(table, filename)`: the
whole filtered list, in the same order, unpaginated (a download is "this view", not "this
page"). Cells carry the JSON values: dates as YYYY-MM-DD (real dates in XLSX), booleans as
true/false, empty for null, lists joined with "; ".
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import tablib
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response

EXPORT_FORMATS = ("csv", "xlsx")
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", *EXPORT_FORMATS],
    default="json",
    description="json: one page of rows. csv or xlsx: a download of the whole filtered list "
    "(every page, same rows and order; page and page_size are ignored).",
)


@dataclass
class Table:
    """Rows (dicts) and the columns to write, in order."""

    columns: Sequence[str]
    rows: Iterable[dict[str, Any]]


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return str(value)


def xlsx_cell(value: Any) -> Any:
    if isinstance(value, datetime):
        # Excel has no time zones; write UTC wall time.
        return value.replace(tzinfo=None)
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return value


def _dataset(table: Table, cell: Any) -> tablib.Dataset:
    dataset = tablib.Dataset(headers=list(table.columns))
    for row in table.rows:
        dataset.append([cell(row.get(column)) for column in table.columns])
    return dataset


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context=None):
        if not isinstance(data, Table):
            raise TypeError("CSVRenderer renders a Table; errors are rendered as JSON")
        return _dataset(data, csv_cell).export("csv").encode("utf-8")


class XLSXRenderer(BaseRenderer):
    media_type = XLSX_MEDIA_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context=None):
        if not isinstance(data, Table):
            raise TypeError("XLSXRenderer renders a Table; errors are rendered as JSON")
        return _dataset(data, xlsx_cell).export("xlsx")


def export_format(request: Request) -> str | None:
    """'csv' or 'xlsx' when the client asked for a download, else None."""
    renderer = getattr(request, "accepted_renderer", None)
    fmt = getattr(renderer, "format", None)
    return fmt if fmt in EXPORT_FORMATS else None


def export_response(request: Request, table: Table, filename: str) -> Response:
    """The download of `table` as `filename`.<format>."""
    response = Response(table)
    fmt = export_format(request)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def export_schema_responses(json_response: Any) -> dict[Any, Any]:
    """The 200 responses of an exporting list: JSON page, CSV text, XLSX workbook."""
    return {
        (200, "application/json"): json_response,
        (200, "text/csv"): OpenApiTypes.STR,
        (200, XLSX_MEDIA_TYPE): OpenApiTypes.BINARY,
    }
