"""Re-checking stored treaty data against the rules, and listing what the record lacks."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from instruments import domain
from instruments.models import Declaration, TreatyAction
from instruments.selectors import deposits_by_instrument, instrument_facts
from states import domain as states_domain
from states.models import Participant
from states.selectors import role_periods


@dataclass
class DataCheckReport:
    violations: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    actions: int = 0
    participants: int = 0


def data_check() -> DataCheckReport:
    """Every broken rule and every known gap in the stored data, as lines for a person.

    1. Each participant's actions against the rules in instruments.domain.
    2. Each instrument's entry into force computed from the deposits against the recorded one.
    3. Each participant's OSCE role periods against states.domain.role_period_problems, and
       its stored role of today against the role its periods give.
    4. Gaps: consents whose kind is not recorded, successions without a date of succession,
       declarations without a date or content, actions after the date to which the status
       table is complete, and OSCE roles whose start or end is known only to the year.
    """
    report = DataCheckReport()
    today = timezone.localdate()
    facts = instrument_facts()
    actions: dict[int, dict[str, list[domain.Action]]] = defaultdict(lambda: defaultdict(list))
    rows = {}
    for action in TreatyAction.objects.select_related("participant", "instrument"):
        rows[action.pk] = action
        actions[action.participant_id][action.instrument.code].append(
            domain.Action(action.kind, action.date, action.effective_date, ref=action.pk)
        )
        report.actions += 1
        title = action.instrument.short_title
        who = action.participant.name
        if action.kind == domain.CONSENT_KIND_NOT_RECORDED:
            report.gaps.append(f"{who}, {title}: consent of {action.date} - kind not recorded")
        if action.kind == domain.SUCCESSION and action.effective_date is None:
            report.gaps.append(
                f"{who}, {title}: succession notified {action.date} - date of succession "
                "not recorded, so entry into force is unknown"
            )
        if action.date > action.instrument.status_complete_to:
            report.gaps.append(
                f"{who}, {title}: {action.get_kind_display().lower()} of {action.date} is after "
                f"the date the status table is complete to ({action.instrument.status_complete_to})"
                "; actions of that period are partial"
            )
    names = dict(Participant.objects.values_list("pk", "name"))
    report.participants = len(names)
    for participant_id, by_code in actions.items():
        for violation in domain.participant_violations(by_code, facts, today):
            action = rows.get(violation.ref)
            where = f"{action.get_kind_display()} of {action.date}" if action else "?"
            report.violations.append(
                f"{names[participant_id]}, {facts[violation.instrument].short_title}, {where}: "
                f"{violation.message} [{violation.rule}]"
            )
    for violation in domain.entry_into_force_violations(deposits_by_instrument(), facts):
        report.violations.append(
            f"{facts[violation.instrument].short_title}: {violation.message} [{violation.rule}]"
        )
    _role_check(report, today)
    for declaration in Declaration.objects.select_related("participant", "instrument"):
        if declaration.date is None:
            report.gaps.append(
                f"{declaration.participant.name}, {declaration.instrument.short_title}: "
                f"{declaration.get_kind_display().lower()} on article {declaration.article} "
                "without a date"
            )
    return report


def _role_check(report: DataCheckReport, today: date) -> None:
    periods = role_periods()
    year_only: list[str] = []
    for participant in Participant.objects.filter(osce_role_periods__isnull=False).distinct():
        own = periods[participant.pk]
        for problem in states_domain.role_period_problems(own, today):
            report.violations.append(
                f"{participant.name}, OSCE role periods: {problem.message} [{problem.rule}]"
            )
        derived = states_domain.role_on(own, today)
        if participant.osce_role != derived:
            report.violations.append(
                f"{participant.name}: stored OSCE role {participant.osce_role!r}, but its role "
                f"periods give {derived!r} today [osce_role_from_periods]"
            )
        if any(states_domain.PRECISION_YEAR in (p.from_precision, p.to_precision) for p in own):
            year_only.append(participant.name)
    if year_only:
        report.gaps.append(
            f"OSCE roles of {len(year_only)} participants begin or end on a date known only to "
            "the year (counted from the end of that year, until the end of the year before): "
            + ", ".join(year_only)
        )
