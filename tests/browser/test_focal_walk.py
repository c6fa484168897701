"""A focal point's path through the tracker in a real browser, as the issue tells it: an SPMU
editor invites Austria's focal point in the back office; the focal point opens the link from
the e-mail, sets a password and an authenticator (its codes computed from the key shown),
signs in with both, and submits Austria's central authority under UNTOC art. 18(13) with a
PDF note verbale; a second editor approves it from the review queue; the focal point's page
then shows it approved and Austria's standing with art. 18(13) as reports.standings computes
it. Every focal page, and the review page, passes axe-core."""

import re
from datetime import date

import pyotp
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from playwright.sync_api import expect

from focal.models import FocalSubmission
from reports.models import Obligation
from reports.standings import obligation_standings
from states.models import Participant
from states.roles import SPMU_EDITORS
from tests.browser.conftest import axe_blocking
from tests.conftest import ensure_staff_groups
from tests.focal.conftest import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.slow]

STAFF_PASSWORD = "a-long-test-password"  # the fixtures' (tests/conftest.py)
FOCAL_PASSWORD = "Vienna-focal-point-2024"
FOCAL_EMAIL = "focal.point@austria.example"
NOTIFIED = date(2004, 9, 24)


def austria_art_18_13() -> dict:
    austria = Participant.objects.get(iso3="AUT")
    rows = obligation_standings(participant_ids=[austria.pk]).rows()
    return next(row for row in rows if row["obligation"] == "untoc-18-13")


def staff_sign_in(page, username: str) -> None:
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username:").fill(username)
    page.get_by_label("Password:").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def invite_austria(page, editor) -> str:
    """As SPMU: the invitation sent; the path of the link in the e-mail."""
    staff_sign_in(page, editor.username)
    page.goto("/admin/focal/invitation/add/")
    page.locator(".field-participant .select2-selection").click()
    page.locator(".select2-search__field").fill("austr")
    page.locator(".select2-results__option", has_text="Austria").click()
    page.get_by_label("E-mail address:").fill(FOCAL_EMAIL)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(
        f"The invitation was e-mailed to {FOCAL_EMAIL}"
    )
    (message,) = [m for m in mail.outbox if m.to == [FOCAL_EMAIL]]
    return re.search(r"/focal/invitation/\S+/", message.body).group(0)


def enrol(page, link: str, problems: list[str]) -> pyotp.TOTP:
    """As the focal point: the password, and the authenticator from the key shown."""
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Focal point of Austria")
    problems += axe_blocking(page)
    totp = pyotp.TOTP(page.locator("#totp-secret").inner_text().replace(" ", ""))
    page.get_by_label("Password:", exact=True).fill(FOCAL_PASSWORD)
    page.get_by_label("Password (again)").fill(FOCAL_PASSWORD)
    page.get_by_label("The code your authenticator app shows").fill(totp.now())
    page.get_by_role("button", name="Set up my login").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    problems += axe_blocking(page)
    page.get_by_role("button", name="Sign out").click()
    return totp


def sign_in(page, totp: pyotp.TOTP, problems: list[str]) -> None:
    page.goto("/focal/")
    expect(page).to_have_url(re.compile(r"/focal/login/\?next="))
    problems += axe_blocking(page)
    page.get_by_label("E-mail address").fill(FOCAL_EMAIL)
    page.get_by_label("Password:", exact=True).fill(FOCAL_PASSWORD)
    page.get_by_role("button", name="Next: your code").click()
    expect(page).to_have_url(re.compile(r"/focal/login/verify/$"))
    problems += axe_blocking(page)
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(totp.now())
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/focal/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Focal point of Austria")
    problems += axe_blocking(page)


