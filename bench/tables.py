"""The synthetic status and declarations tables: each participant's rows, generated from a
generator seeded with its code, so the same code always gets the same rows (bench/dataset.py
loads them through the importer)."""

import csv
import random
from datetime import date, timedelta
from pathlib import Path

SOURCE = "synthetic benchmark data (invented, not a fact)"
NAME_PREFIX = "Synthetic participant"
SEED = 20001115  # the Convention's adoption, 15 November 2000
LAST_DATE = date(2023, 12, 31)
PROTOCOLS = (("tip", 0.9), ("som", 0.8), ("fir", 0.6))  # how many parties to UNTOC join each
FIREARMS_SIGNATURE_FROM = date(2001, 7, 2)


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


class _Rows:
    """One participant's rows in a status table and in a declarations table, as generated."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.name = f"{NAME_PREFIX} {code}"
        self.status_rows: list[dict[str, str]] = []
        self.declaration_rows: list[dict[str, str]] = []

    def status(
        self,
        instrument: str,
        signed: date | None,
        consent: date | None,
        kind: str = "",
        effective: date | None = None,
    ) -> None:
        self.status_rows.append(
            {
                "participant": self.name,
                "iso3": self.code,
                "instrument": instrument,
                "signature_date": signed.isoformat() if signed else "",
                "consent_date": consent.isoformat() if consent else "",
                "consent_kind": kind if consent else "",
                "succession_effective_date": effective.isoformat() if effective else "",
                "source": SOURCE,
            }
        )

    def declaration(self, article: str, kind: str, when: date, summary: str) -> None:
        self.declaration_rows.append(
            {
                "participant": self.name,
                "iso3": self.code,
                "instrument": "untoc",
                "article": article,
                "kind": kind,
                "date": when.isoformat(),
                "made_at": "deposit",
                "summary": summary,
                "source": SOURCE,
            }
        )


def _convention(rng: random.Random, rows: _Rows) -> tuple[date | None, date | None]:
    """The Convention's row: signed by seven in ten, consented to by nine in ten (two in a
    hundred by succession); the signature and consent dates."""
    signed = None
    if rng.random() < 0.7:
        signed = _day_between(rng, date(2000, 12, 12), date(2002, 12, 12))
    consent = None
    roll = rng.random()
    if roll < 0.88:
        consent = _day_between(rng, max(signed or date(2001, 1, 1), date(2001, 1, 1)), LAST_DATE)
        kind = "accession"
        if signed:
            kind = rng.choices(["ratification", "acceptance", "approval", ""], [80, 8, 8, 4])[0]
        rows.status("untoc", signed, consent, kind)
    elif roll < 0.90:
        # A successor State: bound from its date of succession, notified later.
        signed = None
        consent = _day_between(rng, date(2004, 1, 1), LAST_DATE)
        rows.status(
            "untoc", None, consent, "succession", consent - timedelta(rng.randrange(30, 400))
        )
    elif signed:
        rows.status("untoc", signed, None)
    return signed, consent


def _protocols(rng: random.Random, rows: _Rows, signed: date | None, consent: date) -> None:
    """A party to the Convention joins each Protocol after it (art. 37(2)), some of them."""
    for protocol, likelihood in PROTOCOLS:
        if rng.random() >= likelihood:
            continue
        opens = FIREARMS_SIGNATURE_FROM if protocol == "fir" else date(2000, 12, 12)
        protocol_signed = max(signed, opens) if signed and rng.random() < 0.75 else None
        earliest = max(consent, protocol_signed or consent, opens)
        latest = max(earliest, min(earliest + timedelta(days=2000), LAST_DATE))
        rows.status(
            protocol,
            protocol_signed,
            _day_between(rng, earliest, latest),
            "ratification" if protocol_signed else "accession",
        )


def participant_rows(code: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """One participant's rows in a status table and in a declarations table.

    Seven in ten sign the Convention (12 December 2000 to 12 December 2002); nine in ten
    consent to it (by ratification, acceptance, approval or a consent whose kind is not
    recorded if they signed, else by accession or, two in a hundred, succession); its parties
    join the Protocols after it (art. 37(2)); a third notify a central authority under
    art. 18(13) and one in ten reserve on art. 35(2).
    """
    rng = random.Random(f"{SEED}-{code}")
    rows = _Rows(code)
    signed, consent = _convention(rng, rows)
    if consent is None:
        return rows.status_rows, rows.declaration_rows
    _protocols(rng, rows, signed, consent)
    if rng.random() < 0.33:
        rows.declaration(
            "18(13)",
            "notification",
            consent,
            "Central authority for mutual legal assistance designated",
        )
    if rng.random() < 0.1:
        rows.declaration(
            "35(2)",
            "reservation",
            consent,
            "Not bound by art. 35(2) on the settlement of disputes",
        )
    return rows.status_rows, rows.declaration_rows


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


STATUS_COLUMNS = [
    "participant",
    "iso3",
    "instrument",
    "signature_date",
    "consent_date",
    "consent_kind",
    "succession_effective_date",
    "source",
]
DECLARATION_COLUMNS = [
    "participant",
    "iso3",
    "instrument",
    "article",
    "kind",
    "date",
    "made_at",
    "summary",
    "source",
]
