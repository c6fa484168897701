"""No lost update: two editors on one record, in the back office, the services and the API.

Every versioned record carries the version its editor loaded. The back-office form checks it
when it is submitted, and the service checks it again under a row lock when it writes, so a
save that lands between the two is refused too. The race tests use real threads, each with
its own database connection, on SQLite and on PostgreSQL.
"""

import json
import threading
from collections.abc import Callable
from datetime import date

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.admin import VersionedForm
from core.writes import StaleVersionError
from instruments import services
from instruments.models import (
    DepositaryBatch,
    DepositaryCheckpoint,
    Instrument,
    OpenQuestion,
    TreatyAction,
)
from reports import authority_services
from reports import services as report_services
from reports.models import EvidenceCoverage
from states import services as state_services
from tests.apiclient import API, token_headers
from tests.instruments.test_admin import existing_row, participant_page_data
from tests.reports.conftest import obligation, state

STALE = "was changed by someone else since you loaded it"


# --- Each versioned record of the back office -------------------------------------------------
# For each: the record, its change form's data as its editor loaded it, a colleague's save
# through the service, and the field that save changed (with its value).


def _action(who):
    action = who.actions.get()

    def form(version):
        return {
            "participant": who.pk,
            "instrument": action.instrument_id,
            "kind": "signature",
            "date": "2001-01-10",
            "effective_date": "",
            "depositary_notification": "C.N.mine",
            "source": "test",
            "note": "mine",
            "version": version,
        }

    def colleague():
        services.action_update(action=action, note="colleague's")

    return action, form, colleague, ("note", "colleague's")


def _declaration(who):
    declaration = services.declaration_record(
        participant=who,
        instrument=Instrument.objects.get(code="untoc"),
        kind="notification",
        article="18(13)",
        date=date(2012, 8, 1),
        made_at="later",
        summary="Central authority: the Ministry of Justice",
        source="test",
    )

    def form(version):
        return {
            "participant": who.pk,
            "instrument": declaration.instrument_id,
            "kind": "notification",
            "article": "18(13)",
            "date": "2012-08-01",
            "made_at": "later",
            "summary": "mine",
            "source": "test",
            "version": version,
        }

    def colleague():
        services.declaration_update(declaration=declaration, summary="colleague's")

    return declaration, form, colleague, ("summary", "colleague's")


def _participant(who):
    def form(version):
        data = participant_page_data(who, [existing_row(who.actions.get())], [])
        return data | {"short_name": "mine", "version": version}

    def colleague():
        values = {name: getattr(who, name) for name in state_services.PARTICIPANT_FIELDS}
        state_services.participant_upsert(iso3=who.iso3, **(values | {"short_name": "theirs"}))

    return who, form, colleague, ("short_name", "theirs")


def _instrument(who):
    untoc = Instrument.objects.get(code="untoc")

    def form(version):
        return {
            "status_complete_to": "2020-01-01",
            "status_currency_note": "mine",
            "version": version,
        }

    def colleague():
        services.instrument_currency_update(
            instrument=untoc,
            status_complete_to=date(2021, 1, 1),
            status_currency_note="colleague's",
        )

    return untoc, form, colleague, ("status_currency_note", "colleague's")


def _submission(who):
    submission = report_services.submission_record(
        participant=state("DEU"),
        obligation=obligation("untoc-18-14"),
        received_on=date(2009, 5, 1),
        reference="C.N.55.2009",
    )

    def form(version):
        return {
            "obligation": submission.obligation_id,
            "received_on": "2009-05-01",
            "reference": "C.N.55.2009",
            "note": "mine",
            "version": version,
        }

    def colleague():
        report_services.submission_update(submission=submission, note="colleague's")

    return submission, form, colleague, ("note", "colleague's")


def _obligation(who):
    cop = obligation("untoc-cop-2007")

    def form(version):
        return {"grace_days": "30", "version": version}

    def colleague():
        report_services.obligation_grace_update(obligation=cop, grace_days=45)

    return cop, form, colleague, ("grace_days", 45)


def _designation(who):
    designation = authority_services.designation_record(
        None,
        participant=state("DEU"),
        obligation=obligation("untoc-18-13"),
        authority_name="Federal Office of Justice",
        notified_on=date(2005, 6, 14),
        source="test",
    )

    def form(version):
        return {
            "authority_name": "mine",
            "notified_on": "2005-06-14",
            "source": "test",
            "version": version,
        }

    def colleague():
        authority_services.designation_update(
            None, designation=designation, authority_name="colleague's"
        )

    return designation, form, colleague, ("authority_name", "colleague's")


