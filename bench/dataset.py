"""The synthetic dataset: N invented participants with realistic treaty actions, declarations
and submissions, grown in steps (70, then 1,000, ...) in the benchmark's own database.

How each part is written (bench/README.md says why):
- the instruments and the obligations catalogue: the shipped tables, through the importers;
- the participants: in bulk through the ORM, with their history rows and a revision bump,
  because the services accept only ISO 3166-1 codes and ISO has fewer than 300: synthetic
  participants take three-letter codes ISO does not assign (AAA, AAB, ...), so that no
  invented fact can be mistaken for a real State's;
- signatures, consents and declarations: generated status and declarations tables. For the
  first `through_services_up_to` participants (1,000 by default) they are loaded by the
  treaty-data importer, which checks every row and writes through instruments.services;
  beyond that the same importer checks every row and every treaty rule, and the checked rows
  are written in bulk with their history rows, since one service call per participant costs
  about 40 ms here and 9,000 more would not fit the benchmark's ten minutes;
- submissions: reports.services.submission_record for the same first participants, in bulk
  for the others.

Dates and choices come from a seeded generator: the same N gives the same data every run.
"""

import random
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import product
from pathlib import Path
from string import ascii_uppercase

import pycountry
from django.db import connection, transaction
from simple_history.utils import bulk_create_with_history

from bench.tables import (
    DECLARATION_COLUMNS,
    LAST_DATE,
    NAME_PREFIX,
    SEED,
    SOURCE,
    STATUS_COLUMNS,
    participant_rows,
    write_csv,
)
from core.tables import ImportRefused, table_read
from core.writes import revision_bump
from instruments.domain import CONSENT_KINDS
from instruments.importing import (
    SHIPPED_FILES,
    TABLE_COLUMNS,
    TreatyDataLoad,
    treaty_data_load,
)
from instruments.models import Declaration, Instrument, TreatyAction
from reports.importing import catalogue_load
from reports.models import Obligation, Submission
from reports.services import submission_record
from states.domain import ORGANIZATION_CODES
from states.models import OsceRolePeriod, Participant

BATCH = 500

# The OSCE area as it is, 57 participating States and 11 Partners, whatever N is; the other
# participants are outside the OSCE, as most of the depositary's list is.
OSCE_ROLES = (
    [Participant.OsceRole.PARTICIPATING] * 57
    + [Participant.OsceRole.PARTNER_MEDITERRANEAN] * 6
    + [Participant.OsceRole.PARTNER_ASIAN] * 5
)


@dataclass
class GrowSummary:
    participants: int
    created: int
    actions: int = 0
    declarations: int = 0
    submissions: int = 0
    through_services: int = 0
    seconds: float = 0.0


def synthetic_codes() -> Iterator[str]:
    """Three capital letters that ISO 3166-1 does not assign to a country, in order."""
    taken = {country.alpha_3 for country in pycountry.countries} | set(ORGANIZATION_CODES)
    for letters in product(ascii_uppercase, repeat=3):
        code = "".join(letters)
        if code not in taken:
            yield code


def reference_data_load() -> None:
    """The shipped instruments and obligations catalogue (no participants, no actions)."""
    treaty_data_load([p for p in SHIPPED_FILES if p.name == "instruments.csv"])
    catalogue_load()


def synthetic_count() -> int:
    return Participant.objects.filter(source=SOURCE).count()


