"""The back office's review of a depositary table, as an SPMU editor uses it."""

import re
from datetime import date
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from instruments import selectors
from instruments.models import Instrument, TreatyAction
from tests.instruments.depositary.conftest import AS_AT, table_batches, table_proposals
from tests.instruments.depositary.tables import html_page, pasted_text, table_lines

pytestmark = pytest.mark.usefixtures("real_data")

ADD = "/admin/instruments/depositarybatch/add/"


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", unescape(response.content.decode())).split())


def _fir_id() -> int:
    return Instrument.objects.get(code="fir").pk


def _decide(client, proposal, decision):
    return client.post(
        f"/admin/instruments/depositarybatch/{proposal.batch_id}/decide/",
        {"proposal": proposal.pk, "version": proposal.version, "decision": decision},
        follow=True,
    )


def test_editor_pastes_the_firearms_table_accepts_germany_and_every_view_agrees_at_once(
    editor_client, firearms_lines
):
    client = Client()  # the public
    parties_before = selectors.status_matrix(as_of=date.today()).counts()["fir"]["parties"]
    pasted = pasted_text("fir", AS_AT, firearms_lines)

    response = editor_client.post(
        ADD, {"instrument": _fir_id(), "form": "", "pasted": pasted}, follow=True
    )

    assert response.status_code == 200
    page = _text(response)
    assert "Nothing is written until you accept" in page
    assert "Germany New action - Ratification, 14 Oct 2021" in page
    assert "UN Treaty Collection status page as at 4 May 2024" in page
    assert not TreatyAction.objects.filter(participant__iso3="DEU", date=date(2021, 10, 14))

    batch = table_batches().get()
    germany = batch.proposals.get(participant__iso3="DEU")
    page = _text(_decide(editor_client, germany, "accept"))
    assert "Accepted and written: Germany: New action (Ratification, 14 Oct 2021)" in page
    # Barbados and Sierra Leone: an unmarked date is a ratification, but our source leaves
    # the kind open; the editor keeps ours.
    for other in batch.proposals.exclude(participant__iso3="DEU"):
        page = _text(_decide(editor_client, other, "reject"))
    assert (
        "Every proposal is decided. The Firearms Protocol data are complete to 04 May 2024" in page
    )

    # Germany's page, the home counts and the API agree at once.
    germany_page = _text(client.get("/states/DEU/"))
    assert "14 Oct 2021" in germany_page
    home = unescape(client.get("/").content.decode())
    row = re.search(r">Firearms Protocol</a></th>(.*?)</tr>", home, re.S).group(1)
    worldwide = re.findall(r'<td class="num">(\d+)</td>', row)[3]  # after the OSCE area's
    assert int(worldwide) == parties_before + 1
    api = client.get("/api/v1/status/", {"state": "DEU", "instrument": "fir"}).json()
    (entry,) = api["results"]
    assert (entry["status"], entry["consent_date"], entry["consent_kind"]) == (
        "party",
        "2021-10-14",
        "ratification",
    )
    assert entry["entry_into_force"] == "2021-11-13"


def test_a_saved_status_page_is_read_from_a_file(editor_client, firearms_lines):
    upload = SimpleUploadedFile("fir.html", html_page("fir", AS_AT, firearms_lines).encode())

    editor_client.post(ADD, {"instrument": _fir_id(), "file": upload})

    batch = table_batches().get()
    assert (batch.source_form, batch.origin, batch.uploaded_by.username) == (
        "html",
        "fir.html",
        "spmu-editor",
    )
    assert batch.proposals.filter(participant__iso3="DEU").exists()


def test_a_bad_table_is_refused_naming_the_line_and_nothing_is_stored(editor_client):
    lines = table_lines("fir", AS_AT)
    pasted = pasted_text("fir", AS_AT, lines).replace("\tGermany", "\tGermany")
    pasted = pasted.replace("Albania\t", "Atlantis\t")

    response = editor_client.post(ADD, {"instrument": _fir_id(), "pasted": pasted})

    assert response.status_code == 200
    page = _text(response)
    assert "pasted table: line 9, participant: 'Atlantis' matches no participant" in page
    assert "Nothing was stored." in page
    assert not table_batches().exists()


def test_another_instruments_table_is_refused(editor_client):
    pasted = pasted_text("tip", AS_AT, table_lines("tip", AS_AT))

    page = _text(editor_client.post(ADD, {"instrument": _fir_id(), "pasted": pasted}))

    assert "line 1, instrument: this is the status table of the Trafficking in Persons" in page
    assert not table_batches().exists()


def test_a_second_editor_deciding_a_decided_proposal_is_told(editor_client, firearms_lines):
    editor_client.post(
        ADD, {"instrument": _fir_id(), "pasted": pasted_text("fir", AS_AT, firearms_lines)}
    )
    germany = table_proposals().get(participant__iso3="DEU")
    _decide(editor_client, germany, "accept")

    page = _text(_decide(editor_client, germany, "reject"))  # the page the other editor had

    assert "already accepted this proposal (Germany: New action)" in page
    germany.refresh_from_db()
    assert germany.decision == "accepted"


def test_a_rule_breaking_proposal_shows_the_rule_on_the_page(editor_client, firearms_lines):
    editor_client.post(
        ADD, {"instrument": _fir_id(), "pasted": pasted_text("fir", AS_AT, firearms_lines)}
    )
    germany = table_proposals().get(participant__iso3="DEU")
    # Someone records Germany's consent by hand meanwhile, on another day.
    from instruments import services

    services.action_record(
        participant=germany.participant,
        instrument=germany.batch.instrument,
        kind="ratification",
        date=date(2021, 10, 1),
        source="test",
    )

    response = _decide(editor_client, germany, "accept")

    assert response.status_code == 200
    assert "[one_consent]" in _text(response)
    germany.refresh_from_db()
    assert germany.decision == "undecided"


def test_accept_all_and_close(editor_client):
    lines = table_lines("fir", AS_AT)
    editor_client.post(ADD, {"instrument": _fir_id(), "pasted": pasted_text("fir", AS_AT, lines)})
    batch = table_batches().get()
    seen = ",".join(f"{p.pk}:{p.version}" for p in batch.proposals.all())

    page = _text(
        editor_client.post(
            f"/admin/instruments/depositarybatch/{batch.pk}/decide/",
            {"all": "accept", "seen": seen},
            follow=True,
        )
    )

    assert "Accepted and written: Barbados: Changed kind (Ratification, 11 Nov 2014)" in page
    assert "Every proposal is decided" in page


def test_a_viewer_sees_the_review_but_cannot_decide(editor_client, viewer, firearms_lines):
    viewer_client = Client()
    viewer_client.force_login(viewer)
    editor_client.post(
        ADD, {"instrument": _fir_id(), "pasted": pasted_text("fir", AS_AT, firearms_lines)}
    )
    batch = table_batches().get()

    page = viewer_client.get(f"/admin/instruments/depositarybatch/{batch.pk}/change/")
    assert page.status_code == 200
    assert "Germany" in _text(page)
    assert "Accept" not in _text(page)
    germany = batch.proposals.get(participant__iso3="DEU")
    assert _decide(viewer_client, germany, "accept").status_code == 403
    assert viewer_client.get(ADD).status_code == 403
