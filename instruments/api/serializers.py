"""Shapes of the treaty-data resources.

Reads are built as plain dicts by selectors (status_entries, action_rows, …); the response
serializers here describe them for the schema and fix the CSV columns, and are not run per
row. Writes are validated by the *Write serializers and carried out by instruments.services.
"""

import re
from datetime import date
from typing import Any

from rest_framework import serializers

from core.rest.pagination import page_serializer
from instruments import domain
from instruments.citations import citation
from instruments.models import Declaration, Instrument, TreatyAction
from states.api.serializers import ParticipantSerializer
from states.models import Participant

SOURCE_HELP = (
    "The source as recorded, for signed-in staff (it may hold working notes: which copy was "
    "read, what was inferred); for everyone else the citation, as in `citation`."
)

STATUSES = (domain.NONE, domain.SIGNATORY, domain.PARTY, domain.DENOUNCED)
CONSENT_KINDS = (
    domain.RATIFICATION,
    domain.ACCEPTANCE,
    domain.APPROVAL,
    domain.ACCESSION,
    domain.SUCCESSION,
    domain.FORMAL_CONFIRMATION,
)


completeness_note = domain.completeness_note


# --- status/ ---------------------------------------------------------------------------------


class StatusEntrySerializer(serializers.Serializer):
    """One participant and one instrument, as of the answer's date."""

    state = serializers.CharField(help_text="ISO 3166-1 alpha-3 (EUU for the European Union).")
    state_name = serializers.CharField()
    osce_role = serializers.ChoiceField(choices=Participant.OsceRole.choices)
    instrument = serializers.CharField(help_text="untoc, tip, som or fir.")
    status = serializers.ChoiceField(
        choices=STATUSES,
        help_text="none; signatory (signed, not consented); party (consented, including a "
        "party whose denunciation has not yet taken effect); denounced.",
    )
    in_force = serializers.BooleanField(help_text="A party for which the instrument is in force.")
    signature_date = serializers.DateField(allow_null=True)
    consent_date = serializers.DateField(
        allow_null=True, help_text="Deposit of the instrument of consent."
    )
    consent_kind = serializers.ChoiceField(
        choices=CONSENT_KINDS,
        allow_null=True,
        help_text="Null when there is no consent, or when the source does not give its kind "
        "(then consent_kind_recorded is false).",
    )
    consent_kind_recorded = serializers.BooleanField()
    entry_into_force = serializers.DateField(
        allow_null=True,
        help_text="For this participant; null when not computable (e.g. a succession without "
        "a recorded date of succession).",
    )
    denunciation_date = serializers.DateField(allow_null=True)
    denunciation_effective = serializers.DateField(allow_null=True)
    signature_source = serializers.CharField(
        allow_null=True,
        help_text="Where the signature is recorded, as a citation; null without signature.",
    )
    consent_source = serializers.CharField(
        allow_null=True,
        help_text="Where the consent is recorded, as a citation; null without consent.",
    )
    status_complete_to = serializers.DateField(
        help_text="The instrument's data are complete to this date; later actions partial."
    )


STATUS_COLUMNS = tuple(StatusEntrySerializer().fields)


class CompletenessSerializer(serializers.Serializer):
    code = serializers.CharField()
    short_title = serializers.CharField()
    status_complete_to = serializers.DateField()
    complete = serializers.BooleanField(
        help_text="Whether as_of is on or before status_complete_to, so that every action up "
        "to as_of is recorded."
    )
    note = serializers.CharField(help_text='"complete to DATE; later actions partial"')


StatusPageSerializer = page_serializer(
    "StatusPage",
    StatusEntrySerializer,
    as_of=serializers.DateField(help_text="The day this answer is for."),
    instruments=CompletenessSerializer(many=True),
)


def completeness(instruments: list[Instrument], as_of: date) -> list[dict[str, Any]]:
    return [
        {
            "code": i.code,
            "short_title": i.local_short_title,
            "status_complete_to": i.status_complete_to,
            "complete": domain.is_complete(as_of, i.status_complete_to),
            "note": domain.completeness_note(i.status_complete_to),
        }
        for i in instruments
    ]


class StateDetailSerializer(ParticipantSerializer):
    as_of = serializers.DateField()
    instruments = CompletenessSerializer(many=True)
    status = StatusEntrySerializer(many=True, help_text="One entry per instrument.")


# --- instruments/ ----------------------------------------------------------------------------


