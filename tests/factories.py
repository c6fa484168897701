"""The standard cast for tests that write: participants the shipped data do not contain."""

from states.models import Participant
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
