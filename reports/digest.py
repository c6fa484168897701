"""The e-mail digest of new compliance flags, worded as the record allows."""

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from core.i18n import message_date
from reports import domain, flag_rules
from reports.standings import Standings
from states.roles import SPMU_EDITORS


def digest_recipients() -> list[str]:
    """The e-mail addresses of active SPMU editors (one query)."""
    users = get_user_model().objects.filter(is_active=True, groups__name=SPMU_EDITORS)
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def digest_order(standings: Standings, keys: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """By participant name, then the catalogue's order of obligations."""
    names = {p.pk: p.name for p in standings.participants}
    orders = {o.pk: o.display_order for o in standings.obligations}
    return sorted(keys, key=lambda key: (names.get(key[0], ""), orders.get(key[1], 0)))


def digest_message(
    standings: Standings,
    flags: list[tuple[tuple[int, int], flag_rules.FlagState]],
    as_of: date,
) -> EmailMessage:
    """One e-mail listing new flags, worded as the record allows: no submission on record."""
    names = {p.pk: p.name for p in standings.participants}
    obligations = {o.pk: o for o in standings.obligations}
    lines = [
        _(
            "The compliance check as of %(date)s found %(count)s new case(s) where no "
            "submission is on record past the due date and grace period."
        )
        % {"date": message_date(as_of, month_in_full=True), "count": len(flags)},
        "",
        _(
            "The tracker knows only what was recorded: a submission or notification may exist "
            "that is not yet entered."
        ),
        "",
    ]
    for (participant_id, obligation_id), flag in flags:
        obligation = obligations[obligation_id]
        lines.append(
            _(
                "- %(participant)s: %(reference)s (%(title)s) - no submission on record; due "
                "%(due)s, %(days)s days overdue"
            )
            % {
                "participant": names.get(participant_id, participant_id),
                "reference": obligation.reference,
                "title": obligation.local_title,
                "due": message_date(flag.due_on),
                "days": domain.days_overdue(flag.due_on, as_of),
            }
        )
    lines += ["", _("Record a submission in the back office once it has arrived.")]
    return EmailMessage(
        subject=_("UNTOC Tracker: %(count)s new flag(s) - no submission on record")
        % {"count": len(flags)},
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
    )
