"""The change log's public page and feed, and the e-mail subscription pages."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from alerts import subscriptions
from alerts.feeds import ChangeFeed
from alerts.filters import ChangeFilterSet
from alerts.forms import SubscribeForm, SubscriptionLanguageForm
from alerts.models import Subscription
from alerts.selectors import cited, event_list
from core.conditional import conditional_on_revision
from core.languages import public_code
from core.security import client_address
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
    for event in events:  # the sources as citations, as every public read gives them
        event.new, event.old = cited(event.new), cited(event.old)
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


def _client(request: HttpRequest) -> str:
    """The client's address, behind the proxies PROXY_COUNT names as the sign-in counts it."""
    return client_address(request) or ""


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """Ask for e-mails; the answer is the same whether or not the address is subscribed.
    They are written in the page's language, or the one chosen on the form."""
    language = public_code()  # the page's: its e-mails are written in it unless chosen
    form = SubscribeForm(request.POST or None, initial={"language": language, **request.GET.dict()})
    if request.method == "POST":
        if subscriptions.client_over_limit(_client(request)):
            return render(
                request, "alerts/subscribe.html", {"form": form, "busy": True}, status=429
            )
        if form.is_valid():
            subscriptions.subscription_request(
                **{**form.cleaned_data, "language": form.cleaned_data["language"] or language}
            )
            return render(request, "alerts/subscribe_sent.html", {})
        return render(request, "alerts/subscribe.html", {"form": form}, status=400)
    return render(request, "alerts/subscribe.html", {"form": form})


@require_http_methods(["GET", "POST"])
def subscription_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation e-mail: a button (so that a mail scanner opening the link
    confirms nothing), which confirms."""
    found = subscriptions.subscription_of(token, confirm=True)
    if found is None:
        return render(request, "alerts/link_invalid.html", {}, status=400)
    if request.method == "POST":
        subscriptions.subscription_confirm(found)
        return render(request, "alerts/subscription_done.html", {"confirmed": True})
    return render(request, "alerts/subscription_confirm.html", {"subscription": found})


@csrf_exempt  # the signed token is the authority; mail clients POST here (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One click: a POST (List-Unsubscribe-Post, or the page's button) ends it."""
    found = subscriptions.subscription_of(token, confirm=False)
    if request.method == "POST":
        if found is not None:
            subscriptions.subscription_end(found)
        return render(request, "alerts/subscription_done.html", {"confirmed": False})
    if found is None:
        return render(request, "alerts/link_invalid.html", {}, status=400)
    return _subscription_page(request, token, SubscriptionLanguageForm(initial=_language(found)))


@csrf_exempt  # the signed token is the authority, as for unsubscribing
@require_http_methods(["GET", "POST"])
def subscription_language(request: HttpRequest, token: str) -> HttpResponse:
    """The language of a subscription's e-mails, changed on the page its e-mails link to
    (the unsubscribe page: a GET goes there)."""
    found = subscriptions.subscription_of(token, confirm=False)
    if found is None:
        return render(request, "alerts/link_invalid.html", {}, status=400)
    if request.method != "POST":
        return redirect("unsubscribe", token=token)
    form = SubscriptionLanguageForm(request.POST)
    if not form.is_valid():
        return _subscription_page(request, token, form, status=400)
    subscriptions.subscription_language_set(found, form.cleaned_data["language"])
    saved = dict(settings.LANGUAGES)[found.language]
    return _subscription_page(
        request, token, SubscriptionLanguageForm(initial=_language(found)), saved=saved
    )


def _language(subscription: Subscription) -> dict[str, str]:
    return {"language": subscription.language}


def _subscription_page(
    request: HttpRequest,
    token: str,
    form: SubscriptionLanguageForm,
    *,
    saved: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {"token": token, "language_form": form, "saved": saved}
    return render(request, "alerts/unsubscribe.html", context, status=status)
