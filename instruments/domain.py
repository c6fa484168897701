"""The treaty rules of the Convention and its Protocols, over plain values.

Nothing here reads the database: callers pass what they know and get an answer back, so a
treaty lawyer can read each rule next to the article it comes from, and tests need no data.

Article references: UNTOC art. 36 (signature, ratification, accession), 37 (relation with the
Protocols), 38 (entry into force), 40 (denunciation); the Protocols repeat the entry-into-force
rule in TIP art. 17, SOM art. 22 and FIR art. 18.
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


def participant_status(
    actions: Sequence[Action],
    as_of: date,
    rule: EntryIntoForceRule,
    instrument_entry_into_force: date | None,
    convention_denounced_on: date | None = None,
) -> ParticipantStatus:
    """Where a participant stood with one instrument on `as_of`, from its actions.

    The status follows the depositary's record as it stood that day: an action counts from
    the date it was signed, deposited or received.
    1. Take the actions dated on or before `as_of`, in order.
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
    known = sorted((a for a in actions if a.date <= as_of), key=lambda a: a.sort_key)
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
    if action.effective_date is not None:
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


def _sequence_violations(actions: Sequence[Action], instrument: InstrumentFacts) -> list[Violation]:
    """Rules on the order of one participant's actions on one instrument (art. 36, 40)."""
    title = instrument.short_title
    violations: list[Violation] = []
    ordered = sorted(actions, key=lambda a: a.sort_key)
    has_signature = any(a.kind == SIGNATURE for a in ordered)
    signature: Action | None = None
    consent: Action | None = None  # the consent in effect, if any
    any_consent: Action | None = None
    for action in ordered:
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
    1. Each action alone: no date before adoption or after today; a 'bound from' date only
       on a succession, and not after its notification.
    2. Each instrument's actions in order: one signature, which precedes consent; a
       ratification, acceptance, approval or formal confirmation needs a signature;
       at most one consent in effect; only a party denounces.
    3. UNTOC art. 37(2): a participant must be a Party to the Convention to become a Party
       to a Protocol, so each Protocol consent needs a Convention consent in effect that day.
    """
    violations: list[Violation] = []
    for code, instrument_actions in actions.items():
        instrument = instruments[code]
        found = [v for a in instrument_actions for v in _action_violations(a, instrument, today)]
        found += _sequence_violations(instrument_actions, instrument)
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
    actions: dict[str, list[Action]],
    facts: dict[str, InstrumentFacts],
    as_of: date,
) -> dict[str, ParticipantStatus]:
    """One participant's status for each instrument it acted on.

    1. The Conventions first, each from its own actions (participant_status).
    2. Then each Protocol: a denunciation of the Convention, once it takes effect, is also a
       denunciation of its Protocols (UNTOC art. 40(3)), so a Protocol's status ends when
       its Convention's does, whatever the Protocol's own actions say.
    """
    statuses: dict[str, ParticipantStatus] = {}
    ordered = sorted(actions, key=lambda code: facts[code].convention is not None)
    for code in ordered:
        instrument = facts[code]
        denounced_on = None
        if instrument.convention is not None:
            convention_status = statuses.get(instrument.convention, NO_STATUS)
            if convention_status.status == DENOUNCED:
                denounced_on = convention_status.denunciation_effective
        statuses[code] = participant_status(
            actions[code], as_of, instrument.rule, instrument.entry_into_force, denounced_on
        )
    return statuses
