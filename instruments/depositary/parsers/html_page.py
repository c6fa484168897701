"""The status page saved from a browser (HTML): the table whose header row begins with
"Participant", wherever the page nests it (the page holds others: menus, notes)."""

import re

from bs4 import BeautifulSoup, Tag

from instruments.depositary.parsers.common import (
    HTML,
    STATUS_AS_AT,
    Cells,
    LineError,
    StatusTable,
    TableRefused,
    clean_text,
    columns_find,
    counts_read,
    instrument_named,
    participant_name,
    status_as_at,
)

REFERENCES = {"XVIII-12": "untoc", "XVIII-12-A": "tip", "XVIII-12-B": "som", "XVIII-12-C": "fir"}
PAGE_REFERENCE = re.compile(r"mtdsg_no=(XVIII-12(?:-[abc])?)(?![-\w])", re.IGNORECASE)


def parse_html(text: str) -> StatusTable:
    """The status table of a UN Treaty Collection page saved from a browser.

    BeautifulSoup (with the standard library's parser) reads the page as a browser would,
    broken markup and all, and keeps each tag's line for the messages."""
    soup = BeautifulSoup(text, "html.parser")
    cells = Cells()
    table = StatusTable(HTML)
    header = next(
        (
            tr
            for tr in soup.find_all("tr")
            if (first := tr.find(["th", "td"])) is not None
            and participant_name(first.get_text(" ")).lower().startswith("participant")
        ),
        None,
    )
    if header is None:
        raise TableRefused(
            [LineError(1, "table", "no status table: no table has a header 'Participant'")]
        )
    before = " ".join(s for s in header.find_all_previous(string=True))
    status_node = soup.find(string=STATUS_AS_AT)
    if status_node is not None:
        table.status_line = getattr(status_node.parent, "sourceline", None) or 1
        table.status_as_at = status_as_at(str(status_node), cells, table.status_line)
    counts_read(table, soup.get_text(" "))
    # The saved page's own address (its form's action) names the table it is; failing that,
    # the title above the table.
    references = {REFERENCES[m.upper()] for m in PAGE_REFERENCE.findall(text)}
    table.instrument_code = references.pop() if len(references) == 1 else instrument_named(before)
    header_cells = [c.get_text(" ") for c in header.find_all(["th", "td"], recursive=False)]
    columns = columns_find(header_cells, header.sourceline or 1, cells)
    owner = header.find_parent("table")
    if columns is not None and owner is not None:
        for tr in owner.find_all("tr"):
            if tr is header or tr.find_parent("table") is not owner or _is_before(tr, header):
                continue
            row_cells = tr.find_all(["td", "th"], recursive=False)
            if not row_cells or not clean_text(tr.get_text(" ")):
                continue
            texts = [*(c.get_text(" ") for c in row_cells), "", "", ""]
            table.rows.append(
                cells.row(tr.sourceline or 1, *(texts[i] for i in columns))  # type: ignore[arg-type]
            )
    if cells.errors:
        raise TableRefused(cells.errors)
    return table


def _is_before(tr: Tag, header: Tag) -> bool:
    return (tr.sourceline or 0, tr.sourcepos or 0) < (header.sourceline or 0, header.sourcepos or 0)
