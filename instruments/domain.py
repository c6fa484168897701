"""The treaty rules of the Convention and its Protocols, over plain values.

Nothing here reads the database: callers pass what they know and get an answer back, so a
treaty lawyer can read each rule next to the article it comes from, and tests need no data.

Article references: UNTOC art. 36 (signature, ratification, accession), 37 (relation with the
Protocols), 38 (entry into force), 40 (denunciation); the Protocols repeat the signature rule in
TIP art. 16, SOM art. 21 and FIR art. 17, and the entry-into-force rule in TIP art. 17, SOM
art. 22 and FIR art. 18. Successions follow the Vienna Convention on Succession of States in
respect of Treaties (1978), arts. 23(1) and 34.

The rules, numbered as the refusals and check_data name them:
  R1  no action before the instrument's adoption (a succession's "bound from" date included);
  R2  a signature only while the instrument is open for signature (UNTOC art. 36(1), TIP
      art. 16(1), SOM art. 21(1), FIR art. 17(1): until 12 December 2002);
  R3  one signature, before any consent; ratification, acceptance, approval and formal
      confirmation confirm a signature (art. 36(2)-(3));
  R4  one consent in effect at a time; only a party denounces (art. 40(1));
  R5  a Protocol consent needs a Convention consent in effect that day (art. 37(2));
  R6  a Convention denunciation ends the Protocols for that participant (art. 40(3)) for
      good: a later accession to the Convention alone does not revive them;
  R7  a Protocol is never in force for a participant before the Convention is (art. 37(2));
  R8  a succession binds from the date of succession, before its notification (Vienna
      Convention on Succession of States in respect of Treaties, arts. 23(1) and 34): "status
      as at" a date counts it from then (the view in law); the record as it stood that day
      is the other view, named RECORD_VIEW.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from datetime import date, timedelta

Date = date  # for annotations inside classes that have a field named "date"

# Action kinds, the same values TreatyAction.Kind stores.
SIGNATURE = "signature"
RATIFICATION = "ratification"
ACCEPTANCE = "acceptance"
APPROVAL = "approval"
ACCESSION = "accession"
SUCCESSION = "succession"
FORMAL_CONFIRMATION = "formal_confirmation"
CONSENT_KIND_NOT_RECORDED = "consent"
DENUNCIATION = "denunciation"

# Every way to consent to be bound; "consent" is one whose kind the source does not give.
CONSENT_KINDS = frozenset(
    {
        RATIFICATION,
        ACCEPTANCE,
        APPROVAL,
        ACCESSION,
        SUCCESSION,
        FORMAL_CONFIRMATION,
        CONSENT_KIND_NOT_RECORDED,
    }
)
# Consent that confirms an earlier signature; without one, a State accedes instead (art. 36).
KINDS_NEEDING_SIGNATURE = frozenset({RATIFICATION, ACCEPTANCE, APPROVAL, FORMAL_CONFIRMATION})

# The marks the depositary prints beside a consent date (no mark means ratification).
KIND_MARKS = {
    RATIFICATION: "",
    ACCEPTANCE: "A",
    APPROVAL: "AA",
    ACCESSION: "a",
    SUCCESSION: "d",
    FORMAL_CONFIRMATION: "c",
    CONSENT_KIND_NOT_RECORDED: "",
}

# Statuses, as the API names them.
NONE = "none"
SIGNATORY = "signatory"
PARTY = "party"
DENOUNCED = "denounced"

# The two readings of "status as at DATE" (R8). In law, a succession counts from the date of
# succession it declares; in the record as it stood that day, only from its notification.
LAW_VIEW = "law"
RECORD_VIEW = "record"
VIEWS = {
    LAW_VIEW: "In law: successions count from the date of succession",
    RECORD_VIEW: "As the record stood: each action counts from its own date",
}

# Where each instrument says until when it is open for signature (R2).
SIGNATURE_ARTICLES = {
    "untoc": "UNTOC art. 36(1)",
    "tip": "TIP art. 16(1)",
    "som": "SOM art. 21(1)",
    "fir": "FIR art. 17(1)",
}

# On one day, a signature comes before a consent, and a consent before a denunciation.
_SAME_DAY_ORDER = {SIGNATURE: 0, DENUNCIATION: 2}


@dataclass(frozen=True)
class EntryIntoForceRule:
    """UNTOC art. 38 and the Protocols' matching articles, as numbers."""

    threshold: int = 40
    days_after_threshold: int = 90
    days_after_later_deposit: int = 30
    organizations_count: bool = False


