"""How one row of a status table (one participant and instrument: a signature date, a
consent date and kind, as the depositary's tables give them) maps onto that participant's
actions: overlaid on the stored ones for the rule check, and planned as changes for the
write. instruments.importing reads and checks the tables."""

from collections.abc import Iterable
from typing import Any

from core.tables import Table
from instruments import domain, services
from instruments.models import Instrument, TreatyAction

CONSENT_KIND_NAMES = {
    "ratification": domain.RATIFICATION,
    "acceptance": domain.ACCEPTANCE,
    "approval": domain.APPROVAL,
    "accession": domain.ACCESSION,
    "succession": domain.SUCCESSION,
    "formal_confirmation": domain.FORMAL_CONFIRMATION,
    "": domain.CONSENT_KIND_NOT_RECORDED,
}


def row_overlaid(
    actions: list[domain.Action],
    table: Table,
    row: int,
    record: dict[str, Any],
    blame: dict[object, tuple[Table, int, str]],
) -> list[domain.Action]:
    """A participant's stored actions on one instrument with a status row's signature and
    consent in place of the stored ones; `blame` learns which cell brought each."""
    if record["signature_date"]:
        ref = (table.name, row, "signature")
        actions = [a for a in actions if a.kind != domain.SIGNATURE]
        actions.append(domain.Action(domain.SIGNATURE, record["signature_date"], ref=ref))
        blame[ref] = (table, row, "signature_date")
    if record["consent_date"]:
        ref = (table.name, row, "consent")
        current = current_consent(actions)
        actions = [a for a in actions if a is not current]
        kind = record["consent_kind"]
        if (
            kind == domain.CONSENT_KIND_NOT_RECORDED
            and current is not None
            and current.date == record["consent_date"]
        ):
            kind = current.kind  # an unrecorded kind does not erase a recorded one
        actions.append(
            domain.Action(kind, record["consent_date"], record["effective_date"], ref=ref)
        )
        blame[ref] = (table, row, "consent_date")
    return actions


def current_consent(actions: Iterable[Any]) -> Any:
    """The latest consent among a participant's actions on one instrument (domain values or
    model rows alike), or None."""
    consents = [a for a in actions if a.kind in domain.CONSENT_KINDS]
    return max(consents, key=lambda a: a.date) if consents else None


def row_plan(
    changes: services.ActionChanges,
    stored: list[TreatyAction],
    instrument: Instrument,
    record: dict[str, Any],
) -> int:
    """Add to `changes` what one status row asks for; return how many actions it leaves
    as they are. A row never removes an action: an empty cell means "not in this table"."""
    unchanged = 0
    source = record["source"]
    if record["signature_date"]:
        signature = next((a for a in stored if a.kind == domain.SIGNATURE), None)
        wanted = {"date": record["signature_date"], "source": source}
        if signature is None:
            changes.create.append({"instrument": instrument, "kind": domain.SIGNATURE, **wanted})
        elif any(getattr(signature, k) != v for k, v in wanted.items()):
            changes.update.append((signature, wanted, None))
        else:
            unchanged += 1
    if record["consent_date"]:
        consent = current_consent(stored)
        kind = record["consent_kind"]
        if (
            kind == domain.CONSENT_KIND_NOT_RECORDED
            and consent is not None
            and consent.date == record["consent_date"]
        ):
            kind = consent.kind
        wanted = {
            "kind": kind,
            "date": record["consent_date"],
            "effective_date": record["effective_date"],
            "source": source,
        }
        if consent is None:
            changes.create.append({"instrument": instrument, **wanted})
        elif any(getattr(consent, k) != v for k, v in wanted.items()):
            changes.update.append((consent, wanted, None))
        else:
            unchanged += 1
    return unchanged
