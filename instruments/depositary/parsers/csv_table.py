"""Our status-table CSV (the columns of importing.py), one instrument, with the date in a
`status_as_at` column or given by the caller."""

import csv
import io
from datetime import date

from instruments import domain
from instruments.depositary.parsers.common import (
    CSV,
    LineError,
    StatusRow,
    StatusTable,
    TableRefused,
    clean_text,
)

CSV_COLUMNS = {"participant", "signature_date", "consent_date", "consent_kind"}
CSV_KINDS = {
    "ratification": domain.RATIFICATION,
    "acceptance": domain.ACCEPTANCE,
    "approval": domain.APPROVAL,
    "accession": domain.ACCESSION,
    "succession": domain.SUCCESSION,
    "formal_confirmation": domain.FORMAL_CONFIRMATION,
    "": domain.CONSENT_KIND_NOT_RECORDED,
}


def parse_csv(text: str) -> StatusTable:
    """Our status-table CSV for one instrument (see importing.py for the columns)."""
    reader = csv.DictReader(io.StringIO(text))
    header = {h.strip() for h in reader.fieldnames or []}
    missing = CSV_COLUMNS - header
    if missing:
        raise TableRefused(
            [LineError(1, "header", f"not a status table: it lacks {', '.join(sorted(missing))}")]
        )
    table = StatusTable(CSV)
    errors: list[LineError] = []
    instruments: dict[str, int] = {}
    dates: dict[str, int] = {}
    for number, raw in enumerate(reader, start=2):
        values = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        parsed = {c: _iso_date(values.get(c, ""), number, c, errors) for c in CSV_DATE_COLUMNS}
        kind_text = values.get("consent_kind", "")
        if kind_text not in CSV_KINDS:
            errors.append(
                LineError(
                    number,
                    "consent_kind",
                    f"{kind_text!r} is not one of: " + ", ".join(k or "(empty)" for k in CSV_KINDS),
                )
            )
        if values.get("instrument"):
            instruments.setdefault(values["instrument"].lower(), number)
        if values.get("status_as_at"):
            dates.setdefault(values["status_as_at"], number)
        table.rows.append(
            StatusRow(
                number,
                clean_text(values.get("participant", "")),
                parsed["signature_date"],
                parsed["consent_date"],
                CSV_KINDS.get(kind_text) if parsed["consent_date"] else None,
                iso3=values.get("iso3", "").upper(),
                former_name=clean_text(values.get("former_name", "")),
            )
        )
    if len(instruments) > 1:
        (first, _), (other, line) = list(instruments.items())[:2]
        errors.append(
            LineError(
                line,
                "instrument",
                f"{other!r} after {first!r}: a status table is of one instrument; split the file",
            )
        )
    elif instruments:
        table.instrument_code = next(iter(instruments))
    if len(dates) > 1:
        line = list(dates.values())[1]
        errors.append(LineError(line, "status_as_at", "every row must give the same date"))
    elif dates:
        ((text_date, line),) = dates.items()
        table.status_line = line
        table.status_as_at = _iso_date(text_date, line, "status_as_at", errors)
    if errors:
        raise TableRefused(errors)
    return table


CSV_DATE_COLUMNS = ("signature_date", "consent_date")


def _iso_date(text: str, line: int, column: str, errors: list[LineError]) -> date | None:
    if not text:
        return None
    try:
        if len(text) != 10:  # fromisoformat also takes 20001212 and week dates
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        errors.append(LineError(line, column, f"{text!r} is not a date in the form YYYY-MM-DD"))
        return None
