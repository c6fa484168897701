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

Parsing reads only the text: every problem is a LineError naming the line of the file.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from bs4 import BeautifulSoup, Tag

from instruments import domain

HTML, TEXT, CSV = "html", "text", "csv"
FORM_LABELS = {
    HTML: "status page saved from a browser (HTML)",
    TEXT: "table copied from the browser (tab-separated text)",
    CSV: "CSV status table",
}

MONTHS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1,
    )
}
# "24 Sep 2003", "24 Sep 2003 a", "17 May 2011 A 4", "8 Feb 2008a3": date, mark, footnotes.
DATE_CELL = re.compile(
    r"(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]{3,9})\.?\s+(?P<year>\d{4})"
    r"\s*(?P<mark>AA|A|a|d|c)?(?P<notes>[\s\d,]*)"
)
MARK_KINDS = {
    "": domain.RATIFICATION,
    "A": domain.ACCEPTANCE,
    "AA": domain.APPROVAL,
    "a": domain.ACCESSION,
    "d": domain.SUCCESSION,
    "c": domain.FORMAL_CONFIRMATION,
}
NAME_NOTES = re.compile(r"[\s\d,]+$")  # "Serbia 4,7" -> "Serbia"
STATUS_AS_AT = re.compile(
    r"Status\s+as\s+at\s*:?\s*(?:(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})"
    r"|(?P<text>\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4}))",
    re.IGNORECASE,
)
COUNTS = re.compile(r"Signatories\s*:\s*(\d+)\s*\.?\s*Parties\s*:\s*(\d+)", re.IGNORECASE)
# Phrases of the titles; the Protocols' titles also name the Convention, so they come first.
TITLE_PHRASES = [
    ("fir", "illicit manufacturing of and trafficking in firearms"),
    ("som", "smuggling of migrants"),
    ("tip", "trafficking in persons"),
    ("untoc", "convention against transnational organized crime"),
]
REFERENCES = {"XVIII-12": "untoc", "XVIII-12-A": "tip", "XVIII-12-B": "som", "XVIII-12-C": "fir"}
PAGE_REFERENCE = re.compile(r"mtdsg_no=(XVIII-12(?:-[abc])?)(?![-\w])", re.IGNORECASE)
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


@dataclass(frozen=True, order=True)
class LineError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.column}: {self.message}"


class TableRefused(Exception):
    """The table cannot be read or does not fit our records; nothing was written."""

    def __init__(self, errors: list[LineError]) -> None:
        self.errors = sorted(errors)
        super().__init__("; ".join(str(e) for e in self.errors[:5]))


@dataclass(frozen=True)
class StatusRow:
    """One participant's line: dates as the source gives them, kinds as domain names.

    `consent_kind` is domain.CONSENT_KIND_NOT_RECORDED when the source leaves it open; `source`
    is set only where a row has its own (else the table's source applies), `confidence` only
    for a fact from a source other than the depositary's table."""

    line: int
    participant: str
    signature: date | None = None
    consent: date | None = None
    consent_kind: str | None = None
    iso3: str = ""
    former_name: str = ""
    source: str = ""
    confidence: str = ""


@dataclass
class StatusTable:
    form: str
    rows: list[StatusRow] = field(default_factory=list)
    status_as_at: date | None = None
    status_line: int = 1
    instrument_code: str | None = None  # when the page names its instrument
    signatories: int | None = None  # the counts printed above the table
    parties: int | None = None


