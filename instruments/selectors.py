"""Reads of treaty data that pages, the API and reports share, each in a fixed number of queries."""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import F, Q, QuerySet

from instruments import domain
from instruments.models import Declaration, Instrument, TreatyAction
from states.models import Participant


def instrument_list() -> QuerySet[Instrument]:
    return Instrument.objects.select_related("convention").order_by("display_order", "code")


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


def action_value(action: TreatyAction) -> domain.Action:
    return domain.Action(action.kind, action.date, action.effective_date, ref=action.pk)


@dataclass
class StatusMatrix:
    """Where each participant stood with each instrument on `as_of`."""

    as_of: date
    instruments: list[Instrument]
    participants: list[Participant]
    entries: dict[tuple[int, str], domain.ParticipantStatus] = field(default_factory=dict)

    def status(self, participant_id: int, code: str) -> domain.ParticipantStatus:
        return self.entries.get((participant_id, code), domain.NO_STATUS)

    def rows(
        self,
    ) -> Iterable[tuple[Participant, list[tuple[Instrument, domain.ParticipantStatus]]]]:
        for participant in self.participants:
            yield participant, [(i, self.status(participant.pk, i.code)) for i in self.instruments]

    def counts(self) -> dict[str, dict[str, int]]:
        """Per instrument: signatories (ever signed, by as_of) and parties, among these rows."""
        counts = {i.code: {"signatories": 0, "parties": 0, "in_force": 0} for i in self.instruments}
        for (_, code), status in self.entries.items():
            if code not in counts:
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
    participants: QuerySet[Participant] | None = None,
    instrument_codes: Iterable[str] | None = None,
) -> StatusMatrix:
    """The status of every participant in `participants` for each instrument, as of a date.

    Three queries whatever the number of participants:
    1. the instruments (with their Conventions, for the Protocol rules),
    2. the participants,
    3. their actions on every instrument, as bare values.
    """
    every_instrument = list(instrument_list())
    facts = instrument_facts(every_instrument)
    wanted = set(instrument_codes) if instrument_codes is not None else None
    shown = [i for i in every_instrument if wanted is None or i.code in wanted]
    actions_query = TreatyAction.objects.filter(date__lte=as_of)
    if participants is None:
        participants = Participant.objects.order_by("name")
    else:
        actions_query = actions_query.filter(participant__in=participants.values("pk"))
    participant_rows = list(participants)

    code_of = {i.pk: i.code for i in every_instrument}
    actions: dict[int, dict[str, list[domain.Action]]] = defaultdict(lambda: defaultdict(list))
    rows = actions_query.values_list(
        "participant_id", "instrument_id", "kind", "date", "effective_date", "pk"
    )
    for participant_id, instrument_id, kind, when, effective, pk in rows:
        actions[participant_id][code_of[instrument_id]].append(
            domain.Action(kind, when, effective, ref=pk)
        )

    matrix = StatusMatrix(as_of=as_of, instruments=shown, participants=participant_rows)
    for participant in participant_rows:
        by_code = actions.get(participant.pk)
        if not by_code:
            continue
        statuses = participant_statuses(by_code, facts, as_of)
        for code, status in statuses.items():
            if wanted is None or code in wanted:
                matrix.entries[(participant.pk, code)] = status
    return matrix


def participant_statuses(
    actions: dict[str, list[domain.Action]],
    facts: dict[str, domain.InstrumentFacts],
    as_of: date,
) -> dict[str, domain.ParticipantStatus]:
    """One participant's status for each instrument it acted on; Conventions first, so that a
    Convention's denunciation carries to its Protocols (UNTOC art. 40(3))."""
    statuses: dict[str, domain.ParticipantStatus] = {}
    ordered = sorted(actions, key=lambda code: facts[code].convention is not None)
    for code in ordered:
        instrument = facts[code]
        denounced_on = None
        if instrument.convention is not None:
            convention_status = statuses.get(instrument.convention, domain.NO_STATUS)
            if convention_status.status == domain.DENOUNCED:
                denounced_on = convention_status.denunciation_effective
        statuses[code] = domain.participant_status(
            actions[code], as_of, instrument.rule, instrument.entry_into_force, denounced_on
        )
    return statuses


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


