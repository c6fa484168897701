"""Who is knocking, and what a locked-out login hears (django-axes; settings under "Security").

Two limits, on the back-office login and the API's token login alike, each counting the
failures of the last fifteen minutes:
- five failed logins for one username from one address lock that pair out (guessing one
  account's password);
- twenty failed logins from one address, whatever the usernames, lock that address out
  (password spraying: one common password tried on many accounts).
A lock lasts fifteen minutes from the failure that set it. The answer is 429 with Retry-After:
in the API's error shape under /api/, a back-office page elsewhere.
"""

import math
from datetime import timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.db.models import Max, QuerySet, Sum
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


class LoginLockHandler(AxesDatabaseHandler):
    """AXES_HANDLER: django-axes' database handler with a limit of its own for each lockout
    parameter (AXES_LOCKOUT_PARAMETERS: the username-and-address pair, then the address).

    django-axes compares the larger count with one limit; an office behind one address would
    then be locked out by five typing errors among its staff. And a successful login clears
    only its own username's failures, so a sprayer who knows one password cannot wipe the
    address's count by logging in.
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        pair, address = (_failures(a) for a in self.get_user_attempts(request, credentials))
        if address >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(pair, settings.AXES_FAILURE_LIMIT)  # what axes reads as "locked"
        return pair

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        pair, _address = self.filter_user_attempts(request, credentials)
        count, _ = pair.delete()
        return count


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


def _remaining(attempts: QuerySet[AccessAttempt], cool_off: timedelta) -> timedelta:
    last = attempts.aggregate(last=Max("attempt_time"))["last"]
    if last is None:
        return cool_off
    return max(last + cool_off - timezone.now(), timedelta(0))


def lockout_state(
    request: HttpRequest, credentials: dict[str, Any] | None
) -> tuple[bool, timedelta]:
    """Whether the whole address is locked out (rather than one username at it), and how long
    the lock lasts: the cool-off from the last failure counted (tries made while locked out
    are not counted, so they do not extend it)."""
    cool_off = get_cool_off(request) or timedelta(0)
    since = timezone.now() - cool_off
    address = AccessAttempt.objects.filter(
        ip_address=getattr(request, "axes_ip_address", client_address(request)),
        attempt_time__gte=since,
    )
    if _failures(address) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
        return True, _remaining(address, cool_off)
    pair = address.filter(username=get_client_username(request, credentials))
    return False, _remaining(pair, cool_off)


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the answer to a login refused for too many failures."""
    whole_address, remaining = lockout_state(request, credentials)
    seconds = max(math.ceil(remaining.total_seconds()), 1)
    minutes = math.ceil(seconds / 60)
    who = "from this address" if whole_address else "for this username from this address"
    message = (
        f"Too many failed logins {who}: logins are refused for {minutes} more "
        f"minute{'s' if minutes != 1 else ''}, also with the right password."
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
