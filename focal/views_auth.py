"""Signing in as a focal point (password, then the second factor), signing out, and the
invitation link.

The password step only remembers, for five minutes, whose code to ask for; the session signs
in (django.contrib.auth.login, then django_otp.login) once the code is right. Both steps count
towards the login lock (django-axes, core/security.py): a wrong password through
authenticate(), a wrong code through the same user_login_failed signal.
"""

import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login, logout, user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from core.security import lockout_response
from core.throttle import client_over_limit
from focal import invitations
from focal.access import (
    active_focal_point,
    otpauth_uri,
    qr_svg,
    safe_next,
    second_factor_match,
    secret_text,
)
from focal.forms import CodeForm, EnrolForm, LoginForm, RenewForm

PENDING = "focal_pending"
PENDING_SECONDS = 300
RENEWALS_PER_CLIENT_PER_HOUR = 10


@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip().lower()
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request, None, {"username": username})
        if user is not None and active_focal_point(user) is not None:
            request.session.cycle_key()
            request.session[PENDING] = {
                "user": user.pk,
                "backend": user.backend,  # type: ignore[attr-defined]
                "at": time.time(),
                "next": safe_next(request, reverse("focal-home")),
            }
            return redirect("focal-login-verify")
        form.add_error(
            None,
            ValidationError(
                _("This e-mail address and password are not those of a focal point."),
                code="invalid_login",
            ),
        )
    context = {"form": form, "next": request.GET.get("next", "")}
    return render(request, "focal/login.html", context, status=400 if form.errors else 200)


def _pending_user(request: HttpRequest) -> tuple[Any, dict[str, Any]] | None:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=pending["user"]).first()
    if user is None or active_focal_point(user) is None:
        return None
    return user, pending


@never_cache
def verify_view(request: HttpRequest) -> HttpResponse:
    found = _pending_user(request)
    if found is None:
        request.session.pop(PENDING, None)
        messages.info(
            request, _("Sign in with your password first (it is asked again after five minutes).")
        )
        return redirect("focal-login")
    user, pending = found
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        return lockout_response(request, None, credentials)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = second_factor_match(user, form.cleaned_data["code"])
        if device is not None:
            request.session.pop(PENDING, None)
            login(request, user, backend=pending["backend"])
            otp_login(request, device)
            return redirect(pending["next"])
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request, None, credentials)
        form.add_error(
            "code",
            ValidationError(
                _("This code is not right. Use the code your app shows now, or a recovery code."),
                code="wrong_code",
            ),
        )
    return render(request, "focal/verify.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("focal-login")


def _refused(request: HttpRequest, state: str) -> HttpResponse:
    status = 404 if state == invitations.UNKNOWN else 410
    context = {"state": state, "form": RenewForm()}
    return render(request, "focal/invitation_refused.html", context, status=status)


@never_cache
def invitation_view(request: HttpRequest, token: str) -> HttpResponse:
    """Open the invitation: set a password and enrol an authenticator, checked with a code.
    On success the recovery codes are shown, once."""
    invitation = invitations.invitation_find(token)
    state = invitations.invitation_state(invitation)
    if invitation is None or state != invitations.VALID:
        return _refused(request, state)
    key_name = f"focal_enrol_{invitation.pk}"
    key = request.session.get(key_name) or invitations.totp_key_new()
    request.session[key_name] = key
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = invitations.invitation_accept(
                token=token,
                password=form.cleaned_data["password"],
                totp_key=key,
                code=form.cleaned_data["code"],
            )
        except ValidationError as error:
            if "token" in error.message_dict:
                return _refused(request, invitations.invitation_state(invitation))
            for field, problems in error.error_dict.items():
                form.add_error(field, problems)
        else:
            request.session.pop(key_name, None)
            login(request, enrolment.user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, enrolment.device)
            context = {"codes": enrolment.recovery_codes, "focal_point": enrolment.focal_point}
            return render(request, "focal/recovery_codes.html", context)
    uri = otpauth_uri(key, invitation.email)
    context = {
        "form": form,
        "invitation": invitation,
        "qr": qr_svg(uri),
        "uri": uri,
        "secret": secret_text(key),
    }
    return render(request, "focal/invitation.html", context, status=400 if form.errors else 200)


@never_cache
def invitation_renew_view(request: HttpRequest) -> HttpResponse:
    """Ask for a new link. The answer is the same whether or not the address was invited.

    Besides the bound per address (one link a day, focal.invitations), a client address is
    answered 429 after RENEWALS_PER_CLIENT_PER_HOUR requests, as the alerts' subscription
    form is: nobody can make the tracker mail many addresses."""
    form = RenewForm(request.POST or None)
    if request.method == "POST" and client_over_limit(
        request, "focal:renew", RENEWALS_PER_CLIENT_PER_HOUR, 3600
    ):
        context = {"form": form, "busy": True}
        return render(request, "focal/invitation_renew.html", context, status=429)
    if request.method == "POST" and form.is_valid():
        invitations.invitation_renew(email=form.cleaned_data["email"])
        return render(request, "focal/invitation_renew_sent.html")
    status = 400 if form.errors else 200
    return render(request, "focal/invitation_renew.html", {"form": form}, status=status)
