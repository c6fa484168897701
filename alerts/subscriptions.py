"""E-mail subscriptions: asked for with an address, confirmed by a signed link, ended with
one click; and the e-mails, at once or weekly, sent by a worker.

The subscribe form cannot be used to mail-bomb a third party: one confirmation per address
per day at most, a bound per client, and the same answer whether or not the address is
already subscribed (a confirmed address gets no new mail). The address is shown nowhere.
"""

import hashlib
import logging
from collections import defaultdict
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alerts.models import DispatchCursor, Subscription
from alerts.selectors import event_heading, instrument_titles
from core.languages import ENGLISH, codes, speaking
from core.models import Event
from core.throttle import over_limit
from states.selectors import participants_holding

logger = logging.getLogger(__name__)

CONFIRM_SALT = "alerts.subscription.confirm"
UNSUBSCRIBE_SALT = "alerts.subscription.unsubscribe"
CONFIRM_MAX_AGE = timedelta(days=3)
CONFIRMATIONS_PER_ADDRESS_PER_DAY = 1
REQUESTS_PER_CLIENT_PER_HOUR = 10
DIGEST_LENGTH = 200  # events in one weekly e-mail at most; the rest are on /changes/


def confirm_token(subscription: Subscription) -> str:
    return signing.dumps(subscription.pk, salt=CONFIRM_SALT)


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.dumps(subscription.pk, salt=UNSUBSCRIBE_SALT)


def subscription_of(token: str, *, confirm: bool) -> Subscription | None:
    """The subscription a link names, if the link is genuine (and, to confirm, not older
    than CONFIRM_MAX_AGE); None otherwise."""
    try:
        if confirm:
            pk = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
        else:
            pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Subscription.objects.filter(pk=pk).first()


def client_over_limit(client: str) -> bool:
    return over_limit(f"alerts:subscribe:client:{client}", REQUESTS_PER_CLIENT_PER_HOUR, 3600)


def language_check(language: str) -> str:
    """`language` if the site speaks it; otherwise a ValidationError naming the field."""
    if language not in codes():
        raise ValidationError(
            {
                "language": ValidationError(
                    _("Unknown language %(value)s: choose one of %(codes)s.")
                    % {"value": repr(language), "codes": ", ".join(codes())},
                    code="unknown_language",
                )
            }
        )
    return language


def subscription_request(
    *, email: str, scope: str, target: str, frequency: str, language: str = ENGLISH
) -> None:
    """Ask for a subscription: send the confirmation link, unless the address is already
    subscribed to this or had a confirmation today. The caller answers the same either way.
    Its e-mails are written in `language` (the one the address subscribed in).
    """
    email = email.strip().lower()
    language = language_check(language)
    with transaction.atomic():
        subscription, _created = Subscription.objects.get_or_create(
            email=email,
            scope=scope,
            target=target,
            defaults={"frequency": frequency, "language": language},
        )
        if subscription.confirmed_at is not None:
            return
        subscription.frequency = frequency
        subscription.language = language
        subscription.save(update_fields=["frequency", "language"])
    address_key = hashlib.sha256(email.encode()).hexdigest()
    if over_limit(
        f"alerts:subscribe:address:{address_key}", CONFIRMATIONS_PER_ADDRESS_PER_DAY, 86400
    ):
        return
    from alerts.tasks import subscription_mail

    subscription_mail.delay_on_commit("confirm", subscription.pk, [])


def subscription_confirm(subscription: Subscription) -> None:
    """Confirm it: from now on it receives the changes recorded after this moment."""
    _mail_cursor_ensure()
    Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now(),
        digest_after_event=Event.objects.aggregate(last=Max("pk"))["last"] or 0,
    )


def subscription_end(subscription: Subscription) -> None:
    subscription.delete()


def subscription_language_set(subscription: Subscription, language: str) -> None:
    """Write its e-mails in `language` from now on (a ValidationError naming the field if
    the site does not speak it)."""
    language = language_check(language)
    Subscription.objects.filter(pk=subscription.pk).update(language=language)
    subscription.language = language


def osce_participating() -> set[str]:
    return set(participants_holding(["participating"]).values_list("iso3", flat=True))


def matches(subscription: Subscription, event: Event, osce: set[str]) -> bool:
    scope = subscription.scope
    if scope == Subscription.Scope.PARTICIPANT:
        return event.participant == subscription.target
    if scope == Subscription.Scope.INSTRUMENT:
        return event.instrument == subscription.target
    if scope == Subscription.Scope.OSCE:
        return event.participant in osce
    return True


def _mail_cursor_ensure() -> None:
    """The mail cursor starts at the latest event when the first subscription is confirmed."""
    latest = Event.objects.aggregate(last=Max("pk"))["last"] or 0
    DispatchCursor.objects.get_or_create(pk=DispatchCursor.MAIL, defaults={"last_event_id": latest})


