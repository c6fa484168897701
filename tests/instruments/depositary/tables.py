"""Depositary status tables in the depositary's layout, built from the shipped data.

Each form is written as the UN Treaty Collection shows the table: an ASP.NET page with menus,
the title, "Status as at : DD-MM-YYYY HH:MM:SS EDT", the counts, then the table inside a
`div.table-responsive` with footnote numbers after some names and dates; the same table as a
browser copies it (tabs); and our CSV with a status_as_at column.
"""

import csv
import io
from dataclasses import dataclass, replace
from datetime import date
from html import escape

from instruments import domain
from instruments.models import Instrument, TreatyAction

# Footnotes as the depositary prints them (the numbers are the pages' own style, not facts).
NAME_NOTES = {"Germany": "5", "Serbia": "4,7", "China": "2", "Denmark": "3"}
PREFIX = "ctl00_ctl00_ContentPlaceHolder1_ContentPlaceHolderInnerPage_"


@dataclass(frozen=True)
class Line:
    participant: str
    iso3: str
    signature: date | None
    consent: date | None
    kind: str | None


def cell(value: date | None, kind: str | None = None) -> str:
    if value is None:
        return ""
    mark = domain.KIND_MARKS.get(kind or "", "")
    return f"{value.day} {value:%b %Y}" + (f" {mark}" if mark else "")


def table_lines(code: str, as_at: date, extra: list[Line] = ()) -> list[Line]:
    """Our records of `code` as at `as_at`, one line per participant, with `extra` lines
    replacing or adding participants' lines."""
    by_iso3: dict[str, Line] = {}
    actions = TreatyAction.objects.filter(instrument__code=code, date__lte=as_at)
    for action in actions.select_related("participant").order_by("date", "id"):
        p = action.participant
        line = by_iso3.get(p.iso3) or Line(p.name, p.iso3, None, None, None)
        if action.kind == domain.SIGNATURE:
            line = replace(line, signature=action.date)
        elif action.kind in domain.CONSENT_KINDS:
            line = replace(line, consent=action.date, kind=action.kind)
        by_iso3[p.iso3] = line
    for line in extra:
        by_iso3[line.iso3] = line
    return sorted(by_iso3.values(), key=lambda line: line.participant)


def _note(name: str) -> str:
    return NAME_NOTES.get(name, "")


def html_page(code: str, as_at: date, lines: list[Line]) -> str:
    instrument = Instrument.objects.get(code=code)
    rows = []
    for n, line in enumerate(lines):
        note = f"<sup>{_note(line.participant)}</sup>" if _note(line.participant) else ""
        consent = escape(cell(line.consent, line.kind))
        if consent and n % 9 == 4:  # a footnote after some dates, as on the page
            consent += "<sup>6</sup>"
        rows.append(
            f"<tr>\n<td>{escape(line.participant)}{note}</td>\n"
            f"<td>{cell(line.signature)}</td>\n<td>{consent}</td>\n</tr>"
        )
    signatories = sum(1 for line in lines if line.signature)
    parties = sum(1 for line in lines if line.consent)
    action = f"./ViewDetails.aspx?src=TREATY&amp;mtdsg_no={instrument.untc_reference}"
    action += "&amp;chapter=18&amp;clang=_en"
    title = f'<td id="{PREFIX}rptTreaty_ctl00_tcTreaty">{escape(instrument.title)}</td>'
    counts = f"Signatories: {signatories}. Parties: {parties}."
    place = f"New York, {instrument.adopted_on:%d %B %Y}"
    return f"""<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml">
<head><title>
	UNTC
</title><meta charset="utf-8" /><link href="../Css/bootstrap.min.css" rel="stylesheet" /></head>
<body>
<form method="post" action="{action}" id="aspnetForm">
<div class="aspNetHidden"><input type="hidden" name="__VIEWSTATE" value="/wEPDwUKLTI2" /></div>
<div id="header"><ul class="nav"><li><a href="Home.aspx?clang=_en">Home</a></li>
<li><a href="ParticipationStatus.aspx?clang=_en">Status of Treaties</a></li>
<li><a href="Search.aspx">Search</a></li></ul></div>
<table class="table-layout"><tr><td>
<span id="{PREFIX}rptHead_ctl00_tcText">CHAPTER XVIII<br/>PENAL MATTERS</span>
<table><tr>{title}</tr>
<tr><td id="{PREFIX}rptTreaty_ctl00_tcText">{place}</td></tr></table>
<div class="status-date">Status as at : {as_at:%d-%m-%Y} 09:58:39 EDT</div>
<table><tr><td>Status:</td><td id="{PREFIX}rptStatus_ctl00_tcText">{counts}</td></tr></table>
<div class="table-responsive">
<table class="table table-striped">
<thead><tr><th>Participant<sup>1</sup></th><th>Signature</th>
<th>Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table></div>
<div class="table-responsive"><table><tr><td><b>Notes:</b></td></tr>
<tr><td><sup>1</sup> Participants listed as at the date above.</td></tr></table></div>
</td></tr></table>
</form></body></html>
"""


def pasted_text(code: str, as_at: date, lines: list[Line]) -> str:
    instrument = Instrument.objects.get(code=code)
    signatories = sum(1 for line in lines if line.signature)
    parties = sum(1 for line in lines if line.consent)
    out = [
        "CHAPTER XVIII",
        "PENAL MATTERS",
        instrument.title,
        f"New York, {instrument.adopted_on:%d %B %Y}",
        f"Status as at : {as_at:%d-%m-%Y} 09:58:39 EDT",
        f"Status:\tSignatories : {signatories}. Parties : {parties}.",
        "",
        "Participant\tSignature\tRatification, Acceptance(A), Approval(AA), Accession(a), "
        "Succession(d)",
    ]
    for line in lines:
        name = line.participant + (f" {_note(line.participant)}" if _note(line.participant) else "")
        out.append(f"{name}\t{cell(line.signature)}\t{cell(line.consent, line.kind)}")
    out += ["", "Notes:", "1 Participants listed as at the date above."]
    return "\r\n".join(out) + "\r\n"


def csv_table(code: str, as_at: date, lines: list[Line]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "participant",
            "iso3",
            "instrument",
            "signature_date",
            "consent_date",
            "consent_kind",
            "status_as_at",
        ]
    )
    for line in lines:
        kind = "" if line.kind in (None, domain.CONSENT_KIND_NOT_RECORDED) else line.kind
        writer.writerow(
            [
                line.participant,
                line.iso3,
                code,
                line.signature or "",
                line.consent or "",
                kind if line.consent else "",
                as_at,
            ]
        )
    return out.getvalue()
