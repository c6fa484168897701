"""The weekly job, against a local HTTP server standing in for the depositary's pages."""

import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail

from instruments import tasks
from instruments.depositary import fetch
from instruments.models import TreatyAction
from tests.instruments.depositary.conftest import (
    AS_AT,
    GERMANY_FIREARMS,
    kinds_we_lack,
    table_batches,
)
from tests.instruments.depositary.tables import html_page, table_lines

pytestmark = pytest.mark.usefixtures("real_data")

TIMEOUT = 0.5  # seconds; the slow page waits four times as long


@pytest.fixture
def depositary(germany_firearms_unrecorded):
    """A server on 127.0.0.1 with the status pages, a failing page, a slow one and garbage."""
    pages = {
        "/untoc": html_page("untoc", AS_AT, table_lines("untoc", AS_AT)),
        "/fir": html_page("fir", AS_AT, table_lines("fir", AS_AT, [GERMANY_FIREARMS])),
        "/garbage": "<html><body><h1>Service temporarily unavailable</h1></body></html>",
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/error":
                self.send_error(500, "Internal Server Error")
                return
            if self.path == "/slow":
                time.sleep(TIMEOUT * 4)
            body = pages.get(self.path, "").encode()
            self.send_response(200 if self.path in pages or self.path == "/slow" else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _urls(base, **paths):
    return {code: base + path for code, path in paths.items()}


@pytest.fixture
def job_on(settings, editor):
    settings.DEPOSITARY_CHECK_ENABLED = True
    settings.DEPOSITARY_FETCH_TIMEOUT = TIMEOUT
    editor.email = "editor@example.org"
    editor.save()
    return settings


def test_the_job_reads_the_pages_and_records_each_failure_with_its_reason(
    depositary, job_on, caplog
):
    job_on.DEPOSITARY_STATUS_URLS = _urls(
        depositary, untoc="/untoc", tip="/error", som="/slow", fir="/garbage"
    )
    actions = sorted(TreatyAction.objects.values_list("pk", "version"))

    with caplog.at_level(logging.INFO, logger="instruments.depositary.fetch"):
        summary = tasks.depositary_check.apply().get()

    # A table equal to our records proposes the kinds we lack (kinds_we_lack: Sierra Leone's).
    assert summary["untoc"] == f"{len(kinds_we_lack('untoc'))} proposal(s)"
    assert kinds_we_lack("untoc") == {"SLE"}
    assert "answered 500 Internal Server Error, not 200" in summary["tip"]
    assert "did not answer within 0.5 seconds" in summary["som"]
    assert "does not read as the Firearms Protocol's status table" in summary["fir"]
    assert "no status table" in summary["fir"]
    failed = table_batches().filter(state="failed")
    assert sorted(b.instrument.code for b in failed) == ["fir", "som", "tip"]
    assert all(b.message and b.origin.startswith(depositary) for b in failed)
    assert "Depositary check, tip:" in caplog.text
    assert "Nothing was written." in caplog.text
    assert sorted(TreatyAction.objects.values_list("pk", "version")) == actions

    (message,) = mail.outbox
    assert message.to == ["editor@example.org"]
    batch = table_batches().get(instrument__code="untoc")
    assert f"http://127.0.0.1:8000/admin/instruments/depositarybatch/{batch.pk}/change/" in (
        message.body
    )
    assert "Smuggling of Migrants Protocol: not read." in message.body


def test_a_page_already_read_is_not_stored_again(depositary, job_on):
    job_on.DEPOSITARY_STATUS_URLS = _urls(depositary, fir="/fir")

    first = tasks.depositary_check.apply().get()
    second = tasks.depositary_check.apply().get()

    # Germany's consent, and each consent whose kind we lack (kinds_we_lack).
    assert first == {"fir": f"{len(kinds_we_lack('fir')) + 1} proposal(s)"}
    assert second == {"fir": "unchanged"}
    batch = table_batches().get()
    assert batch.source_form == "web"
    assert batch.proposals.filter(participant__iso3="DEU").exists()
    assert len(mail.outbox) == 1


def test_the_job_is_off_by_default(settings):
    assert settings.DEPOSITARY_CHECK_ENABLED is False
    assert "depositary-check" not in settings.CELERY_BEAT_SCHEDULE

    assert tasks.depositary_check.apply().get() == {"skipped": "DEPOSITARY_CHECK is off"}
    assert not table_batches().exists()


def test_an_address_nobody_answers_is_a_clear_message(real_data):
    readings = fetch.depositary_check({"tip": "http://127.0.0.1:9/none"}, timeout=TIMEOUT)

    (reading,) = readings
    assert reading.problem == "http://127.0.0.1:9/none could not be reached (ConnectionError)."


@pytest.mark.django_db
def test_spmu_s_review_mail_is_in_the_site_s_language_whatever_the_worker_s_is():
    """No language is recorded for staff: the e-mail is written in the default language, from
    messages the catalogues translate."""
    from django.utils import translation

    from instruments.depositary.fetch import review_message

    with translation.override("fr"):
        message = review_message([])
        french_subject = translation.gettext(message.subject)
    assert message.subject == "UNTOC Tracker: the depositary's status pages, to review"
    assert message.body.startswith("The weekly reading of the UN Treaty Collection's")
    assert french_subject != message.subject
