"""CSV and XLSX downloads of exactly the rows a list shows as JSON.

A resource that exports adds CSVRenderer and XLSXRenderer to its renderers and, when the
negotiated format is one of theirs, answers with `export_response(table, filename)`: the
whole filtered list, in the same order, unpaginated (a download is "this view", not "this
page"). Cells carry the JSON values: dates as YYYY-MM-DD (real dates in XLSX), booleans as
true/false, empty for null, lists joined with "; ".

Text is data, never a formula (OWASP, "CSV Injection"): a text cell that starts with =, +, -,
@, a tab or a carriage return is written to CSV with a leading apostrophe, which spreadsheet
programs read as "this is text"; in XLSX it keeps its exact text in a cell typed as text, with
Excel's quote prefix so that editing the cell does not turn it into a formula either. Dates,
numbers and booleans are written as they are.
"""

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import tablib
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
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


# What a spreadsheet program may read as the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    text = "; ".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)
    return "'" + text if formula_like(text) else text


def xlsx_cell(value: Any) -> Any:
    if isinstance(value, datetime):
        # Excel has no time zones; write UTC wall time.
        return value.replace(tzinfo=None)
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return value


def _csv(table: Table) -> bytes:
    dataset = tablib.Dataset(headers=list(table.columns))
    for row in table.rows:
        dataset.append([csv_cell(row.get(column)) for column in table.columns])
    return dataset.export("csv").encode("utf-8")


def _xlsx(table: Table) -> bytes:
    """The workbook, written cell by cell: tablib would store a text that starts with "=" as
    a live formula (its `escape` drops the "=" instead, changing the text)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(table.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for number, row in enumerate(table.rows, start=2):
        for column, name in enumerate(table.columns, start=1):
            value = xlsx_cell(row.get(name))
            cell = sheet.cell(row=number, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl reads "=..." as a formula
                cell.quotePrefix = formula_like(value)
    for number, cells in enumerate(sheet.iter_cols(), start=1):
        widest = max(len(str(cell.value or "")) for cell in cells)
        sheet.column_dimensions[get_column_letter(number)].width = min(widest + 2, 60)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context=None):
        if not isinstance(data, Table):
            raise TypeError("CSVRenderer renders a Table; errors are rendered as JSON")
        return _csv(data)


class XLSXRenderer(BaseRenderer):
    media_type = XLSX_MEDIA_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context=None):
        if not isinstance(data, Table):
            raise TypeError("XLSXRenderer renders a Table; errors are rendered as JSON")
        return _xlsx(data)


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
