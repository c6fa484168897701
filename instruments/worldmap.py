"""/map/: a world map coloured by each participant's status with one instrument on a date,
drawn on the server as SVG (it works without JavaScript: a form with a date), the same as a
table beside it. static/js/enhance.js moves a year slider and swaps in the page for that year.
"""

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from core.conditional import conditional_on_revision, request_revision
from core.filters import ChoiceFilter, QueryForm
from instruments import domain, selectors
from instruments.filters import INSTRUMENT_CODES, InstrumentsContext, as_of_filter
from instruments.mapshapes import HEIGHT, WIDTH, shapes
from instruments.models import Instrument
from instruments.pages import bad_request
from instruments.templatetags.treaty import verdict
from states.collation import by_local_name
from states.models import Participant
from states.selectors import participant_list

FIRST_YEAR = 2000  # the Convention was adopted on 15 November 2000
# The map's four colours (a denunciation, rare, is shown with its own).
CATEGORIES = [
    ("st-party", _("Party, in force")),
    ("st-party-pending", _("Party, not yet in force")),
    ("st-signatory", pgettext_lazy("treaty status", "Signatory")),
    ("st-none", _("No action on record")),
    ("st-denounced", pgettext_lazy("treaty status", "Denounced")),
]


class MapFilterSet(InstrumentsContext):
    as_of = as_of_filter()
    instrument = ChoiceFilter(
        label=_("Instrument"),
        choices=[(code, code) for code in INSTRUMENT_CODES],
        default="untoc",
        what=_("instrument"),
        help_text=_("The instrument the map is coloured for: untoc, tip, som or fir."),
    )

    def prepare(self, form: QueryForm) -> None:
        # One instrument, not the list of codes InstrumentsContext prepares.
        field = form.fields.pop("instrument")
        super().prepare(form)
        form.fields["instrument"] = field
        field.widget.choices = [(i.code, i.local_short_title) for i in self.instruments]

    def asked_about(self, cleaned: dict[str, Any]) -> list[Instrument]:
        code = cleaned.get("instrument") or "untoc"
        return [i for i in self.instruments if i.code == code]


def category(status: domain.ParticipantStatus) -> str:
    if status.status == domain.PARTY:
        return "st-party" if status.in_force else "st-party-pending"
    return f"st-{status.status}"


def _outline(participant: Participant) -> str:
    role = getattr(participant, "role_on", None) or ""
    if role == Participant.OsceRole.PARTICIPATING:
        return "osce-ps"
    return "osce-partner" if role.startswith("partner") else ""


@require_safe
@conditional_on_revision
def world_map(request: HttpRequest) -> HttpResponse:
    """Three queries whatever the number of participants: the revision (ETag; the
    instruments held in memory, one more when not held); the participants with their role on
    the date; their actions."""
    instruments = selectors.instrument_list_at(request_revision(request))
    filters = MapFilterSet(request.GET, instruments=instruments)
    if not filters.is_valid():
        return bad_request(request, filters)
    values = filters.values()
    as_of: date = values["as_of"]
    code = values["instrument"]
    instrument = next(i for i in instruments if i.code == code)
    matrix = selectors.status_matrix(
        as_of=as_of,
        participants=by_local_name(participant_list(as_of=as_of)),
        instrument_codes=[code],
        instruments=instruments,
    )
    drawn = shapes()
    areas, dots, rows = [], [], []
    counts = {css: 0 for css, _words in CATEGORIES}
    shown = set()
    for participant in matrix.participants:
        status = matrix.status(participant.pk, code)
        css = category(status)
        counts[css] += 1
        shape = drawn.get(participant.iso3, {})
        item = {
            "participant": participant,
            "css": f"{css} {_outline(participant)}".strip(),
            "label": gettext("%(participant)s: %(status)s")
            % {"participant": participant.local_name, "status": verdict(status)},
            "shape": shape,
        }
        (dots if "dot" in shape else areas).append(item)
        rows.append((participant, status, css))
        shown.add(participant.iso3)
    others = [shape["d"] for iso3, shape in drawn.items() if iso3 not in shown and "d" in shape]
    return render(
        request,
        "instruments/world_map.html",
        {
            "form": filters.form,
            "as_of": as_of,
            "instrument": instrument,
            "width": WIDTH,
            "height": HEIGHT,
            "areas": areas,
            "dots": dots,
            "others": others,
            "rows": rows,
            "legend": [(css, words, counts[css]) for css, words in CATEGORIES],
            "parties": counts["st-party"] + counts["st-party-pending"],
            "first_year": FIRST_YEAR,
            "year": as_of.year,
            "this_year": filters.today.year,
        },
    )
