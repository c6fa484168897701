"""The focal points' cast: Austria's and Germany's focal points, each enrolled with an
authenticator (its secret kept to compute codes with pyotp) and recovery codes, and real
files to attach."""

import io
import shutil
from base64 import b32encode
from dataclasses import dataclass
from datetime import date

import pyotp
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from pypdf import PdfWriter

from focal import services
from focal.models import FocalPoint, FocalSubmission
from reports.models import Obligation
from states.models import Participant

PASSWORD = "a-long-focal-password"


@dataclass
class Enrolled:
    focal_point: FocalPoint
    device: TOTPDevice
    recovery_codes: list[str]

    @property
    def user(self):
        return self.focal_point.user

    def code(self) -> str:
        return pyotp.TOTP(b32encode(self.device.bin_key).decode()).now()


def enrol(iso3: str, email: str, inviter) -> Enrolled:
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    focal_point = FocalPoint.objects.create(
        user=user, participant=Participant.objects.get(iso3=iso3), invited_by=inviter
    )
    device = TOTPDevice.objects.create(user=user, name=email, confirmed=True)
    static = StaticDevice.objects.create(user=user, name="recovery codes")
    codes = [f"code{n}abc" for n in range(3)]
    for code in codes:
        StaticToken.objects.create(device=static, token=code)
    return Enrolled(focal_point, device, codes)


def signed_in(enrolled: Enrolled, client: Client | None = None) -> Client:
    """A client signed in with both factors, as the verify step leaves it."""
    client = client or Client()
    client.force_login(enrolled.user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = enrolled.device.persistent_id
    session.save()
    return client


@pytest.fixture(autouse=True)
def _attachments_folder():
    yield
    shutil.rmtree(settings.FOCAL_ATTACHMENTS_ROOT, ignore_errors=True)


@pytest.fixture
def austria_fp(real_data, editor) -> Enrolled:
    return enrol("AUT", "focal@austria.example", editor)


@pytest.fixture
def germany_fp(real_data, editor) -> Enrolled:
    return enrol("DEU", "focal@germany.example", editor)


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="PNG")
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def central_authority(**changes) -> dict:
    """The form of Austria's central authority under UNTOC art. 18(13)."""
    return {
        "authority_name": "Federal Ministry of Justice",
        "postal_address": "Museumstrasse 7, 1070 Vienna",
        "contact_point": "Department IV 4",
        "phone": "+43 1 52152",
        "email": "mla@justice.example",
        "notified_on": "2024-03-01",
        "depositary_reference": "C.N.100.2024.TREATIES-XVIII-12",
        "note": "",
    } | changes


def draft(enrolled: Enrolled, code: str = "untoc-18-13", files=(), **changes) -> FocalSubmission:
    values = central_authority(**changes)
    values["notified_on"] = date.fromisoformat(values["notified_on"])
    return services.submission_create(
        focal_point=enrolled.focal_point,
        obligation=Obligation.objects.get(code=code),
        values=values,
        files=files,
        actor=enrolled.user,
    )


def submitted(enrolled: Enrolled, **changes) -> FocalSubmission:
    return services.submission_submit(submission=draft(enrolled, **changes), actor=enrolled.user)
