"""Where participants stand with the instruments, computed from the record: the status
matrix and its rows, the instruments' facts and deposits, each in a fixed number of queries
that pages, the API and reports share. (A participant's profile and party counts over the
years are read in instruments.profiles; the records themselves, actions and declarations as
lists, in instruments.records.)"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, overload

from django.db.models import Q, QuerySet

from core.cache import cache_get, cache_set
from instruments import domain
from instruments.citations import citation
from instruments.models import Instrument, TreatyAction
from states.models import Participant
from states.selectors import participant_list

INSTRUMENTS_SECONDS = 3600


def instrument_list() -> QuerySet[Instrument]:
    return Instrument.objects.select_related("convention").order_by("display_order", "code")


def instrument_list_at(revision: int) -> list[Instrument]:
    """instrument_list() as it stands at this data revision, kept in the process's memory: a
    write bumps the revision, so a list read before it is never used after it (no query
    while held, one when not)."""
    key = f"instruments:{revision}"
    held = cache_get(key)
    if held is None:
        held = list(instrument_list())
        cache_set(key, held, INSTRUMENTS_SECONDS)
    return held


def instrument_facts_of(
    instrument: Instrument, convention_code: str | None
) -> domain.InstrumentFacts:
    return domain.InstrumentFacts(
        code=instrument.code,
        short_title=instrument.short_title,
        adopted_on=instrument.adopted_on,
        rule=domain.EntryIntoForceRule(
            threshold=instrument.eif_threshold,
            days_after_threshold=instrument.eif_days_after_threshold,
            days_after_later_deposit=instrument.eif_days_after_later_deposit,
            organizations_count=instrument.eif_reio_counts,
        ),
        convention=convention_code,
        entry_into_force=instrument.entry_into_force_on,
        signature_opens=instrument.opened_for_signature_on,
        signature_closes=instrument.open_for_signature_until,
    )


def instrument_facts(
    instruments: Iterable[Instrument] | None = None,
) -> dict[str, domain.InstrumentFacts]:
    """The rules of every instrument as plain values, keyed by code (one query)."""
    instruments = list(instrument_list() if instruments is None else instruments)
    codes = {i.pk: i.code for i in instruments}
    return {
        i.code: instrument_facts_of(i, codes[i.convention_id] if i.convention_id else None)
        for i in instruments
    }


def counted_by(as_of: date) -> Q:
    """The actions that count "as at" `as_of` in the view in law (domain.counts_by, R8):
    those dated by then, and successions whose date of succession has come."""
    return Q(date__lte=as_of) | Q(kind=domain.SUCCESSION, effective_date__lte=as_of)


def action_value(action: TreatyAction) -> domain.Action:
    return domain.Action(action.kind, action.date, action.effective_date, ref=action.pk)


@dataclass
class StatusMatrix:
    """Where each participant stood with each instrument on `as_of`.

    A participant's statuses are worked out from its actions (`actions`, by participant id
    and instrument code) the first time they are asked for, so a page of a long list works
    out only the rows it shows; `entries` works out every row."""

    as_of: date
    instruments: list[Instrument]
    participants: list[Participant]
    sources: dict[int, str] = field(default_factory=dict)  # action pk -> recorded source
    actions: dict[int, dict[str, list[domain.Action]]] = field(default_factory=dict)
    facts: dict[str, domain.InstrumentFacts] = field(default_factory=dict)
    _worked_out: dict[int, dict[str, domain.ParticipantStatus]] = field(
        default_factory=dict, init=False, repr=False
    )

    def source(self, ref: object) -> str | None:
        """The citation of the action behind a status (see instruments.citations); None
        without one."""
        return citation(self.sources[ref]) if isinstance(ref, int) and ref in self.sources else None

    def _statuses(self, participant_id: int) -> dict[str, domain.ParticipantStatus]:
        """The participant's statuses with the instruments shown (none without actions)."""
        statuses = self._worked_out.get(participant_id)
        if statuses is None:
            by_code = self.actions.get(participant_id)
            shown = {i.code for i in self.instruments}
            every = domain.participant_statuses(by_code, self.facts, self.as_of) if by_code else {}
            statuses = {code: status for code, status in every.items() if code in shown}
            self._worked_out[participant_id] = statuses
        return statuses

    def status(self, participant_id: int, code: str) -> domain.ParticipantStatus:
        return self._statuses(participant_id).get(code, domain.NO_STATUS)

    @property
    def entries(self) -> dict[tuple[int, str], domain.ParticipantStatus]:
        """Every participant's status with each instrument shown, where it has one."""
        return {
            (participant.pk, code): status
            for participant in self.participants
            for code, status in self._statuses(participant.pk).items()
        }

    def rows(
        self,
    ) -> Iterable[tuple[Participant, list[tuple[Instrument, domain.ParticipantStatus]]]]:
        for participant in self.participants:
            yield participant, [(i, self.status(participant.pk, i.code)) for i in self.instruments]

    def counts(self, participant_ids: Iterable[int] | None = None) -> dict[str, dict[str, int]]:
        """Per instrument: signatories (ever signed by the matrix date), parties and parties in
        force, among `participant_ids` (every row of the matrix when None). No query."""
        wanted = None if participant_ids is None else set(participant_ids)
        counts = {i.code: {"signatories": 0, "parties": 0, "in_force": 0} for i in self.instruments}
        for (participant_id, code), status in self.entries.items():
            if code not in counts or (wanted is not None and participant_id not in wanted):
                continue
            if status.signature_date is not None:
                counts[code]["signatories"] += 1
            if status.status == domain.PARTY:
                counts[code]["parties"] += 1
                counts[code]["in_force"] += int(status.in_force)
        return counts

    @property
    def complete_to(self) -> dict[str, date]:
        return {i.code: i.status_complete_to for i in self.instruments}


