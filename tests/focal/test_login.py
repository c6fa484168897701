"""Signing in as a focal point: the password, then the authenticator's code or a recovery code
(used up). Both steps count towards the login lock; a password alone reaches no page, no
back office and no API token."""

import pytest
from django.test import Client

from tests.focal.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def password_step(client: Client, username: str, password: str = PASSWORD):
    return client.post("/focal/login/", {"username": username, "password": password})


def test_a_focal_point_signs_in_with_its_password_then_its_code(austria_fp):
    client = Client()
    answer = password_step(client, "Focal@Austria.example")
    assert answer.status_code == 302
    assert answer["Location"] == "/focal/login/verify/"
    # The password alone opens nothing.
    assert client.get("/focal/").status_code == 302
    answer = client.post("/focal/login/verify/", {"code": austria_fp.code()})
    assert answer.status_code == 302
    assert answer["Location"] == "/focal/"
    assert client.get("/focal/").status_code == 200
    assert client.post("/focal/logout/").status_code == 302
    assert client.get("/focal/").status_code == 302


def test_a_recovery_code_signs_in_once(austria_fp):
    code = austria_fp.recovery_codes[0]
    first = Client()
    password_step(first, austria_fp.user.username)
    assert first.post("/focal/login/verify/", {"code": code}).status_code == 302
    assert first.get("/focal/").status_code == 200
    second = Client()
    password_step(second, austria_fp.user.username)
    answer = second.post("/focal/login/verify/", {"code": code})
    assert answer.status_code == 400
    assert "not right" in answer.content.decode()


def test_five_wrong_codes_lock_the_login_out(austria_fp):
    client = Client()
    password_step(client, austria_fp.user.username)
    statuses = [
        client.post("/focal/login/verify/", {"code": "000000"}).status_code for _ in range(5)
    ]
    assert statuses[:4] == [400] * 4
    assert statuses[4] == 429
    # Locked out: the right code is refused as well, and the password step too.
    assert client.post("/focal/login/verify/", {"code": austria_fp.code()}).status_code == 429
    assert password_step(Client(), austria_fp.user.username).status_code == 429


def test_five_wrong_passwords_lock_the_focal_login_out_also_with_the_right_one(austria_fp):
    client = Client()
    for _ in range(4):
        assert password_step(client, austria_fp.user.username, "wrong").status_code == 400
    locked = password_step(client, austria_fp.user.username, "wrong")
    assert locked.status_code == 429
    assert "Retry-After" in locked
    assert password_step(client, austria_fp.user.username).status_code == 429


def test_staff_cannot_sign_in_as_a_focal_point(real_data, editor):
    answer = password_step(Client(), editor.username, "a-long-test-password")
    assert answer.status_code == 400
    assert "not those of a focal point" in answer.content.decode()


def test_a_focal_point_cannot_enter_the_back_office(austria_fp):
    from tests.focal.conftest import signed_in

    client = signed_in(austria_fp)
    assert client.get("/admin/").status_code == 302
    answer = Client().post(
        "/admin/login/", {"username": austria_fp.user.username, "password": PASSWORD}
    )
    assert answer.status_code == 200  # the login form again: not staff


def test_a_focal_point_cannot_trade_its_password_for_an_api_token(austria_fp):
    answer = Client().post(
        "/api/v1/auth/token/",
        {"username": austria_fp.user.username, "password": PASSWORD},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["rule"] == "second_factor_required"


def test_a_session_without_the_second_factor_reaches_no_focal_page(austria_fp):
    client = Client()
    client.force_login(austria_fp.user)
    answer = client.get("/focal/")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/focal/login/")


def test_a_switched_off_focal_point_is_signed_out(austria_fp, editor):
    from focal.invitations import focal_point_set_active
    from tests.focal.conftest import signed_in

    client = signed_in(austria_fp)
    focal_point_set_active(focal_point=austria_fp.focal_point, active=False, actor=editor)
    assert client.get("/focal/").status_code == 302
    assert password_step(Client(), austria_fp.user.username).status_code == 400


def test_the_code_step_expects_the_password_step_first(real_data):
    answer = Client().get("/focal/login/verify/")
    assert answer.status_code == 302
    assert answer["Location"] == "/focal/login/"


def test_a_sign_in_returns_to_the_page_asked_for_but_never_off_the_site(austria_fp):
    client = Client()
    client.post(
        "/focal/login/",
        {
            "username": austria_fp.user.username,
            "password": PASSWORD,
            "next": "https://evil.example/",
        },
    )
    answer = client.post("/focal/login/verify/", {"code": austria_fp.code()})
    assert answer["Location"] == "/focal/"
