"""The directory's first entries come from the notifications in the shipped treaty data:
each with its source, its date only where the record gives one, none whose text is cut; a
second run changes nothing; and what is left out is said."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from reports.authority_seed import designations_seed, seed_text
from reports.authority_services import designation_record
from reports.models import AuthorityDesignation
from tests.reports.conftest import obligation, state

pytestmark = pytest.mark.usefixtures("real_data")


def by_pair() -> dict[tuple[str, str], AuthorityDesignation]:
    rows = AuthorityDesignation.objects.select_related("participant", "obligation")
    return {(d.participant.iso3, d.obligation.code): d for d in rows}


def test_the_notifications_on_record_become_designations_with_their_sources():
    summary = designations_seed()
    seeded = by_pair()
    assert summary.created == len(seeded) == 18
    poland = seeded["POL", "untoc-18-13"]
    assert poland.authority_name == "Ministry of Justice"
    assert poland.notified_on == date(2001, 11, 12)
    assert poland.since is None  # the record gives no date of effect
    assert poland.source.startswith("Dz.U. 2005 nr 18 poz. 159")
    assert seeded["LVA", "untoc-18-14"].languages == "English or Latvian"
    assert seeded["NOR", "fir-13-2"].authority_name == "National Criminal Investigation Service"
    # Canada's notification has no date on record: none is made up.
    assert seeded["CAN", "untoc-18-13"].notified_on is None
    # A name the record says is cut off is left out, and said so.
    assert ("DEU", "untoc-18-13") not in seeded
    assert ("MCO", "untoc-18-13") not in seeded
    assert any(reason.startswith("Monaco under UNTOC art. 18(13)") for reason in summary.left_out)
    assert all(d.contact_person == d.email == "" for d in seeded.values())


def test_seeding_again_changes_nothing_and_keeps_a_designation_from_another_source():
    designation_record(
        None,
        participant=state("ESP"),
        obligation=obligation("untoc-18-13"),
        authority_name="Ministry of Justice (as approved)",
        source="an approved submission",
    )
    first = designations_seed()
    assert first.created == 17
    out = io.StringIO()
    call_command("load_authorities", stdout=out)
    last = out.getvalue().strip().splitlines()[-1]
    assert last == "Done: designations: 0 created, 0 updated, 17 unchanged, 5 left out."
    spain = AuthorityDesignation.objects.get(participant__iso3="ESP")
    assert spain.authority_name == "Ministry of Justice (as approved)"
    assert "Spain under UNTOC art. 18(13): a designation from another source" in out.getvalue()


@pytest.mark.parametrize(
    ("summary", "kind", "expected"),
    [
        ("Central authority: Ministry of Justice", "authority", "Ministry of Justice"),
        ("Languages accepted: Polish and English", "languages", "Polish and English"),
        (
            "Requests must be in English or Russian",
            "languages",
            "Requests must be in English or Russian",
        ),
        ("Central authority designated; name cut off in stored excerpt", "authority", None),
        ("Central authorities: A; B (text cut)", "authority", None),
        ("Notification received", "authority", None),
    ],
)
def test_what_a_summary_designates(summary, kind, expected):
    assert seed_text(summary, kind) == expected
