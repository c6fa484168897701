"""The Atom feed of the change log: the latest events, newest first, as /changes/ filters."""

from datetime import datetime

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from alerts.selectors import cited, event_heading, event_list, instrument_titles
from core.feeds import BrowsableFeed
from core.links import absolute_url
from core.models import Event
from instruments.citations import citation

FEED_LENGTH = 50


class ChangeFeed(BrowsableFeed):
    title = gettext_lazy("UNTOC Tracker: what changed")
    subtitle = gettext_lazy(
        "Every change to the public record of the UN Convention against Transnational "
        "Organized Crime and its Protocols: treaty actions and declarations recorded, changed "
        "or removed, entries into force reached, denunciations taking effect, compliance "
        "standings changing and depositary imports applied, newest first."
    )

    def get_object(self, request: HttpRequest, values: dict) -> dict:  # type: ignore[override]
        self.request = request
        return values

    # Absolute on the configured site address (core.links), never the request's Host: the
    # answer is cached and served to every later reader.
    def link(self, values: dict) -> str:
        return absolute_url(reverse("changes"))

    def feed_url(self, values: dict) -> str:
        return absolute_url(self.request.get_full_path())

    def items(self, values: dict) -> list[Event]:
        self.titles = instrument_titles()
        return list(
            event_list(
                states=values["state"], instruments=values["instrument"], kinds=values["kind"]
            )[:FEED_LENGTH]
        )

    def item_title(self, event: Event) -> str:
        return event_heading(event, self.titles)

    def item_description(self, event: Event) -> str:
        parts = [
            gettext("%(kind)s, %(origin)s.")
            % {"kind": event.get_kind_display(), "origin": event.get_origin_display()}
        ]
        new, old = cited(event.new), cited(event.old)
        if new:
            parts.append(gettext("Now: %(values)s.") % {"values": _pairs(new)})
        if old:
            parts.append(gettext("Before: %(values)s.") % {"values": _pairs(old)})
        if event.source:
            parts.append(gettext("Source: %(source)s") % {"source": citation(event.source)})
        return " ".join(parts)

    def item_link(self, event: Event) -> str:
        return absolute_url(f"{reverse('changes')}#event-{event.pk}")

    def item_guid(self, event: Event) -> str:
        return f"untoc-tracker:event:{event.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, event: Event) -> datetime:
        return event.recorded_at

    # Atom asks every entry for its <updated> (RFC 4287, 4.1.2); an event is never changed.
    def item_updateddate(self, event: Event) -> datetime:
        return event.recorded_at

    def item_categories(self, event: Event) -> list[str]:
        return [c for c in (event.kind, event.instrument, event.participant) if c]


def _pairs(values: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in values.items())
