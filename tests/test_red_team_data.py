"""The data-loss findings of the second hardening round, each reproduced as it was found: a
save or deletion that overwrote or removed someone else's change (aliases, "Delete selected",
a form without its version), and an editor's save deadlocking with the worker's re-check.
Each passes once its fix is in. (The server errors are in test_red_team_errors.py.)"""

import threading
import time
from datetime import date

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from core.admin import VersionedDeleteMixin
from instruments import services
from instruments.models import Declaration
from reports.models import ComplianceFlag, Submission
from states import services as state_services
from states.models import Participant, ParticipantAlias
from tests.apiclient import API, token_headers
from tests.factories import participant
from tests.instruments.test_admin import participant_page_data
from tests.test_concurrent_edits import RECORDS, change_url, run_together

pytestmark = pytest.mark.usefixtures("real_data")

# --- 7. Aliases are versioned, and one spelling names one participant ------------------------


def alias_page_data(who, aliases: list[dict]) -> dict:
    """The participant page as sent, with these alias rows (existing ones carry an id)."""
    data = participant_page_data(who, [], [])
    data["aliases-TOTAL_FORMS"] = str(len(aliases))
    data["aliases-INITIAL_FORMS"] = str(sum(1 for row in aliases if "id" in row))
    for index, row in enumerate(aliases):
        for key, value in row.items():
            data[f"aliases-{index}-{key}"] = value
    return data


def page_of(who) -> str:
    return change_url("states_participant", who)


def alias_row(alias) -> dict:
    return {
        "id": alias.pk,
        "participant": alias.participant_id,
        "version": alias.version,
        "name": alias.name,
        "source": alias.source,
    }


def test_saving_a_participant_page_opened_earlier_keeps_a_colleague_s_alias_change(
    editor_client,
):
    who = participant()
    alias = state_services.alias_record(participant=who, name="Southern Sudan", source="first")
    seen = alias_row(alias)  # the page as the editor opened it
    state_services.alias_update(
        alias=alias, expected_version=alias.version, source="a colleague's source"
    )
    data = alias_page_data(who, [seen]) | {"short_name": "S. Sudan"}
    response = editor_client.post(page_of(who), data)
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    alias.refresh_from_db()
    who.refresh_from_db()
    assert (alias.source, alias.version) == ("a colleague's source", 2)
    assert who.short_name == "South Sudan"


def test_an_alias_edit_on_the_participant_page_counts_a_version_and_keeps_history(
    editor_client, editor
):
    who = participant()
    alias = state_services.alias_record(participant=who, name="Southern Sudan", source="first")
    row = alias_row(alias) | {"name": "Sudan (South)", "source": "second"}
    response = editor_client.post(page_of(who), alias_page_data(who, [row]))
    assert response.status_code == 302, response.content.decode()[:2000]
    alias.refresh_from_db()
    assert (alias.name, alias.source, alias.version) == ("Sudan (South)", "second", 2)
    assert alias.history.first().history_user == editor
    # Deleting it with the version seen is taken; with an older version, refused.
    stale = alias_row(alias) | {"version": 1, "DELETE": "on"}
    response = editor_client.post(page_of(who), alias_page_data(who, [stale]))
    assert response.status_code == 200
    assert ParticipantAlias.objects.filter(pk=alias.pk).exists()
    current = alias_row(alias) | {"DELETE": "on"}
    response = editor_client.post(page_of(who), alias_page_data(who, [current]))
    assert response.status_code == 302
    assert not ParticipantAlias.objects.filter(pk=alias.pk).exists()


@pytest.mark.parametrize("spelling", ["Swaziland", "SWAZILAND", "swaziland"])
def test_an_alias_of_one_participant_added_to_another_is_refused_not_moved(editor_client, spelling):
    swaziland = ParticipantAlias.objects.get(name="Swaziland")
    who = participant()
    new = {"participant": who.pk, "name": spelling, "source": "typed"}
    response = editor_client.post(page_of(who), alias_page_data(who, [new]))
    assert response.status_code == 200
    assert "already a former or other name of" in response.content.decode()
    swaziland.refresh_from_db()
    assert swaziland.participant.iso3 == "SWZ"
    assert not who.aliases.exists()


def test_the_database_refuses_a_second_participant_for_one_spelling():
    who = participant()
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantAlias.objects.create(participant=who, name="swaziLAND", source="raw")


def test_the_service_refuses_a_spelling_taken_in_the_meantime(monkeypatch):
    """The check passed (the colleague had not saved yet); the database's constraint refuses
    the insert, and the service says so as it says the check's refusal."""
    who = participant()
    monkeypatch.setattr(state_services, "_alias_name_problem", lambda *args: None)
    with pytest.raises(ValidationError) as refused:
        state_services.alias_record(participant=who, name="Swaziland", source="typed")
    assert refused.value.error_dict["name"][0].code == "alias_taken"
    assert not who.aliases.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("real_data")