RECORDS = {
    "action": (_action, "instruments_treatyaction"),
    "declaration": (_declaration, "instruments_declaration"),
    "participant": (_participant, "states_participant"),
    "instrument": (_instrument, "instruments_instrument"),
    "submission": (_submission, "reports_submission"),
    "obligation": (_obligation, "reports_obligation"),
    "designation": (_designation, "reports_authoritydesignation"),
}


def change_url(admin_name: str, record) -> str:
    return reverse(f"admin:{admin_name}_change", args=[record.pk])


def test_every_record_an_editor_may_change_in_the_back_office_is_versioned(rf, editor):
    request = rf.get("/admin/")
    request.user = editor
    changeable = {
        model
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in {"states", "instruments", "reports"}
        and model_admin.has_change_permission(request)
    }
    # A depositary batch's change permission is the right to decide its proposals: its change
    # form edits nothing (every field read-only, save_model writes nothing), and each proposal
    # is decided with the version its editor saw, checked under the proposal's row lock
    # (instruments.depositary.decisions; tests/instruments/depositary/test_admin.py).
    batch_admin = admin.site._registry[DepositaryBatch]
    assert set(batch_admin.get_fields(request)) <= set(batch_admin.get_readonly_fields(request))
    versioned = changeable - {DepositaryBatch}
    for model in versioned:
        assert issubclass(admin.site._registry[model].form, VersionedForm), model
    assert {m._meta.model_name for m in versioned} == {
        "participant",
        "treatyaction",
        "declaration",
        "instrument",
        "submission",
        "obligation",
        "depositarycheckpoint",
        "openquestion",
        "evidencecoverage",
        "authoritydesignation",
    }
    # The checkpoint, the open question and the evidence coverage have their own stale-save
    # tests (tests/instruments/test_admin_quality.py, tests/reports/test_coverage.py); the
    # others are raced below.
    assert {
        f"{m._meta.app_label}_{m._meta.model_name}"
        for m in versioned - {DepositaryCheckpoint, OpenQuestion, EvidenceCoverage}
    } == {name for _, name in RECORDS.values()}


@pytest.mark.usefixtures("real_data")
@pytest.mark.parametrize("kind", RECORDS)
def test_a_save_over_a_colleague_s_change_is_refused_on_the_form(editor_client, signed, kind):
    make, admin_name = RECORDS[kind]
    record, form, colleague, (field, theirs) = make(signed)
    seen = record.version
    colleague()
    response = editor_client.post(change_url(admin_name, record), form(seen))
    assert response.status_code == 200
    assert "Someone else changed this record after you opened it" in response.content.decode()
    record.refresh_from_db()
    assert getattr(record, field) == theirs


@pytest.mark.usefixtures("real_data")
@pytest.mark.parametrize("kind", RECORDS)
def test_a_colleague_s_save_landing_after_the_form_check_is_refused_at_save_time(
    editor_client, signed, kind, monkeypatch
):
    """The form's check passed (the colleague had not saved yet); the service's check under
    the row lock still refuses, and the page says so instead of overwriting."""
    make, admin_name = RECORDS[kind]
    record, form, colleague, (field, theirs) = make(signed)
    seen = record.version
    colleague()
    # The form's check ran before the colleague's save committed: it saw its own version.
    monkeypatch.setattr(
        VersionedForm, "check_version", lambda form: form.cleaned_data.get("version")
    )
    url = change_url(admin_name, record)
    typed = form(seen)
    response = editor_client.post(url, typed)
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert [e.startswith("Nothing was saved.") and STALE in e for e in errors] == [True]
    # What the editor typed is on the page again, to copy into the current record.
    assert response.context["adminform"].form.data[field] == typed[field]
    assert not get_messages(response.wsgi_request)
    record.refresh_from_db()
    assert getattr(record, field) == theirs


@pytest.mark.usefixtures("real_data")
def test_a_stale_row_on_the_participant_page_refuses_the_whole_page(editor_client, signed):
    action = signed.actions.get()
    services.action_update(action=action, note="colleague's")
    data = participant_page_data(signed, [existing_row(action) | {"version": 1}], [])
    data |= {"version": signed.version, "short_name": "mine", "actions-0-note": "mine"}
    response = editor_client.post(change_url("states_participant", signed), data)
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    signed.refresh_from_db()
    action.refresh_from_db()
    assert (signed.short_name, action.note) == ("South Sudan", "colleague's")


# --- Real races: threads with their own connections, committed data ------------------------


