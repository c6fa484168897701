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

The rules live in one module per seam, and this package names them all (`domain.X`):
  terms             kinds, statuses, views and the plain values the rules take and give;
  entry_into_force  art. 38 and 40(1) arithmetic, where an instrument stood on a date (R1),
                    and the deposits against the recorded entry into force;
  status            where a participant stood on a date (R6-R8);
  rules             which actions the rules allow (R1-R5);
  as_of             the date a status view answers for.
"""

from instruments.domain.as_of import (
    Adoption,
    as_of_violation,
    completeness_note,
    is_complete,
)
from instruments.domain.entry_into_force import (
    IN_FORCE,
    NOT_ADOPTED,
    NOT_IN_FORCE,
    denunciation_takes_effect,
    entry_into_force_violations,
    instrument_entry_into_force,
    instrument_standing,
    participant_entry_into_force,
)
from instruments.domain.rules import (
    new_violations,
    participant_violations,
)
from instruments.domain.status import (
    convention_denounced_after,
    convention_denunciations_effective,
    counts_by,
    participant_status,
    participant_statuses,
    protocol_status_under_convention,
    statuses_by_instrument,
)
from instruments.domain.terms import (
    ACCEPTANCE,
    ACCESSION,
    APPROVAL,
    CONSENT_KIND_NOT_RECORDED,
    CONSENT_KINDS,
    DENOUNCED,
    DENUNCIATION,
    FORMAL_CONFIRMATION,
    KIND_MARKS,
    KINDS_NEEDING_SIGNATURE,
    LAW_VIEW,
    NO_STATUS,
    NONE,
    PARTY,
    RATIFICATION,
    RECORD_VIEW,
    SIGNATORY,
    SIGNATURE,
    SIGNATURE_ARTICLES,
    SUCCESSION,
    VIEWS,
    Action,
    Date,
    EntryIntoForceRule,
    InstrumentFacts,
    ParticipantStatus,
    Violation,
)

__all__ = [
    "ACCEPTANCE",
    "ACCESSION",
    "APPROVAL",
    "CONSENT_KINDS",
    "CONSENT_KIND_NOT_RECORDED",
    "DENOUNCED",
    "DENUNCIATION",
    "FORMAL_CONFIRMATION",
    "IN_FORCE",
    "KINDS_NEEDING_SIGNATURE",
    "KIND_MARKS",
    "LAW_VIEW",
    "NONE",
    "NOT_ADOPTED",
    "NOT_IN_FORCE",
    "NO_STATUS",
    "PARTY",
    "RATIFICATION",
    "RECORD_VIEW",
    "SIGNATORY",
    "SIGNATURE",
    "SIGNATURE_ARTICLES",
    "SUCCESSION",
    "VIEWS",
    "Action",
    "Adoption",
    "Date",
    "EntryIntoForceRule",
    "InstrumentFacts",
    "ParticipantStatus",
    "Violation",
    "as_of_violation",
    "completeness_note",
    "convention_denounced_after",
    "convention_denunciations_effective",
    "counts_by",
    "denunciation_takes_effect",
    "entry_into_force_violations",
    "instrument_entry_into_force",
    "instrument_standing",
    "is_complete",
    "new_violations",
    "participant_entry_into_force",
    "participant_status",
    "participant_statuses",
    "participant_violations",
    "protocol_status_under_convention",
    "statuses_by_instrument",
]
