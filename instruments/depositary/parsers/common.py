"""What the three forms of the depositary's status table share: the rows and tables they
read into, the depositary's date cells and marks, the "Status as at" line and the counts
above the table, and the header's columns. Every problem is a LineError naming the line."""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

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


class Cells:
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


def status_as_at(text: str, cells: Cells, line: int) -> date | None:
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


def instrument_named(text: str) -> str | None:
    """The instrument a page's title names, Protocols before the Convention they cite."""
    lowered = clean_text(text).lower()
    for code, phrase in TITLE_PHRASES:
        if phrase in lowered:
            return code
    return None


def counts_read(table: StatusTable, text: str) -> None:
    match = COUNTS.search(clean_text(text))
    if match:
        table.signatories, table.parties = int(match[1]), int(match[2])


def columns_find(header: list[str], line: int, cells: Cells) -> tuple[int, int, int] | None:
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
