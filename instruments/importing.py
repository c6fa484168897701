"""Loading treaty data from CSV files: every row is checked before anything is written.

Five kinds of table are understood, told apart by their header: participants, participant
aliases, instruments, status tables (one row per participant and instrument, with signature
and consent columns, like the depositary's tables) and declarations. The shipped files in
states/data/ and instruments/data/ are such tables.

1. Read every file and check every row: dates, codes, kinds, required cells.
2. Check the treaty rules on the data as it would be after the load (stored data overlaid with
   the files), and name each broken rule by row and column.
3. If any row is wrong, write nothing and report every problem as "file: row N, column X:
   message" (row 1 is the header, as in a spreadsheet).
4. Otherwise write everything in one transaction through the services, so the load keeps
   history and follows the same rules as the back office; count created, updated, unchanged.
A second load of the same files changes nothing.
"""

import csv
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from instruments import domain, services
from instruments.models import Declaration, Instrument, TreatyAction
from instruments.selectors import instrument_facts_of
from states.domain import iso3_problem
from states.models import Participant, ParticipantAlias
from states.services import Actor, alias_upsert, participant_upsert

SHIPPED_FILES = [
    Path(settings.BASE_DIR) / "states" / "data" / "participants.csv",
    Path(settings.BASE_DIR) / "states" / "data" / "participant_aliases.csv",
    Path(settings.BASE_DIR) / "instruments" / "data" / "instruments.csv",
    Path(settings.BASE_DIR) / "instruments" / "data" / "treaty_status.csv",
    Path(settings.BASE_DIR) / "instruments" / "data" / "declarations.csv",
]

PARTICIPANTS = "participants"
ALIASES = "participant aliases"
INSTRUMENTS = "instruments"
STATUS = "status table"
DECLARATIONS = "declarations"

# The columns that identify each kind of table; a table may have more.
TABLE_COLUMNS = {
    PARTICIPANTS: {"iso3", "name", "short_name", "kind", "osce_role", "source"},
    ALIASES: {"iso3", "alias", "source"},
    INSTRUMENTS: {"code", "title", "short_title", "untc_reference", "adopted_on", "source"},
    STATUS: {"iso3", "instrument", "signature_date", "consent_date", "consent_kind", "source"},
    DECLARATIONS: {"iso3", "instrument", "article", "kind", "date", "summary", "source"},
}
# Load order: what later tables refer to comes first.
TABLE_ORDER = [PARTICIPANTS, ALIASES, INSTRUMENTS, STATUS, DECLARATIONS]

CONSENT_KIND_NAMES = {
    "ratification": domain.RATIFICATION,
    "acceptance": domain.ACCEPTANCE,
    "approval": domain.APPROVAL,
    "accession": domain.ACCESSION,
    "succession": domain.SUCCESSION,
    "formal_confirmation": domain.FORMAL_CONFIRMATION,
    "": domain.CONSENT_KIND_NOT_RECORDED,
}


@dataclass(frozen=True, order=True)
class RowError:
    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: row {self.row}, column {self.column}: {self.message}"


class ImportRefused(Exception):
    """The files break a rule; nothing was written."""

    def __init__(self, errors: Iterable[RowError]) -> None:
        self.errors = sorted(errors)
        super().__init__(f"{len(self.errors)} problem(s); nothing was written")


@dataclass
class ImportSummary:
    counts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    dry_run: bool = False

    def add(self, what: str, outcome: str, number: int = 1) -> None:
        self.counts[what][outcome] += number

    def lines(self) -> list[str]:
        return [
            f"{what}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            for what, c in self.counts.items()
        ]

    @property
    def changed(self) -> int:
        return sum(c["created"] + c["updated"] for c in self.counts.values())


@dataclass
class Table:
    path: Path
    kind: str
    rows: list[tuple[int, dict[str, str]]]

    @property
    def name(self) -> str:
        return self.path.name


