"""Attachments are checked by their content, never by their name.

A file is accepted only if it is a PDF, a PNG or a JPEG by its first bytes, opens as one
(pypdf, Pillow), holds nothing after its own end (an image with an archive appended), is not
also an archive (a ZIP's directory found anywhere near its end: a polyglot), carries no HTML
(a browser sniffing it would run it), is named as what it is, and is at most 10 MB.
"""

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from focal.domain import Violation

MAX_BYTES = 10 * 1024 * 1024
PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
SIGNATURES = {PDF: b"%PDF-", PNG: b"\x89PNG\r\n\x1a\n", JPEG: b"\xff\xd8\xff"}
EXTENSIONS = {PDF: (".pdf",), PNG: (".png",), JPEG: (".jpg", ".jpeg")}
KIND_NAMES = {PDF: "PDF", PNG: "PNG", JPEG: "JPEG"}
MARKUP = (b"<html", b"<script", b"<!doctype", b"<svg", b"<body", b"<iframe")


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check: its bytes and what it is."""

    name: str
    content_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _kind(data: bytes) -> str | None:
    return next((kind for kind, magic in SIGNATURES.items() if data.startswith(magic)), None)


def _opens(kind: str, data: bytes) -> bool:
    """Whether the file opens as what its first bytes say, and ends where it should."""
    try:
        if kind == PDF:
            reader = PdfReader(io.BytesIO(data), strict=True)
            return len(reader.pages) > 0 and b"%%EOF" in data[-1024:]
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (PyPdfError, UnidentifiedImageError, OSError, ValueError, KeyError, TypeError):
        return False
    if kind == PNG:
        return data.endswith(b"IEND\xaeB`\x82")
    return data.rstrip(b"\x00").endswith(b"\xff\xd9")


def _is_archive(data: bytes) -> bool:
    return zipfile.is_zipfile(io.BytesIO(data)) or b"PK\x05\x06" in data[-66000:]


def attachment_check(upload: UploadedFile, field: str = "attachments") -> CheckedFile | Violation:
    """The upload as a CheckedFile, or the Violation naming why it is refused."""
    name = (upload.name or "").strip()
    size = upload.size or 0

    def refuse(rule: str, message: str) -> Violation:
        return Violation(rule, field, f"{name}: {message}")

    if size > MAX_BYTES:
        return refuse("too_large", _("larger than 10 MB (%(mb).1f MB).") % {"mb": size / 2**20})
    if size == 0:
        return refuse("empty", _("the file is empty."))
    data = b"".join(upload.chunks())
    if _is_archive(data):
        return refuse(
            "archive", _("an archive (ZIP) or one is hidden in it; attach a PDF or image.")
        )
    kind = _kind(data)
    if kind is None:
        return refuse(
            "not_pdf_or_image", _("not a PDF, PNG or JPEG file by its content; attach one.")
        )
    if any(marker in data[:4096].lower() for marker in MARKUP):
        return refuse("markup", _("it holds web page markup; attach the document only."))
    if not _opens(kind, data):
        return refuse(
            "damaged", _("it does not open as a %(kind)s file.") % {"kind": KIND_NAMES[kind]}
        )
    if not name.lower().endswith(EXTENSIONS[kind]):
        return refuse(
            "name_does_not_match",
            _("its content is %(kind)s but its name says otherwise; name it %(ext)s.")
            % {"kind": KIND_NAMES[kind], "ext": EXTENSIONS[kind][0]},
        )
    return CheckedFile(name=name[-150:], content_type=kind, data=data)