def status_matrix(
    *,
    as_of: date,
    participants: QuerySet[Participant] | Sequence[Participant] | None = None,
    instrument_codes: Iterable[str] | None = None,
    instruments: Iterable[Instrument] | None = None,
) -> StatusMatrix:
    """The status of every participant in `participants` for each instrument, as of a date.

    Three queries whatever the number of participants, fewer for what the caller already
    holds:
    1. the instruments (with their Conventions, for the Protocol rules), unless given:
       `instruments` are those to consider, each Protocol's Convention among them; actions
       on others are not read;
    2. the participants, unless given as a list;
    3. their actions, as bare values.
    """
    every_instrument = list(instrument_list() if instruments is None else instruments)
    facts = instrument_facts(every_instrument)
    wanted = set(instrument_codes) if instrument_codes is not None else None
    shown = [i for i in every_instrument if wanted is None or i.code in wanted]
    actions_query = TreatyAction.objects.filter(counted_by(as_of)).order_by()  # order: no use
    if participants is None:
        participants = participant_list(as_of=as_of)
    elif isinstance(participants, QuerySet):
        actions_query = actions_query.filter(participant__in=participants.values("pk"))
    else:
        actions_query = actions_query.filter(participant_id__in=[p.pk for p in participants])
    participant_rows = list(participants)

    code_of = {i.pk: i.code for i in every_instrument}
    actions: dict[int, dict[str, list[domain.Action]]] = defaultdict(lambda: defaultdict(list))
    rows = actions_query.values_list(
        "participant_id", "instrument_id", "kind", "date", "effective_date", "pk", "source"
    )
    sources: dict[int, str] = {}
    for participant_id, instrument_id, kind, when, effective, pk, source in rows:
        # Actions on instruments not considered are dropped here rather than in SQL: a
        # filter on the instrument would steer the database to the (instrument, date) index
        # and past the participants' own (measured: 6 ms instead of 0.3 for a page).
        code = code_of.get(instrument_id)
        if code is not None:
            actions[participant_id][code].append(domain.Action(kind, when, effective, ref=pk))
            sources[pk] = source

    return StatusMatrix(
        as_of=as_of,
        instruments=shown,
        participants=participant_rows,
        sources=sources,
        actions=actions,
        facts=facts,
    )


def participant_actions(participant: Participant) -> dict[str, list[domain.Action]]:
    """A participant's actions as plain values, by instrument code (one query)."""
    by_code: dict[str, list[domain.Action]] = defaultdict(list)
    for action in participant.actions.select_related("instrument"):
        by_code[action.instrument.code].append(action_value(action))
    return dict(by_code)


def computed_entry_into_force(instrument_code: str) -> date | None:
    """The instrument's entry into force computed from the recorded deposits (art. 38(1))."""
    facts = instrument_facts()
    instrument = facts[instrument_code]
    deposits = TreatyAction.objects.filter(
        instrument__code=instrument_code, kind__in=domain.CONSENT_KINDS
    ).values_list("date", "participant__kind")
    convention_eif = None
    if instrument.convention is not None:
        convention_eif = computed_entry_into_force(instrument.convention)
    return domain.instrument_entry_into_force(
        instrument.rule,
        ((when, kind == Participant.Kind.REIO) for when, kind in deposits),
        convention_eif,
        is_protocol=instrument.convention is not None,
    )