class EntryIntoForceRuleSerializer(serializers.Serializer):
    article = serializers.CharField()
    instruments_needed = serializers.IntegerField(help_text="The Nth instrument of consent.")
    days_after_nth_instrument = serializers.IntegerField()
    days_after_later_deposit = serializers.IntegerField()
    organizations_count = serializers.BooleanField(
        help_text="Whether an organization's instrument counts towards the Nth."
    )
    convention_first = serializers.BooleanField(
        help_text="A Protocol never enters into force before the Convention."
    )


class InstrumentCountsSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    signatories = serializers.IntegerField(help_text="Participants that had signed by as_of.")
    parties = serializers.IntegerField(help_text="Parties on as_of.")
    parties_in_force = serializers.IntegerField(help_text="Parties for which it was in force.")


class InstrumentSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    short_title = serializers.CharField()
    untc_reference = serializers.CharField()
    convention = serializers.CharField(allow_null=True, help_text="For a Protocol.")
    adopted_on = serializers.DateField()
    adopted_place = serializers.CharField()
    ga_resolution = serializers.CharField()
    opened_for_signature_on = serializers.DateField(allow_null=True)
    open_for_signature_until = serializers.DateField(
        allow_null=True, help_text="The last day a signature is accepted."
    )
    signature_note = serializers.CharField()
    entry_into_force = serializers.DateField(
        allow_null=True, help_text="As the depositary records it."
    )
    entry_into_force_rule = EntryIntoForceRuleSerializer()
    status_complete_to = serializers.DateField()
    status_note = serializers.CharField(help_text='"complete to DATE; later actions partial"')
    status_currency_note = serializers.CharField()
    source = serializers.CharField()
    counts = InstrumentCountsSerializer()


InstrumentPageSerializer = page_serializer("InstrumentPage", InstrumentSerializer)


def instrument_row(instrument: Instrument, counts: dict[str, int], as_of: date) -> dict[str, Any]:
    return {
        "code": instrument.code,
        "title": instrument.local_title,
        "short_title": instrument.local_short_title,
        "untc_reference": instrument.untc_reference,
        "convention": instrument.convention.code if instrument.convention else None,
        "adopted_on": instrument.adopted_on,
        "adopted_place": instrument.adopted_place,
        "ga_resolution": instrument.ga_resolution,
        "opened_for_signature_on": instrument.opened_for_signature_on,
        "open_for_signature_until": instrument.open_for_signature_until,
        "signature_note": instrument.signature_note,
        "entry_into_force": instrument.entry_into_force_on,
        "entry_into_force_rule": {
            "article": instrument.eif_article,
            "instruments_needed": instrument.eif_threshold,
            "days_after_nth_instrument": instrument.eif_days_after_threshold,
            "days_after_later_deposit": instrument.eif_days_after_later_deposit,
            "organizations_count": instrument.eif_reio_counts,
            "convention_first": instrument.convention_id is not None,
        },
        "status_complete_to": instrument.status_complete_to,
        "status_note": completeness_note(instrument.status_complete_to),
        "status_currency_note": instrument.status_currency_note,
        "source": instrument.source,
        "counts": {
            "as_of": as_of,
            "signatories": counts["signatories"],
            "parties": counts["parties"],
            "parties_in_force": counts["in_force"],
        },
    }


# --- actions/ and declarations/ --------------------------------------------------------------


class CodeField(serializers.SlugRelatedField):
    """A participant or instrument named by its code, as in URLs and filters."""

    def __init__(self, pattern: str, normalise: Any, **kwargs: Any) -> None:
        self.pattern = pattern
        self.normalise = normalise
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or not re.fullmatch(self.pattern, data):
            self.fail("invalid")
        return super().to_internal_value(self.normalise(data))


def state_field() -> CodeField:
    return CodeField(
        r"[A-Za-z]{3}",
        str.upper,
        slug_field="iso3",
        queryset=Participant.objects.all(),
        help_text="The participant's code (ISO alpha-3; EUU for the EU).",
    )


def instrument_field() -> CodeField:
    return CodeField(
        r"[A-Za-z]{2,8}",
        str.lower,
        slug_field="code",
        queryset=Instrument.objects.all(),
        help_text="untoc, tip, som or fir.",
    )


class ActionRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    state_name = serializers.CharField()
    instrument = serializers.CharField()
    kind = serializers.ChoiceField(choices=TreatyAction.Kind.choices)
    date = serializers.DateField()
    effective_date = serializers.DateField(allow_null=True)
    depositary_notification = serializers.CharField()
    source = serializers.CharField(help_text=SOURCE_HELP)
    citation = serializers.CharField(help_text="The source as a reader cites it.")
    note = serializers.CharField()
    version = serializers.IntegerField()


ActionPageSerializer = page_serializer("ActionPage", ActionRowSerializer)


class ActionSerializer(serializers.Serializer):
    """One treaty action; its ETag is its version."""

    id = serializers.IntegerField()
    state = serializers.CharField()
    instrument = serializers.CharField()
    kind = serializers.ChoiceField(choices=TreatyAction.Kind.choices)
    date = serializers.DateField()
    effective_date = serializers.DateField(allow_null=True)
    depositary_notification = serializers.CharField()
    source = serializers.CharField(help_text=SOURCE_HELP)
    citation = serializers.CharField(help_text="The source as a reader cites it.")
    note = serializers.CharField()
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


def action_detail(action: TreatyAction, *, recorded_source: bool = True) -> dict[str, Any]:
    cited = citation(action.source)
    return {
        "id": action.pk,
        "state": action.participant.iso3,
        "instrument": action.instrument.code,
        "kind": action.kind,
        "date": action.date,
        "effective_date": action.effective_date,
        "depositary_notification": action.depositary_notification,
        "source": action.source if recorded_source else cited,
        "citation": cited,
        "note": action.note,
        "version": action.version,
        "created_at": action.created_at,
        "updated_at": action.updated_at,
    }


class ActionWriteSerializer(serializers.Serializer):
    """A treaty action as an editor records it; the services check the treaty rules."""

    state = state_field()
    instrument = instrument_field()
    kind = serializers.ChoiceField(choices=TreatyAction.Kind.choices)
    date = serializers.DateField(
        help_text="Signature date, date of deposit, or date the depositary received the "
        "notification."
    )
    effective_date = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Succession only: the date from which the successor declares itself bound.",
    )
    depositary_notification = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=60, help_text="C.N. reference."
    )
    source = serializers.CharField(help_text="Where the fact comes from.")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DeclarationRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    state_name = serializers.CharField()
    instrument = serializers.CharField()
    kind = serializers.ChoiceField(choices=Declaration.Kind.choices)
    article = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    made_at = serializers.ChoiceField(choices=Declaration.MadeAt.choices)
    summary = serializers.CharField()
    source = serializers.CharField(help_text=SOURCE_HELP)
    citation = serializers.CharField(help_text="The source as a reader cites it.")
    version = serializers.IntegerField()


DeclarationPageSerializer = page_serializer("DeclarationPage", DeclarationRowSerializer)


class DeclarationSerializer(serializers.Serializer):
    """One declaration, reservation, notification or objection; its ETag is its version."""

    id = serializers.IntegerField()
    state = serializers.CharField()
    instrument = serializers.CharField()
    kind = serializers.ChoiceField(choices=Declaration.Kind.choices)
    article = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    made_at = serializers.ChoiceField(choices=Declaration.MadeAt.choices)
    summary = serializers.CharField()
    source = serializers.CharField(help_text=SOURCE_HELP)
    citation = serializers.CharField(help_text="The source as a reader cites it.")
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


def declaration_detail(declaration: Declaration, *, recorded_source: bool = True) -> dict[str, Any]:
    cited = citation(declaration.source)
    return {
        "id": declaration.pk,
        "state": declaration.participant.iso3,
        "instrument": declaration.instrument.code,
        "kind": declaration.kind,
        "article": declaration.article,
        "date": declaration.date,
        "made_at": declaration.made_at,
        "summary": declaration.summary,
        "source": declaration.source if recorded_source else cited,
        "citation": cited,
        "version": declaration.version,
        "created_at": declaration.created_at,
        "updated_at": declaration.updated_at,
    }


class DeclarationWriteSerializer(serializers.Serializer):
    state = state_field()
    instrument = instrument_field()
    kind = serializers.ChoiceField(choices=Declaration.Kind.choices)
    article = serializers.CharField(
        max_length=60,
        help_text="e.g. 18(13), 35(3); general, territorial, or unspecified when not known.",
    )
    date = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Null when the source gives none."
    )
    made_at = serializers.ChoiceField(
        choices=Declaration.MadeAt.choices, required=False, default=Declaration.MadeAt.UNKNOWN
    )
    summary = serializers.CharField(help_text="A short factual summary in our own words.")
    source = serializers.CharField()
