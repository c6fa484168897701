"""Rules about participants that need no database."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from itertools import pairwise

import pycountry
from django.utils.translation import gettext as _

from core.i18n import message_date as _day

# ISO 3166-1 reserves "EU" as an alpha-2 code only and has no alpha-3 code for the European
# Union. The tracker uses "EUU", the code the World Bank and several UN statistical tables use
# for the EU, so that every participant has a three-letter identifier in URLs and files.
EUROPEAN_UNION_CODE = "EUU"

# Codes outside ISO 3166-1 that the tracker accepts, each for a regional economic integration
# organization the depositary lists as a participant.
ORGANIZATION_CODES = {EUROPEAN_UNION_CODE: "European Union"}


def iso3_problem(code: str, kind: str) -> str | None:
    """Why `code` cannot identify a participant of this kind, or None when it can."""
    if len(code) != 3 or not code.isascii() or not code.isalpha() or not code.isupper():
        return _("must be three capital letters (ISO 3166-1 alpha-3)")
    if kind == "reio":
        if code not in ORGANIZATION_CODES:
            known = ", ".join(sorted(ORGANIZATION_CODES))
            return _(
                "is not a known code for a regional economic integration organization (%(known)s)"
            ) % {"known": known}
        return None
    if code in ORGANIZATION_CODES:
        return _("is reserved for a regional economic integration organization")
    if pycountry.countries.get(alpha_3=code) is None:
        return _("is not an ISO 3166-1 alpha-3 country code")
    return None


# --- OSCE roles over time ---------------------------------------------------------------------
#
# A participant holds at most one OSCE role at a time, for a period with a start and, once it
# has ended, an end. Sources often give only the year a role began (e.g. "Partner since
# 2009"), so each date carries its precision, and "as at" a date counts only what is certain:
#   - a role that began in year Y (day unknown) is counted from 31 December Y, the first day
#     it was certainly held;
#   - a role that ended in year Y (day unknown) is counted up to 31 December Y-1, the last day
#     it was certainly held.
# Within such a year the participant's role is uncertain and it is counted in no OSCE group;
# pages say so (role_uncertain_on). Never an invented day.

PRECISION_DAY = "day"
PRECISION_YEAR = "year"

PARTICIPATING = "participating"
PARTNER_MEDITERRANEAN = "partner_mediterranean"
PARTNER_ASIAN = "partner_asian"
NO_ROLE = "none"
OSCE_ROLES = (PARTICIPATING, PARTNER_MEDITERRANEAN, PARTNER_ASIAN)


@dataclass(frozen=True)
class RolePeriod:
    """One OSCE role of one participant: held from `valid_from` up to, not including,
    `valid_to` (None: still held). A date of year precision is stored as 1 January."""

    role: str
    valid_from: date
    from_precision: str = PRECISION_DAY
    valid_to: date | None = None
    to_precision: str = PRECISION_DAY
    ref: object = dataclass_field(default=None, compare=False)

    @property
    def held_from(self) -> date:
        """The first day the role was certainly held."""
        if self.from_precision == PRECISION_YEAR:
            return date(self.valid_from.year, 12, 31)
        return self.valid_from

    @property
    def held_until(self) -> date | None:
        """The first day the role was possibly no longer held (exclusive end), or None."""
        if self.valid_to is None:
            return None
        if self.to_precision == PRECISION_YEAR:
            return date(self.valid_to.year, 1, 1)
        return self.valid_to

    def certainly_held_on(self, as_of: date) -> bool:
        until = self.held_until
        return self.held_from <= as_of and (until is None or as_of < until)

    def possibly_held_on(self, as_of: date) -> bool:
        start = (
            date(self.valid_from.year, 1, 1)
            if self.from_precision == PRECISION_YEAR
            else self.valid_from
        )
        end = self.valid_to
        if end is not None and self.to_precision == PRECISION_YEAR:
            end = date(end.year + 1, 1, 1)
        return start <= as_of and (end is None or as_of < end)


def role_on(periods: Iterable[RolePeriod], as_of: date) -> str:
    """The OSCE role certainly held on `as_of`, or NO_ROLE."""
    return next((p.role for p in periods if p.certainly_held_on(as_of)), NO_ROLE)


def role_uncertain_on(periods: Iterable[RolePeriod], as_of: date) -> bool:
    """Whether a role may have been held on `as_of` without being certain (a year-only date)."""
    periods = list(periods)
    return role_on(periods, as_of) == NO_ROLE and any(p.possibly_held_on(as_of) for p in periods)


@dataclass(frozen=True)
class RoleProblem:
    field: str
    rule: str
    message: str
    ref: object = dataclass_field(default=None, compare=False)


def role_period_problems(periods: Sequence[RolePeriod], today: date) -> list[RoleProblem]:
    """What is wrong with one participant's role periods, each naming the field and rule.

    1. A role is one of OSCE_ROLES; a precision is "day" or "year"; a year-precision date
       is stored as 1 January.
    2. A period ends after it begins, and neither begins nor ends after today.
    3. Periods do not overlap: a participant holds one role at a time.
    """
    problems: list[RoleProblem] = []
    for period in periods:
        problems += _one_period_problems(period, today)
    ordered = sorted(periods, key=lambda p: p.valid_from)
    for earlier, later in pairwise(ordered):
        if earlier.valid_to is None or earlier.valid_to > later.valid_from:
            problems.append(
                RoleProblem(
                    "valid_from",
                    "role_periods_overlap",
                    _(
                        "This period (%(role)s, from %(date)s) begins before the %(earlier_role)s "
                        "period from %(earlier_date)s ends; a participant holds one OSCE role at "
                        "a time: end that period first."
                    )
                    % {
                        "role": later.role,
                        "date": _day(later.valid_from),
                        "earlier_role": earlier.role,
                        "earlier_date": _day(earlier.valid_from),
                    },
                    later.ref,
                )
            )
    return problems


def _one_period_problems(period: RolePeriod, today: date) -> list[RoleProblem]:
    problems = []
    if period.role not in OSCE_ROLES:
        problems.append(
            RoleProblem(
                "role",
                "role_unknown",
                _("%(role)s is not one of %(roles)s.")
                % {"role": repr(period.role), "roles": OSCE_ROLES},
            )
        )
    dates = [("valid_from", period.valid_from, period.from_precision)]
    if period.valid_to is not None:
        dates.append(("valid_to", period.valid_to, period.to_precision))
    for name, when, precision in dates:
        if precision not in (PRECISION_DAY, PRECISION_YEAR):
            problems.append(
                RoleProblem(
                    f"{name}_precision",
                    "precision_unknown",
                    _("%(precision)s is not day or year.") % {"precision": repr(precision)},
                )
            )
        elif precision == PRECISION_YEAR and (when.month, when.day) != (1, 1):
            problems.append(
                RoleProblem(
                    name,
                    "year_precision_on_1_january",
                    _(
                        "A date known only to the year is stored as 1 January (%(first)s), "
                        "not %(date)s."
                    )
                    % {"first": f"{when.year}-01-01", "date": f"{when:%Y-%m-%d}"},
                )
            )
        if when > today:
            problems.append(
                RoleProblem(
                    name, "date_in_future", _("%(date)s is after today.") % {"date": _day(when)}
                )
            )
    if period.valid_to is not None and period.valid_to <= period.valid_from:
        problems.append(
            RoleProblem(
                "valid_to",
                "role_ends_after_it_begins",
                _("The end (%(end)s) must come after the start (%(start)s).")
                % {"end": _day(period.valid_to), "start": _day(period.valid_from)},
            )
        )
    return [RoleProblem(p.field, p.rule, p.message, period.ref) for p in problems]