def clean_text(text: str) -> str:
    """One line of cell text: compatibility forms (superscript digits, no-break spaces)
    folded, runs of space made one."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def participant_name(text: str) -> str:
    return NAME_NOTES.sub("", clean_text(text))


class _Cells:
    """Turns cells into values, collecting errors."""

    def __init__(self) -> None:
        self.errors: list[LineError] = []

    def date_cell(self, text: str, line: int, column: str) -> tuple[date | None, str]:
        """The date and mark in a depositary cell ("24 Sep 2003 a 3"); (None, "") if empty."""
        text = clean_text(text)
        if not text:
            return None, ""
        match = DATE_CELL.fullmatch(text)
        if match is None:
            self.errors.append(
                LineError(
                    line,
                    column,
                    f"{text!r} is not a date as the depositary writes it "
                    "(e.g. '12 Dec 2000' or '24 Sep 2003 a')",
                )
            )
            return None, ""
        month = MONTHS.get(match["month"][:3].lower())
        try:
            if month is None:
                raise ValueError(match["month"])
            return date(int(match["year"]), month, int(match["day"])), match["mark"] or ""
        except ValueError:
            self.errors.append(LineError(line, column, f"{text!r} is not a calendar date"))
            return None, ""

    def row(self, line: int, name: str, signature_text: str, consent_text: str) -> StatusRow:
        signature, _ = self.date_cell(signature_text, line, "signature")
        consent, mark = self.date_cell(consent_text, line, "consent")
        kind = MARK_KINDS[mark] if consent else None
        if kind == domain.RATIFICATION and signature is None:
            # No mark and no signature: a ratification needs one, so the table leaves the
            # kind open (the 2014 tables print Bahamas' Firearms consent so).
            kind = domain.CONSENT_KIND_NOT_RECORDED
        if not participant_name(name):
            self.errors.append(LineError(line, "participant", "the participant's name is empty"))
        return StatusRow(line, participant_name(name), signature, consent, kind)


def _status_as_at(text: str, cells: _Cells, line: int) -> date | None:
    match = STATUS_AS_AT.search(text)
    if match is None:
        return None
    if match["text"]:
        value, _ = cells.date_cell(match["text"], line, "status as at")
        return value
    try:
        return date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        cells.errors.append(
            LineError(line, "status as at", f"{match.group(0)!r} is not a calendar date")
        )
        return None


def _instrument_named(text: str) -> str | None:
    """The instrument a page's title names, Protocols before the Convention they cite."""
    lowered = clean_text(text).lower()
    for code, phrase in TITLE_PHRASES:
        if phrase in lowered:
            return code
    return None


def _counts(table: StatusTable, text: str) -> None:
    match = COUNTS.search(clean_text(text))
    if match:
        table.signatories, table.parties = int(match[1]), int(match[2])


def _columns(header: list[str], line: int, cells: _Cells) -> tuple[int, int, int] | None:
    """Where the participant, signature and consent columns are, from the header's words."""
    names = [participant_name(h).lower() for h in header]
    signature = next((i for i, n in enumerate(names) if n.startswith("signature")), None)
    consent = next(
        (i for i, n in enumerate(names) if n.startswith("ratification") or "accession" in n),
        None,
    )
    if signature is None or consent is None:
        cells.errors.append(
            LineError(
                line,
                "header",
                "the header needs the columns Participant, Signature and 'Ratification, "
                f"Acceptance(A), Approval(AA), Accession(a), Succession(d)'; found {header}",
            )
        )
        return None
    return 0, signature, consent


def parse_html(text: str) -> StatusTable:
    """The status table of a UN Treaty Collection page saved from a browser.

    BeautifulSoup (with the standard library's parser) reads the page as a browser would,
    broken markup and all, and keeps each tag's line for the messages."""
    soup = BeautifulSoup(text, "html.parser")
    cells = _Cells()
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
        table.status_as_at = _status_as_at(str(status_node), cells, table.status_line)
    _counts(table, soup.get_text(" "))
    # The saved page's own address (its form's action) names the table it is; failing that,
    # the title above the table.
    references = {REFERENCES[m.upper()] for m in PAGE_REFERENCE.findall(text)}
    table.instrument_code = references.pop() if len(references) == 1 else _instrument_named(before)
    header_cells = [c.get_text(" ") for c in header.find_all(["th", "td"], recursive=False)]
    columns = _columns(header_cells, header.sourceline or 1, cells)
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


def parse_text(text: str) -> StatusTable:
    """The table as a browser copies it: one row a line, cells separated by tabs."""
    cells = _Cells()
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
            table.status_as_at = _status_as_at(line, cells, number)
            break
    _counts(table, preamble)
    table.instrument_code = _instrument_named(preamble)
    columns = _columns(lines[start - 1].split("\t"), start, cells)
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