def test_two_editors_adding_one_alias_to_two_participants_at_once(editor, monkeypatch):
    """Both add "Republic of South Sudan", each to another participant, in the same moment:
    one is saved, the other told, never moved and never an error page, round after round.

    On PostgreSQL both pass every check before either writes (they wait for each other
    there), so the refusal comes from the unique constraint at insert; SQLite runs one
    writer's transaction after the other's, so the second one's own check refuses it."""
    first = participant()
    second = participant("ATA", "Antarctica")  # test fixtures, not facts
    if connection.vendor == "postgresql":
        checked = threading.Barrier(2, timeout=30)
        original = state_services._alias_name_problem

        def check_then_wait_for_the_other(*args):
            problem = original(*args)
            checked.wait()
            return problem

        monkeypatch.setattr(state_services, "_alias_name_problem", check_then_wait_for_the_other)

    def add(who, name):
        client = Client()
        client.force_login(editor)
        row = {"participant": who.pk, "name": name, "source": "typed"}
        return client.post(change_url("states_participant", who), alias_page_data(who, [row]))

    for round_ in range(4):
        name = f"Republic of South Sudan {round_}"
        answers = run_together(
            lambda name=name: add(first, name), lambda name=name: add(second, name)
        )
        assert sorted(r.status_code for r in answers) == [200, 302]
        refused = next(r for r in answers if r.status_code == 200).content.decode()
        if connection.vendor == "postgresql":  # refused by the constraint, at insert
            assert "Nothing was saved" in refused
            assert "a moment ago" in refused
        else:
            assert "already a former or other name of" in refused
        owners = ParticipantAlias.objects.filter(name=name).values_list("participant", flat=True)
        assert len(owners) == 1
        assert ParticipantAlias.history.filter(name=name).count() == 1  # created once, not moved


# --- 12. An editor's save racing the worker's re-check: no deadlock, no server error ---------


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("real_data", "records_checked")
def test_an_editor_s_saves_racing_the_worker_s_rechecks_never_deadlock(editor):
    """For some seconds an editor records, corrects and deletes Germany's submission through
    the API while the worker re-checks Germany's flags, over and over. Before the fix, the
    deletion (which clears the flag's link to the submission) and the re-check (which writes
    that link) each held a row the other needed: PostgreSQL ended one of them (a 500 for the
    editor, a failed task for the worker), or the re-check linked a flag to a submission
    deleted after it read it."""
    from reports import sweep

    sweep.compliance_sweep(as_of=date(2010, 1, 1))
    germany = Participant.objects.get(iso3="DEU")
    headers = token_headers(editor)
    stop = time.monotonic() + 8
    body = {
        "state": "DEU",
        "obligation": "untoc-cop-2007",
        "received_on": "2009-05-01",
        "reference": "CTOC/COP/2008/CRP.1",
    }

    def editor_saves() -> list[int]:
        client = Client(**headers)
        answers = []
        while time.monotonic() < stop:
            created = client.post(f"{API}submissions/", body, content_type="application/json")
            answers.append(created.status_code)
            if created.status_code != 201:
                break
            path = f"{API}submissions/{created.json()['id']}/"
            tag = client.get(path)["ETag"]
            changed = client.patch(
                path, {"note": "checked"}, content_type="application/json", HTTP_IF_MATCH=tag
            )
            answers.append(changed.status_code)
            deleted = client.delete(path, HTTP_IF_MATCH=changed["ETag"])
            answers.append(deleted.status_code)
        return answers

    def worker_rechecks() -> int:
        count = 0
        while time.monotonic() < stop:
            sweep.compliance_recheck(participant_ids=[germany.pk])
            count += 1
        return count

    answers, rechecks = run_together(editor_saves, worker_rechecks)
    assert set(answers) <= {200, 201, 204}, sorted(set(answers))
    assert len(answers) >= 30
    assert rechecks >= 10
    flag = ComplianceFlag.objects.get(participant=germany, obligation__code="untoc-cop-2007")
    assert flag.submission_id is None or Submission.objects.filter(pk=flag.submission_id).exists()