def mails_dispatch(batch: int = 1000) -> int:
    """Send each confirmed immediate subscription one e-mail for the events recorded since
    the last run that it follows; how many e-mails were queued. The cursor row is locked,
    so two runs at once send nothing twice."""
    _mail_cursor_ensure()
    from alerts.tasks import subscription_mail

    with transaction.atomic():
        cursor = DispatchCursor.objects.select_for_update().get(pk=DispatchCursor.MAIL)
        events = list(Event.objects.filter(pk__gt=cursor.last_event_id).order_by("pk")[:batch])
        if not events:
            return 0
        osce = osce_participating()
        wanted: dict[int, list[int]] = defaultdict(list)
        subscriptions = Subscription.objects.filter(
            confirmed_at__isnull=False, frequency=Subscription.Frequency.IMMEDIATE
        )
        for subscription in subscriptions.iterator():
            for event in events:
                if event.pk > subscription.digest_after_event and matches(
                    subscription, event, osce
                ):
                    wanted[subscription.pk].append(event.pk)
        cursor.last_event_id = events[-1].pk
        cursor.save(update_fields=["last_event_id"])
        for subscription_id, event_ids in wanted.items():
            subscription_mail.delay_on_commit("changes", subscription_id, event_ids)
    return len(wanted)


def digests_dispatch() -> int:
    """Send each confirmed weekly subscription one e-mail of the events since its last."""
    from alerts.tasks import subscription_mail

    osce = osce_participating()
    latest = Event.objects.aggregate(last=Max("pk"))["last"] or 0
    sent = 0
    weekly = Subscription.objects.filter(
        confirmed_at__isnull=False, frequency=Subscription.Frequency.WEEKLY
    )
    for subscription in weekly.iterator():
        events = Event.objects.filter(pk__gt=subscription.digest_after_event, pk__lte=latest)
        ids = [e.pk for e in events.order_by("pk") if matches(subscription, e, osce)]
        with transaction.atomic():
            Subscription.objects.filter(pk=subscription.pk).update(digest_after_event=latest)
            if ids:
                subscription_mail.delay_on_commit("changes", subscription.pk, ids[:DIGEST_LENGTH])
                sent += 1
    return sent


def _event_line(event: Event, titles: dict[str, str]) -> str:
    link = f"{settings.SITE_URL}{reverse('changes')}#event-{event.pk}"
    return _("- %(event)s, %(origin)s.\n  %(link)s") % {
        "event": event_heading(event, titles),
        "origin": event.get_origin_display(),
        "link": link,
    }


def message_build(kind: str, subscription: Subscription, event_ids: list[int]) -> EmailMessage:
    """The confirmation, or the changes, written in the subscription's language (its text,
    its dates and its links); every message can end the subscription in one click
    (List-Unsubscribe, List-Unsubscribe-Post: RFC 8058)."""
    with speaking(subscription.language):
        return _message_build(kind, subscription, event_ids)


def _message_build(kind: str, subscription: Subscription, event_ids: list[int]) -> EmailMessage:
    site = settings.SITE_URL
    unsubscribe = f"{site}{reverse('unsubscribe', args=[unsubscribe_token(subscription)])}"
    what = f"{subscription.get_scope_display()} {subscription.target}".strip()
    if kind == "confirm":
        confirm = f"{site}{reverse('subscription-confirm', args=[confirm_token(subscription)])}"
        subject = _("UNTOC Tracker: confirm your subscription")
        body = _(
            "Someone (we hope you) asked to receive changes to the UNTOC Tracker (%(what)s).\n\n"
            "To confirm, open this link within three days:\n%(link)s\n\n"
            "If it was not you, do nothing: nothing will be sent to you.\n"
        ) % {"what": what, "link": confirm}
    else:
        events = Event.objects.filter(pk__in=event_ids).order_by("pk")
        titles = instrument_titles()
        lines = "\n".join(_event_line(e, titles) for e in events)
        count = len(event_ids)
        subject = ngettext(
            "UNTOC Tracker: %(count)s change", "UNTOC Tracker: %(count)s changes", count
        ) % {"count": count}
        body = _(
            "Changes you follow (%(what)s):\n\n%(lines)s\n\nStop these e-mails: %(link)s\n"
        ) % {"what": what, "lines": lines, "link": unsubscribe}
    return EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def mail_send(kind: str, subscription_id: int, event_ids: list[int]) -> dict[str, Any]:
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        return {"skipped": "unsubscribed"}
    message_build(kind, subscription, event_ids).send()
    return {"sent": kind, "events": len(event_ids)}
