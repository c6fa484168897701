"""Which actions the rules allow (R1-R5): each action by itself, each instrument's actions in
order, and a Protocol's consent against the Convention's (art. 36, 37(2), 40)."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.i18n import message_date as _day
from instruments.domain.status import convention_denunciations_effective, participant_status
from instruments.domain.terms import (
    CONSENT_KIND_NOT_RECORDED,
    CONSENT_KINDS,
    DENUNCIATION,
    KINDS_NEEDING_SIGNATURE,
    PARTY,
    SIGNATURE,
    SIGNATURE_ARTICLES,
    SUCCESSION,
    Action,
    InstrumentFacts,
    Violation,
)

# An action's kind as a word inside a sentence ("the ratification of 12 Dec 2002").
_KIND_WORDS = {
    "signature": lambda: pgettext("treaty action in a sentence", "signature"),
    "ratification": lambda: pgettext("treaty action in a sentence", "ratification"),
    "acceptance": lambda: pgettext("treaty action in a sentence", "acceptance"),
    "approval": lambda: pgettext("treaty action in a sentence", "approval"),
    "accession": lambda: pgettext("treaty action in a sentence", "accession"),
    "succession": lambda: pgettext("treaty action in a sentence", "succession"),
    "formal_confirmation": lambda: pgettext("treaty action in a sentence", "formal confirmation"),
    "denunciation": lambda: pgettext("treaty action in a sentence", "denunciation"),
    CONSENT_KIND_NOT_RECORDED: lambda: pgettext("treaty action in a sentence", "consent"),
}


def _kind_label(kind: str) -> str:
    word = _KIND_WORDS.get(kind)
    return word() if word else kind.replace("_", " ")


def _action_violations(
    action: Action, instrument: InstrumentFacts, today: date
) -> Iterable[Violation]:
    """Rules on one action by itself: its dates and fields."""
    title = instrument.short_title
    if action.date < instrument.adopted_on:
        yield Violation(
            "date_before_adoption",
            "date",
            _(
                "%(date)s is before the %(title)s was adopted (%(adopted)s); no action can "
                "precede adoption."
            )
            % {"date": _day(action.date), "title": title, "adopted": _day(instrument.adopted_on)},
            action.ref,
        )
    if action.date > today:
        yield Violation(
            "date_in_future",
            "date",
            _("%(date)s is after today (%(today)s); record actions once they have happened.")
            % {"date": _day(action.date), "today": _day(today)},
            action.ref,
        )
    if action.kind == SIGNATURE:
        yield from _signature_window_violations(action, instrument)
    if action.effective_date is not None:
        if action.effective_date < instrument.adopted_on:
            yield Violation(
                "succession_before_adoption",
                "effective_date",
                _(
                    "A successor cannot be bound by the %(title)s from %(date)s, before it was "
                    "adopted (%(adopted)s)."
                )
                % {
                    "title": title,
                    "date": _day(action.effective_date),
                    "adopted": _day(instrument.adopted_on),
                },
                action.ref,
            )
        if action.kind != SUCCESSION:
            yield Violation(
                "effective_date_only_for_succession",
                "effective_date",
                _(
                    "Only a succession carries a 'bound from' date; other actions take effect "
                    "under the entry-into-force rule."
                ),
                action.ref,
            )
        elif action.effective_date > action.date:
            yield Violation(
                "succession_effective_after_notification",
                "effective_date",
                _(
                    "A successor is bound from the date of succession, which cannot be after "
                    "its notification (%(date)s)."
                )
                % {"date": _day(action.date)},
                action.ref,
            )


def _signature_window_violations(
    action: Action, instrument: InstrumentFacts
) -> Iterable[Violation]:
    """R2: a signature only while the instrument is open for signature."""
    article = SIGNATURE_ARTICLES.get(instrument.code) or _("its signature article")
    opens, closes = instrument.signature_opens, instrument.signature_closes
    window = " ".join(
        part
        for part in (
            _("from %(date)s") % {"date": _day(opens)} if opens else "",
            _("until %(date)s") % {"date": _day(closes)} if closes else "",
        )
        if part
    )
    if (opens and action.date < opens) or (closes and action.date > closes):
        yield Violation(
            "signature_outside_window",
            "date",
            _(
                "The %(title)s was open for signature %(window)s (%(article)s); a signature of "
                "%(date)s is outside it. A State that did not sign accedes instead."
            )
            % {
                "title": instrument.short_title,
                "window": window,
                "article": article,
                "date": _day(action.date),
            },
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
            violations += _signature_order(action, signature, any_consent, title)
            signature = signature or action
        elif action.kind in CONSENT_KINDS:
            violations += _consent_order(action, consent, has_signature, title)
            consent = action
            any_consent = any_consent or action
        elif action.kind == DENUNCIATION:
            if consent is None:
                violations.append(
                    Violation(
                        "denunciation_requires_party",
                        "kind",
                        _(
                            "Only a party can denounce the %(title)s, and no consent in effect "
                            "is recorded before %(date)s."
                        )
                        % {"title": title, "date": _day(action.date)},
                        action.ref,
                    )
                )
            consent = None
    return violations


def _signature_order(
    action: Action, signature: Action | None, any_consent: Action | None, title: str
) -> list[Violation]:
    """R3: one signature, before any consent."""
    if signature is not None:
        return [
            Violation(
                "one_signature",
                "kind",
                _(
                    "Already signed the %(title)s on %(date)s; a participant signs an "
                    "instrument once."
                )
                % {"title": title, "date": _day(signature.date)},
                action.ref,
            )
        ]
    if any_consent is not None:
        return [
            Violation(
                "signature_precedes_consent",
                "date",
                _(
                    "A signature precedes consent: this signature (%(date)s) follows the "
                    "%(kind)s of %(consent_date)s."
                )
                % {
                    "date": _day(action.date),
                    "kind": _kind_label(any_consent.kind),
                    "consent_date": _day(any_consent.date),
                },
                action.ref,
            )
        ]
    return []


def _consent_order(
    action: Action, consent: Action | None, has_signature: bool, title: str
) -> list[Violation]:
    """R3 and R4: one consent in effect at a time; a ratification, acceptance, approval or
    formal confirmation confirms a signature."""
    violations = []
    if consent is not None:
        violations.append(
            Violation(
                "one_consent",
                "kind",
                _(
                    "Already bound by the %(title)s through the %(kind)s of %(date)s; a second "
                    "consent needs a denunciation first."
                )
                % {"title": title, "kind": _kind_label(consent.kind), "date": _day(consent.date)},
                action.ref,
            )
        )
    if action.kind in KINDS_NEEDING_SIGNATURE and not has_signature:
        violations.append(
            Violation(
                "consent_requires_signature",
                "kind",
                _(
                    "A %(kind)s confirms a signature, and no signature of the %(title)s is "
                    "recorded; a participant that did not sign accedes (accession) or succeeds "
                    "(succession)."
                )
                % {"kind": _kind_label(action.kind), "title": title},
                action.ref,
            )
        )
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
                    _(
                        "To become a Party to the %(protocol)s a participant must be a Party to "
                        "the %(convention)s (UNTOC art. 37(2)); no consent to the %(convention)s "
                        "is in effect on %(date)s."
                    )
                    % {
                        "protocol": protocol.short_title,
                        "convention": convention.short_title,
                        "date": _day(action.date),
                    },
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
