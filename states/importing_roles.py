"""The OSCE role periods table of a treaty-data load (run by instruments.importing).

Columns: iso3 (or participant), role, valid_from, valid_from_precision, valid_to,
valid_to_precision, source, optionally note. A date known only to the year is written as
1 January with the precision "year". Rows are checked with states.domain.role_period_problems
over each participant's periods as they would be after the load, then written through
states.services.osce_role_period_upsert.
"""

from collections import defaultdict
from datetime import date
from typing import Any

from core.tables import CellChecker, ImportSummary, Table
from core.writes import Actor
from states import domain
from states.importing import ParticipantsLoad
from states.models import OsceRolePeriod, Participant
from states.services import osce_role_period_upsert

ROLE_PERIODS = "OSCE role periods"
TABLE_COLUMNS = {ROLE_PERIODS: {"role", "valid_from", "source"}}

PRECISIONS = [domain.PRECISION_DAY, domain.PRECISION_YEAR]


class RolePeriodRows:
    """The role period rows of one load: parsed, checked, then written."""

    def __init__(self, participants: ParticipantsLoad, check: CellChecker, *, today: date) -> None:
        self.participants = participants
        self.check = check
        self.today = today
        self.rows: list[tuple[Table, int, str, date, dict[str, Any]]] = []

    def parse(self, table: Table, row: int, values: dict[str, str]) -> None:
        check = self.check
        iso3 = self.participants.participant_code(table, row, values)
        role = check.choice(table, row, values, "role", domain.OSCE_ROLES)
        valid_from = check.date(table, row, values, "valid_from")
        if valid_from is None and not values.get("valid_from"):
            check.error(table, row, "valid_from", "is required and empty")
        source = check.required(table, row, values, "source")
        record: dict[str, Any] = {"role": role, "source": source, "note": values.get("note", "")}
        record["valid_to"] = check.date(table, row, values, "valid_to")
        for column in ("valid_from_precision", "valid_to_precision"):
            values.setdefault(column, domain.PRECISION_DAY)
            values[column] = values[column] or domain.PRECISION_DAY
            record[column] = check.choice(table, row, values, column, PRECISIONS)
        precisions = (record["valid_from_precision"], record["valid_to_precision"])
        if iso3 and role and valid_from and None not in precisions:
            self.rows.append((table, row, iso3, valid_from, record))

    def check_rules(self) -> None:
        """Each participant's periods as they would be after the load obey the role rules."""
        stored: dict[str, dict[date, domain.RolePeriod]] = defaultdict(dict)
        for period in OsceRolePeriod.objects.select_related("participant"):
            stored[period.participant.iso3][period.valid_from] = domain.RolePeriod(
                period.role,
                period.valid_from,
                period.valid_from_precision,
                period.valid_to,
                period.valid_to_precision,
                ref=("stored", period.pk),
            )
        proposed = {iso3: dict(periods) for iso3, periods in stored.items()}
        for table, row, iso3, valid_from, record in self.rows:
            proposed.setdefault(iso3, {})[valid_from] = domain.RolePeriod(
                record["role"],
                valid_from,
                record["valid_from_precision"],
                record["valid_to"],
                record["valid_to_precision"],
                ref=(table, row),
            )
        for periods in proposed.values():
            for problem in domain.role_period_problems(list(periods.values()), self.today):
                if isinstance(problem.ref, tuple) and problem.ref[0] != "stored":
                    table, row = problem.ref
                    self.check.error(
                        table, row, problem.field, f"{problem.message} [{problem.rule}]"
                    )

    def write(self, summary: ImportSummary, actor: Actor) -> None:
        participants = {p.iso3: p for p in Participant.objects.all()}
        for _, _, iso3, valid_from, record in sorted(self.rows, key=lambda r: (r[2], r[3])):
            result = osce_role_period_upsert(
                participant=participants[iso3],
                valid_from=valid_from,
                actor=actor,
                today=self.today,
                **record,
            )
            summary.add("OSCE role periods", result.outcome)
