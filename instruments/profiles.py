"""Where participants stood over time, for the pages: one participant's profile (its status
today and on a date, its actions and declarations, its timeline) and the parties among a
group counted at the end of each year. Each in a fixed number of queries; the status rules
are instruments.domain's, the instrument reads instruments.selectors'."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from instruments import domain
from instruments.models import Declaration, Instrument, TreatyAction
from instruments.selectors import action_value, instrument_facts, instrument_list
from states import domain as states_domain
from states.models import Participant
from states.selectors import role_periods


@dataclass
class PartyHistory:
    """How many of a group of participants were parties to each instrument at each date."""

    dates: list[date]
    instruments: list[Instrument]
    counts: dict[str, list[int]]  # instrument code -> one count per date

    def rows(self) -> list[tuple[date, list[int]]]:
        return [
            (when, [self.counts[i.code][index] for i in self.instruments])
            for index, when in enumerate(self.dates)
        ]


def party_history(
    *,
    osce_roles: Iterable[str],
    first_year: int,
    today: date,
    instruments: Iterable[Instrument] | None = None,
) -> PartyHistory:
    """Parties among the participants holding one of these OSCE roles on each date: the end
    of each year from `first_year`, and today for the current year (a participant counts
    only in the years it held the role, states.domain.role_on).

    Three queries whatever the number of participants:
    1. the instruments (with their Conventions), unless given (every instrument),
    2. the role periods of every participant that ever held one of these roles,
    3. those participants' actions, as bare values.
    """
    every_instrument = list(instrument_list() if instruments is None else instruments)
    facts = instrument_facts(every_instrument)
    code_of = {i.pk: i.code for i in every_instrument}
    roles = set(osce_roles)
    periods = role_periods(ever_held=roles)
    actions: dict[int, dict[str, list[domain.Action]]] = defaultdict(lambda: defaultdict(list))
    rows = TreatyAction.objects.filter(participant_id__in=list(periods)).values_list(
        "participant_id", "instrument_id", "kind", "date", "effective_date", "pk"
    )
    for participant_id, instrument_id, kind, when, effective, pk in rows:
        actions[participant_id][code_of[instrument_id]].append(
            domain.Action(kind, when, effective, ref=pk)
        )
    dates = [date(year, 12, 31) for year in range(first_year, today.year)] + [today]
    counts = {i.code: [0] * len(dates) for i in every_instrument}
    for index, when in enumerate(dates):
        for participant_id, by_code in actions.items():
            if states_domain.role_on(periods[participant_id], when) not in roles:
                continue
            for code, status in domain.participant_statuses(by_code, facts, when).items():
                if status.status == domain.PARTY:
                    counts[code][index] += 1
    return PartyHistory(dates=dates, instruments=every_instrument, counts=counts)


@dataclass
class TimelineEvent:
    when: date
    instrument: Instrument
    action: TreatyAction | None = None  # None: the computed entry into force


@dataclass
class ParticipantProfile:
    """One participant's standing with each instrument today and on `as_of`, its actions
    and its declarations."""

    participant: Participant
    as_of: date
    today: date
    rows: list[tuple[Instrument, domain.ParticipantStatus, domain.ParticipantStatus]]
    actions: list[TreatyAction]
    declarations: list[Declaration]
    # Where the record as it stood on `as_of` (domain.RECORD_VIEW) says otherwise than the
    # view in law the rows give: a succession notified after `as_of` that binds from before.
    as_recorded: list[tuple[Instrument, domain.ParticipantStatus]] = field(default_factory=list)

    @property
    def timeline(self) -> list[TimelineEvent]:
        """The actions and each computed entry into force that has come, oldest first."""
        events = [TimelineEvent(a.date, a.instrument, a) for a in self.actions]
        for instrument, today, _ in self.rows:
            if today.entry_into_force is not None and today.entry_into_force <= self.today:
                events.append(TimelineEvent(today.entry_into_force, instrument))
        return sorted(events, key=lambda e: (e.when, e.action is None))


def participant_profile(
    participant: Participant,
    *,
    as_of: date,
    today: date,
    instruments: Iterable[Instrument] | None = None,
) -> ParticipantProfile:
    """Three queries: the instruments (unless given: every instrument), the participant's
    actions, its declarations."""
    every_instrument = list(instrument_list() if instruments is None else instruments)
    facts = instrument_facts(every_instrument)
    by_pk = {i.pk: i for i in every_instrument}
    actions = list(TreatyAction.objects.filter(participant=participant).order_by("date", "id"))
    by_code: dict[str, list[domain.Action]] = defaultdict(list)
    for action in actions:
        action.instrument = by_pk[action.instrument_id]
        by_code[action.instrument.code].append(action_value(action))
    statuses_today = domain.participant_statuses(by_code, facts, today)
    statuses_as_of = domain.participant_statuses(by_code, facts, as_of)
    recorded = domain.statuses_by_instrument(by_code, facts, as_of, view=domain.RECORD_VIEW)
    as_recorded = [
        (i, recorded.get(i.code, domain.NO_STATUS))
        for i in every_instrument
        if recorded.get(i.code, domain.NO_STATUS) != statuses_as_of.get(i.code, domain.NO_STATUS)
    ]
    rows = [
        (
            i,
            statuses_today.get(i.code, domain.NO_STATUS),
            statuses_as_of.get(i.code, domain.NO_STATUS),
        )
        for i in every_instrument
    ]
    declarations = list(
        Declaration.objects.filter(participant=participant).order_by(
            "instrument__display_order", "date", "id"
        )
    )
    for declaration in declarations:
        declaration.instrument = by_pk[declaration.instrument_id]
    return ParticipantProfile(
        participant=participant,
        as_of=as_of,
        today=today,
        rows=rows,
        actions=actions,
        declarations=declarations,
        as_recorded=as_recorded,
    )
