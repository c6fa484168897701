"""Shapes of obligations/, submissions/ and flags/.

Rows are plain dicts (obligation_row, submission_row, reports.selectors.flag_entry); the
response serializers here describe them for the schema and fix the CSV columns, and are not
run per row. Submissions are written through SubmissionWriteSerializer and reports.services.
"""

from typing import Any

from rest_framework import serializers

from core.rest.pagination import page_serializer
from instruments.api.serializers import CodeField, state_field
from reports import domain
from reports.filters import OBLIGATION_CODE
from reports.history import HISTORY_RESOURCES
from reports.models import ComplianceFlag, Obligation, Submission
from states.models import Participant

FINDING = domain.STANDING_LABELS[domain.NO_SUBMISSION_ON_RECORD]  # "no submission on record"
FINDING_NOTE = (
    "The tracker knows only what was recorded: a flag says that no submission is on record, "
    "not that none was made."
)

# The catalogue's English, or the project's own translation in the language asked (?lang=).
LOCALIZED = "In the language asked (?lang=); English as recorded, else the project's translation."

# --- obligations/ ----------------------------------------------------------------------------


class ObligationSerializer(serializers.Serializer):
    """A notification or report a party owes, with its due rule as data."""

    code = serializers.CharField(help_text="The stable id, e.g. untoc-18-13.")
    instrument = serializers.CharField(help_text="untoc, tip, som or fir.")
    article = serializers.CharField(help_text="e.g. 18(13); 'COP deadline' for a COP decision.")
    reference = serializers.CharField(help_text="e.g. 'UNTOC art. 18(13)'.")
    title = serializers.CharField(help_text=LOCALIZED)
    owed = serializers.ChoiceField(choices=Obligation.Owed.choices, help_text="What is owed.")
    applies_to = serializers.ChoiceField(choices=Obligation.AppliesTo.choices)
    condition = serializers.CharField(
        help_text="For parties in a stated condition: the condition; empty otherwise."
    )
    due_rule = serializers.ChoiceField(
        choices=Obligation.DueRule.choices,
        help_text="at_deposit: the date of deposit of consent; after_entry_into_force: "
        "due_days after the party's entry into force; cop_deadline: the deadline, or for a "
        "party bound later its own entry into force; no_date: none, so no flag.",
    )
    due_days = serializers.IntegerField()
    deadline = serializers.DateField(allow_null=True, help_text="The COP deadline.")
    due_note = serializers.CharField(help_text=f"The time as the source gives it. {LOCALIZED}")
    grace_days = serializers.IntegerField(
        help_text="Days after the due date before a flag is raised (a tracker policy)."
    )
    description = serializers.CharField(
        help_text=f"What the article asks, in our own words. {LOCALIZED}"
    )
    article_source = serializers.CharField()
    source = serializers.CharField(help_text="Where the catalogue entry comes from.")


ObligationPageSerializer = page_serializer("ObligationPage", ObligationSerializer)


def obligation_row(obligation: Obligation) -> dict[str, Any]:
    """Needs the obligation's instrument loaded (reports.selectors.obligation_list does)."""
    return {
        "code": obligation.code,
        "instrument": obligation.instrument.code,
        "article": obligation.article,
        "reference": obligation.reference,
        "title": obligation.local_title,
        "owed": obligation.owed,
        "applies_to": obligation.applies_to,
        "condition": obligation.condition,
        "due_rule": obligation.due_rule,
        "due_days": obligation.due_days,
        "deadline": obligation.deadline,
        "due_note": obligation.local_due_note,
        "grace_days": obligation.grace_days,
        "description": obligation.local_description,
        "article_source": obligation.article_source,
        "source": obligation.source,
    }


# --- submissions/ ----------------------------------------------------------------------------


class SubmissionSerializer(serializers.Serializer):
    """A notification or report received, as SPMU staff recorded it; its ETag is its version."""

    id = serializers.IntegerField()
    state = serializers.CharField(help_text="ISO 3166-1 alpha-3 (EUU for the European Union).")
    state_name = serializers.CharField()
    obligation = serializers.CharField(help_text="The obligation's code.")
    obligation_reference = serializers.CharField()
    instrument = serializers.CharField()
    received_on = serializers.DateField()
    reference = serializers.CharField(help_text="C.N. number or document symbol.")
    note = serializers.CharField()
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


SubmissionPageSerializer = page_serializer("SubmissionPage", SubmissionSerializer)


def submission_row(submission: Submission) -> dict[str, Any]:
    """Needs its participant, obligation and instrument loaded (submission_list does)."""
    return {
        "id": submission.pk,
        "state": submission.participant.iso3,
        "state_name": submission.participant.local_name,
        "obligation": submission.obligation.code,
        "obligation_reference": submission.obligation.reference,
        "instrument": submission.obligation.instrument.code,
        "received_on": submission.received_on,
        "reference": submission.reference,
        "note": submission.note,
        "version": submission.version,
        "created_at": submission.created_at,
        "updated_at": submission.updated_at,
    }


