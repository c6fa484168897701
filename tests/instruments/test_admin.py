"""The back office as SPMU staff and delegations use it."""

import re
from datetime import date

import pytest
from django.urls import reverse

from core.selectors import data_revision
from instruments import services
from instruments.models import Instrument, TreatyAction
from states.models import Participant
from states.services import alias_upsert
from tests.factories import participant

pytestmark = pytest.mark.usefixtures("real_data")


def action_form(who, **overrides):
    data = {
        "participant": who.pk,
        "instrument": Instrument.objects.get(code="untoc").pk,
        "kind": "ratification",
        "date": "2012-08-01",
        "effective_date": "",
        "depositary_notification": "C.N.1.2012.TREATIES-XVIII-12",
        "source": "depositary notification",
        "note": "",
    }
    return data | overrides


def test_an_editor_records_a_ratification_and_its_history_names_them(editor_client, editor, signed):
    response = editor_client.post(
        reverse("admin:instruments_treatyaction_add"), action_form(signed)
    )
    assert response.status_code == 302, response.content
    ratification = TreatyAction.objects.get(participant=signed, kind="ratification")
    history = editor_client.get(
        reverse("admin:instruments_treatyaction_history", args=[ratification.pk])
    )
    assert history.status_code == 200
    assert editor.username in history.content.decode()
    assert ratification.history.get().history_user == editor


def test_a_broken_rule_is_shown_on_the_form_and_nothing_is_saved(editor_client, signed):
    response = editor_client.post(
        reverse("admin:instruments_treatyaction_add"),
        action_form(signed, instrument=Instrument.objects.get(code="tip").pk),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "UNTOC art. 37(2)" in page
    assert "A ratification confirms a signature" in page
    assert not TreatyAction.objects.filter(participant=signed, kind="ratification").exists()


def test_a_viewer_sees_but_cannot_change(viewer_client, signed):
    action = signed.actions.get()
    assert (
        viewer_client.get(reverse("admin:instruments_treatyaction_changelist")).status_code == 200
    )
    add = viewer_client.post(reverse("admin:instruments_treatyaction_add"), action_form(signed))
    assert add.status_code == 403
    change = viewer_client.post(
        reverse("admin:instruments_treatyaction_change", args=[action.pk]),
        action_form(signed, kind="signature", date="2001-01-11", version=action.version),
    )
    assert change.status_code == 403
    action.refresh_from_db()
    assert action.date == date(2001, 1, 10)


def test_a_second_editor_saving_over_a_newer_version_is_refused(editor_client, signed):
    action = signed.actions.get()
    services.action_update(action=action, note="saved first by a colleague")
    url = reverse("admin:instruments_treatyaction_change", args=[action.pk])
    response = editor_client.post(
        url, action_form(signed, kind="signature", date="2001-01-11", version=1)
    )
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    action.refresh_from_db()
    assert (action.date, action.note) == (date(2001, 1, 10), "saved first by a colleague")


def test_lists_filter_by_instrument_kind_osce_role_and_year_and_search_aliases(editor_client):
    url = reverse("admin:instruments_treatyaction_changelist")
    response = editor_client.get(
        url,
        {
            "instrument__id__exact": Instrument.objects.get(code="untoc").pk,
            "kind__exact": "ratification",
            "participant__osce_role__exact": "participating",
            "year": "2006",
            "q": "Turkey",
        },
    )
    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert [(a.participant.iso3, a.date.year) for a in shown] == []  # Türkiye ratified in 2003
    response = editor_client.get(url, {"q": "Turkey", "kind__exact": "ratification"})
    assert {a.participant.iso3 for a in response.context["cl"].result_list} == {"TUR"}


def participant_page_data(who, actions, extra_rows):
    """The participant change form's POST data, with existing actions and new rows."""
    data = {
        "name": who.name,
        "short_name": who.short_name,
        "kind": who.kind,
        "osce_role": who.osce_role,
        "osce_joined_year": "",
        "source": who.source,
        "osce_role_source": "",
        "version": who.version,
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "declarations-TOTAL_FORMS": "0",
        "declarations-INITIAL_FORMS": "0",
    }
    rows = [*actions, *extra_rows]
    data["actions-TOTAL_FORMS"] = str(len(rows))
    data["actions-INITIAL_FORMS"] = str(len(actions))
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"actions-{index}-{key}"] = value
    return data


def existing_row(action):
    return {
        "id": action.pk,
        "participant": action.participant_id,
        "version": action.version,
        "instrument": action.instrument_id,
        "kind": action.kind,
        "date": action.date.isoformat(),
        "effective_date": "",
        "depositary_notification": action.depositary_notification,
        "source": action.source,
        "note": action.note,
    }


def new_row(instrument_code, kind, when):
    return {
        "instrument": Instrument.objects.get(code=instrument_code).pk,
        "kind": kind,
        "date": when,
        "effective_date": "",
        "depositary_notification": "",
        "source": "entered by SPMU",
        "note": "",
    }


