"""Loading treaty data from CSV files: every row is checked before anything is written.

Six kinds of table are understood, told apart by their header: participants, participant
aliases, OSCE role periods (states.importing_roles), instruments, status tables (one row
per participant and instrument, with signature and consent columns, like the depositary's
tables) and declarations. The shipped files in
states/data/ and instruments/data/ are such tables. Participants and their aliases are read by
states.importing (ParticipantsLoad), which also tells which participant each later row names.

1. Read every file and check every row: dates, codes, kinds, required cells.
2. Check the treaty rules on the data as it would be after the load (stored data overlaid with
   the files), and name each broken rule by row and column.
3. If any row is wrong, write nothing and report every problem as "file: row N, column X:
   message" (row 1 is the header, as in a spreadsheet).
4. Otherwise write everything in one transaction through the services, so the load keeps
   history and follows the same rules as the back office; count created, updated, unchanged.
A second load of the same files changes nothing.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.events import origin
from core.models import Event
from core.tables import CellChecker, ImportRefused, ImportSummary, Table, table_read
from core.writes import Actor
from instruments import domain, services
from instruments.events import treaty_changes
from instruments.importing_status import CONSENT_KIND_NAMES, row_overlaid, row_plan
from instruments.models import Declaration, Instrument, TreatyAction
from instruments.selectors import instrument_facts_of
from states.importing import ALIASES, PARTICIPANTS, ParticipantsLoad
from states.importing import TABLE_COLUMNS as PARTICIPANT_TABLE_COLUMNS
from states.importing_roles import ROLE_PERIODS, RolePeriodRows
from states.models import Participant

SHIPPED_FILES = [
    Path(settings.BASE_DIR) / "states" / "data" / "participants.csv",
    Path(settings.BASE_DIR) / "states" / "data" / "participant_aliases.csv",
    Path(settings.BASE_DIR) / "states" / "data" / "osce_role_periods.csv",
    Path(settings.BASE_DIR) / "instruments" / "data" / "instruments.csv",
    Path(settings.BASE_DIR) / "instruments" / "data" / "treaty_status.csv",
    Path(settings.BASE_DIR) / "instruments" / "data" / "declarations.csv",
]

INSTRUMENTS = "instruments"
STATUS = "status table"
DECLARATIONS = "declarations"

# The columns that identify each kind of table; a table may have more.
TABLE_COLUMNS = {
    **PARTICIPANT_TABLE_COLUMNS,
    ROLE_PERIODS: {"role", "valid_from", "source"},
    INSTRUMENTS: {"code", "title", "short_title", "untc_reference", "adopted_on", "source"},
    STATUS: {"iso3", "instrument", "signature_date", "consent_date", "consent_kind", "source"},
    DECLARATIONS: {"iso3", "instrument", "article", "kind", "date", "summary", "source"},
}
# Load order: what later tables refer to comes first.
TABLE_ORDER = [PARTICIPANTS, ALIASES, ROLE_PERIODS, INSTRUMENTS, STATUS, DECLARATIONS]


class TreatyDataLoad:
    """One load of one or more tables; see the module docstring for the steps."""

    def __init__(self, tables: list[Table], *, today: date | None = None) -> None:
        self.tables = sorted(tables, key=lambda t: TABLE_ORDER.index(t.kind))
        self.today = today or timezone.localdate()
        self.check = CellChecker()
        self.participants = ParticipantsLoad(self.check, today=self.today)
        self.instruments: dict[str, dict[str, Any]] = {}
        self.instrument_rows: dict[str, tuple[Table, int]] = {}
        self.status_rows: list[tuple[Table, int, str, str, dict[str, Any]]] = []
        self.declarations: list[tuple[Table, int, str, str, dict[str, Any]]] = []
        self.role_periods = RolePeriodRows(self.participants, self.check, today=self.today)
        self._instrument_codes = set(Instrument.objects.values_list("code", flat=True))

    # -- 1. rows ------------------------------------------------------------------------------

    def parse(self) -> None:
        for table in self.tables:
            parse_row = {
                PARTICIPANTS: self.participants.participant_row,
                ALIASES: self.participants.alias_row,
                ROLE_PERIODS: self.role_periods.parse,
                INSTRUMENTS: self._instrument_row,
                STATUS: self._status_row,
                DECLARATIONS: self._declaration_row,
            }[table.kind]
            for number, values in table.rows:
                parse_row(table, number, values)

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
        for column in (
            "opened_for_signature_on",
            "open_for_signature_until",
            "entry_into_force_on",
        ):
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
        self.instrument_rows[code] = (table, row)

    def _instrument_code(self, table: Table, row: int, values: dict[str, str]) -> str | None:
        code = values.get("instrument", "").lower()
        if code not in self._instrument_codes and code not in self.instruments:
            known = ", ".join(sorted(self._instrument_codes | set(self.instruments)))
            self.check.error(
                table, row, "instrument", f"{values.get('instrument')!r} is not one of: {known}"
            )
            return None
        return code

    def _status_row(self, table: Table, row: int, values: dict[str, str]) -> None:
        c = self.check
        iso3 = self.participants.participant_code(table, row, values, may_add=True)
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
        iso3 = self.participants.participant_code(table, row, values)
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
            proposed[iso3][code] = row_overlaid(
                list(stored[iso3].get(code, [])), table, row, record, blame
            )
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
            self.role_periods.check_rules()
        if self.check.errors:
            raise ImportRefused(self.check.errors)
        summary = ImportSummary(dry_run=dry_run)
        step = progress or (lambda items, total, label: items)
        with transaction.atomic():
            # One announcement of every participant whose treaty data changed, not one each,
            # and the entry-into-force rule checked on the load as a whole.
            with (
                treaty_changes.batched(),
                self._entry_into_force_checked(),
                origin(Event.Origin.DATA_LOAD),
            ):
                self.participants.write(summary, actor)
                self.role_periods.write(summary, actor)
                self._write_instruments(summary, actor)
                self._write_status(summary, actor, step)
                self._write_declarations(summary, actor, step)
            if dry_run:
                transaction.set_rollback(True)
        return summary

    @contextmanager
    def _entry_into_force_checked(self) -> Iterator[None]:
        """services.entry_into_force_checked_once, its refusal told as row errors: on the
        instrument's row if the load has one, else on its first status row."""
        try:
            with services.entry_into_force_checked_once():
                yield
        except services.TreatyRuleError as refused:
            rows = {code: (table, row) for table, row, _, code, _ in reversed(self.status_rows)}
            rows |= self.instrument_rows
            for violation in refused.violations:
                table, row = rows[violation.instrument]
                column = "entry_into_force_on" if table.kind == INSTRUMENTS else "consent_date"
                self.check.error(table, row, column, f"{violation.message} [{violation.rule}]")
            raise ImportRefused(self.check.errors) from refused

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
                unchanged += row_plan(changes, stored[instrument.pk], instrument, record)
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


def treaty_data_load(
    paths: Iterable[Path] | None = None,
    *,
    actor: Actor = None,
    dry_run: bool = False,
    progress: Callable[[Iterable[Any], int, str], Iterable[Any]] | None = None,
) -> ImportSummary:
    """Load the given CSV files (default: the shipped data); raise ImportRefused with every
    problem, having written nothing, if any row is wrong."""
    tables = [table_read(Path(p), TABLE_COLUMNS) for p in (paths or SHIPPED_FILES)]
    return TreatyDataLoad(tables).run(actor=actor, dry_run=dry_run, progress=progress)
