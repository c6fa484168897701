"""The change log's public page and feed: parse the query, read the events, render."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from alerts.feeds import ChangeFeed
from alerts.filters import ChangeFilterSet
from alerts.selectors import event_list
from core.conditional import conditional_on_revision
from instruments.pages import bad_request

PAGE_LENGTH = 100


@require_safe
@conditional_on_revision
def changes(request: HttpRequest) -> HttpResponse:
    """/changes/: the latest events, newest first (with `since`, the later ones, oldest
    first). Three queries: the revision (ETag); the `state` codes, when given; the events."""
    filters = ChangeFilterSet(request.GET)
    if not filters.is_valid():
        return bad_request(request, filters)
    values = filters.values()
    events = list(
        event_list(
            states=values["state"],
            instruments=values["instrument"],
            kinds=values["kind"],
            since=values["since"],
        )[:PAGE_LENGTH]
    )
    context = {
        "here": "changes",
        "form": filters.form,
        "events": events,
        "since": values["since"],
        "limit": PAGE_LENGTH,
        "feed": f"?{filters.query_string()}",
    }
    return render(request, "alerts/changes.html", context)


@require_safe
@conditional_on_revision
def change_feed(request: HttpRequest) -> HttpResponse:
    """The Atom feed of /changes/ with the same filters (`since` is not a feed's)."""
    filters = ChangeFilterSet(request.GET)
    if not filters.is_valid():
        return bad_request(request, filters)
    return ChangeFeed()(request, values=filters.values())