def deposits_by_instrument(
    exclude_participant: Participant | None = None,
) -> dict[str, list[tuple[date, bool]]]:
    """Every deposit of consent as (date, by an organization), by instrument code, for the
    entry-into-force rule (domain.entry_into_force_violations); one query."""
    deposits = TreatyAction.objects.filter(kind__in=domain.CONSENT_KINDS).order_by()
    if exclude_participant is not None:
        deposits = deposits.exclude(participant=exclude_participant)
    by_code: dict[str, list[tuple[date, bool]]] = defaultdict(list)
    for code, when, kind in deposits.values_list("instrument__code", "date", "participant__kind"):
        by_code[code].append((when, kind == Participant.Kind.REIO))
    return dict(by_code)


def status_entries(
    matrix: StatusMatrix, participants: Iterable[Participant] | None = None
) -> list[dict[str, Any]]:
    """The matrix as plain rows, one per participant and instrument: the contract the API's
    status/ resource, its CSV/XLSX exports and the pages' downloads all share.

    `participants` gives the order (e.g. from status_order); by default, by name."""
    entries = []
    for participant in matrix.participants if participants is None else participants:
        for instrument in matrix.instruments:
            status = matrix.status(participant.pk, instrument.code)
            entries.append(
                {
                    "state": participant.iso3,
                    "state_name": participant.local_name,
                    # The role held on the matrix's date (participant_list annotates it).
                    "osce_role": getattr(participant, "role_on", participant.osce_role),
                    "instrument": instrument.code,
                    "status": status.status,
                    "in_force": status.in_force,
                    "signature_date": status.signature_date,
                    "consent_date": status.consent_date,
                    "consent_kind": status.consent_kind,
                    "consent_kind_recorded": status.consent_kind_recorded,
                    "entry_into_force": status.entry_into_force,
                    "denunciation_date": status.denunciation_date,
                    "denunciation_effective": status.denunciation_effective,
                    "signature_source": matrix.source(status.signature_ref),
                    "consent_source": matrix.source(status.consent_ref),
                    "status_complete_to": instrument.status_complete_to,
                }
            )
    return entries


class StatusEntries(Sequence[dict[str, Any]]):
    """status_entries(matrix, participants) as a sequence whose rows are built when read:
    a page of the API (a slice) works out and builds only the rows it shows; iterating it
    (a download) builds them all, in order."""

    def __init__(self, matrix: StatusMatrix, participants: Iterable[Participant]) -> None:
        self.matrix = matrix
        self.participants = list(participants)
        self.width = len(matrix.instruments)

    def __len__(self) -> int:
        return len(self.participants) * self.width

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for participant in self.participants:
            yield from status_entries(self.matrix, [participant])

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, int):
            position = index + len(self) if index < 0 else index
            if not 0 <= position < len(self):
                raise IndexError(index)
            return self[position : position + 1][0]
        start, stop, step = index.indices(len(self))
        if start >= stop:
            return []
        if step != 1:
            return list(self)[index]
        first, last = start // self.width, -(-stop // self.width)
        offset = first * self.width
        rows = status_entries(self.matrix, self.participants[first:last])
        return rows[start - offset : stop - offset]


# --- Reads for the public pages and the feed ----------------------------------------------

ORDERING_FIELDS = ("name", "signature_date", "consent_date", "entry_into_force")


def status_order(matrix: StatusMatrix, ordering: str) -> list[Participant]:
    """The matrix's participants in the order `ordering` names (a field of ORDERING_FIELDS,
    "-" for descending). Dates are those of the first instrument shown; participants
    without that date come last, by name. No query."""
    field_name = ordering.removeprefix("-")
    descending = ordering.startswith("-")
    if field_name not in ORDERING_FIELDS:
        raise ValueError(f"unknown ordering {ordering!r}")
    participants = list(matrix.participants)  # by name already
    if field_name == "name":
        return participants[::-1] if descending else participants
    if not matrix.instruments:
        return participants
    code = matrix.instruments[0].code

    def value(participant: Participant) -> date | None:
        return getattr(matrix.status(participant.pk, code), field_name)

    dated = [p for p in participants if value(p) is not None]
    undated = [p for p in participants if value(p) is None]
    # A stable sort on the date keeps equal dates in name order either way.
    dated.sort(key=value, reverse=descending)  # type: ignore[arg-type]
    return dated + undated