@dataclass(frozen=True)
class InstrumentFacts:
    code: str
    short_title: str
    adopted_on: date
    rule: EntryIntoForceRule = EntryIntoForceRule()
    convention: str | None = None  # the Convention's code, for a Protocol
    entry_into_force: date | None = None  # as recorded
    signature_opens: date | None = None  # None: the opening day is not verified
    signature_closes: date | None = None  # None: no closing day recorded


@dataclass(frozen=True)
class Action:
    """A treaty action as a plain value; `ref` is the caller's hashable handle to find it again
    (a primary key, a row number)."""

    kind: str
    date: Date
    effective_date: Date | None = None
    ref: object = dataclass_field(default=None, compare=False)

    @property
    def sort_key(self) -> tuple[Date, int]:
        return (self.date, _SAME_DAY_ORDER.get(self.kind, 1))


@dataclass(frozen=True)
class Violation:
    """A broken rule: which field of which action, which rule, and why, in plain words."""

    rule: str
    field: str
    message: str
    ref: object = dataclass_field(default=None, compare=False)
    instrument: str = ""


@dataclass(frozen=True)
class ParticipantStatus:
    status: str = NONE
    in_force: bool = False
    signature_date: date | None = None
    consent_date: date | None = None
    consent_kind: str | None = None  # None when there is no consent or its kind is not recorded
    entry_into_force: date | None = None
    denunciation_date: date | None = None
    denunciation_effective: date | None = None
    # The caller's handles (Action.ref) of the signature and the consent behind this status,
    # so that a view can give each fact's source.
    signature_ref: object = dataclass_field(default=None, compare=False)
    consent_ref: object = dataclass_field(default=None, compare=False)

    @property
    def consent_kind_recorded(self) -> bool:
        return self.consent_date is None or self.consent_kind is not None

    @property
    def consent_mark(self) -> str:
        """The depositary's mark: A, AA, a, d, c, or empty for ratification."""
        return KIND_MARKS.get(self.consent_kind or "", "")


NO_STATUS = ParticipantStatus()


# Where an instrument itself stood on a date (R1: nothing exists before adoption).
NOT_ADOPTED = "not_adopted"
NOT_IN_FORCE = "not_in_force"
IN_FORCE = "in_force"


def instrument_standing(adopted_on: date, entry_into_force: date | None, as_of: date) -> str:
    """NOT_ADOPTED before the adoption, IN_FORCE from the entry into force, else NOT_IN_FORCE."""
    if as_of < adopted_on:
        return NOT_ADOPTED
    if entry_into_force is not None and entry_into_force <= as_of:
        return IN_FORCE
    return NOT_IN_FORCE


def denunciation_takes_effect(received: date) -> date:
    """UNTOC art. 40(1): one year after the Secretary-General receives the notification.

    A notice received on 29 February takes effect on 1 March of the next year, the first day
    on which a full year has passed.
    """
    try:
        return received.replace(year=received.year + 1)
    except ValueError:
        return date(received.year + 1, 3, 1)


def instrument_entry_into_force(
    rule: EntryIntoForceRule,
    deposits: Iterable[tuple[date, bool]],
    convention_entry_into_force: date | None = None,
    *,
    is_protocol: bool = False,
) -> date | None:
    """When the instrument itself entered into force, from the deposits of consent.

    `deposits` are (date of deposit, deposited by an organization) pairs.
    1. Count the deposits, leaving out organizations' unless the rule counts them
       (UNTOC art. 38(1): they do not count in addition to their member States').
    2. With fewer than `threshold` deposits, it is not in force.
    3. Otherwise it enters into force `days_after_threshold` days after the Nth deposit
       (the depositary's "90th day after" is the deposit date plus 90 days).
    4. A Protocol never enters into force before the Convention (TIP art. 17(1)).
    """
    counted = sorted(
        d for d, by_organization in deposits if rule.organizations_count or not (by_organization)
    )
    if len(counted) < rule.threshold:
        return None
    in_force = counted[rule.threshold - 1] + timedelta(days=rule.days_after_threshold)
    if is_protocol:
        if convention_entry_into_force is None:
            return None
        in_force = max(in_force, convention_entry_into_force)
    return in_force


