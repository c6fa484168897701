"""The facts after the 2014 tables (post2014_candidates.csv): which become treaty actions and
which stay open questions.

A candidate is a consent to be bound that a source after the depositary's 2014 tables reports,
with a confidence and a note. It becomes a treaty action only when all of these hold; any
other candidate is an open question, shown on the data-quality page until a dated source
settles it:
1. its confidence is high (a dated fact from the depositary, an official gazette, a national
   treaty database or the acting State's foreign ministry);
2. it has a date: no day is ever guessed from a month, a year or a party count;
3. a date derived from an entry-into-force date says so in its note, and the derivation is
   exact: the instrument's rule for a later deposit (art. 38(2) and the Protocols' matching
   articles: in force on the Nth day after deposit) run backwards gives the date, and the
   entry into force is after the instrument's own, so the "whichever is later" clause does
   not apply;
4. it breaks no treaty rule with the participant's recorded actions and the candidates
   accepted before it (Conventions first): above all art. 37(2), a Protocol party must be a
   Convention party.

`candidates_sort` reads the file and the stored actions and decides every row;
`status_rows` gives the accepted ones in the shape of a status table (the columns
load_treaty_data reads, the source a citation with its date), which is what a reviewed
import takes as input; `open_question_rows` gives the rest in the columns of
open_questions.csv.
"""

import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from core.tables import ImportRefused, RowError, Table, table_read
from instruments import domain
from instruments.importing_status import CONSENT_KIND_NAMES
from instruments.models import TreatyAction
from instruments.selectors import instrument_facts

CANDIDATES_FILE = Path(settings.BASE_DIR) / "instruments" / "data" / "post2014_candidates.csv"
CANDIDATES = "post-2014 candidates"
CANDIDATE_COLUMNS = {
    "participant",
    "iso3",
    "instrument",
    "action",
    "date",
    "consent_kind",
    "source",
    "source_as_of",
    "confidence",
    "note",
}
CONFIDENCES = ("high", "medium", "low")
STATUS_COLUMNS = [
    "participant",
    "iso3",
    "instrument",
    "signature_date",
    "consent_date",
    "consent_kind",
    "source",
]
OPEN_QUESTION_COLUMNS = [
    "participant",
    "iso3",
    "instrument",
    "claim",
    "claimed_kind",
    "claimed_date",
    "confidence",
    "reason",
    "source",
    "source_as_of",
    "note",
]

