"""The shape of a participant in the API (documentation and CSV columns; rows are built as
plain dicts, see states.api.views.participant_rows)."""

from rest_framework import serializers

from states.models import Participant

PARTICIPANT_COLUMNS = (
    "iso3",
    "name",
    "short_name",
    "kind",
    "osce_role",
    "osce_joined_year",
    "aliases",
    "source",
    "osce_role_source",
)


class ParticipantSerializer(serializers.Serializer):
    iso3 = serializers.CharField(
        help_text="ISO 3166-1 alpha-3 code; EUU for the European Union (ISO reserves only "
        "the alpha-2 code EU)."
    )
    name = serializers.CharField(help_text="As the UN Treaty Collection spells it today.")
    short_name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Participant.Kind.choices)
    osce_role = serializers.ChoiceField(choices=Participant.OsceRole.choices)
    osce_joined_year = serializers.IntegerField(allow_null=True)
    aliases = serializers.ListField(
        child=serializers.CharField(), help_text="Former or other spellings."
    )
    source = serializers.CharField(help_text="Where the name comes from.")
    osce_role_source = serializers.CharField()
