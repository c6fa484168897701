"""Loading participants and their former names from CSV files, row by row checked first.

Two kinds of table: participants (`iso3, name, short_name, kind, osce_role, source`) and
participant aliases (`iso3, alias, source`). instruments.importing runs this load as the first
part of a treaty data load, and asks it which participant each later row names (by code, by
name or by a former name, including those met earlier in the same load).
"""

from datetime import date
from typing import Any

from core.tables import CellChecker, ImportSummary, Table
from core.writes import Actor
from states.domain import iso3_problem
from states.models import Participant, ParticipantAlias
from states.services import alias_upsert, participant_upsert

PARTICIPANTS = "participants"
ALIASES = "participant aliases"

# The columns that identify each kind of table; a table may have more.
TABLE_COLUMNS = {
    PARTICIPANTS: {"iso3", "name", "short_name", "kind", "osce_role", "source"},
    ALIASES: {"iso3", "alias", "source"},
}


class ParticipantsLoad:
    """The participants and aliases of one load, checked into `check`, then written."""

    def __init__(self, check: CellChecker, *, today: date) -> None:
        self.check = check
        self.today = today
        self.participants: dict[str, dict[str, Any]] = {}  # by iso3, from a participants table
        self.aliases: list[tuple[Table, int, str, str, str]] = []
        self.new_participants: dict[str, str] = {}  # iso3 -> name, first met in a status table
        self._names = {
            name.casefold(): iso3 for iso3, name in Participant.objects.values_list("iso3", "name")
        }
        self._names.update(
            (name.casefold(), iso3)
            for name, iso3 in ParticipantAlias.objects.values_list("name", "participant__iso3")
        )
        self._known_iso3 = set(Participant.objects.values_list("iso3", flat=True))

    def participant_row(self, table: Table, row: int, values: dict[str, str]) -> None:
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

    def alias_row(self, table: Table, row: int, values: dict[str, str]) -> None:
        iso3 = self.participant_code(table, row, values)
        alias = self.check.required(table, row, values, "alias")
        source = self.check.required(table, row, values, "source")
        if iso3 and alias and source:
            self.aliases.append((table, row, iso3, alias, source))
            self._names[alias.casefold()] = iso3

    def participant_code(
        self, table: Table, row: int, values: dict[str, str], *, may_add: bool = False
    ) -> str | None:
        """The participant a row is about: by code, or else by its name or a former name.
        With `may_add` (a status table), an unknown code with a name adds a participant."""
        iso3 = values.get("iso3", "")
        name = values.get("participant", "")
        if iso3:
            if iso3 in self._known_iso3 or iso3 in self.participants:
                return iso3
            if may_add and name:
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

    def write(self, summary: ImportSummary, actor: Actor) -> None:
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
