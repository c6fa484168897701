"""A focal point's submissions: drafts with attachments checked by their content, every bad
input refused whole (no row, no file), one open submission per obligation, and nothing of
another State's."""

import io
import os
import zipfile
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from focal.models import Attachment, FocalSubmission
from reports.models import Obligation
from tests.focal.conftest import (
    central_authority,
    draft,
    pdf_bytes,
    png_bytes,
    signed_in,
    submitted,
    upload,
)

pytestmark = pytest.mark.django_db


def stored_files() -> list[str]:
    root = settings.FOCAL_ATTACHMENTS_ROOT
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files]


def post_new(client, obligation="untoc-18-13", files=(), **changes):
    data = central_authority(**changes) | {"obligation": Obligation.objects.get(code=obligation).pk}
    if files:
        data["attachments"] = list(files)
    return client.post("/focal/submissions/new/", data)


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("note.pdf", pdf_bytes())
    return out.getvalue()


def test_a_focal_point_saves_its_central_authority_with_a_pdf_note_verbale(austria_fp):
    client = signed_in(austria_fp)
    answer = post_new(client, files=[upload("note-verbale.pdf", pdf_bytes())])
    assert answer.status_code == 302
    saved = FocalSubmission.objects.get()
    assert (saved.participant.iso3, saved.state, saved.authority_name) == (
        "AUT",
        "draft",
        "Federal Ministry of Justice",
    )
    attachment = saved.attachments.get()
    assert (attachment.original_name, attachment.content_type) == (
        "note-verbale.pdf",
        "application/pdf",
    )
    assert stored_files() == [os.path.join(settings.FOCAL_ATTACHMENTS_ROOT, attachment.file.name)]
    assert not str(settings.FOCAL_ATTACHMENTS_ROOT).startswith(str(settings.STATIC_ROOT))
    assert saved.history.get().history_user == austria_fp.user


BAD_FILES = [
    ("not_pdf_or_image", "note.pdf", b"This is plain text, named as a PDF."),
    ("archive", "bundle.zip", zip_bytes()),
    ("archive", "renamed.pdf", zip_bytes()),  # an archive renamed .pdf
    ("archive", "polyglot.png", png_bytes() + zip_bytes()),  # an image with a ZIP after it
    ("not_pdf_or_image", "program.pdf", b"MZ\x90\x00" + b"\x00" * 200),  # a program, renamed
    ("damaged", "cut.pdf", pdf_bytes()[:200]),
    ("markup", "page.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>"),
    ("name_does_not_match", "scan.pdf", png_bytes()),
]


@pytest.mark.parametrize(("rule", "name", "data"), BAD_FILES, ids=[b[1] for b in BAD_FILES])
def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_stored(
    austria_fp, rule, name, data
):
    answer = post_new(signed_in(austria_fp), files=[upload(name, data)])
    assert answer.status_code == 400
    errors = answer.context["form"].errors.as_data()["attachments"]
    assert [e.code for e in errors] == [rule]
    assert name in errors[0].message
    assert not FocalSubmission.objects.exists()
    assert stored_files() == []


def test_a_file_over_10_mb_is_refused(austria_fp):
    big = pdf_bytes() + b"%" + b"0" * (10 * 1024 * 1024)
    answer = post_new(signed_in(austria_fp), files=[upload("big.pdf", big)])
    assert answer.status_code == 400
    assert "larger than 10 MB" in str(answer.context["form"].errors["attachments"])
    assert not FocalSubmission.objects.exists()


def test_a_png_and_a_jpeg_are_accepted(austria_fp):
    from PIL import Image

    jpeg = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(jpeg, format="JPEG")
    files = [upload("scan.png", png_bytes(), "image/png"), upload("scan.jpg", jpeg.getvalue())]
    assert post_new(signed_in(austria_fp), files=files).status_code == 302
    kinds = sorted(Attachment.objects.values_list("content_type", flat=True))
    assert kinds == ["image/jpeg", "image/png"]


def test_a_date_in_the_future_is_refused_naming_the_field(austria_fp):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    answer = post_new(
        signed_in(austria_fp), files=[upload("n.pdf", pdf_bytes())], notified_on=tomorrow
    )
    assert answer.status_code == 400
    assert [e.code for e in answer.context["form"].errors.as_data()["notified_on"]] == [
        "date_in_future"
    ]
    assert not FocalSubmission.objects.exists()
    assert stored_files() == []


def test_a_designation_without_the_authority_s_name_is_refused(austria_fp):
    answer = post_new(signed_in(austria_fp), authority_name="")
    assert answer.status_code == 400
    assert [e.code for e in answer.context["form"].errors.as_data()["authority_name"]] == [
        "required_for_designation"
    ]