def test_a_sweep_ended_by_a_deadlock_runs_once_more_and_only_once(monkeypatch):
    """The safety net behind the lock order: PostgreSQL's deadlock (SQLSTATE 40P01) rolls
    the whole sweep back, so the worker runs it again; any other failure is not retried."""
    from types import SimpleNamespace

    from django.db import OperationalError

    from reports import sweep

    class Deadlock(Exception):
        sqlstate = "40P01"

    def deadlocked() -> OperationalError:
        error = OperationalError("deadlock detected")
        error.__cause__ = Deadlock()
        return error

    calls: list[object] = []
    outcomes: list[object] = [deadlocked(), "swept"]

    def run(**arguments):
        calls.append(arguments)
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    monkeypatch.setattr(sweep, "_compliance_sweep", run)
    outside = SimpleNamespace(in_atomic_block=False)  # as in the worker: no caller's transaction
    with monkeypatch.context() as worker:  # undone before the test's transaction is
        worker.setattr(sweep.transaction, "get_connection", lambda using=None: outside)
        assert sweep.compliance_recheck(participant_ids=[1]) == "swept"
        assert len(calls) == 2
        outcomes[:] = [deadlocked(), deadlocked()]
        with pytest.raises(OperationalError):
            sweep.compliance_recheck(participant_ids=[1])
        outcomes[:] = [OperationalError("the server closed the connection"), "swept"]
        with pytest.raises(OperationalError):
            sweep.compliance_recheck(participant_ids=[1])
    assert len(calls) == 5


# --- 8. "Delete selected" refuses rows changed after its confirmation was shown ------------


def _delete_selected_confirmation(client, rows) -> dict:
    """Ask to delete `rows`; return the confirmation form's fields as the page sends them."""
    url = reverse("admin:instruments_declaration_changelist")
    chosen = [row.pk for row in rows]
    page = client.post(url, {"action": "delete_selected", "_selected_action": chosen})
    assert page.status_code == 200
    text = page.content.decode()
    data = {"action": "delete_selected", "_selected_action": chosen, "post": "yes"}
    for row in rows:
        marker = f'name="version-{row.pk}" value="'
        assert marker in text, "the confirmation shows each row's version"
        data[f"version-{row.pk}"] = text.split(marker, 1)[1].split('"', 1)[0]
    return data


def test_delete_selected_refuses_a_declaration_changed_after_the_confirmation(editor_client):
    rows = list(Declaration.objects.filter(participant__iso3="DEU").order_by("pk")[:2])
    confirmed = _delete_selected_confirmation(editor_client, rows)
    services.declaration_update(declaration=rows[0], summary="a colleague's correction")
    url = reverse("admin:instruments_declaration_changelist")
    response = editor_client.post(url, confirmed, follow=True)
    assert "Nothing was deleted" in response.content.decode()
    assert Declaration.objects.filter(pk__in=[r.pk for r in rows]).count() == 2
    assert Declaration.objects.get(pk=rows[0].pk).summary == "a colleague's correction"


def test_delete_selected_without_the_versions_deletes_nothing(editor_client):
    rows = list(Declaration.objects.filter(participant__iso3="DEU").order_by("pk")[:2])
    url = reverse("admin:instruments_declaration_changelist")
    data = {"action": "delete_selected", "_selected_action": [r.pk for r in rows], "post": "yes"}
    response = editor_client.post(url, data, follow=True)
    assert "did not say which version" in response.content.decode()
    assert Declaration.objects.filter(pk__in=[r.pk for r in rows]).count() == 2


def test_delete_selected_of_unchanged_rows_deletes_them(editor_client):
    rows = list(Declaration.objects.filter(participant__iso3="DEU").order_by("pk")[:2])
    confirmed = _delete_selected_confirmation(editor_client, rows)
    url = reverse("admin:instruments_declaration_changelist")
    editor_client.post(url, confirmed, follow=True)
    assert not Declaration.objects.filter(pk__in=[r.pk for r in rows]).exists()


def test_every_versioned_admin_that_deletes_selected_rows_sends_their_versions(rf, editor):
    request = rf.get("/admin/")
    request.user = editor
    for model, model_admin in admin.site._registry.items():
        if "version" not in {f.name for f in model._meta.fields}:
            continue
        if "delete_selected" in model_admin.get_actions(request):
            assert isinstance(model_admin, VersionedDeleteMixin), model
            # The confirmation sends the versions; delete_queryset reads them.
            template = model_admin.delete_selected_confirmation_template
            assert template == "admin/versioned_delete_selected_confirmation.html", model


# --- 9. A save without the version it was made on is refused --------------------------------


@pytest.mark.parametrize("kind", RECORDS)
def test_a_save_without_the_hidden_version_is_refused(editor_client, signed, kind):
    make, admin_name = RECORDS[kind]
    record, form, colleague, (field, theirs) = make(signed)
    colleague()
    data = form(record.version)
    del data["version"]
    response = editor_client.post(change_url(admin_name, record), data)
    assert response.status_code == 200
    assert "did not say which version of this record you opened" in response.content.decode()
    record.refresh_from_db()
    assert getattr(record, field) == theirs
