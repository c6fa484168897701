"""The back office of the directory: editors record and supersede designations through the
services (a broken rule shows on its field), viewers read them, and the history names who."""

from datetime import date

import pytest
from django.urls import reverse

from reports.models import AuthorityDesignation
from tests.reports.conftest import obligation, state

pytestmark = pytest.mark.usefixtures("real_data")


def form(**overrides) -> dict[str, str]:
    return {
        "participant": str(state("AUT").pk),
        "obligation": str(obligation("untoc-18-13").pk),
        "authority_name": "Federal Ministry of Justice",
        "languages": "",
        "contact_person": "Head of Division",
        "postal_address": "Museumstrasse 7, Vienna",
        "phone": "",
        "email": "mla@example.org",
        "notified_on": "2004-09-23",
        "since": "",
        "reference": "C.N.1.2004",
        "source": "Note verbale (test)",
        "submission": "",
    } | overrides


def test_an_editor_records_a_designation_and_a_second_supersedes_it(editor_client, editor):
    add = reverse("admin:reports_authoritydesignation_add")
    assert editor_client.post(add, form()).status_code == 302
    assert editor_client.post(add, form(authority_name="Ministry of Justice")).status_code == 302
    first, second = AuthorityDesignation.objects.order_by("pk")
    assert (first.current, second.current) == (False, True)
    assert second.history.first().history_user == editor


def test_a_designation_dated_in_the_future_is_refused_on_its_field(editor_client):
    response = editor_client.post(
        reverse("admin:reports_authoritydesignation_add"), form(notified_on="2999-01-01")
    )
    assert response.status_code == 200
    assert "is after today" in str(response.context["adminform"].form.errors["notified_on"])
    assert not AuthorityDesignation.objects.exists()


def test_only_obligations_that_designate_are_offered(editor_client):
    response = editor_client.post(
        reverse("admin:reports_authoritydesignation_add"),
        form(obligation=str(obligation("untoc-5-3").pk)),
    )
    assert "obligation" in response.context["adminform"].form.errors
    assert not AuthorityDesignation.objects.exists()


def test_a_delegation_viewer_reads_but_cannot_record(client, editor, viewer):
    client.force_login(editor)
    client.post(reverse("admin:reports_authoritydesignation_add"), form())
    designation = AuthorityDesignation.objects.get()
    assert (designation.notified_on, designation.since) == (date(2004, 9, 23), None)
    client.force_login(viewer)
    change = reverse("admin:reports_authoritydesignation_change", args=[designation.pk])
    assert client.get(change).status_code == 200
    response = client.post(reverse("admin:reports_authoritydesignation_add"), form())
    assert response.status_code == 403
    assert AuthorityDesignation.objects.count() == 1