def test_an_obligation_that_does_not_apply_to_the_state_is_refused_naming_the_rule(germany_fp):
    """Germany's Firearms Protocol consent is a post-2014 fact awaiting review: as shipped,
    Germany is no party to it, so FIR art. 13(2) does not bind it."""
    from focal import services
    from focal.services import FocalRuleError

    with pytest.raises(FocalRuleError) as refused:
        services.submission_create(
            focal_point=germany_fp.focal_point,
            obligation=Obligation.objects.get(code="fir-13-2"),
            values=central_authority() | {"notified_on": timezone.localdate()},
            actor=germany_fp.user,
        )
    assert [v.rule for v in refused.value.violations] == ["obligation_not_applicable"]
    assert "does not apply to Germany" in refused.value.violations[0].message
    # The form does not even offer it.
    answer = post_new(signed_in(germany_fp), obligation="fir-13-2")
    assert answer.status_code == 400
    assert "obligation" in answer.context["form"].errors
    assert not FocalSubmission.objects.exists()


def test_a_second_open_submission_for_the_same_obligation_is_refused(austria_fp):
    first = submitted(austria_fp)
    answer = post_new(signed_in(austria_fp), files=[upload("n.pdf", pdf_bytes())])
    assert answer.status_code == 400
    message = str(answer.context["form"].errors["obligation"])
    assert f"#{first.pk}" in message
    assert "not decided yet" in message
    assert FocalSubmission.objects.count() == 1
    assert stored_files() == []


def test_a_draft_is_edited_then_submitted_and_can_no_longer_be_edited(austria_fp):
    client = signed_in(austria_fp)
    saved = draft(austria_fp)
    page = f"/focal/submissions/{saved.pk}/"
    data = central_authority(contact_point="Unit IV 4", version=saved.version)
    assert client.post(page, data).status_code == 302
    saved.refresh_from_db()
    assert (saved.contact_point, saved.version) == ("Unit IV 4", 2)
    answer = client.post(f"{page}submit/", {"version": saved.version})
    assert answer.status_code == 302
    saved.refresh_from_db()
    assert saved.state == "submitted"
    assert saved.submitted_at is not None
    assert client.post(page, data | {"version": saved.version}).status_code == 405
    assert [h.state for h in saved.history.order_by("history_date")] == [
        "draft",
        "draft",
        "submitted",
    ]


def test_another_state_s_draft_and_attachment_answer_404(austria_fp, germany_fp):
    theirs = draft(germany_fp, files=[], code="untoc-18-13")
    from focal.files import CheckedFile
    from focal.services import submission_edit

    submission_edit(
        submission=theirs,
        values=central_authority() | {"notified_on": timezone.localdate()},
        files=[CheckedFile("n.pdf", "application/pdf", pdf_bytes())],
        actor=germany_fp.user,
    )
    attachment = theirs.attachments.get()
    client = signed_in(austria_fp)
    assert client.get(f"/focal/submissions/{theirs.pk}/").status_code == 404
    assert client.post(f"/focal/submissions/{theirs.pk}/submit/").status_code == 404
    url = f"/focal/submissions/{theirs.pk}/attachments/{attachment.pk}/"
    assert client.get(url).status_code == 404
    assert signed_in(germany_fp).get(url).status_code == 200


def test_an_attachment_downloads_as_an_attachment_never_inline(austria_fp):
    post_new(signed_in(austria_fp), files=[upload("note verbale.pdf", pdf_bytes())])
    attachment = Attachment.objects.get()
    url = f"/focal/submissions/{attachment.submission_id}/attachments/{attachment.pk}/"
    answer = signed_in(austria_fp).get(url)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"].startswith("attachment;")
    assert "note verbale.pdf" in answer["Content-Disposition"]
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in answer["Cache-Control"]
    assert b"".join(answer.streaming_content) == pdf_bytes()


def test_the_home_page_shows_the_state_s_obligations_and_submissions_only(austria_fp, germany_fp):
    draft(austria_fp)
    draft(germany_fp, authority_name="Bundesamt für Justiz")
    answer = signed_in(austria_fp).get("/focal/")
    assert answer.status_code == 200
    page = answer.context["page"]
    assert page.participant.iso3 == "AUT"
    assert {s.participant.iso3 for s in page.submissions} == {"AUT"}
    assert "untoc-18-13" in {row["obligation"] for row in page.standings}
    assert {row["state"] for row in page.standings} == {"AUT"}
    assert "Bundesamt" not in answer.content.decode()