def entry_into_force_violations(
    deposits: Mapping[str, Sequence[tuple[date, bool]]],
    facts: Mapping[str, InstrumentFacts],
) -> list[Violation]:
    """Each instrument whose entry into force computed from the deposits of consent is not
    the one recorded (art. 38(1)).

    The recorded date is the depositary's; a deposit added, moved or removed before it (a
    back-dated ratification, say) would change the computed one, so such a write breaks the
    record. `deposits` maps instrument codes to (date of deposit, by an organization) pairs.
    A Protocol's date is computed from the Convention's computed date (TIP art. 17(1)).
    """
    computed: dict[str, date | None] = {}
    violations = []
    for code in sorted(facts, key=lambda code: facts[code].convention is not None):
        instrument = facts[code]
        convention = instrument.convention
        computed[code] = instrument_entry_into_force(
            instrument.rule,
            deposits.get(code, ()),
            computed.get(convention) if convention else None,
            is_protocol=convention is not None,
        )
        if computed[code] != instrument.entry_into_force:
            found = computed[code]
            recorded = instrument.entry_into_force
            violations.append(
                Violation(
                    "instrument_entry_into_force",
                    "date",
                    f"The deposits of consent would put the {instrument.short_title}'s entry "
                    f"into force on {f'{found:%d %b %Y}' if found else 'no date yet'}, but the "
                    f"depositary records {f'{recorded:%d %b %Y}' if recorded else 'none'} "
                    "(art. 38(1)); check the date of the deposit.",
                    instrument=code,
                )
            )
    return violations