def status_entries(matrix: StatusMatrix) -> list[dict[str, Any]]:
    """The matrix as plain rows, one per participant and instrument: the contract the API's
    status/ resource, its CSV/XLSX exports and the pages' downloads all share."""
    entries = []
    for participant, cells in matrix.rows():
        for instrument, status in cells:
            entries.append(
                {
                    "state": participant.iso3,
                    "state_name": participant.name,
                    "osce_role": participant.osce_role,
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
                    "status_complete_to": instrument.status_complete_to,
                }
            )
    return entries


# The columns of an action as lists and exports show it; `state` and `instrument` are codes.
ACTION_COLUMNS = (
    "id",
    "state",
    "state_name",
    "instrument",
    "kind",
    "date",
    "effective_date",
    "depositary_notification",
    "source",
    "note",
    "version",
)
_ACTION_VALUES = (
    "id",
    "participant__iso3",
    "participant__name",
    "instrument__code",
    "kind",
    "date",
    "effective_date",
    "depositary_notification",
    "source",
    "note",
    "version",
)


def action_list(
    *,
    states: Iterable[str] | None = None,
    instruments: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    osce_roles: Iterable[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[TreatyAction]:
    """Treaty actions, filtered by participant codes, instrument codes, kinds, OSCE roles and
    an inclusive date range; by date unless the caller orders them otherwise."""
    actions = TreatyAction.objects.order_by(
        "date", "participant__name", "instrument__display_order", "id"
    )
    if states is not None:
        actions = actions.filter(participant__iso3__in=list(states))
    if instruments is not None:
        actions = actions.filter(instrument__code__in=list(instruments))
    if kinds is not None:
        actions = actions.filter(kind__in=list(kinds))
    if osce_roles is not None:
        actions = actions.filter(participant__osce_role__in=list(osce_roles))
    if date_from is not None:
        actions = actions.filter(date__gte=date_from)
    if date_to is not None:
        actions = actions.filter(date__lte=date_to)
    return actions


def action_rows(actions: QuerySet[TreatyAction]) -> QuerySet:
    """The actions as tuples in ACTION_COLUMNS order, joined to their participant and
    instrument in the same query; `dict(zip(ACTION_COLUMNS, row))` makes a row."""
    return actions.values_list(*_ACTION_VALUES)


DECLARATION_COLUMNS = (
    "id",
    "state",
    "state_name",
    "instrument",
    "kind",
    "article",
    "date",
    "made_at",
    "summary",
    "source",
    "version",
)
_DECLARATION_VALUES = (
    "id",
    "participant__iso3",
    "participant__name",
    "instrument__code",
    "kind",
    "article",
    "date",
    "made_at",
    "summary",
    "source",
    "version",
)


def declaration_list(
    *,
    states: Iterable[str] | None = None,
    instruments: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    article: str | None = None,
    text: str | None = None,
) -> QuerySet[Declaration]:
    """Declarations, filtered; `article` matches that article and its paragraphs ("18"
    matches "18", "18(13)" and "16(14), 18(21)"); `text` searches summaries and articles."""
    declarations = Declaration.objects.order_by(
        "participant__name", "instrument__display_order", F("date").asc(nulls_last=True), "id"
    )
    if states is not None:
        declarations = declarations.filter(participant__iso3__in=list(states))
    if instruments is not None:
        declarations = declarations.filter(instrument__code__in=list(instruments))
    if kinds is not None:
        declarations = declarations.filter(kind__in=list(kinds))
    if article:
        # An article reference starts the field or follows ", "; a paragraph may follow it.
        token = re.escape(article)
        declarations = declarations.filter(article__iregex=rf"(^|[ ,]){token}([( ,]|$)")
    if text:
        declarations = declarations.filter(Q(summary__icontains=text) | Q(article__icontains=text))
    return declarations


def declaration_rows(declarations: QuerySet[Declaration]) -> QuerySet:
    """The declarations as tuples in DECLARATION_COLUMNS order (one joined query)."""
    return declarations.values_list(*_DECLARATION_VALUES)
