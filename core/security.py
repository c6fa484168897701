"""Who is knocking, and what a locked-out login hears (django-axes; settings under "Security").

Five failed logins for one username from one address lock that pair out for fifteen minutes,
on the back-office login and the API's token login alike. The answer is 429 with Retry-After:
in the API's error shape under /api/, a back-office page elsewhere.
"""

import math
from datetime import timedelta
from typing import Any

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone

LOCKED_OUT_STATUS = 429


def client_address(request: HttpRequest) -> str | None:
    """The address a login comes from.

    Behind PROXY_COUNT proxies that each append the address they saw to X-Forwarded-For, the
    client is the PROXY_COUNT-th address from the right: whatever a client writes into the
    header itself stays to the left of it. Without proxies, the connection's own address.
    """
    count = settings.PROXY_COUNT
    if count:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


def lockout_remaining(request: HttpRequest, credentials: dict[str, Any] | None) -> timedelta:
    """How long this username and address stay locked out: the cool-off from the last failure
    counted (tries made while locked out are not counted, so they do not extend it)."""
    cool_off = get_cool_off(request) or timedelta(0)
    last = AccessAttempt.objects.filter(
        username=get_client_username(request, credentials),
        ip_address=getattr(request, "axes_ip_address", client_address(request)),
    ).aggregate(last=Max("attempt_time"))["last"]
    if last is None:
        return cool_off
    return max(last + cool_off - timezone.now(), timedelta(0))


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the answer to a login refused for too many failures."""
    remaining = lockout_remaining(request, credentials)
    seconds = max(math.ceil(remaining.total_seconds()), 1)
    minutes = math.ceil(seconds / 60)
    message = (
        f"Too many failed logins for this username from this address: logins are refused "
        f"for {minutes} more minute{'s' if minutes != 1 else ''}, also with the right password."
    )
    if request.path.startswith("/api/"):
        body = {
            "status": LOCKED_OUT_STATUS,
            "detail": "Login refused: too many failed logins.",
            "errors": [{"field": None, "rule": "locked_out", "message": message}],
        }
        response: HttpResponse = JsonResponse(body, status=LOCKED_OUT_STATUS)
    else:
        context = {**admin.site.each_context(request), "title": "Login refused", "message": message}
        response = TemplateResponse(
            request, "admin/locked_out.html", context, status=LOCKED_OUT_STATUS
        )
        response.render()
    response["Retry-After"] = str(seconds)
    return response