def obligation_field() -> CodeField:
    return CodeField(
        OBLIGATION_CODE,
        str.lower,
        slug_field="code",
        queryset=Obligation.objects.select_related("instrument"),
        help_text="The obligation's code, e.g. untoc-18-13 (obligations/ lists them).",
    )


class SubmissionWriteSerializer(serializers.Serializer):
    """A submission as an editor records it; reports.services checks the rules."""

    state = state_field()
    obligation = obligation_field()
    received_on = serializers.DateField(help_text="The day it arrived; not after today.")
    reference = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=120,
        help_text="C.N. number or document symbol.",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


# --- flags/ ----------------------------------------------------------------------------------


class FlagSerializer(serializers.Serializer):
    """A participant and an obligation with no submission on record past the due date (and
    grace period), as it stood on as_of."""

    id = serializers.IntegerField(help_text="Stable: one flag per participant and obligation.")
    state = serializers.CharField(help_text="ISO 3166-1 alpha-3.")
    state_name = serializers.CharField()
    osce_role = serializers.ChoiceField(choices=Participant.OsceRole.choices)
    instrument = serializers.CharField()
    obligation = serializers.CharField(help_text="The obligation's code.")
    obligation_reference = serializers.CharField()
    obligation_title = serializers.CharField(help_text=LOCALIZED)
    finding = serializers.ChoiceField(choices=[FINDING], help_text=FINDING_NOTE)
    due_on = serializers.DateField()
    grace_days = serializers.IntegerField()
    raised_on = serializers.DateField(help_text="When a compliance check raised it.")
    open = serializers.BooleanField(help_text="Whether no submission was on record on as_of.")
    resolved_on = serializers.DateField(allow_null=True, help_text="Null while open on as_of.")
    resolution = serializers.ChoiceField(
        choices=ComplianceFlag.Resolution.choices,
        allow_blank=True,
        help_text="submission, notification (in the treaty data) or no_longer_due; empty "
        "while open.",
    )
    received_on = serializers.DateField(
        allow_null=True, help_text="When what resolved it was received, if the record says."
    )
    submission_reference = serializers.CharField(allow_blank=True)
    days_overdue = serializers.IntegerField(
        allow_null=True,
        help_text="Open: days from the due date to as_of. Resolved: how late what resolved it "
        "arrived; null when that is undated or the flag is no longer due.",
    )
    ageing_bucket = serializers.ChoiceField(
        choices=list(domain.AGEING_BUCKETS.items()),
        allow_null=True,
        help_text="Open flags: under_1_year, 1_to_5_years or over_5_years since the due date.",
    )
    as_of = serializers.DateField()


FLAG_COLUMNS = tuple(FlagSerializer().fields)

FlagPageSerializer = page_serializer(
    "FlagPage",
    FlagSerializer,
    as_of=serializers.DateField(help_text="The day this answer is for."),
    checked_as_of=serializers.DateField(
        allow_null=True,
        help_text="The date the last full compliance check answered for (null before the "
        "first): flags for a later day are as that check left them.",
    ),
    note=serializers.CharField(help_text=FINDING_NOTE),
)


# --- standings/ ------------------------------------------------------------------------------


class StandingSerializer(serializers.Serializer):
    """Where one participant stood with one obligation on as_of, computed from the record as
    it is now (reports.standings.standing_row)."""

    as_of = serializers.DateField()
    state = serializers.CharField(help_text="ISO 3166-1 alpha-3.")
    state_name = serializers.CharField()
    osce_role = serializers.ChoiceField(choices=Participant.OsceRole.choices)
    participant_is = serializers.ChoiceField(
        choices=[domain.PARTY_WORD, domain.CONTRACTING_STATE_WORD],
        help_text="party once the instrument is in force for it; before that a contracting "
        "State (VCLT art. 2(1)(f), (g)).",
    )
    instrument = serializers.CharField()
    obligation = serializers.CharField(help_text="The obligation's code.")
    obligation_reference = serializers.CharField()
    standing = serializers.ChoiceField(
        choices=[s for s in domain.STANDING_LABELS if s != domain.NOT_APPLICABLE],
        help_text="received, not_yet_due, no_due_date, no_submission_on_record (the records "
        "are known complete and hold nothing past the due date and grace period) or "
        "not_yet_checked (past it, but the records are not known complete).",
    )
    finding = serializers.CharField(help_text="The standing in words. " + FINDING_NOTE)
    due_on = serializers.DateField(allow_null=True)
    received_on = serializers.DateField(allow_null=True)
    received_by = serializers.ChoiceField(
        choices=["", domain.BY_SUBMISSION, domain.BY_NOTIFICATION], allow_blank=True
    )
    days_overdue = serializers.IntegerField(
        allow_null=True, help_text="No submission on record: days from the due date to as_of."
    )
    ageing_bucket = serializers.ChoiceField(
        choices=list(domain.AGEING_BUCKETS.items()), allow_null=True
    )
    records_checked = serializers.BooleanField(
        help_text="Whether the records under this obligation for this participant are known "
        "complete (evidence coverage)."
    )
    checked_against = serializers.CharField(allow_blank=True)
    checked_as_of = serializers.DateField(allow_null=True)


