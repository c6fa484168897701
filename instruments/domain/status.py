"""Where a participant stood with each instrument on a date, from its actions (art. 36-40,
R6-R8)."""

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

from instruments.domain.entry_into_force import (
    denunciation_takes_effect,
    participant_entry_into_force,
)
from instruments.domain.terms import (
    CONSENT_KIND_NOT_RECORDED,
    CONSENT_KINDS,
    DENOUNCED,
    DENUNCIATION,
    LAW_VIEW,
    NO_STATUS,
    NONE,
    PARTY,
    SIGNATORY,
    SIGNATURE,
    SUCCESSION,
    Action,
    EntryIntoForceRule,
    InstrumentFacts,
    ParticipantStatus,
)


def counts_by(action: Action, as_of: date, view: str = LAW_VIEW) -> bool:
    """Whether `action` is part of the record "as at" `as_of` in this view (R8)."""
    if action.date <= as_of:
        return True
    return (
        view == LAW_VIEW
        and action.kind == SUCCESSION
        and action.effective_date is not None
        and action.effective_date <= as_of
    )


def participant_status(
    actions: Sequence[Action],
    as_of: date,
    rule: EntryIntoForceRule,
    instrument_entry_into_force: date | None,
    convention_denounced_on: date | None = None,
    view: str = LAW_VIEW,
) -> ParticipantStatus:
    """Where a participant stood with one instrument on `as_of`, from its actions.

    An action counts from the date it was signed, deposited or received; in the view in law
    (the default) a succession counts from the date of succession it declares, since the
    successor is bound from then (R8), and in RECORD_VIEW only from its notification.
    1. Take the actions that count by `as_of`, in order.
    2. The signature is the first signature; the consent is the latest consent, and a
       denunciation counts only against the consent before it.
    3. A denunciation takes effect a year after receipt (art. 40(1)); until then the
       participant is still a party. Denouncing the Convention denounces its Protocols
       (art. 40(3)): `convention_denounced_on` is when the Convention's denunciation took
       effect for this participant, if it has by `as_of`.
    4. A party is in force once its own entry into force has come. A successor whose date
       of succession is not recorded is in force once the instrument is: it was bound by the
       day it notified at the latest.
    """
    signature, consent, denunciation = _standing_actions(actions, as_of, view)
    signature_date = signature.date if signature else None
    if consent is None:
        return ParticipantStatus(
            status=SIGNATORY if signature else NONE,
            signature_date=signature_date,
            signature_ref=signature.ref if signature else None,
        )

    entry_into_force = participant_entry_into_force(rule, consent, instrument_entry_into_force)
    effective = _denunciation_effective(consent, denunciation, convention_denounced_on)
    party = ParticipantStatus(
        status=PARTY,
        signature_date=signature_date,
        consent_date=consent.date,
        consent_kind=None if consent.kind == CONSENT_KIND_NOT_RECORDED else consent.kind,
        entry_into_force=entry_into_force,
        denunciation_date=denunciation.date if denunciation else None,
        denunciation_effective=effective,
        signature_ref=signature.ref if signature else None,
        consent_ref=consent.ref,
    )
    if effective is not None and effective <= as_of:
        return replace(party, status=DENOUNCED, in_force=False)

    if entry_into_force is not None:
        in_force = entry_into_force <= as_of
    else:
        in_force = (
            consent.kind == SUCCESSION
            and instrument_entry_into_force is not None
            and instrument_entry_into_force <= as_of
        )
    return replace(party, in_force=in_force)


def _standing_actions(
    actions: Sequence[Action], as_of: date, view: str
) -> tuple[Action | None, Action | None, Action | None]:
    """Steps 1 and 2 of participant_status: the first signature, the latest consent and
    the denunciation of that consent, among the actions that count by `as_of`."""
    known = sorted((a for a in actions if counts_by(a, as_of, view)), key=lambda a: a.sort_key)
    signature = next((a for a in known if a.kind == SIGNATURE), None)
    consent: Action | None = None
    denunciation: Action | None = None
    for action in known:
        if action.kind in CONSENT_KINDS:
            consent, denunciation = action, None
        elif action.kind == DENUNCIATION and consent is not None:
            denunciation = action
    return signature, consent, denunciation


