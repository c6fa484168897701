"""The e-mails of focal points: the invitation, and each decision on a submission.

Each is written in its recipient's language (the invitation's, the focal point's): its text,
and its links with that language's prefix. SPMU's own e-mails are written in English, as the
back office speaks it by default (no language is recorded for staff).

They are sent once the writing transaction has committed (nothing is told of a write that was
rolled back); a send that fails is logged and the committed write stands, as with the alerts'
e-mails.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.i18n import message_date
from core.languages import ENGLISH, speaking
from core.links import absolute_url
from focal import domain
from focal.models import FocalSubmission, Invitation
from states.roles import SPMU_EDITORS

logger = logging.getLogger(__name__)


def _send(message: EmailMessage) -> None:
    try:
        message.send()
    except Exception:  # the SMTP server's refusal or absence: the write stands
        logger.exception("Could not send the e-mail %r to %s", message.subject, message.to)


def send_after_commit(subject: str, body: str, to: list[str]) -> None:
    if not to:
        return
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    transaction.on_commit(lambda: _send(message))


def invitation_mail(invitation: Invitation, token: str) -> None:
    with speaking(invitation.language):
        link = absolute_url(reverse("focal-invitation", args=[token]))
        days = settings.FOCAL_INVITATION_DAYS
        body = _(
            "SPMU invites you to act as focal point of %(participant)s on the UNTOC Tracker: "
            "you will submit its notifications (central authorities, languages, contact points) "
            "for review.\n\n"
            "Open this link within %(days)s days to set your password and your second factor "
            "(an authenticator app):\n%(link)s\n\n"
            "The link works once. If it has expired, the page it opens lets you ask for a new "
            "one.\n"
        ) % {"participant": invitation.participant, "days": days, "link": link}
        subject = _("UNTOC Tracker: invitation to act as focal point")
    send_after_commit(subject, body, [invitation.email])


def editors_addresses() -> list[str]:
    users = get_user_model().objects.filter(is_active=True, groups__name=SPMU_EDITORS)
    return sorted({u.email for u in users if u.email})


def renewal_mail_to_editors(invitation: Invitation) -> None:
    with speaking(ENGLISH):
        body = _(
            "A new invitation link was asked for and sent to the address invited as focal point "
            "of %(participant)s (invited on %(day)s).\n%(link)s\n"
        ) % {
            "participant": invitation.participant,
            "day": message_date(timezone.localdate(invitation.created_at)),
            "link": absolute_url(reverse("admin:focal_invitation_changelist")),
        }
        subject = _("UNTOC Tracker: invitation link sent again")
    send_after_commit(subject, body, editors_addresses())


def submitted_mail_to_editors(submission: FocalSubmission) -> None:
    with speaking(ENGLISH):
        body = _("%(participant)s submitted %(obligation)s for review:\n%(link)s\n") % {
            "participant": submission.participant,
            "obligation": submission.obligation.reference,
            "link": absolute_url(
                reverse("admin:focal_focalsubmission_change", args=[submission.pk])
            ),
        }
        subject = _("UNTOC Tracker: a submission to review")
    send_after_commit(subject, body, editors_addresses())


def decision_mail(submission: FocalSubmission) -> None:
    """Tell the focal point what SPMU decided, with the comment or reason, in its language."""
    focal_point = submission.focal_point
    with speaking(focal_point.language):
        what = {
            domain.APPROVED: _("approved: it is now on record"),
            domain.RETURNED: _("returned to you for changes: edit it and submit it again"),
            domain.REJECTED: _("rejected"),
        }[submission.state]
        body = _("Your submission of %(obligation)s for %(participant)s was %(what)s.\n") % {
            "obligation": submission.obligation.reference,
            "participant": submission.participant,
            "what": what,
        }
        if submission.decision_comment:
            body += "\n" + _("SPMU's comment:") + "\n" + submission.decision_comment + "\n"
        link = absolute_url(reverse("focal-submission", args=[submission.pk]))
        body += "\n" + link + "\n"
        subject = _("UNTOC Tracker: your submission was %(state)s") % {
            "state": submission.get_state_display()
        }
    send_after_commit(subject, body, [focal_point.user.email])