# "Entry into force 2021-11-13 per the Netherlands treaty database; deposit date derived as
# 30 days earlier": the form in which the reference notes a derived date.
_DERIVED = re.compile(
    r"entry into force (\d{4}-\d{2}-\d{2}).*?deposit date derived as (\d+) days earlier",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Candidate:
    row: int
    participant: str
    iso3: str
    instrument: str
    date: date | None
    kind: str  # a consent kind; CONSENT_KIND_NOT_RECORDED when the source does not say
    source: str
    source_as_of: str
    confidence: str
    note: str


@dataclass(frozen=True)
class Decision:
    candidate: Candidate
    accepted: bool
    reason: str  # an open question: why; an accepted fact: "" or how its date was derived
    derived_from: date | None = None  # the entry-into-force date a derived date comes from


# --- the rules, over plain values ----------------------------------------------------------


def derivation_of(note: str) -> tuple[date, int] | None:
    """The entry-into-force date and the number of days a note says a date was derived
    with, or None when the note claims no derivation."""
    found = _DERIVED.search(note)
    if found is None:
        return None
    return date.fromisoformat(found.group(1)), int(found.group(2))


def derivation_problem(
    candidate: Candidate, instrument: domain.InstrumentFacts, eif: date, days: int
) -> str:
    """Why a date derived from an entry into force cannot be trusted ("" when exact)."""
    rule_days = instrument.rule.days_after_later_deposit
    if days != rule_days:
        return (
            f"the note derives the date with {days} days, but the {instrument.short_title} "
            f"enters into force {rule_days} days after a later deposit"
        )
    if candidate.date is None or candidate.date + timedelta(days=rule_days) != eif:
        return f"the date is not {rule_days} days before the entry into force {eif}"
    if instrument.entry_into_force is None or eif <= instrument.entry_into_force:
        return (
            "the entry into force is not after the instrument's own, so the deposit may "
            "have been earlier"
        )
    return ""


def candidate_decide(
    candidate: Candidate,
    facts: Mapping[str, domain.InstrumentFacts],
    actions: Mapping[str, list[domain.Action]],
    today: date,
) -> Decision:
    """Decide one candidate (the module docstring's steps 1-4); `actions` are the
    participant's recorded actions with the candidates already accepted."""
    doubts = []
    if candidate.confidence != "high":
        doubts.append(f"confidence {candidate.confidence}")
    if candidate.date is None:
        doubts.append("no source gives the day")
    if doubts:
        return Decision(candidate, False, "; ".join(doubts))
    instrument = facts[candidate.instrument]
    derived_from = None
    derivation = derivation_of(candidate.note)
    if derivation is not None:
        eif, days = derivation
        problem = derivation_problem(candidate, instrument, eif, days)
        if problem:
            return Decision(candidate, False, f"derived date not exact: {problem}")
        derived_from = eif
    proposed = {code: list(values) for code, values in actions.items()}
    proposed[candidate.instrument] = candidate_actions(
        actions.get(candidate.instrument, []), candidate
    )
    before = domain.participant_violations(actions, facts, today)
    after = domain.participant_violations(proposed, facts, today)
    broken = domain.new_violations(before, after)
    if broken:
        return Decision(candidate, False, " ".join(v.message for v in broken))
    reason = ""
    if derived_from is not None:
        reason = (
            f"date of deposit derived from the entry into force on {derived_from:%-d %B %Y} "
            f"({instrument.rule.days_after_later_deposit}-day rule)"
        )
    return Decision(candidate, True, reason, derived_from)


def candidate_actions(stored: list[domain.Action], candidate: Candidate) -> list[domain.Action]:
    """The participant's actions on the instrument with the candidate's consent: it replaces
    a consent of the same day (a kind the source now gives) or joins the others."""
    assert candidate.date is not None
    kept = [a for a in stored if not (a.kind in domain.CONSENT_KINDS and a.date == candidate.date)]
    return [*kept, domain.Action(candidate.kind, candidate.date, ref=("candidate", candidate.row))]


def candidates_decide(
    candidates: Iterable[Candidate],
    facts: Mapping[str, domain.InstrumentFacts],
    stored: Mapping[str, Mapping[str, list[domain.Action]]],
    today: date,
) -> list[Decision]:
    """Decide every candidate; a participant's Convention rows before its Protocol rows, so
    that a Convention consent accepted here counts for art. 37(2). In file order otherwise."""
    decisions: dict[int, Decision] = {}
    accepted: dict[str, dict[str, list[domain.Action]]] = {}
    ordered = sorted(candidates, key=lambda c: (facts[c.instrument].convention is not None, c.row))
    for candidate in ordered:
        actions = accepted.setdefault(
            candidate.iso3, {code: list(v) for code, v in stored.get(candidate.iso3, {}).items()}
        )
        decision = candidate_decide(candidate, facts, actions, today)
        if decision.accepted:
            actions[candidate.instrument] = candidate_actions(
                actions.get(candidate.instrument, []), candidate
            )
        decisions[candidate.row] = decision
    return [decisions[row] for row in sorted(decisions)]


def status_row(decision: Decision, instrument: domain.InstrumentFacts) -> dict[str, str]:
    """An accepted candidate as a status-table row; its source reads as a citation."""
    c = decision.candidate
    citation = c.source
    if c.source_as_of:
        citation += f" (as at {c.source_as_of})"
    if decision.derived_from is not None:
        citation += (
            f"; entry into force {decision.derived_from:%-d %B %Y}, date of deposit "
            f"{instrument.rule.days_after_later_deposit} days earlier by the "
            f"{instrument.short_title}'s rule for a later deposit"
        )
    kind = "" if c.kind == domain.CONSENT_KIND_NOT_RECORDED else c.kind
    return {
        "participant": c.participant,
        "iso3": c.iso3,
        "instrument": c.instrument.upper(),
        "signature_date": "",
        "consent_date": c.date.isoformat() if c.date else "",
        "consent_kind": kind,
        "source": citation,
    }


def open_question_row(decision: Decision) -> dict[str, str]:
    c = decision.candidate
    kind = "" if c.kind == domain.CONSENT_KIND_NOT_RECORDED else c.kind
    claim = f"consent to be bound ({kind})" if kind else "consent to be bound (kind not given)"
    claim += f" on {c.date:%-d %B %Y}" if c.date else ", no day given"
    return {
        "participant": c.participant,
        "iso3": c.iso3,
        "instrument": c.instrument.upper(),
        "claim": claim,
        "claimed_kind": kind,
        "claimed_date": c.date.isoformat() if c.date else "",
        "confidence": c.confidence,
        "reason": decision.reason,
        "source": c.source,
        "source_as_of": c.source_as_of,
        "note": c.note,
    }


# --- reading the file and the database -----------------------------------------------------


def candidates_read(path: Path, instrument_codes: Iterable[str]) -> list[Candidate]:
    """Every row of a candidates file, checked; ImportRefused naming each bad cell."""
    table: Table = table_read(path, {CANDIDATES: CANDIDATE_COLUMNS})
    codes = set(instrument_codes)
    errors: list[RowError] = []
    candidates = []
    for number, values in table.rows:

        def error(column: str, message: str, number: int = number) -> None:
            errors.append(RowError(table.name, number, column, message))

        code = values["instrument"].lower()
        if code not in codes:
            error(
                "instrument", f"{values['instrument']!r} is not one of: {', '.join(sorted(codes))}"
            )
        if values["action"] != "consent":
            error("action", f"{values['action']!r} is not 'consent'")
        if values["consent_kind"] not in CONSENT_KIND_NAMES:
            error("consent_kind", f"{values['consent_kind']!r} is not a kind of consent")
        if values["confidence"] not in CONFIDENCES:
            error("confidence", f"{values['confidence']!r} is not one of: high, medium, low")
        for column in ("participant", "iso3", "source"):
            if not values[column]:
                error(column, "is required and empty")
        when = None
        if values["date"]:
            try:
                when = date.fromisoformat(values["date"])
            except ValueError:
                error("date", f"{values['date']!r} is not a date in the form YYYY-MM-DD")
        candidates.append(
            Candidate(
                row=number,
                participant=values["participant"],
                iso3=values["iso3"],
                instrument=code,
                date=when,
                kind=CONSENT_KIND_NAMES.get(values["consent_kind"], ""),
                source=values["source"],
                source_as_of=values["source_as_of"],
                confidence=values["confidence"],
                note=values["note"],
            )
        )
    if errors:
        raise ImportRefused(errors)
    return candidates


@dataclass
class CandidateSort:
    decisions: list[Decision]
    facts: dict[str, domain.InstrumentFacts]

    @property
    def accepted(self) -> list[Decision]:
        return [d for d in self.decisions if d.accepted]

    @property
    def open(self) -> list[Decision]:
        return [d for d in self.decisions if not d.accepted]

    def status_rows(self) -> list[dict[str, str]]:
        return [status_row(d, self.facts[d.candidate.instrument]) for d in self.accepted]

    def open_question_rows(self) -> list[dict[str, str]]:
        return [open_question_row(d) for d in self.open]


def candidates_sort(path: Path = CANDIDATES_FILE, *, today: date | None = None) -> CandidateSort:
    """Decide every candidate in `path` against the recorded actions (two queries)."""
    facts = instrument_facts()
    candidates = candidates_read(path, facts)
    wanted = {c.iso3 for c in candidates}
    stored: dict[str, dict[str, list[domain.Action]]] = defaultdict(lambda: defaultdict(list))
    rows = TreatyAction.objects.filter(participant__iso3__in=wanted).values_list(
        "participant__iso3", "instrument__code", "kind", "date", "effective_date", "pk"
    )
    for iso3, code, kind, when, effective, pk in rows:
        stored[iso3][code].append(domain.Action(kind, when, effective, ref=pk))
    today = today or timezone.localdate()
    return CandidateSort(candidates_decide(candidates, facts, stored, today), facts)


def csv_write(path: Path, columns: list[str], rows: Iterable[Mapping[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
