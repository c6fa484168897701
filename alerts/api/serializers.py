"""Shapes of changes/ (rows are alerts.selectors.event_public dicts; these describe them)."""

from rest_framework import serializers

from core.models import Event
from core.rest.pagination import page_serializer


class EventSerializer(serializers.Serializer):
    """One change to a public fact."""

    id = serializers.IntegerField(help_text="Increasing; keep the last one and ask ?since=it.")
    recorded_at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=Event.Kind.choices)
    kind_label = serializers.CharField()
    state = serializers.CharField(allow_null=True, help_text="The participant's code.")
    state_name = serializers.CharField(allow_null=True)
    instrument = serializers.CharField(allow_null=True, help_text="untoc, tip, som or fir.")
    old = serializers.DictField(allow_null=True, help_text="The public values before.")
    new = serializers.DictField(allow_null=True, help_text="The public values after.")
    source = serializers.CharField()
    recorded_by = serializers.CharField(
        help_text="Who made the change, as the public log says it: never an editor's name."
    )


ChangePageSerializer = page_serializer("ChangePage", EventSerializer)
