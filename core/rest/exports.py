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

A Sheet is the other shape: a table for reading as it is, not for loading (the status table
as a page shows it). Lines above the headings give the title, the date, the filters and the
citation; the headings are words; the same cells are neutralised the same way.
"""

import csv
import io
import re
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


def _write_cell(sheet: Any, row: int, column: int, value: Any) -> Any:
    """One cell, text kept as text: openpyxl would store "=..." as a live formula (and
    tablib's `escape` drops the "=" instead, changing the text)."""
    value = xlsx_cell(value)
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        cell.quotePrefix = formula_like(value)
    return cell


def _fit_columns(sheet: Any, first_row: int = 1, widest_allowed: int = 60) -> None:
    for number, cells in enumerate(sheet.iter_cols(min_row=first_row), start=1):
        widest = max((len(str(cell.value or "")) for cell in cells), default=0)
        sheet.column_dimensions[get_column_letter(number)].width = min(widest + 2, widest_allowed)


def _workbook_bytes(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(table.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for number, row in enumerate(table.rows, start=2):
        for column, name in enumerate(table.columns, start=1):
            _write_cell(sheet, number, column, row.get(name))
    _fit_columns(sheet)
    return _workbook_bytes(workbook)


# Excel refuses these in a sheet's name, and names longer than 31 characters.
SHEET_NAME_REFUSED = re.compile(r"[\\/?*\[\]:]")
SHEET_NAME_LENGTH = 31


def sheet_name(words: str, suffix: str = "") -> str:
    """A sheet's name Excel accepts: `words` without the characters it refuses, cut so that
    `suffix` (a date, say) still fits in 31 characters; no apostrophe at either end."""
    suffix = SHEET_NAME_REFUSED.sub(" ", suffix).strip()
    room = SHEET_NAME_LENGTH - len(suffix) - (1 if suffix else 0)
    words = " ".join(SHEET_NAME_REFUSED.sub(" ", words).split())[: max(room, 0)].strip()
    name = f"{words} {suffix}".strip() if suffix else words
    return name.strip("'").strip() or "Sheet"


@dataclass
class Sheet:
    """A table for reading as it is: `preamble` lines (lists of cells: the title, the date,
    the filters, the citation), a blank line, the `headings`, then `rows` (lists of cells in
    the headings' order). `name` names the XLSX sheet (see sheet_name)."""

    name: str
    preamble: Sequence[Sequence[Any]]
    headings: Sequence[str]
    rows: Sequence[Sequence[Any]]

    def lines(self) -> list[Sequence[Any]]:
        return [*self.preamble, [], self.headings, *self.rows]

    @property
    def heading_row(self) -> int:
        """The headings' row, counted from 1 as a spreadsheet does."""
        return len(self.preamble) + 2


def sheet_csv(sheet: Sheet) -> bytes:
    """The sheet as CSV, with a byte-order mark so that spreadsheet programs read it as UTF-8
    (accented names intact). The csv module rather than tablib: the lines above the headings
    are shorter than a row, which a tablib Dataset refuses."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for line in sheet.lines():
        writer.writerow([csv_cell(value) for value in line])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def sheet_xlsx(sheet: Sheet) -> bytes:
    """The sheet as a workbook: the title in bold, the headings bold and frozen with an
    autofilter, dates as dates (shown as the page's day month year)."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet_name(sheet.name)
    for number, line in enumerate(sheet.lines(), start=1):
        for column, value in enumerate(line, start=1):
            cell = _write_cell(ws, number, column, value)
            if isinstance(cell.value, date):
                cell.number_format = "d mmm yyyy"
    ws["A1"].font = Font(bold=True, size=13)
    for cell in ws[sheet.heading_row]:
        cell.font = Font(bold=True)
    ws.freeze_panes = ws.cell(row=sheet.heading_row + 1, column=2)
    last = get_column_letter(max(len(sheet.headings), 1))
    ws.auto_filter.ref = f"A{sheet.heading_row}:{last}{sheet.heading_row + len(sheet.rows)}"
    _fit_columns(ws, first_row=sheet.heading_row, widest_allowed=40)
    return _workbook_bytes(workbook)


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
