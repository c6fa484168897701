"""Reads of the change log."""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.models import Event
from instruments.citations import citation
from instruments.models import Instrument


def event_list(
    *,
    states: Iterable[str] | None = None,
    instruments: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    since: int | None = None,
) -> QuerySet[Event]:
    """The events, newest first; with `since`, those after that id, oldest first (one query
    per page)."""
    events = Event.objects.all()
    if states is not None:
        events = events.filter(participant__in=list(states))
    if instruments is not None:
        events = events.filter(instrument__in=list(instruments))
    if kinds is not None:
        events = events.filter(kind__in=list(kinds))
    if since is not None:
        return events.filter(id__gt=since).order_by("id")
    return events.order_by("-id")


def cited(values: dict | None) -> dict | None:
    """Public values with a recorded source given as its citation, as every public read
    gives it (never the recorded working notes)."""
    if not values or "source" not in values:
        return values
    return {**values, "source": citation(values["source"] or "")}


def event_public(event: Event) -> dict:
    """An event as the public sees it: never who recorded it, only "recorded by SPMU"; its
    sources as citations."""
    return {
        "id": event.pk,
        "recorded_at": event.recorded_at,
        "kind": event.kind,
        "kind_label": event.get_kind_display(),
        "state": event.participant or None,
        "state_name": event.participant_name or None,
        "instrument": event.instrument or None,
        "old": cited(event.old),
        "new": cited(event.new),
        "source": citation(event.source) if event.source else "",
        "recorded_by": event.get_origin_display(),
    }


def instrument_titles() -> dict[str, str]:
    """Each instrument's short title by its code (one query), for event_heading."""
    return dict(Instrument.objects.values_list("code", "short_title"))


def event_heading(event: Event, titles: dict[str, str]) -> str:
    """How a feed entry and an e-mail line name an event: "Germany (fir): ..." for a
    participant's event, "Firearms Protocol: ..." for an instrument's own (an import
    applied); `titles` from instrument_titles(), read once per feed or message."""
    kind = event.get_kind_display()
    if event.participant_name:
        what = f" ({event.instrument})" if event.instrument else ""
        return f"{event.participant_name}{what}: {kind}"
    return f"{titles.get(event.instrument) or _('All participants')}: {kind}"