def run_together(*workers: Callable[[], object], timeout: float = 120) -> list[object]:
    """Run each worker in its own thread (its own database connection), started together;
    return what each returned, or raise what one raised."""
    start = threading.Barrier(len(workers))
    results: list[object] = [None] * len(workers)
    errors: list[BaseException] = []

    def run(index: int, worker: Callable[[], object]) -> None:
        try:
            start.wait()
            results[index] = worker()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a client hung"
    if errors:
        raise errors[0]
    return results


ITERATIONS = 100


def increment_through_the_services(action_id: int) -> tuple[int, int]:
    """Add one to the action's note 100 times: read, add, write with the version read; on a
    stale version read again. Return (increments saved, refusals)."""
    saved = refused = 0
    while saved < ITERATIONS:
        action = TreatyAction.objects.select_related("participant").get(pk=action_id)
        try:
            services.action_update(
                action=action, expected_version=action.version, note=str(int(action.note) + 1)
            )
        except StaleVersionError:
            refused += 1
        else:
            saved += 1
    return saved, refused


def increment_through_the_api(action_id: int, headers: dict[str, str]) -> tuple[int, int]:
    """The same through the API: GET for the note and the ETag, PATCH with If-Match, and
    on 412 GET again."""
    client = Client(**headers)
    path = f"{API}actions/{action_id}/"
    saved = refused = 0
    while saved < ITERATIONS:
        seen = client.get(path)
        assert seen.status_code == 200
        body = json.dumps({"note": str(int(seen.json()["note"]) + 1)})
        answer = client.patch(
            path, body, content_type="application/json", HTTP_IF_MATCH=seen["ETag"]
        )
        if answer.status_code == 412:
            refused += 1
            continue
        assert answer.status_code == 200, answer.content
        saved += 1
    return saved, refused


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("real_data")
@pytest.mark.parametrize("through", ["services", "api"])
def test_two_clients_racing_100_increments_each_lose_no_update(signed, editor, through):
    action = signed.actions.get()
    services.action_update(action=action, note="0")
    start_version = action.version + 1
    if through == "services":
        workers = [lambda: increment_through_the_services(action.pk)] * 2
    else:
        headers = token_headers(editor)
        workers = [lambda: increment_through_the_api(action.pk, headers)] * 2
    results = run_together(*workers)
    action.refresh_from_db()
    saved = sum(s for s, _ in results)
    assert saved == 2 * ITERATIONS
    assert int(action.note) == saved  # every increment saved is in the final state
    assert action.version == start_version + saved
    assert action.history.count() == 2 + saved  # recorded, noted "0", then each increment


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("real_data")
@pytest.mark.parametrize("kind", ["action", "submission"])
def test_two_editors_saving_one_record_at_once_one_is_saved_and_the_other_told(
    signed, editor, kind, monkeypatch
):
    """Both open the record (version N) and press save at the same moment: one save wins,
    the other is refused, never an error page.

    On PostgreSQL both forms pass their check before either writes (they wait for each
    other there), so the refusal comes from the service's check under the row lock: the
    race at save time. SQLite cannot interleave them so: a writer's transaction begins only
    once the other's has committed, so the second form's own check refuses it.
    """
    make, admin_name = RECORDS[kind]
    record, form, _, (field, _) = make(signed)
    url = change_url(admin_name, record)
    at_save_time = connection.vendor == "postgresql"
    if at_save_time:
        checked = threading.Barrier(2, timeout=30)
        original = VersionedForm.check_version

        def check_then_wait_for_the_other(self):
            seen = original(self)
            checked.wait()
            return seen

        monkeypatch.setattr(VersionedForm, "check_version", check_then_wait_for_the_other)

    def save(text):
        client = Client()
        client.force_login(editor)
        return client.post(url, form(record.version) | {field: text})

    for round_ in range(3):
        record.refresh_from_db()
        first, second = run_together(
            lambda n=round_: save(f"first {n}"), lambda n=round_: save(f"second {n}")
        )
        refused = "refused at save time" if at_save_time else "refused"
        assert sorted(_outcome(r, url) for r in (first, second)) == [refused, "saved"]
        record.refresh_from_db()
        assert getattr(record, field) in {f"first {round_}", f"second {round_}"}


def _outcome(response, url: str) -> str:
    """saved: back to the list; refused: on the form, by its check or by the service's at
    save time (the form again, with what was typed and the refusal on top)."""
    if response.status_code == 302 and response.url != url:
        return "saved"
    if response.status_code != 200:
        return f"unexpected {response.status_code}"
    errors = response.context["adminform"].form.non_field_errors()
    if [e.startswith("Nothing was saved.") and STALE in e for e in errors] == [True]:
        return "refused at save time"
    if "Someone else changed" in response.content.decode():
        return "refused"
    return "unexpected 200"