def table_read(path: Path, tables: dict[str, set[str]] | None = None) -> Table:
    """Read a CSV file and tell which kind of table it is from its header: the first of
    `tables` (kind -> required columns; the treaty data's by default) whose columns it has."""
    tables = tables or TABLE_COLUMNS
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = set(reader.fieldnames or [])
            rows = [
                (number, {k: (v or "").strip() for k, v in row.items() if k is not None})
                for number, row in enumerate(reader, start=2)
            ]
    except UnicodeDecodeError as error:
        raise ImportRefused(
            [RowError(path.name, 1, "-", f"not UTF-8 text ({error.reason})")]
        ) from None
    for kind, columns in tables.items():
        if columns <= header:
            return Table(path, kind, rows)
    closest = max(tables, key=lambda k: len(tables[k] & header))
    missing = ", ".join(sorted(tables[closest] - header))
    raise ImportRefused(
        [RowError(path.name, 1, "-", f"unknown table; as a {closest} table it lacks: {missing}")]
    )


class _Checker:
    """Collects row errors while turning cells into values."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []

    def error(self, table: Table, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(table.name, row, column, message))

    def date(self, table: Table, row: int, values: dict[str, str], column: str) -> date | None:
        text = values.get(column, "")
        if not text:
            return None
        try:
            if len(text) != 10:  # fromisoformat also takes 20001212 and week dates
                raise ValueError(text)
            return date.fromisoformat(text)
        except ValueError:
            self.error(table, row, column, f"{text!r} is not a date in the form YYYY-MM-DD")
            return None

    def required(self, table: Table, row: int, values: dict[str, str], column: str) -> str:
        text = values.get(column, "")
        if not text:
            self.error(table, row, column, "is required and empty")
        return text

    def choice(
        self, table: Table, row: int, values: dict[str, str], column: str, allowed: Iterable[str]
    ) -> str | None:
        text = values.get(column, "")
        allowed = list(allowed)
        if text not in allowed:
            shown = ", ".join(a or "(empty)" for a in allowed)
            self.error(table, row, column, f"{text or '(empty)'!r} is not one of: {shown}")
            return None
        return text


class TreatyDataLoad:
    """One load of one or more tables; see the module docstring for the steps."""

    def __init__(self, tables: list[Table], *, today: date | None = None) -> None:
        self.tables = sorted(tables, key=lambda t: TABLE_ORDER.index(t.kind))
        self.today = today or timezone.localdate()
        self.check = _Checker()
        self.participants: dict[str, dict[str, Any]] = {}  # by iso3, from a participants table
        self.aliases: list[tuple[Table, int, str, str, str]] = []
        self.instruments: dict[str, dict[str, Any]] = {}
        self.status_rows: list[tuple[Table, int, str, str, dict[str, Any]]] = []
        self.declarations: list[tuple[Table, int, str, str, dict[str, Any]]] = []
        self.new_participants: dict[str, str] = {}  # iso3 -> name, first met in a status table
        self._names = {
            name.casefold(): iso3 for iso3, name in Participant.objects.values_list("iso3", "name")
        }
        self._names.update(
            (name.casefold(), iso3)
            for name, iso3 in ParticipantAlias.objects.values_list("name", "participant__iso3")
        )
        self._known_iso3 = set(Participant.objects.values_list("iso3", flat=True))
        self._instrument_codes = set(Instrument.objects.values_list("code", flat=True))

    # -- 1. rows ------------------------------------------------------------------------------

    def parse(self) -> None:
        for table in self.tables:
            parse_row = {
                PARTICIPANTS: self._participant_row,
                ALIASES: self._alias_row,
                INSTRUMENTS: self._instrument_row,
                STATUS: self._status_row,
                DECLARATIONS: self._declaration_row,
            }[table.kind]
            for number, values in table.rows:
                parse_row(table, number, values)

    def _participant_row(self, table: Table, row: int, values: dict[str, str]) -> None:
        c = self.check
        iso3 = c.required(table, row, values, "iso3")
        kind = c.choice(table, row, values, "kind", Participant.Kind.values)
        role = c.choice(table, row, values, "osce_role", Participant.OsceRole.values)
        name = c.required(table, row, values, "name")
        short_name = c.required(table, row, values, "short_name")
        source = c.required(table, row, values, "source")
        year_text = values.get("osce_joined_year", "")
        year = None
        if year_text:
            if not (year_text.isdigit() and 1973 <= int(year_text) <= self.today.year):
                c.error(table, row, "osce_joined_year", f"{year_text!r} is not a year since 1973")
            else:
                year = int(year_text)
        if iso3 and kind:
            problem = iso3_problem(iso3, kind)
            if problem:
                c.error(table, row, "iso3", f"{iso3!r} {problem}")
                return
        if iso3 in self.participants:
            c.error(table, row, "iso3", f"{iso3} appears twice in this table")
            return
        self.participants[iso3] = {
            "name": name,
            "short_name": short_name,
            "kind": kind,
            "osce_role": role,
            "osce_joined_year": year,
            "source": source,
            "osce_role_source": values.get("osce_role_source", ""),
        }
        self._names[name.casefold()] = iso3

    def _alias_row(self, table: Table, row: int, values: dict[str, str]) -> None:
        iso3 = self._participant_code(table, row, values)
        alias = self.check.required(table, row, values, "alias")
        source = self.check.required(table, row, values, "source")
        if iso3 and alias and source:
            self.aliases.append((table, row, iso3, alias, source))
            self._names[alias.casefold()] = iso3

    def _instrument_row(self, table: Table, row: int, values: dict[str, str]) -> None:
        c = self.check
        code = c.required(table, row, values, "code").lower()
        record: dict[str, Any] = {}
        for column in (
            "title",
            "short_title",
            "untc_reference",
            "adopted_place",
            "ga_resolution",
            "eif_article",
            "status_currency_note",
            "source",
        ):
            record[column] = c.required(table, row, values, column)
        record["signature_note"] = values.get("signature_note", "")
        for column in ("adopted_on", "status_complete_to"):
            record[column] = c.date(table, row, values, column)
            if record[column] is None and not values.get(column):
                c.error(table, row, column, "is required and empty")
        for column in ("opened_for_signature_on", "entry_into_force_on"):
            record[column] = c.date(table, row, values, column)
        for column in ("eif_threshold", "eif_days_after_threshold", "eif_days_after_later_deposit"):
            text = values.get(column, "")
            if not text.isdigit() or int(text) == 0:
                c.error(table, row, column, f"{text or '(empty)'!r} is not a positive number")
            else:
                record[column] = int(text)
        reio = c.choice(table, row, values, "eif_reio_counts", ["true", "false"])
        record["eif_reio_counts"] = reio == "true"
        order = values.get("display_order", "0")
        record["display_order"] = int(order) if order.isdigit() else 0
        record["convention"] = values.get("convention", "").lower() or None
        self.instruments[code] = record

    def _instrument_code(self, table: Table, row: int, values: dict[str, str]) -> str | None:
        code = values.get("instrument", "").lower()
        if code not in self._instrument_codes and code not in self.instruments:
            known = ", ".join(sorted(self._instrument_codes | set(self.instruments)))
            self.check.error(
                table, row, "instrument", f"{values.get('instrument')!r} is not one of: {known}"
            )
            return None
        return code

    def _participant_code(self, table: Table, row: int, values: dict[str, str]) -> str | None:
        """The participant a row is about: by code, or else by its name or a former name."""
        iso3 = values.get("iso3", "")
        name = values.get("participant", "")
        if iso3:
            if iso3 in self._known_iso3 or iso3 in self.participants:
                return iso3
            if table.kind == STATUS and name:
                problem = iso3_problem(iso3, Participant.Kind.STATE)
                if problem:
                    self.check.error(table, row, "iso3", f"{iso3!r} {problem}")
                    return None
                self.new_participants.setdefault(iso3, name)
                return iso3
            self.check.error(table, row, "iso3", f"no participant has the code {iso3!r}")
            return None
        for candidate in (name, values.get("former_name", "")):
            if candidate and candidate.casefold() in self._names:
                return self._names[candidate.casefold()]
        self.check.error(
            table, row, "iso3", f"empty, and no participant or former name matches {name!r}"
        )
        return None

    def _status_row(self, table: Table, row: int, values: dict[str, str]) -> None:
        c = self.check
        iso3 = self._participant_code(table, row, values)
        code = self._instrument_code(table, row, values)
        signature = c.date(table, row, values, "signature_date")
        consent = c.date(table, row, values, "consent_date")
        kind = c.choice(table, row, values, "consent_kind", CONSENT_KIND_NAMES)
        effective = c.date(table, row, values, "succession_effective_date")
        source = c.required(table, row, values, "source")
        if not values.get("signature_date") and not values.get("consent_date"):
            c.error(table, row, "consent_date", "a status row needs a signature or consent date")
        if values.get("consent_kind") and not values.get("consent_date"):
            c.error(table, row, "consent_kind", "a consent kind without a consent date")
        if effective and kind != "succession":
            c.error(
                table,
                row,
                "succession_effective_date",
                "only a succession has a date of succession",
            )
        if iso3 and code:
            record = {
                "signature_date": signature,
                "consent_date": consent,
                "consent_kind": CONSENT_KIND_NAMES.get(kind or ""),
                "effective_date": effective,
                "source": source,
            }
            self.status_rows.append((table, row, iso3, code, record))

    def _declaration_row(self, table: Table, row: int, values: dict[str, str]) -> None:
        c = self.check
        iso3 = self._participant_code(table, row, values)
        code = self._instrument_code(table, row, values)
        kind = c.choice(table, row, values, "kind", Declaration.Kind.values)
        made_at = values.get("made_at") or Declaration.MadeAt.UNKNOWN
        if made_at not in Declaration.MadeAt.values:
            c.error(
                table,
                row,
                "made_at",
                f"{made_at!r} is not one of: {', '.join(Declaration.MadeAt.values)}",
            )
        record: dict[str, Any] = {
            "kind": kind,
            "article": c.required(table, row, values, "article"),
            "date": c.date(table, row, values, "date"),
            "made_at": made_at,
            "summary": c.required(table, row, values, "summary"),
            "source": c.required(table, row, values, "source"),
        }
        if record["date"] and record["date"] > self.today:
            c.error(table, row, "date", f"{record['date']} is after today")
        if iso3 and code:
            self.declarations.append((table, row, iso3, code, record))

    # -- 2. rules -----------------------------------------------------------------------------

    def check_rules(self) -> None:
        """Check the treaty rules on each participant's actions as they would be after the
        load, and blame each new violation on the row (and column) that brings it."""
        facts = self._instrument_facts()
        if facts is None:
            return
        stored: dict[str, dict[str, list[domain.Action]]] = defaultdict(lambda: defaultdict(list))
        for iso3, code, kind, when, effective, pk in TreatyAction.objects.values_list(
            "participant__iso3", "instrument__code", "kind", "date", "effective_date", "pk"
        ):
            stored[iso3][code].append(domain.Action(kind, when, effective, ref=pk))

        proposed: dict[str, dict[str, list[domain.Action]]] = defaultdict(lambda: defaultdict(list))
        blame: dict[object, tuple[Table, int, str]] = {}
        seen: dict[tuple[str, str], int] = {}
        first_row: dict[object, tuple[Table, int]] = {}
        for table, row, iso3, code, record in self.status_rows:
            if (iso3, code) in seen:
                self.check.error(
                    table,
                    row,
                    "instrument",
                    f"{iso3} / {code} already given in row {seen[iso3, code]}",
                )
                continue
            seen[iso3, code] = row
            first_row.setdefault((iso3, code), (table, row))
            first_row.setdefault(iso3, (table, row))
            actions = list(stored[iso3].get(code, []))
            if record["signature_date"]:
                ref = (table.name, row, "signature")
                actions = [a for a in actions if a.kind != domain.SIGNATURE]
                actions.append(domain.Action(domain.SIGNATURE, record["signature_date"], ref=ref))
                blame[ref] = (table, row, "signature_date")
            if record["consent_date"]:
                ref = (table.name, row, "consent")
                current = _current_consent(actions)
                actions = [a for a in actions if a is not current]
                kind = record["consent_kind"]
                if (
                    kind == domain.CONSENT_KIND_NOT_RECORDED
                    and current is not None
                    and current.date == record["consent_date"]
                ):
                    kind = current.kind  # an unrecorded kind does not erase a recorded one
                actions.append(
                    domain.Action(kind, record["consent_date"], record["effective_date"], ref=ref)
                )
                blame[ref] = (table, row, "consent_date")
            proposed[iso3][code] = actions
        for iso3, by_code in proposed.items():
            after = dict(stored[iso3]) | dict(by_code)
            before = domain.participant_violations(stored[iso3], facts, self.today)
            found = domain.participant_violations(after, facts, self.today)
            for violation in domain.new_violations(before, found):
                if violation.ref in blame:
                    table, row, column = blame[violation.ref]
                    if violation.field == "kind" and column == "consent_date":
                        column = "consent_kind"
                    elif violation.field == "effective_date":
                        column = "succession_effective_date"
                else:  # a stored action the load leaves in place breaks a rule because of it
                    table, row = first_row.get((iso3, violation.instrument), first_row[iso3])
                    column = "instrument"
                self.check.error(table, row, column, f"{violation.message} [{violation.rule}]")

    def _instrument_facts(self) -> dict[str, domain.InstrumentFacts] | None:
        facts = {}
        for instrument in Instrument.objects.select_related("convention"):
            convention = instrument.convention.code if instrument.convention else None
            facts[instrument.code] = instrument_facts_of(instrument, convention)
        for code, record in self.instruments.items():
            if record.get("adopted_on") is None or "eif_threshold" not in record:
                return None  # the instruments table has errors of its own
            fields = {k: v for k, v in record.items() if k != "convention"}
            facts[code] = instrument_facts_of(Instrument(code=code, **fields), record["convention"])
        return facts

    # -- 3. and 4. write ----------------------------------------------------------------------

    def run(
        self,
        *,
        actor: Actor = None,
        dry_run: bool = False,
        progress: Callable[[Iterable[Any], int, str], Iterable[Any]] | None = None,
    ) -> ImportSummary:
        self.parse()
        if not self.check.errors:
            self.check_rules()
        if self.check.errors:
            raise ImportRefused(self.check.errors)
        summary = ImportSummary(dry_run=dry_run)
        step = progress or (lambda items, total, label: items)
        with transaction.atomic():
            self._write_participants(summary, actor)
            self._write_instruments(summary, actor)
            self._write_status(summary, actor, step)
            self._write_declarations(summary, actor, step)
            if dry_run:
                transaction.set_rollback(True)
        return summary

    def _write_participants(self, summary: ImportSummary, actor: Actor) -> None:
        for iso3, fields in self.participants.items():
            summary.add(
                "participants", participant_upsert(iso3=iso3, actor=actor, **fields).outcome
            )
        for iso3, name in self.new_participants.items():
            if iso3 in self.participants or Participant.objects.filter(iso3=iso3).exists():
                continue
            result = participant_upsert(
                iso3=iso3,
                actor=actor,
                name=name,
                short_name=name,
                kind=Participant.Kind.STATE,
                osce_role=Participant.OsceRole.NONE,
                source="first listed in a loaded status table",
            )
            summary.add("participants", result.outcome)
        for _, _, iso3, alias, source in self.aliases:
            participant = Participant.objects.get(iso3=iso3)
            result = alias_upsert(participant=participant, name=alias, source=source, actor=actor)
            summary.add("participant aliases", result.outcome)

    def _write_instruments(self, summary: ImportSummary, actor: Actor) -> None:
        # A Convention before its Protocols, so a Protocol can point to it.
        for code, record in sorted(
            self.instruments.items(), key=lambda i: i[1]["convention"] is not None
        ):
            values = dict(record)
            convention = values.pop("convention")
            values["convention"] = Instrument.objects.get(code=convention) if convention else None
            outcome, _ = services.instrument_upsert(code=code, actor=actor, **values)
            summary.add("instruments", outcome)

    def _write_status(self, summary: ImportSummary, actor: Actor, step: Callable) -> None:
        instruments = {i.code: i for i in Instrument.objects.all()}
        by_participant: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
        for _, _, iso3, code, record in self.status_rows:
            by_participant[iso3].append((code, record))
        participants = Participant.objects.in_bulk(list(by_participant), field_name="iso3")
        for iso3 in step(by_participant, len(by_participant), "status"):
            participant = participants[iso3]
            changes = services.ActionChanges()
            stored = defaultdict(list)
            for action in participant.actions.all():
                stored[action.instrument_id].append(action)
            unchanged = 0
            for code, record in by_participant[iso3]:
                instrument = instruments[code]
                unchanged += _plan_row(changes, stored[instrument.pk], instrument, record)
            services.actions_apply(participant=participant, changes=changes, actor=actor)
            summary.add("treaty actions", "created", len(changes.create))
            summary.add("treaty actions", "updated", len(changes.update))
            summary.add("treaty actions", "unchanged", unchanged)

    def _write_declarations(self, summary: ImportSummary, actor: Actor, step: Callable) -> None:
        instruments = {i.code: i for i in Instrument.objects.all()}
        participants = Participant.objects.in_bulk(field_name="iso3")
        stored = {
            (d.participant_id, d.instrument_id, d.kind, d.article, d.date): d
            for d in Declaration.objects.all()
        }
        for _, _, iso3, code, record in step(
            self.declarations, len(self.declarations), "declarations"
        ):
            participant, instrument = participants[iso3], instruments[code]
            key = (participant.pk, instrument.pk, record["kind"], record["article"], record["date"])
            existing = stored.get(key)
            if existing is None:
                services.declaration_record(
                    participant=participant, instrument=instrument, actor=actor, **record
                )
                summary.add("declarations", "created")
            elif any(getattr(existing, k) != v for k, v in record.items()):
                services.declaration_update(declaration=existing, actor=actor, **record)
                summary.add("declarations", "updated")
            else:
                summary.add("declarations", "unchanged")


def _current_consent(actions: Iterable[Any]) -> Any:
    """The latest consent among a participant's actions on one instrument (domain values or
    model rows alike), or None."""
    consents = [a for a in actions if a.kind in domain.CONSENT_KINDS]
    return max(consents, key=lambda a: a.date) if consents else None


def _plan_row(
    changes: services.ActionChanges,
    stored: list[TreatyAction],
    instrument: Instrument,
    record: dict[str, Any],
) -> int:
    """Add to `changes` what one status row asks for; return how many actions it leaves
    as they are. A row never removes an action: an empty cell means "not in this table"."""
    unchanged = 0
    source = record["source"]
    if record["signature_date"]:
        signature = next((a for a in stored if a.kind == domain.SIGNATURE), None)
        wanted = {"date": record["signature_date"], "source": source}
        if signature is None:
            changes.create.append({"instrument": instrument, "kind": domain.SIGNATURE, **wanted})
        elif any(getattr(signature, k) != v for k, v in wanted.items()):
            changes.update.append((signature, wanted, None))
        else:
            unchanged += 1
    if record["consent_date"]:
        consent = _current_consent(stored)
        kind = record["consent_kind"]
        if (
            kind == domain.CONSENT_KIND_NOT_RECORDED
            and consent is not None
            and consent.date == record["consent_date"]
        ):
            kind = consent.kind
        wanted = {
            "kind": kind,
            "date": record["consent_date"],
            "effective_date": record["effective_date"],
            "source": source,
        }
        if consent is None:
            changes.create.append({"instrument": instrument, **wanted})
        elif any(getattr(consent, k) != v for k, v in wanted.items()):
            changes.update.append((consent, wanted, None))
        else:
            unchanged += 1
    return unchanged


def treaty_data_load(
    paths: Iterable[Path] | None = None,
    *,
    actor: Actor = None,
    dry_run: bool = False,
    progress: Callable[[Iterable[Any], int, str], Iterable[Any]] | None = None,
) -> ImportSummary:
    """Load the given CSV files (default: the shipped data); raise ImportRefused with every
    problem, having written nothing, if any row is wrong."""
    tables = [table_read(Path(p)) for p in (paths or SHIPPED_FILES)]
    return TreatyDataLoad(tables).run(actor=actor, dry_run=dry_run, progress=progress)