STANDING_COLUMNS = tuple(StandingSerializer().fields)

StandingPageSerializer = page_serializer(
    "StandingPage",
    StandingSerializer,
    as_of=serializers.DateField(help_text="The day this answer is for."),
    note=serializers.CharField(help_text=FINDING_NOTE),
)

# --- history/ --------------------------------------------------------------------------------


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class HistoryEntrySerializer(serializers.Serializer):
    resource = serializers.ChoiceField(choices=HISTORY_RESOURCES)
    record = serializers.IntegerField(help_text="The id of the record changed.")
    type = serializers.ChoiceField(choices=("created", "changed", "deleted"))
    at = serializers.DateTimeField()
    user = serializers.CharField(
        allow_null=True,
        help_text="Who made the change; null for the system: the data loader, or the daily "
        "compliance check (its reason says so).",
    )
    reason = serializers.CharField(
        allow_null=True, help_text='Why, where recorded: e.g. "compliance check (system)".'
    )
    changes = ChangeSerializer(
        many=True, help_text="Each field that differs from the record before this change."
    )
    values = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        help_text="The record's values after this change (for a deletion, as it was when deleted).",
    )


HistoryPageSerializer = page_serializer("HistoryPage", HistoryEntrySerializer)


# --- data-quality/ ---------------------------------------------------------------------------


class CountsSerializer(serializers.Serializer):
    signatories = serializers.IntegerField()
    parties = serializers.IntegerField()


class CheckpointComparisonSerializer(serializers.Serializer):
    as_at = serializers.DateField(help_text="The depositary's 'Status as at' date.")
    source = serializers.CharField(help_text="Where the depositary's counts were read.")
    depositary = CountsSerializer()
    tracker = CountsSerializer(help_text="Computed as at the same date from the records.")
    difference = CountsSerializer(help_text="Tracker minus depositary.")
    rows = serializers.CharField(help_text="The page listing the tracker's rows behind it.")


class OpenQuestionSerializer(serializers.Serializer):
    state = serializers.CharField()
    state_name = serializers.CharField()
    claim = serializers.CharField()
    claimed_kind = serializers.CharField(allow_null=True)
    claimed_date = serializers.DateField(allow_null=True)
    confidence = serializers.ChoiceField(choices=["high", "medium", "low"])
    reason = serializers.CharField(help_text="Why it is not recorded as an action.")
    source = serializers.CharField()


class QualityActionSerializer(serializers.Serializer):
    state = serializers.CharField()
    state_name = serializers.CharField()
    kind = serializers.CharField()
    date = serializers.DateField()
    citation = serializers.CharField()


class KindAndDateSerializer(serializers.Serializer):
    kind = serializers.CharField(allow_null=True)
    date = serializers.DateField(allow_null=True)


class AwaitingReviewSerializer(serializers.Serializer):
    state = serializers.CharField()
    state_name = serializers.CharField()
    change = serializers.ChoiceField(
        choices=["new_action", "changed_date", "changed_kind", "not_in_table"]
    )
    recorded = KindAndDateSerializer(help_text="The action recorded now; nulls when none.")
    proposed = KindAndDateSerializer()
    confidence = serializers.ChoiceField(choices=["high", "medium", "low"], allow_null=True)
    source = serializers.CharField(help_text="The citation the action will carry if accepted.")


class InstrumentQualitySerializer(serializers.Serializer):
    instrument = serializers.CharField()
    short_title = serializers.CharField()
    status_complete_to = serializers.DateField()
    checkpoints = CheckpointComparisonSerializer(many=True)
    open_questions = OpenQuestionSerializer(many=True)
    kind_not_recorded = QualityActionSerializer(many=True)
    weaker_sources = QualityActionSerializer(
        many=True, help_text="Actions whose source is not the depositary's own record."
    )
    awaiting_review = AwaitingReviewSerializer(
        many=True,
        help_text="Dated facts after 2014 proposed for review that no editor has decided "
        "yet; they count nowhere until accepted.",
    )


class DataQualitySerializer(serializers.Serializer):
    facts_awaiting_review = serializers.IntegerField(
        help_text="How many dated facts after 2014 await an editor's review, all instruments."
    )
    instruments = InstrumentQualitySerializer(many=True)
