"""The standard cast for tests that write: participants the shipped data do not contain."""

from core.writes import revision_bump
from states.models import OsceRolePeriod, Participant
from states.services import participant_upsert


def participant(iso3: str = "SSD", name: str = "South Sudan", **fields) -> Participant:
    values = {
        "name": name,
        "short_name": name,
        "kind": Participant.Kind.STATE,
        "osce_role": Participant.OsceRole.NONE,
        "source": "test fixture",
    } | fields
    return participant_upsert(iso3=iso3, **values).instance


def synthetic_participants(count: int, *, osce_role: str = Participant.OsceRole.PARTICIPATING):
    """`count` invented participants, each having signed and ratified the Convention and
    acceded to the Trafficking in Persons Protocol, for tests that compare data sizes.

    Their codes ("Q" or "X" and two letters, up to 1,352) are outside the ones ISO assigns to
    countries, and their dates are invented: they are scaffolding for query counts, not facts,
    so they are written in bulk rather than through the services.
    """
    from datetime import date, timedelta
    from itertools import product
    from string import ascii_uppercase

    from instruments.models import Instrument, TreatyAction

    codes = (f"{first}{a}{b}" for first in "QX" for a, b in product(ascii_uppercase, repeat=2))
    taken = set(Participant.objects.values_list("iso3", flat=True))
    chosen = [code for code in codes if code not in taken][:count]
    if len(chosen) < count:
        raise ValueError(f"at most {len(chosen)} synthetic participants are available")
    participants = Participant.objects.bulk_create(
        Participant(
            iso3=code,
            name=f"Synthetic participant {code}",
            short_name=f"Synthetic {code}",
            kind=Participant.Kind.STATE,
            osce_role=osce_role,
            source="synthetic test data",
        )
        for code in chosen
    )
    untoc = Instrument.objects.get(code="untoc")
    tip = Instrument.objects.get(code="tip")
    actions = []
    for index, who in enumerate(participants):
        deposit = date(2004, 1, 1) + timedelta(days=index % 3000)
        actions += [
            TreatyAction(
                participant=who,
                instrument=untoc,
                kind="signature",
                date=date(2000, 12, 12),
                source="synthetic",
            ),
            TreatyAction(
                participant=who,
                instrument=untoc,
                kind="ratification",
                date=deposit,
                source="synthetic",
            ),
            TreatyAction(
                participant=who, instrument=tip, kind="accession", date=deposit, source="synthetic"
            ),
        ]
    TreatyAction.objects.bulk_create(actions)
    if osce_role != Participant.OsceRole.NONE:
        # Their role since 2000, as a dated period: pages count roles by their dates.
        OsceRolePeriod.objects.bulk_create(
            OsceRolePeriod(
                participant=who,
                role=osce_role,
                valid_from=date(2000, 1, 1),
                held_from=date(2000, 1, 1),
                source="synthetic",
            )
            for who in participants
        )
    revision_bump()  # a write like any other: pages and answers held in memory are stale
    return participants