def submit_central_authority(page, note_verbale, problems: list[str]) -> FocalSubmission:
    page.get_by_role("link", name="Submit a notification").click()
    problems += axe_blocking(page)
    obligation = Obligation.objects.get(code="untoc-18-13")
    page.get_by_label("Obligation").select_option(str(obligation.pk))
    page.get_by_label("Authority name").fill("Federal Ministry of Justice")
    page.get_by_label("Postal address").fill("Museumstrasse 7, 1070 Vienna")
    page.get_by_label("Contact point").fill("Department IV 4, International Criminal Law")
    page.get_by_label("Phone").fill("+43 1 52152 0")
    page.get_by_label("E-mail:", exact=True).fill("mla@justice.example")
    page.get_by_label("Date notified to the depositary").fill(NOTIFIED.isoformat())
    page.get_by_label("Depositary reference").fill("C.N.883.2004.TREATIES-12")
    page.locator("input[type=file]").set_input_files(str(note_verbale))
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator(".messages")).to_contain_text("Draft saved")
    expect(page.get_by_role("link", name="note-verbale.pdf")).to_be_visible()
    problems += axe_blocking(page)
    page.get_by_role("button", name="Submit to SPMU for review").click()
    expect(page.locator(".messages")).to_contain_text("Submitted: SPMU will review it")
    problems += axe_blocking(page)
    return FocalSubmission.objects.get(participant__iso3="AUT", obligation=obligation)


def axe_in_the_back_office(tab, problems: list[str]) -> None:
    """axe-core measures a back-office page by adding a <style> element of its own, which
    the Content-Security-Policy blocks (on every admin page, not only this one): those
    reports are axe's, not the page's, and are set aside; any other stays."""
    seen = len(tab.csp_violations)
    problems += axe_blocking(tab.page)
    tab.csp_violations[seen:] = [
        v for v in tab.csp_violations[seen:] if "Applying inline style" not in v
    ]


def approve(tab, reviewer, submission: FocalSubmission, problems: list[str]) -> None:
    """As a second SPMU editor: the queue, the submission with its note verbale, approved."""
    page = tab.page
    staff_sign_in(page, reviewer.username)
    page.goto("/admin/focal/focalsubmission/")
    page.get_by_role("link", name=str(submission)).click()
    expect(page.locator("#attachments")).to_contain_text("note-verbale.pdf")
    axe_in_the_back_office(tab, problems)
    page.get_by_label("Approve: record it as received").check()
    page.get_by_role("button", name="Decide").click()
    expect(page.locator(".messagelist")).to_contain_text("Decided: approved.")


def test_spmu_invites_austria_s_focal_point_who_submits_and_a_second_editor_approves(
    browsing, editor, tmp_path
):
    ensure_staff_groups()
    reviewer = get_user_model().objects.create_user(
        username="spmu-reviewer", password=STAFF_PASSWORD, is_staff=True
    )
    reviewer.groups.add(Group.objects.get(name=SPMU_EDITORS))
    note_verbale = tmp_path / "note-verbale.pdf"
    note_verbale.write_bytes(pdf_bytes())
    before = austria_art_18_13()
    problems: list[str] = []

    link = invite_austria(browsing().page, editor)
    focal = browsing().page
    totp = enrol(focal, link, problems)
    sign_in(focal, totp, problems)
    submission = submit_central_authority(focal, note_verbale, problems)
    assert submission.attachments.get().original_name == "note-verbale.pdf"
    approve(browsing(), reviewer, submission, problems)

    submission.refresh_from_db()
    assert (submission.state, submission.decided_by) == ("approved", reviewer)
    assert [m.subject for m in mail.outbox if m.to == [FOCAL_EMAIL]][-1] == (
        "UNTOC Tracker: your submission was approved"
    )
    after = austria_art_18_13()
    assert (after["received_by"], after["received_on"]) == ("submission", NOTIFIED)
    assert after != before

    # The focal point's page: its submission approved, and the standing as computed.
    focal.goto("/focal/")
    own = focal.locator("#submissions + table tbody tr")
    expect(own).to_have_count(1)
    expect(own.first).to_contain_text("UNTOC art. 18(13)")
    expect(own.first).to_contain_text("approved")
    standing = focal.locator("#standings + table tbody tr", has_text="UNTOC art. 18(13)")
    expect(standing.locator("td").nth(1)).to_have_text(after["finding"])
    expect(standing.locator("td").nth(3)).to_have_text("24 Sep 2004")
    expect(focal.locator("#on-record + ul")).to_contain_text(
        "UNTOC art. 18(13): received 24 Sep 2004 (C.N.883.2004.TREATIES-12)"
    )
    problems += axe_blocking(focal)
    assert problems == [], "\n".join(problems)
