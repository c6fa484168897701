"""Inviting focal points, and their enrolment: a one-use link, a password, a second factor.

The link carries a random token; only its SHA-256 is stored, so the table cannot be used to
sign in. A token works once and until FOCAL_INVITATION_DAYS have passed. Opening it, the
invitee sets a password (Django's validators) and enrols an authenticator app (TOTP, checked
with one code before it is kept); ten recovery codes are shown once.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.languages import ENGLISH, codes
from core.writes import Actor, revision_bump, set_history_user
from focal import emails
from focal.models import FocalPoint, Invitation
from states.models import Participant

RECOVERY_CODES = 10
VALID, USED, EXPIRED, UNKNOWN = "valid", "used", "expired", "unknown"
# At most one new link a day for one address asked for through the renewal form.
RENEWAL_INTERVAL = timedelta(days=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _new_invitation(
    participant: Participant, email: str, actor: Actor, language: str
) -> Invitation:
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        participant=participant,
        email=email,
        language=language,
        invited_by=actor,  # type: ignore[misc]
        token_hash=token_hash(token),
        expires_at=timezone.now() + timedelta(days=settings.FOCAL_INVITATION_DAYS),
    )
    set_history_user(invitation, actor)
    invitation.save()
    emails.invitation_mail(invitation, token)
    return invitation


def _withdraw_pending(email: str) -> None:
    for older in Invitation.objects.filter(
        email=email, used_at__isnull=True, withdrawn_at__isnull=True
    ):
        older.withdrawn_at = timezone.now()
        older.save(update_fields=["withdrawn_at"])


def staff_address(email: str) -> bool:
    """Whether the address is the login of a staff member (who cannot be a focal point)."""
    user = get_user_model().objects.filter(username=email.strip().lower()).first()
    return user is not None and (user.is_staff or user.is_superuser)


def days_valid() -> int:
    return settings.FOCAL_INVITATION_DAYS


def language_check(language: str) -> str:
    """`language` if the site speaks it; otherwise a ValidationError naming the field."""
    if language not in codes():
        raise _error(
            "language",
            _("Unknown language %(value)s: choose one of %(codes)s.")
            % {"value": repr(language), "codes": ", ".join(codes())},
            "unknown_language",
        )
    return language


def invitation_send(
    *, participant: Participant, email: str, actor: Actor, language: str = ENGLISH
) -> Invitation:
    """Invite `email` to act as focal point of `participant`, in `language` (the invitation's
    and, once enrolled, the focal point's e-mails); an earlier link to the same address stops
    working. Refused for an address that signs in as staff, or a language the site does not
    speak."""
    email = email.strip().lower()
    language = language_check(language)
    if staff_address(email):
        raise _error(
            "email",
            _("This address belongs to a staff login; a focal point cannot be staff."),
            "staff_address",
        )
    with transaction.atomic():
        _withdraw_pending(email)
        return _new_invitation(participant, email, actor, language)


def invitation_state(invitation: Invitation | None) -> str:
    if invitation is None or invitation.withdrawn_at is not None:
        return UNKNOWN
    if invitation.used_at is not None:
        return USED
    if invitation.expires_at <= timezone.now():
        return EXPIRED
    return VALID


def invitation_find(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("participant", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )


def invitation_renew(*, email: str) -> None:
    """Send a new link to an address whose invitation was not used (expired or not). The
    answer is the same whatever the address: whether it was invited is not said."""
    email = email.strip().lower()
    with transaction.atomic():
        latest = (
            Invitation.objects.select_for_update()
            .filter(email=email, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if latest is None or latest.created_at > timezone.now() - RENEWAL_INTERVAL:
            return
        if FocalPoint.objects.filter(user__username=email).exists():
            return  # already enrolled: signs in, or asks SPMU
        _withdraw_pending(email)
        renewed = _new_invitation(latest.participant, email, latest.invited_by, latest.language)
        emails.renewal_mail_to_editors(renewed)


def totp_key_new() -> str:
    """A new TOTP secret, as django-otp stores it (40 hex digits: 160 bits)."""
    return secrets.token_hex(20)


def totp_device_unsaved(key: str, email: str) -> TOTPDevice:
    """The authenticator being enrolled, not stored until a code from it is checked."""
    return TOTPDevice(name=email, key=key, confirmed=True)


def _code_matches(key_hex: str, code: str) -> bool:
    """Whether `code` is the authenticator's code now (or one step either side, for a clock
    a little off), checked before anything is stored."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return False
    return TOTP(bytes.fromhex(key_hex)).verify(int(code), tolerance=1)


@dataclass
class Enrolment:
    user: AbstractBaseUser
    focal_point: FocalPoint
    device: TOTPDevice
    recovery_codes: list[str]


def invitation_accept(*, token: str, password: str, totp_key: str, code: str) -> Enrolment:
    """Use the invitation: the password and the authenticator, whose `code` must be right.

    Under a row lock, so a link opened twice at once is used once. Raises ValidationError
    naming the field (token, password, code); nothing is stored then."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(token_hash=token_hash(token))
        found = invitation.first()
        state = invitation_state(found)
        if found is None or state != VALID:
            raise _error("token", _("This invitation link no longer works."), f"link_{state}")
        user_model = get_user_model()
        user = user_model.objects.filter(username=found.email).first() or user_model(
            username=found.email, email=found.email
        )
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.error_list}) from None
        device = totp_device_unsaved(totp_key, found.email)
        if not _code_matches(totp_key, code):
            raise _error(
                "code",
                _("This code is not the one your authenticator app shows now; try the next."),
                "wrong_code",
            )
        enrolment = _enrol(found, user, device, password)
        found.used_at = timezone.now()
        found.focal_point = enrolment.focal_point
        found.save(update_fields=["used_at", "focal_point"])
        revision_bump()
        return enrolment


def _enrol(invitation: Invitation, user, device: TOTPDevice, password: str) -> Enrolment:
    user.set_password(password)
    user.email = invitation.email
    user.is_staff = False
    user.is_active = True
    user.save()
    focal_point, _created = FocalPoint.objects.get_or_create(
        user=user,
        defaults={"participant": invitation.participant, "invited_by": invitation.invited_by},
    )
    focal_point.participant = invitation.participant
    focal_point.language = invitation.language
    focal_point.active = True
    set_history_user(focal_point, invitation.invited_by)
    focal_point.save()
    # A new authenticator and new recovery codes replace any earlier ones.
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    device.user = user
    device.save()
    static = StaticDevice.objects.create(user=user, name=_("recovery codes"))
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return Enrolment(user, focal_point, device, codes)


def focal_point_set_active(*, focal_point: FocalPoint, active: bool, actor: Actor) -> FocalPoint:
    """Let a focal point sign in again, or stop it (its sessions end at their next request)."""
    with transaction.atomic():
        stored = FocalPoint.objects.select_for_update().get(pk=focal_point.pk)
        if stored.active != active:
            stored.active = active
            set_history_user(stored, actor)
            stored.save()
            revision_bump()
        return stored
