"""The table copied from a browser and pasted: cells separated by tabs, the lines above it
(title, "Status as at", counts) optional."""

from instruments.depositary.parsers.common import (
    STATUS_AS_AT,
    TEXT,
    Cells,
    LineError,
    StatusTable,
    TableRefused,
    columns_find,
    counts_read,
    instrument_named,
    participant_name,
    status_as_at,
)


def parse_text(text: str) -> StatusTable:
    """The table as a browser copies it: one row a line, cells separated by tabs."""
    cells = Cells()
    table = StatusTable(TEXT)
    lines = text.splitlines()
    start = next(
        (
            number
            for number, line in enumerate(lines, start=1)
            if "\t" in line and participant_name(line.split("\t")[0]).lower() == "participant"
        ),
        None,
    )
    if start is None:
        raise TableRefused(
            [
                LineError(
                    1,
                    "table",
                    "no status table: no tab-separated line begins with 'Participant' (copy the "
                    "table from the status page with its header row)",
                )
            ]
        )
    preamble = "\n".join(lines[: start - 1])
    for number, line in enumerate(lines[: start - 1], start=1):
        if STATUS_AS_AT.search(line):
            table.status_line = number
            table.status_as_at = status_as_at(line, cells, number)
            break
    counts_read(table, preamble)
    table.instrument_code = instrument_named(preamble)
    columns = columns_find(lines[start - 1].split("\t"), start, cells)
    if columns is not None:
        for number, line in enumerate(lines[start:], start=start + 1):
            if not line.strip():
                continue
            if "\t" not in line:
                break  # the notes below the table
            texts = [*line.split("\t"), "", "", ""]
            table.rows.append(cells.row(number, *(texts[i] for i in columns)))
    if cells.errors:
        raise TableRefused(cells.errors)
    return table
