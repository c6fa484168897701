"""Who may open a focal point's page, and the second factor behind it.

Every focal page asks for an active focal point whose session passed the second factor
(django-otp's OTPMiddleware: `request.user.is_verified()`). A session signs in only once both
factors are checked, so a password alone never reaches a page nor the API.
"""

from base64 import b32encode
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import quote, urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import devices_for_user

from focal.models import FocalPoint


def active_focal_point(user: Any) -> FocalPoint | None:
    if not getattr(user, "is_authenticated", False):
        return None
    focal_point = FocalPoint.objects.select_related("participant").filter(user=user).first()
    if focal_point is None or not focal_point.active or not user.is_active:
        return None
    return focal_point


def focal_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view gets `request.focal_point`; anyone else goes to the focal sign-in page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        focal_point = active_focal_point(request.user)
        verified = getattr(request.user, "is_verified", lambda: False)()
        if focal_point is None or not verified:
            if focal_point is None and request.user.is_authenticated and not request.user.is_staff:
                logout(request)  # a focal point switched off: its session ends here
            login = reverse("focal-login")
            return redirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
        request.focal_point = focal_point  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def otpauth_uri(key_hex: str, email: str) -> str:
    """The address an authenticator app reads (Key URI Format), for a new TOTP secret."""
    issuer = settings.OTP_TOTP_ISSUER
    secret = b32encode(bytes.fromhex(key_hex)).decode()
    query = urlencode({"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": 6})
    return f"otpauth://totp/{quote(issuer)}:{quote(email)}?{query}"


def secret_text(key_hex: str) -> str:
    """The secret as a person types it into an app: base32, in groups of four."""
    secret = b32encode(bytes.fromhex(key_hex)).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(uri: str) -> str:
    """The URI as a QR code, inline SVG drawn on the server (no script, no style)."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def second_factor_match(user: Any, code: str) -> Any:
    """The device whose code this is, or None: the authenticator first, then the recovery
    codes (a recovery code that matches is used up). Each device's own throttling applies
    (django-otp waits longer after each failure)."""
    code = "".join(code.split())
    if not code:
        return None
    for device in devices_for_user(user):
        allowed, _why = device.verify_is_allowed()
        if allowed and device.verify_token(code):
            return device
    return None