@contextmanager
def quick_sqlite_writes() -> Iterator[None]:
    """While building the throw-away database, let SQLite skip its fsyncs and keep its journal
    in memory (this halves the wall time of the import here); back to the defaults after, so
    the measurements run on SQLite as shipped. Nothing changes on PostgreSQL."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA journal_mode=MEMORY")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=DELETE")
            cursor.execute("PRAGMA synchronous=FULL")


def grow(total: int, *, through_services_up_to: int = 1000) -> GrowSummary:
    """Add synthetic participants until there are `total`, with their actions, declarations
    and submissions; a second call with the same total adds nothing."""
    started = time.perf_counter()
    existing = synthetic_count()
    if existing >= total:
        return GrowSummary(participants=existing, created=0)
    taken = set(Participant.objects.values_list("iso3", flat=True))
    new_codes = [c for c in synthetic_codes() if c not in taken][: total - existing]
    cut = max(0, min(len(new_codes), through_services_up_to - existing))
    by_services, in_bulk = new_codes[:cut], new_codes[cut:]
    with quick_sqlite_writes():
        _participants_create(new_codes, existing)
        if by_services:
            _tables_load(by_services, bulk=False)
            _submissions_record(by_services, bulk=False)
        if in_bulk:
            _tables_load(in_bulk, bulk=True)
            _submissions_record(in_bulk, bulk=True)
    return GrowSummary(
        participants=existing + len(new_codes),
        created=len(new_codes),
        actions=TreatyAction.objects.filter(participant__source=SOURCE).count(),
        declarations=Declaration.objects.filter(participant__source=SOURCE).count(),
        submissions=Submission.objects.filter(participant__source=SOURCE).count(),
        through_services=len(by_services),
        seconds=time.perf_counter() - started,
    )


def _participants_create(codes: list[str], existing: int) -> None:
    def role(index: int) -> str:
        return OSCE_ROLES[index] if index < len(OSCE_ROLES) else Participant.OsceRole.NONE

    with transaction.atomic():
        bulk_create_with_history(
            [
                Participant(
                    iso3=code,
                    name=f"{NAME_PREFIX} {code}",
                    short_name=f"Synthetic {code}",
                    kind=Participant.Kind.STATE,
                    osce_role=role(existing + index),
                    source=SOURCE,
                )
                for index, code in enumerate(codes)
            ],
            Participant,
            batch_size=BATCH,
            default_change_reason="synthetic benchmark participants",
        )
        # Pages count OSCE roles by their dated periods: give each role one, held since 2000.
        created = Participant.objects.filter(iso3__in=codes).exclude(
            osce_role=Participant.OsceRole.NONE
        )
        bulk_create_with_history(
            [
                OsceRolePeriod(
                    participant=who,
                    role=who.osce_role,
                    valid_from=date(2000, 1, 1),
                    held_from=date(2000, 1, 1),
                    source=SOURCE,
                )
                for who in created
            ],
            OsceRolePeriod,
            batch_size=BATCH,
            default_change_reason="synthetic benchmark participants",
        )
        revision_bump()


def _tables_load(codes: list[str], *, bulk: bool) -> None:
    """Generate the status and declarations tables of these participants and load them."""
    status_rows: list[dict[str, str]] = []
    declaration_rows: list[dict[str, str]] = []
    for code in codes:
        rows, declarations = participant_rows(code)
        status_rows += rows
        declaration_rows += declarations
    with tempfile.TemporaryDirectory(prefix="untoc-bench-") as folder:
        paths = [Path(folder) / "status.csv", Path(folder) / "declarations.csv"]
        write_csv(paths[0], status_rows, STATUS_COLUMNS)
        write_csv(paths[1], declaration_rows, DECLARATION_COLUMNS)
        if not bulk:
            treaty_data_load(paths)
            return
        load = TreatyDataLoad([table_read(p, TABLE_COLUMNS) for p in paths])
    load.parse()
    if not load.check.errors:
        load.check_rules()
    if load.check.errors:
        raise ImportRefused(load.check.errors)
    _checked_rows_write(load)


def _checked_rows_write(load: TreatyDataLoad) -> None:
    """Write what a checked load holds for new participants, in bulk, with history rows and
    one revision bump: the actions the importer would create (a signature and a consent per
    status row) and the declarations."""
    participants = dict(Participant.objects.values_list("iso3", "pk"))
    instruments = dict(Instrument.objects.values_list("code", "pk"))
    actions = []
    for _, _, iso3, code, record in load.status_rows:
        common = {
            "participant_id": participants[iso3],
            "instrument_id": instruments[code],
            "source": record["source"],
        }
        if record["signature_date"]:
            actions.append(
                TreatyAction(
                    kind=TreatyAction.Kind.SIGNATURE, date=record["signature_date"], **common
                )
            )
        if record["consent_date"]:
            actions.append(
                TreatyAction(
                    kind=record["consent_kind"],
                    date=record["consent_date"],
                    effective_date=record["effective_date"],
                    **common,
                )
            )
    declarations = [
        Declaration(participant_id=participants[iso3], instrument_id=instruments[code], **record)
        for _, _, iso3, code, record in load.declarations
    ]
    with transaction.atomic():
        bulk_create_with_history(actions, TreatyAction, batch_size=BATCH)
        bulk_create_with_history(declarations, Declaration, batch_size=BATCH)
        revision_bump()


def _submissions_record(codes: list[str], *, bulk: bool) -> None:
    """A quarter of the new parties sent the information art. 18(14) asks for (the language
    of requests), up to four months after their deposit."""
    obligation = Obligation.objects.select_related("instrument").get(code="untoc-18-14")
    deposits = dict(
        TreatyAction.objects.filter(
            participant__iso3__in=codes, instrument=obligation.instrument, kind__in=CONSENT_KINDS
        ).values_list("participant__iso3", "date")
    )
    participants = Participant.objects.in_bulk(list(deposits), field_name="iso3")
    submissions = []
    for code in codes:
        rng = random.Random(f"{SEED}-{code}-submission")
        if code not in deposits or rng.random() >= 0.25:
            continue
        received = deposits[code] + timedelta(days=rng.randrange(0, 120))
        submissions.append(
            Submission(
                participant=participants[code],
                obligation=obligation,
                received_on=min(received, LAST_DATE),
                reference=f"SYN/{code}/18-14",
            )
        )
    if not bulk:
        for submission in submissions:
            submission_record(
                participant=submission.participant,
                obligation=obligation,
                received_on=submission.received_on,
                reference=submission.reference,
            )
        return
    with transaction.atomic():
        bulk_create_with_history(submissions, Submission, batch_size=BATCH)
        revision_bump()


def dataset_counts() -> dict[str, int]:
    return {
        "participants": Participant.objects.count(),
        "treaty_actions": TreatyAction.objects.count(),
        "declarations": Declaration.objects.count(),
        "submissions": Submission.objects.count(),
        "obligations": Obligation.objects.count(),
    }
