"""The words of the treaty rules as plain values: action kinds, statuses, the two views of
"status as at", and the values the rules take and give (instruments, actions, violations,
statuses)."""

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date

from django.utils.translation import gettext_lazy as _

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
    LAW_VIEW: _("In law: successions count from the date of succession"),
    RECORD_VIEW: _("As the record stood: each action counts from its own date"),
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
