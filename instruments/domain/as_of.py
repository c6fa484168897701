"""The date a status view answers for ("status as at"), and how complete the record is on it."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from core.i18n import long_date
from instruments.domain.terms import Violation


@dataclass(frozen=True)
class Adoption:
    """An instrument's adoption, for the rule on the earliest date a view can answer for."""

    title: str
    adopted_on: date


def as_of_violation(as_of: date, *, today: date, adoptions: Sequence[Adoption]) -> Violation | None:
    """The rules on `as_of`, the date every status view answers for (today when not given):

    1. Not after today: the record holds actions once they have happened, so a later date
       would present today's record as the future's.
    2. Not before the adoption of the instrument asked about (of the earliest, when several
       are): before it there was no treaty to have a status under.
    """
    if as_of > today:
        return Violation(
            "after_today",
            "as_of",
            _(
                "The date cannot be after today (%(today)s): the tracker records actions once "
                "they have happened."
            )
            % {"today": f"{today:%Y-%m-%d}"},
        )
    if adoptions:
        first = min(adoptions, key=lambda a: a.adopted_on)
        if as_of < first.adopted_on:
            return Violation(
                "before_adoption",
                "as_of",
                _(
                    "The date cannot be before %(date)s, when the %(title)s was adopted: no "
                    "status existed before it."
                )
                % {"date": f"{first.adopted_on:%Y-%m-%d}", "title": first.title},
            )
    return None


def completeness_note(complete_to: date) -> str:
    """What every status view says about how current its data are."""
    return _("complete to %(date)s; later actions partial") % {"date": long_date(complete_to)}


def is_complete(as_of: date, complete_to: date) -> bool:
    """Whether the record of an instrument is complete for a view as at `as_of`: actions up to
    `complete_to` come from the depositary's full table, later ones are partial."""
    return as_of <= complete_to
