"""Reading the depositary's status table of one instrument, in the three forms staff have it.

The UN Treaty Collection publishes one status page per instrument (chapter XVIII, numbers 12,
12-a, 12-b and 12-c). Above the table it prints "Status as at : DD-MM-YYYY HH:MM:SS EDT" and
"Signatories : N. Parties : M."; the table's header row reads "Participant | Signature |
Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)". A row gives a
participant and the dates of its actions, written "12 Dec 2000"; a consent date carries the
depositary's mark (A acceptance, AA approval, a accession, d succession, c formal confirmation,
none for ratification). Footnote numbers follow names and dates ("Germany 5", "Serbia 4,7",
"24 Sep 2003 a 3"); they are stripped.

The forms:
- `html`: the page saved from a browser. The status table is the table whose header row begins
  with "Participant" (the page holds others: menus, notes), wherever the page nests it.
- `text`: the table copied from a browser and pasted: cells separated by tabs, the lines above
  it (title, "Status as at", counts) optional.
- `csv`: our status-table CSV (the columns of importing.py), one instrument, with the date in a
  `status_as_at` column or given by the caller.

Parsing reads only the text: every problem is a LineError naming the line of the file. One
module per form (html_page, pasted, csv_table), what they share in common; this module tells
the form and calls its parser.
"""

from instruments.depositary.parsers.common import (
    CSV,
    FORM_LABELS,
    HTML,
    TEXT,
    LineError,
    StatusRow,
    StatusTable,
    TableRefused,
)
from instruments.depositary.parsers.csv_table import parse_csv
from instruments.depositary.parsers.html_page import parse_html
from instruments.depositary.parsers.pasted import parse_text

__all__ = [
    "CSV",
    "FORM_LABELS",
    "HTML",
    "TEXT",
    "LineError",
    "StatusRow",
    "StatusTable",
    "TableRefused",
    "detect_form",
    "parse_csv",
    "parse_html",
    "parse_text",
    "status_table_parse",
]


def detect_form(text: str) -> str:
    """Which form a text is in: a page (markup), our CSV (its header), or a pasted table."""
    head = text.lstrip()[:2000].lower()
    if head.startswith("<") or "<table" in head or "<html" in head:
        return HTML
    first = head.splitlines()[0] if head else ""
    if "," in first and "participant" in first and "consent_date" in first:
        return CSV
    return TEXT


PARSERS = {HTML: parse_html, TEXT: parse_text, CSV: parse_csv}


def status_table_parse(data: bytes | str, form: str | None = None) -> StatusTable:
    """Read a status table in any of the three forms (`form` None: tell it from the text)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise TableRefused(
                [LineError(1, "file", f"not UTF-8 text ({error.reason}); save it as UTF-8")]
            ) from None
    if not data.strip():
        raise TableRefused([LineError(1, "file", "the file is empty")])
    form = form or detect_form(data)
    if form not in PARSERS:
        raise TableRefused([LineError(1, "form", f"{form!r} is not one of: {', '.join(PARSERS)}")])
    return PARSERS[form](data)
