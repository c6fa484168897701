"""Entry into force and denunciation arithmetic: UNTOC art. 38 and 40(1), the Protocols'
matching articles, and where an instrument itself stood on a date (R1)."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.i18n import message_date as _day
from instruments.domain.terms import (
    SUCCESSION,
    Action,
    EntryIntoForceRule,
    InstrumentFacts,
    Violation,
)

# Where an instrument itself stood on a date (R1: nothing exists before adoption).
NOT_ADOPTED = "not_adopted"
NOT_IN_FORCE = "not_in_force"
IN_FORCE = "in_force"


def instrument_standing(adopted_on: date, entry_into_force: date | None, as_of: date) -> str:
    """NOT_ADOPTED before the adoption, IN_FORCE from the entry into force, else NOT_IN_FORCE."""
    if as_of < adopted_on:
        return NOT_ADOPTED
    if entry_into_force is not None and entry_into_force <= as_of:
        return IN_FORCE
    return NOT_IN_FORCE


def denunciation_takes_effect(received: date) -> date:
    """UNTOC art. 40(1): one year after the Secretary-General receives the notification.

    A notice received on 29 February takes effect on 1 March of the next year, the first day
    on which a full year has passed.
    """
    try:
        return received.replace(year=received.year + 1)
    except ValueError:
        return date(received.year + 1, 3, 1)


def instrument_entry_into_force(
    rule: EntryIntoForceRule,
    deposits: Iterable[tuple[date, bool]],
    convention_entry_into_force: date | None = None,
    *,
    is_protocol: bool = False,
) -> date | None:
    """When the instrument itself entered into force, from the deposits of consent.

    `deposits` are (date of deposit, deposited by an organization) pairs.
    1. Count the deposits, leaving out organizations' unless the rule counts them
       (UNTOC art. 38(1): they do not count in addition to their member States').
    2. With fewer than `threshold` deposits, it is not in force.
    3. Otherwise it enters into force `days_after_threshold` days after the Nth deposit
       (the depositary's "90th day after" is the deposit date plus 90 days).
    4. A Protocol never enters into force before the Convention (TIP art. 17(1)).
    """
    counted = sorted(
        d for d, by_organization in deposits if rule.organizations_count or not (by_organization)
    )
    if len(counted) < rule.threshold:
        return None
    in_force = counted[rule.threshold - 1] + timedelta(days=rule.days_after_threshold)
    if is_protocol:
        if convention_entry_into_force is None:
            return None
        in_force = max(in_force, convention_entry_into_force)
    return in_force


def entry_into_force_violations(
    deposits: Mapping[str, Sequence[tuple[date, bool]]],
    facts: Mapping[str, InstrumentFacts],
) -> list[Violation]:
    """Each instrument whose entry into force computed from the deposits of consent is not
    the one recorded (art. 38(1)).

    The recorded date is the depositary's; a deposit added, moved or removed before it (a
    back-dated ratification, say) would change the computed one, so such a write breaks the
    record. `deposits` maps instrument codes to (date of deposit, by an organization) pairs.
    A Protocol's date is computed from the Convention's computed date (TIP art. 17(1)).
    """
    computed: dict[str, date | None] = {}
    violations = []
    for code in sorted(facts, key=lambda code: facts[code].convention is not None):
        instrument = facts[code]
        convention = instrument.convention
        computed[code] = instrument_entry_into_force(
            instrument.rule,
            deposits.get(code, ()),
            computed.get(convention) if convention else None,
            is_protocol=convention is not None,
        )
        if computed[code] != instrument.entry_into_force:
            found = computed[code]
            recorded = instrument.entry_into_force
            violations.append(
                Violation(
                    "instrument_entry_into_force",
                    "date",
                    _(
                        "The deposits of consent would put the %(title)s's entry into force on "
                        "%(found)s, but the depositary records %(recorded)s (art. 38(1)); check "
                        "the date of the deposit."
                    )
                    % {
                        "title": instrument.short_title,
                        "found": _day(found) if found else _("no date yet"),
                        "recorded": _day(recorded) if recorded else pgettext("no date", "none"),
                    },
                    instrument=code,
                )
            )
    return violations


def participant_entry_into_force(
    rule: EntryIntoForceRule, consent: Action, instrument_entry_into_force: date | None
) -> date | None:
    """When the instrument entered into force for a participant that consented by `consent`.

    - Never before the instrument's own entry into force.
    - A succession binds from the date of succession the successor declares (for
      Montenegro, 3 June 2006, though it notified on 23 October 2006); when that date is not
      recorded the answer is unknown (None), never a guess.
    - Any other consent: `days_after_later_deposit` days after the deposit (art. 38(2));
      a deposit made before the instrument entered into force waits for it.
    """
    if instrument_entry_into_force is None:
        return None
    if consent.kind == SUCCESSION:
        if consent.effective_date is None:
            return None
        return max(consent.effective_date, instrument_entry_into_force)
    later_deposit = consent.date + timedelta(days=rule.days_after_later_deposit)
    return max(later_deposit, instrument_entry_into_force)
