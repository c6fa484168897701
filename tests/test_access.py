"""Who gets in: the login lock after repeated failures (back office and API token login), the
API token login itself, and staff sessions that end after 30 idle minutes."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from core.models import ApiToken
from tests.apiclient import API, problems

PASSWORD = "a-long-test-password"  # the fixtures' (tests/conftest.py)
START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
TOKEN_URL = API + "auth/token/"

pytestmark = pytest.mark.django_db


def admin_login(client: Client, username: str, password: str, address: str = "127.0.0.1"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def token_login(client: Client, username: str, password: str, address: str = "127.0.0.1"):
    return client.post(
        TOKEN_URL,
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def admin_logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


# --- the back office's login -----------------------------------------------------------------


def test_five_failed_back_office_logins_lock_the_username_at_that_address_for_15_minutes(editor):
    with time_machine.travel(START, tick=False) as clock:
        for attempt in range(4):
            response = admin_login(Client(), editor.username, f"wrong-{attempt}")
            assert response.status_code == 200  # the form again, with its error
            clock.shift(timedelta(minutes=2))
        fifth = admin_login(Client(), editor.username, "wrong-again")
        assert fifth.status_code == 429

        clock.shift(timedelta(minutes=1))
        refused = admin_login(Client(), editor.username, PASSWORD)
        assert refused.status_code == 429
        assert "Too many failed logins" in refused.content.decode()
        assert int(refused["Retry-After"]) == 14 * 60
        assert "Content-Security-Policy" in refused

        # The lock runs from the fifth failure; the refused try did not extend it.
        clock.shift(timedelta(minutes=13, seconds=59))
        assert admin_login(Client(), editor.username, PASSWORD).status_code == 429
        clock.shift(timedelta(seconds=2))
        assert admin_logged_in(admin_login(Client(), editor.username, PASSWORD))


def test_the_lock_holds_one_username_at_one_address_only(editor, viewer):
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            admin_login(Client(), editor.username, "wrong")
        assert admin_login(Client(), editor.username, PASSWORD).status_code == 429
        assert admin_logged_in(admin_login(Client(), editor.username, PASSWORD, "192.0.2.7"))
        assert admin_logged_in(admin_login(Client(), viewer.username, PASSWORD))


def test_failures_older_than_15_minutes_do_not_count(editor):
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(4):
            admin_login(Client(), editor.username, "wrong")
        clock.shift(timedelta(minutes=16))
        assert admin_login(Client(), editor.username, "wrong").status_code == 200
        assert admin_logged_in(admin_login(Client(), editor.username, PASSWORD))


def test_a_successful_login_clears_the_earlier_failures(editor):
    with time_machine.travel(START, tick=False):
        for _ in range(4):
            admin_login(Client(), editor.username, "wrong")
        assert admin_logged_in(admin_login(Client(), editor.username, PASSWORD))
        for _ in range(4):
            assert admin_login(Client(), editor.username, "wrong").status_code == 200
        assert admin_logged_in(admin_login(Client(), editor.username, PASSWORD))


def test_behind_a_proxy_the_lock_counts_by_the_address_the_proxy_saw(editor, settings):
    """A client that writes its own X-Forwarded-For cannot dodge the lock: only the address
    the trusted proxy appended counts."""
    settings.PROXY_COUNT = 1
    with time_machine.travel(START, tick=False):
        for attempt in range(5):
            Client().post(
                "/admin/login/",
                {"username": editor.username, "password": "wrong"},
                REMOTE_ADDR="10.0.0.1",  # the proxy
                HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}, 203.0.113.9",
            )
        locked = Client().post(
            "/admin/login/",
            {"username": editor.username, "password": PASSWORD},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.9",
        )
        assert locked.status_code == 429
        elsewhere = Client().post(
            "/admin/login/?next=/admin/",
            {"username": editor.username, "password": PASSWORD},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.10",
        )
        assert admin_logged_in(elsewhere)


# --- the API's token login -------------------------------------------------------------------


def test_the_token_login_gives_a_new_api_token_which_then_authenticates(editor):
    response = token_login(Client(), editor.username, PASSWORD)
    assert response.status_code == 200
    key = response.json()["token"]
    assert ApiToken.objects.filter(user=editor).count() == 1
    assert token_login(Client(), editor.username, PASSWORD).json()["token"] != key
    history = Client().get(API + "history/", HTTP_AUTHORIZATION=f"Token {key}")
    assert history.status_code == 200
    editor.refresh_from_db()
    assert editor.last_login is not None


def test_a_wrong_password_at_the_token_login_is_400_in_the_error_shape(editor):
    response = token_login(Client(), editor.username, "wrong")
    assert response.status_code == 400
    assert problems(response) == {None: "invalid_credentials"}
    assert not ApiToken.objects.filter(user=editor).exists()


def test_a_token_login_without_a_password_names_the_field():
    response = Client().post(TOKEN_URL, {"username": "someone"}, content_type="application/json")
    assert response.status_code == 400
    assert problems(response) == {"password": "required"}


def test_an_inactive_user_gets_no_token(editor):
    editor.is_active = False
    editor.save()
    response = token_login(Client(), editor.username, PASSWORD)
    assert response.status_code == 400
    assert problems(response) == {None: "invalid_credentials"}


def test_five_failed_token_logins_lock_the_username_at_that_address_for_15_minutes(editor):
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(4):
            assert token_login(Client(), editor.username, "wrong").status_code == 400
        fifth = token_login(Client(), editor.username, "wrong")
        assert fifth.status_code == 429
        assert problems(fifth) == {None: "locked_out"}

        refused = token_login(Client(), editor.username, PASSWORD)
        assert refused.status_code == 429
        assert problems(refused) == {None: "locked_out"}
        assert int(refused["Retry-After"]) == 15 * 60
        assert "token" not in refused.json()

        clock.shift(timedelta(minutes=15, seconds=1))
        accepted = token_login(Client(), editor.username, PASSWORD)
        assert accepted.status_code == 200
        assert accepted.json()["token"]


def test_failures_at_either_login_count_towards_one_lock(editor):
    with time_machine.travel(START, tick=False):
        for _ in range(3):
            admin_login(Client(), editor.username, "wrong")
        for _ in range(2):
            token_login(Client(), editor.username, "wrong")
        assert token_login(Client(), editor.username, PASSWORD).status_code == 429
        assert admin_login(Client(), editor.username, PASSWORD).status_code == 429


def test_the_token_login_is_in_the_schema():
    schema = Client().get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert operation["operationId"] == "auth_token_create"
    assert {"200", "400", "429"} <= set(operation["responses"])
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/TokenLogin")
    assert set(schema["components"]["schemas"]["TokenLogin"]["required"]) == {
        "username",
        "password",
    }


# --- sessions --------------------------------------------------------------------------------


def test_a_staff_session_ends_after_30_idle_minutes_and_each_request_extends_it(client, editor):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(editor)
        assert client.get("/admin/").status_code == 200
        for _ in range(3):
            clock.shift(timedelta(minutes=29))
            response = client.get("/admin/")
            assert response.status_code == 200  # an hour and a half in all, never idle for 30
        cookie = response.cookies["sessionid"]
        assert cookie["max-age"] == 30 * 60
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"

        clock.shift(timedelta(minutes=30, seconds=1))
        response = client.get("/admin/")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_an_idle_session_no_longer_writes_through_the_api(client, editor):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(editor)
        clock.shift(timedelta(minutes=31))
        response = client.post(API + "actions/", {}, content_type="application/json")
        assert response.status_code == 401
