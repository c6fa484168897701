"""The parameters of the change log, declared once (see core.filters) for the page /changes/,
its Atom feed and the API's changes/."""

from django.utils.translation import gettext_lazy as _

from core.filters import CodesFilter, QueryFilterSet, WholeNumberFilter
from core.i18n import lazy_format
from core.models import Event
from instruments.filters import instrument_filter
from states.filters import state_filter


def kind_filter() -> CodesFilter:
    return CodesFilter(
        label=_("Kinds of change"),
        help_text=lazy_format(_("Kinds of change: %(kinds)s."), kinds=", ".join(Event.Kind.values)),
        pattern=r"[a-z_]+",
        example="action_recorded,entry_into_force",
        what="kind of change",
        choices=Event.Kind.choices,
        schema_codes=Event.Kind.values,
    )


class ChangeFilterSet(QueryFilterSet):
    """/changes/, its feed and changes/: by participant, instrument and kind; `since` an
    event id gives the later events, oldest first, for a client that keeps the last id."""

    state = state_filter()
    instrument = instrument_filter()
    kind = kind_filter()
    since = WholeNumberFilter(
        label=_("After event"),
        help_text=_(
            "Only the events after this event id, oldest first (keep the last id you "
            "read and ask again with it: you get every later event once, in order). Without it, "
            "newest first."
        ),
        minimum=0,
    )