def _denunciation_effective(
    consent: Action, denunciation: Action | None, convention_denounced_on: date | None
) -> date | None:
    """Step 3 of participant_status: when the consent ended, by its own denunciation (a year
    after receipt, art. 40(1)) or earlier by the Convention's (art. 40(3))."""
    effective = denunciation_takes_effect(denunciation.date) if denunciation else None
    if (
        convention_denounced_on is not None
        and consent.date <= convention_denounced_on
        and (effective is None or convention_denounced_on < effective)
    ):
        effective = convention_denounced_on
    return effective


def convention_denunciations_effective(
    convention_actions: Sequence[Action], as_of: date, view: str = LAW_VIEW
) -> list[date]:
    """The days, on or before `as_of`, on which a denunciation of the Convention took
    effect for this participant (art. 40(1)), oldest first.

    R6: on each such day the Protocols it had consented to ended too (art. 40(3)), whatever
    the participant did with the Convention afterwards: a later accession to the Convention
    alone does not revive them; only a new Protocol instrument does.
    """
    days: list[date] = []
    bound = False
    for action in sorted(
        (a for a in convention_actions if counts_by(a, as_of, view)), key=lambda a: a.sort_key
    ):
        if action.kind in CONSENT_KINDS:
            bound = True
        elif action.kind == DENUNCIATION and bound:
            bound = False
            effective = denunciation_takes_effect(action.date)
            if effective <= as_of:
                days.append(effective)
    return sorted(days)


def convention_denounced_after(
    protocol_actions: Sequence[Action],
    convention_days: Sequence[date],
    as_of: date,
    view: str = LAW_VIEW,
) -> date | None:
    """The first day in `convention_days` on or after the Protocol consent in effect on
    `as_of`: the day that consent ended under art. 40(3) (R6), or None."""
    consents = [
        a.date for a in protocol_actions if a.kind in CONSENT_KINDS and counts_by(a, as_of, view)
    ]
    if not consents:
        return None
    consented = max(consents)
    return next((day for day in convention_days if day >= consented), None)


def protocol_status_under_convention(
    protocol: ParticipantStatus, convention: ParticipantStatus, as_of: date
) -> ParticipantStatus:
    """R7: a Protocol is never in force for a participant before the Convention is
    (art. 37(2)); its entry into force waits for the Convention's for that participant."""
    if protocol.status != PARTY:
        return protocol
    if convention.status != PARTY or not convention.in_force:
        return replace(
            protocol,
            in_force=False,
            entry_into_force=_later(protocol.entry_into_force, convention.entry_into_force),
        )
    entry = _later(protocol.entry_into_force, convention.entry_into_force)
    in_force = protocol.in_force if entry is None else entry <= as_of
    return replace(protocol, entry_into_force=entry, in_force=in_force)


def _later(first: date | None, second: date | None) -> date | None:
    if first is None or second is None:
        return first
    return max(first, second)


def statuses_by_instrument(
    actions: Mapping[str, Sequence[Action]],
    facts: Mapping[str, InstrumentFacts],
    as_of: date,
    view: str = LAW_VIEW,
) -> dict[str, ParticipantStatus]:
    """One participant's status for each instrument it acted on, on `as_of`.

    1. The Convention first, from its own actions.
    2. Each Protocol from its actions, ended by any Convention denunciation that took effect
       after the Protocol consent (R6, art. 40(3)),
    3. and never in force before the Convention is for the participant (R7, art. 37(2)).
    """
    statuses: dict[str, ParticipantStatus] = {}
    for code in sorted(actions, key=lambda code: facts[code].convention is not None):
        instrument = facts[code]
        convention = instrument.convention
        denounced_on = None
        if convention is not None:
            days = convention_denunciations_effective(actions.get(convention, ()), as_of, view)
            denounced_on = convention_denounced_after(actions[code], days, as_of, view)
        status = participant_status(
            actions[code], as_of, instrument.rule, instrument.entry_into_force, denounced_on, view
        )
        if convention is not None:
            status = protocol_status_under_convention(
                status, statuses.get(convention, NO_STATUS), as_of
            )
        statuses[code] = status
    return statuses


def participant_statuses(
    actions: Mapping[str, Sequence[Action]],
    facts: Mapping[str, InstrumentFacts],
    as_of: date,
) -> dict[str, ParticipantStatus]:
    """One participant's status for each instrument it acted on, in the view in law: the
    Conventions first, then each Protocol under R6 (art. 40(3), no revival) and R7
    (art. 37(2)); see statuses_by_instrument."""
    return statuses_by_instrument(actions, facts, as_of)
