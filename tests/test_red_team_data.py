"""The data-loss and server-error findings of the second hardening round, each reproduced as
it was found: a save or deletion that overwrote or removed someone else's change, and a
request that was answered with a server error. Each passes once its fix is in."""

import pytest
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from core.admin import VersionedDeleteMixin
from instruments import services
from instruments.models import Declaration
from tests.test_concurrent_edits import RECORDS, change_url

pytestmark = pytest.mark.usefixtures("real_data")


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


# --- 13. The history of an id that is no id is a 404 ----------------------------------------


@pytest.mark.parametrize("object_id", ["abc", "1.5", "-", "%00"])
def test_the_history_of_a_non_numeric_id_is_a_404_for_every_model_admin(admin_client, object_id):
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        base = f"/admin/{meta.app_label}/{meta.model_name}/{object_id}/history/"
        if not isinstance(model_admin, SimpleHistoryAdmin):
            # Django's own history page answers a missing record as its change page does.
            assert admin_client.get(base).status_code == 302, base
            continue
        assert admin_client.get(base).status_code == 404, base
        assert admin_client.get(f"{base}1/").status_code == 404, base


def test_the_history_of_a_record_still_shows(admin_client):
    action = Declaration.objects.first()
    url = reverse("admin:instruments_declaration_history", args=[action.pk])
    assert admin_client.get(url).status_code == 200