def test_the_participant_page_records_convention_and_protocol_together(editor_client):
    who = participant()
    url = reverse("admin:states_participant_change", args=[who.pk])
    data = participant_page_data(
        who,
        [],
        [new_row("tip", "accession", "2013-01-02"), new_row("untoc", "accession", "2013-01-02")],
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert sorted(who.actions.values_list("instrument__code", flat=True)) == ["tip", "untoc"]


def test_the_participant_page_shows_a_broken_rule_on_its_row(editor_client):
    who = participant()
    url = reverse("admin:states_participant_change", args=[who.pk])
    data = participant_page_data(who, [], [new_row("tip", "accession", "2013-01-02")])
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "UNTOC art. 37(2)" in response.content.decode()
    assert not who.actions.exists()


def test_an_editor_brings_the_status_data_forward_but_cannot_change_treaty_facts(editor_client):
    untoc = Instrument.objects.get(code="untoc")
    url = reverse("admin:instruments_instrument_change", args=[untoc.pk])
    response = editor_client.post(
        url,
        {
            "status_complete_to": "2024-05-04",
            "status_currency_note": "Depositary status page as at 4 May 2024",
            "entry_into_force_on": "2000-01-01",
            "version": untoc.version,
        },
    )
    assert response.status_code == 302
    untoc.refresh_from_db()
    assert untoc.status_complete_to == date(2024, 5, 4)
    assert untoc.entry_into_force_on == date(2003, 9, 29)


# --- Deleting --------------------------------------------------------------------------------


def consents_of(iso3):
    return TreatyAction.objects.filter(
        participant__iso3=iso3, kind__in=["ratification", "accession", "acceptance", "approval"]
    )


def delete_confirmed(client, action, **data):
    url = reverse("admin:instruments_treatyaction_delete", args=[action.pk])
    page = client.get(url)
    assert page.status_code == 200
    shown = re.search(r'name="version" value="(\d+)"', page.content.decode()).group(1)
    return client.post(url, {"post": "yes", "version": shown, **data}, follow=True)


def test_an_editor_deletes_a_record_as_shown_and_the_history_keeps_it(
    editor_client, editor, signed
):
    action = signed.actions.get()
    response = delete_confirmed(editor_client, action)
    assert response.status_code == 200
    assert not TreatyAction.objects.filter(pk=action.pk).exists()
    deleted = TreatyAction.history.get(id=action.pk, history_type="-")
    assert deleted.history_user == editor


def test_deleting_what_a_colleague_changed_after_the_confirmation_showed_it_is_refused(
    editor_client, signed
):
    action = signed.actions.get()
    url = reverse("admin:instruments_treatyaction_delete", args=[action.pk])
    page = editor_client.get(url).content.decode()
    assert "You are deleting version 1 of this record" in page
    services.action_update(action=action, note="corrected by a colleague")
    response = editor_client.post(url, {"post": "yes", "version": "1"}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nothing was deleted" in text
    assert "changed by someone else" in text
    action.refresh_from_db()
    assert action.note == "corrected by a colleague"


def test_a_deletion_that_does_not_say_which_version_it_saw_is_refused(editor_client, signed):
    action = signed.actions.get()
    url = reverse("admin:instruments_treatyaction_delete", args=[action.pk])
    for version in ({}, {"version": "x"}):
        response = editor_client.post(url, {"post": "yes", **version}, follow=True)
        assert "Nothing was deleted" in response.content.decode()
    assert TreatyAction.objects.filter(pk=action.pk).exists()


def test_a_convention_consent_protocols_rest_on_is_not_deleted_and_the_editor_is_told_why(
    editor_client,
):
    convention = consents_of("AUT").get(instrument__code="untoc")
    response = delete_confirmed(editor_client, convention)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nothing was deleted" in text
    assert "must be a Party to the Convention" in text
    assert TreatyAction.objects.filter(pk=convention.pk).exists()


def test_deleting_selected_rows_is_all_or_nothing(editor_client):
    url = reverse("admin:instruments_treatyaction_changelist")
    austria = list(consents_of("AUT").order_by("pk"))
    assert len(austria) == 4
    convention = next(a for a in austria if a.instrument.code == "untoc")
    signatures = TreatyAction.objects.filter(participant__iso3="BEL", kind="signature")
    chosen = [convention.pk, *signatures.values_list("pk", flat=True)]
    rows = TreatyAction.objects.filter(pk__in=chosen)
    response = editor_client.post(url, delete_selected_data(rows), follow=True)
    assert "Nothing was deleted" in response.content.decode()
    assert TreatyAction.objects.filter(pk__in=chosen).count() == len(chosen)
    # The Convention consent goes together with the Protocol consents that rest on it.
    response = editor_client.post(url, delete_selected_data(austria), follow=True)
    assert response.status_code == 200
    assert not consents_of("AUT").exists()


def delete_selected_data(rows) -> dict:
    """The "Delete selected" confirmation as sent back: each row with the version shown."""
    data = {"action": "delete_selected", "_selected_action": [r.pk for r in rows], "post": "yes"}
    return data | {f"version-{r.pk}": str(r.version) for r in rows}


def test_an_administrator_deletes_a_participant_entered_by_mistake_and_pages_show_it_at_once(
    admin_client, client
):
    mistake = participant()  # South Sudan, a test fixture with no actions
    alias_upsert(participant=mistake, name="Republic of South Sudan", source="test")
    assert b"South Sudan" in client.get("/search/?q=Suda").content  # and kept in the cache
    url = reverse("admin:states_participant_delete", args=[mistake.pk])
    page = admin_client.get(url).content.decode()
    assert f'name="version" value="{mistake.version}"' in page
    revision = data_revision()
    admin_client.post(url, {"post": "yes", "version": str(mistake.version)}, follow=True)
    assert not Participant.objects.filter(pk=mistake.pk).exists()
    assert data_revision() == revision + 1
    assert b"South Sudan" not in client.get("/search/?q=Suda").content
    assert Participant.history.filter(id=mistake.pk, history_type="-").exists()


def test_a_participant_with_treaty_actions_cannot_be_deleted(admin_client):
    austria = Participant.objects.get(iso3="AUT")
    url = reverse("admin:states_participant_delete", args=[austria.pk])
    response = admin_client.post(url, {"post": "yes", "version": str(austria.version)})
    assert response.status_code == 200  # Django's page listing the protected records
    assert "would require deleting the following protected related objects" in (
        response.content.decode()
    )
    assert Participant.objects.filter(pk=austria.pk).exists()