def participant_entry_into_force(
    rule: EntryIntoForceRule, consent: Action, instrument_entry_into_force: date | None
) -> date | None:
    """When the instrument entered into force for a participant that consented by `consent`.

    - Never before the instrument's own entry into force.
    - A succession binds from the date of succession the successor declares (for
      Montenegro, 3 June 2006, though it notified on 23 October 2006); when that date is not
      recorded the answer is unknown (None), never a guess.
    - Any other consent: `days_after_later_deposit` days after the deposit (art. 38(2));
      a deposit made before the instrument entered into force waits for it.
    """
    if instrument_entry_into_force is None:
        return None
    if consent.kind == SUCCESSION:
        if consent.effective_date is None:
            return None
        return max(consent.effective_date, instrument_entry_into_force)
    later_deposit = consent.date + timedelta(days=rule.days_after_later_deposit)
    return max(later_deposit, instrument_entry_into_force)


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
    known = sorted((a for a in actions if counts_by(a, as_of, view)), key=lambda a: a.sort_key)
    signature = next((a for a in known if a.kind == SIGNATURE), None)
    consent: Action | None = None
    denunciation: Action | None = None
    for action in known:
        if action.kind in CONSENT_KINDS:
            consent, denunciation = action, None
        elif action.kind == DENUNCIATION and consent is not None:
            denunciation = action

    signature_date = signature.date if signature else None
    if consent is None:
        return ParticipantStatus(
            status=SIGNATORY if signature else NONE,
            signature_date=signature_date,
            signature_ref=signature.ref if signature else None,
        )

    consent_kind = None if consent.kind == CONSENT_KIND_NOT_RECORDED else consent.kind
    entry_into_force = participant_entry_into_force(rule, consent, instrument_entry_into_force)
    denunciation_date = denunciation.date if denunciation else None
    effective = denunciation_takes_effect(denunciation.date) if denunciation else None
    if (
        convention_denounced_on is not None
        and consent.date <= convention_denounced_on
        and (effective is None or convention_denounced_on < effective)
    ):
        effective = convention_denounced_on
    party = ParticipantStatus(
        status=PARTY,
        signature_date=signature_date,
        consent_date=consent.date,
        consent_kind=consent_kind,
        entry_into_force=entry_into_force,
        denunciation_date=denunciation_date,
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


def _kind_label(kind: str) -> str:
    if kind == CONSENT_KIND_NOT_RECORDED:
        return "consent"
    return kind.replace("_", " ")


def _action_violations(
    action: Action, instrument: InstrumentFacts, today: date
) -> Iterable[Violation]:
    """Rules on one action by itself: its dates and fields."""
    title = instrument.short_title
    if action.date < instrument.adopted_on:
        yield Violation(
            "date_before_adoption",
            "date",
            f"{action.date:%d %b %Y} is before the {title} was adopted "
            f"({instrument.adopted_on:%d %b %Y}); no action can precede adoption.",
            action.ref,
        )
    if action.date > today:
        yield Violation(
            "date_in_future",
            "date",
            f"{action.date:%d %b %Y} is after today ({today:%d %b %Y}); record actions once "
            "they have happened.",
            action.ref,
        )
    if action.kind == SIGNATURE:
        yield from _signature_window_violations(action, instrument)
    if action.effective_date is not None:
        if action.effective_date < instrument.adopted_on:
            yield Violation(
                "succession_before_adoption",
                "effective_date",
                f"A successor cannot be bound by the {title} from {action.effective_date:%d %b %Y}"
                f", before it was adopted ({instrument.adopted_on:%d %b %Y}).",
                action.ref,
            )
        if action.kind != SUCCESSION:
            yield Violation(
                "effective_date_only_for_succession",
                "effective_date",
                "Only a succession carries a 'bound from' date; other actions take effect "
                "under the entry-into-force rule.",
                action.ref,
            )
        elif action.effective_date > action.date:
            yield Violation(
                "succession_effective_after_notification",
                "effective_date",
                f"A successor is bound from the date of succession, which cannot be after "
                f"its notification ({action.date:%d %b %Y}).",
                action.ref,
            )


def _signature_window_violations(
    action: Action, instrument: InstrumentFacts
) -> Iterable[Violation]:
    """R2: a signature only while the instrument is open for signature."""
    article = SIGNATURE_ARTICLES.get(instrument.code, "its signature article")
    opens, closes = instrument.signature_opens, instrument.signature_closes
    window = (f"from {opens:%d %b %Y} " if opens else "") + (
        f"until {closes:%d %b %Y}" if closes else ""
    )
    if (opens and action.date < opens) or (closes and action.date > closes):
        yield Violation(
            "signature_outside_window",
            "date",
            f"The {instrument.short_title} was open for signature {window} ({article}); a "
            f"signature of {action.date:%d %b %Y} is outside it. A State that did not sign "
            "accedes instead.",
            action.ref,
        )


def _sequence_violations(
    actions: Sequence[Action],
    instrument: InstrumentFacts,
    ended_on: Sequence[date] = (),
) -> list[Violation]:
    """Rules on the order of one participant's actions on one instrument (art. 36, 40).

    `ended_on`: for a Protocol, the days a Convention denunciation took effect, each of
    which ended the Protocol consent then in effect (R6, art. 40(3))."""
    title = instrument.short_title
    violations: list[Violation] = []
    ordered = sorted(actions, key=lambda a: a.sort_key)
    has_signature = any(a.kind == SIGNATURE for a in ordered)
    signature: Action | None = None
    consent: Action | None = None  # the consent in effect, if any
    any_consent: Action | None = None
    for action in ordered:
        if consent is not None and any(consent.date <= d <= action.date for d in ended_on):
            consent = None
        if action.kind == SIGNATURE:
            if signature is not None:
                violations.append(
                    Violation(
                        "one_signature",
                        "kind",
                        f"Already signed the {title} on {signature.date:%d %b %Y}; a "
                        "participant signs an instrument once.",
                        action.ref,
                    )
                )
            elif any_consent is not None:
                violations.append(
                    Violation(
                        "signature_precedes_consent",
                        "date",
                        f"A signature precedes consent: this signature ({action.date:%d %b %Y}) "
                        f"follows the {_kind_label(any_consent.kind)} of "
                        f"{any_consent.date:%d %b %Y}.",
                        action.ref,
                    )
                )
            signature = signature or action
        elif action.kind in CONSENT_KINDS:
            if consent is not None:
                violations.append(
                    Violation(
                        "one_consent",
                        "kind",
                        f"Already bound by the {title} through the {_kind_label(consent.kind)} "
                        f"of {consent.date:%d %b %Y}; a second consent needs a denunciation "
                        "first.",
                        action.ref,
                    )
                )
            if action.kind in KINDS_NEEDING_SIGNATURE and not has_signature:
                violations.append(
                    Violation(
                        "consent_requires_signature",
                        "kind",
                        f"A {_kind_label(action.kind)} confirms a signature, and no signature "
                        f"of the {title} is recorded; a participant that did not sign accedes "
                        "(accession) or succeeds (succession).",
                        action.ref,
                    )
                )
            consent = action
            any_consent = any_consent or action
        elif action.kind == DENUNCIATION:
            if consent is None:
                violations.append(
                    Violation(
                        "denunciation_requires_party",
                        "kind",
                        f"Only a party can denounce the {title}, and no consent in effect is "
                        f"recorded before {action.date:%d %b %Y}.",
                        action.ref,
                    )
                )
            consent = None
    return violations


def participant_violations(
    actions: Mapping[str, Sequence[Action]],
    instruments: Mapping[str, InstrumentFacts],
    today: date,
) -> list[Violation]:
    """Every rule that one participant's actions break, over all instruments.

    `actions` maps instrument codes to that participant's actions on the instrument.
    1. Each action alone: no date before adoption or after today (R1); a signature within
       the signature window (R2); a 'bound from' date only on a succession, not before the
       adoption and not after its notification.
    2. Each instrument's actions in order: one signature, which precedes consent; a
       ratification, acceptance, approval or formal confirmation needs a signature;
       at most one consent in effect; only a party denounces.
       A Protocol consent ended by a Convention denunciation (R6, art. 40(3)) is no longer
       in effect, so a new Protocol instrument may follow it.
    3. UNTOC art. 37(2): a participant must be a Party to the Convention to become a Party
       to a Protocol, so each Protocol consent needs a Convention consent in effect that day
       (R5).
    """
    violations: list[Violation] = []
    for code, instrument_actions in actions.items():
        instrument = instruments[code]
        found = [v for a in instrument_actions for v in _action_violations(a, instrument, today)]
        ended_on: list[date] = []
        if instrument.convention is not None:
            ended_on = convention_denunciations_effective(
                actions.get(instrument.convention, ()), today
            )
        found += _sequence_violations(instrument_actions, instrument, ended_on)
        if instrument.convention is not None:
            found += _protocol_violations(
                instrument_actions,
                instrument,
                actions.get(instrument.convention, ()),
                instruments[instrument.convention],
            )
        violations += [Violation(v.rule, v.field, v.message, v.ref, instrument=code) for v in found]
    return violations


def _protocol_violations(
    protocol_actions: Sequence[Action],
    protocol: InstrumentFacts,
    convention_actions: Sequence[Action],
    convention: InstrumentFacts,
) -> list[Violation]:
    violations = []
    for action in protocol_actions:
        if action.kind not in CONSENT_KINDS:
            continue
        standing = participant_status(
            convention_actions, action.date, convention.rule, convention.entry_into_force
        )
        if standing.status != PARTY:
            violations.append(
                Violation(
                    "protocol_requires_convention",
                    "instrument",
                    f"To become a Party to the {protocol.short_title} a participant must be a "
                    f"Party to the {convention.short_title} (UNTOC art. 37(2)); no consent to "
                    f"the {convention.short_title} is in effect on {action.date:%d %b %Y}.",
                    action.ref,
                )
            )
    return violations


def new_violations(before: Iterable[Violation], after: Iterable[Violation]) -> list[Violation]:
    """The violations in `after` that `before` did not have (same rule on the same action).

    A write is refused only for what it breaks, so a record that was already inconsistent
    (and is listed by check_data) does not block unrelated corrections.
    """
    seen = {(v.rule, v.ref, v.instrument) for v in before}
    return [v for v in after if (v.rule, v.ref, v.instrument) not in seen]


def participant_statuses(
    actions: Mapping[str, Sequence[Action]],
    facts: Mapping[str, InstrumentFacts],
    as_of: date,
) -> dict[str, ParticipantStatus]:
    """One participant's status for each instrument it acted on, in the view in law: the
    Conventions first, then each Protocol under R6 (art. 40(3), no revival) and R7
    (art. 37(2)); see statuses_by_instrument."""
    return statuses_by_instrument(actions, facts, as_of)


# --- The date a status view answers for ("status as at") ---------------------------------------


@dataclass(frozen=True)
class Adoption:
    """An instrument's adoption, for the rule on the earliest date a view can answer for."""

    title: str
    adopted_on: date


def as_of_violation(as_of: date, *, today: date, adoptions: Sequence[Adoption]) -> Violation | None:
    """The rules on `as_of`, the date every status view answers for (today when not given):

    1. Not after today: the record holds actions once they have happened, so a later date
       would present today's record as the future's.
    2. Not before the adoption of the instrument asked about (of the earliest, when several
       are): before it there was no treaty to have a status under.
    """
    if as_of > today:
        return Violation(
            "after_today",
            "as_of",
            f"The date cannot be after today ({today:%Y-%m-%d}): the tracker records actions "
            "once they have happened.",
        )
    if adoptions:
        first = min(adoptions, key=lambda a: a.adopted_on)
        if as_of < first.adopted_on:
            return Violation(
                "before_adoption",
                "as_of",
                f"The date cannot be before {first.adopted_on:%Y-%m-%d}, when the "
                f"{first.title} was adopted: no status existed before it.",
            )
    return None


def completeness_note(complete_to: date) -> str:
    """What every status view says about how current its data are."""
    return f"complete to {complete_to.day} {complete_to:%B %Y}; later actions partial"


def is_complete(as_of: date, complete_to: date) -> bool:
    """Whether the record of an instrument is complete for a view as at `as_of`: actions up to
    `complete_to` come from the depositary's full table, later ones are partial."""
    return as_of <= complete_to
