"""The public pages on treaty status: parse the query, call the selectors, render.

Every page answers for a date ("status as at"), says how complete the record is, and has a
permalink: its own URL with the filters written out. The downloads are the API's exports of
exactly the view on screen, built from the same canonical query.
"""

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_safe

from core.conditional import conditional_on_revision, request_revision
from core.rest.exports import XLSX_MEDIA_TYPE, Sheet, sheet_csv, sheet_xlsx
from instruments import charts, domain, profiles, records, selectors
from instruments.feeds import ActionFeed
from instruments.filters import (
    ActionFeedFilterSet,
    AsOfFilterSet,
    InstrumentTableFilterSet,
    StatusFilterSet,
)
from instruments.models import Instrument
from instruments.pages import (
    CITED_TABLE,
    bad_request,
    citation,
    citation_words,
    refusal_context,
    sort_heading,
    table_downloads,
)
from instruments.status_sheet import status_sheet, status_view_rows
from instruments.status_view import STATUS_CHOICES
from instruments.templatetags.treaty import join_words, long_day, ordering_words
from states.collation import by_local_name
from states.filters import OSCE_ROLE_LABELS
from states.models import Participant
from states.selectors import OSCE_ROLE_GROUPS, participant_list

# The participating States and the Partners for Co-operation (the "OSCE area" is the
# participating States alone).
OSCE_PARTICIPANTS_AND_PARTNERS = OSCE_ROLE_GROUPS["osce"]
CHART_FIRST_YEAR = 2000  # the Convention was adopted on 15 November 2000
STATUS_WORDS = dict(STATUS_CHOICES)
CSV_TYPE = "text/csv; charset=utf-8"
PARTICIPANT_GROUPS = [
    (Participant.OsceRole.PARTICIPATING, gettext_lazy("OSCE participating States")),
    ("partner", gettext_lazy("OSCE Partners for Co-operation")),
    (Participant.OsceRole.NONE, gettext_lazy("Other participants")),
]


@require_safe
@conditional_on_revision
def home(request: HttpRequest) -> HttpResponse:
    """Counts as at a date (today by default), worldwide and among the OSCE participating
    States and Partners holding that role on the date; the latest actions; their parties
    over the years.

    Five queries whatever the number of participants: the revision (ETag, citation, and
    the key of the instruments held in memory; a sixth when they are not held); the status
    matrix's participants and actions; the party history's OSCE-area actions; the latest
    actions with their participants.
    """
    instruments = selectors.instrument_list_at(request_revision(request))
    filters = AsOfFilterSet(request.GET, instruments=instruments)
    if not filters.is_valid():
        return bad_request(request, filters)
    as_of = filters.form.cleaned_data["as_of"]
    matrix = selectors.status_matrix(
        as_of=as_of, participants=participant_list(as_of=as_of), instruments=instruments
    )
    osce = [p for p in matrix.participants if p.role_on in OSCE_PARTICIPANTS_AND_PARTNERS]
    osce = by_local_name(osce)
    history = profiles.party_history(
        osce_roles=OSCE_PARTICIPANTS_AND_PARTNERS,
        first_year=CHART_FIRST_YEAR,
        today=filters.today,
        instruments=instruments,
    )
    chart = charts.line_chart(
        [str(d.year) for d in history.dates],
        [(i.code, i.local_short_title, history.counts[i.code]) for i in history.instruments],
    )
    worldwide = matrix.counts()
    in_osce = matrix.counts([p.pk for p in osce])
    return render(
        request,
        "instruments/home.html",
        {
            "form": filters.form,
            "today": filters.today,
            "as_of": as_of,
            "instruments": matrix.instruments,
            "counts": [(i, worldwide[i.code], in_osce[i.code]) for i in matrix.instruments],
            "osce_size": len(osce),
            "participating": [p for p in osce if p.role_on == Participant.OsceRole.PARTICIPATING],
            "partners": [p for p in osce if p.role_on != Participant.OsceRole.PARTICIPATING],
            "history": history,
            "chart": chart,
            "latest": records.action_list_latest(limit=10),
            "citation": citation(
                request,
                filters,
                gettext(
                    "signatories and parties, worldwide and among the OSCE participating "
                    "States and Partners"
                ),
            ),
        },
    )


def _status_filters(request: HttpRequest) -> tuple[StatusFilterSet, HttpResponse | None]:
    """The status page's query, read once for the page and its downloads: the FilterSet, and
    the page's 400 when a parameter is refused."""
    instruments = selectors.instrument_list_at(request_revision(request))
    filters = StatusFilterSet(request.GET, instruments=instruments)
    if filters.is_valid():
        return filters, None
    context = {"form": filters.form, "instruments": instruments} | refusal_context(filters)
    return filters, render(request, "instruments/status_matrix.html", context, status=400)


@require_safe
@conditional_on_revision
def status_matrix(request: HttpRequest) -> HttpResponse:
    """Participants by instruments as of a date, filtered, sorted, citable and downloadable.

    Three queries (four with a `state` filter) whatever the number of participants: the
    revision (ETag, citation, and the key of the instruments held in memory; one more when
    they are not held); the `state` codes, when given; the status matrix's participants and
    their actions.
    """
    filters, refused = _status_filters(request)
    if refused is not None:
        return refused
    values = filters.values()
    matrix, ordered = status_view_rows(values, filters.instruments, names_shown=True)
    sheets, machine = table_downloads(filters, reverse("status"))
    context = {
        "form": filters.form,
        "instruments": filters.instruments,
        "filters": values,
        "matrix": matrix,
        "rows": [
            (p, [(i, matrix.status(p.pk, i.code)) for i in matrix.instruments]) for p in ordered
        ],
        "name_heading": sort_heading(filters, "name"),
        "instrument_headings": [
            (i, sort_heading(filters, f"status:{i.code}")) for i in matrix.instruments
        ],
        "counts": matrix.counts([p.pk for p in ordered]),
        "scope": str(OSCE_ROLE_LABELS[values["osce_role"]]),
        "status_words": _status_words(values),
        "detailed_url": "?" + urlencode(filters.query() | {"view": "detailed"}, safe=","),
        "compact_url": "?" + urlencode(filters.query() | {"view": "compact"}, safe=","),
        "table_downloads": sheets,
        "downloads": machine,
        "citation": citation(request, filters, str(OSCE_ROLE_LABELS[values["osce_role"]])),
        "report_url": f"{reverse('osce-status-report')}?as_of={values['as_of'].isoformat()}",
    }
    return render(request, "instruments/status_matrix.html", context)


def _status_words(values: dict) -> str:
    # Translators: between two statuses a reader filters by: "signatory only or denounced".
    return gettext(" or ").join(
        str(STATUS_WORDS[code]).lower() for code in values.get("status") or []
    )


def _table_download(matrix, rows, values, shown, cited, title, name, fmt, slug):  # type: ignore[no-untyped-def]
    """A status view's rows as a downloaded sheet: filters, codes, order; dated title and file."""
    if values["state"]:
        shown.append((gettext("Codes"), ", ".join(values["state"])))
    shown.append((gettext("Sorted by"), ordering_words(values["ordering"])))
    sheet = status_sheet(
        matrix,
        rows,
        title=gettext("%(title)s, as at %(as_of)s")
        % {"title": title, "as_of": long_day(values["as_of"])},
        name=name,
        filters=shown,
        cite_as=citation_words(cited),
        permalink=cited["permalink"],
    )
    return _sheet_response(sheet, fmt, f"untoc-{slug}-{values['as_of'].isoformat()}")


def _sheet_response(sheet: Sheet, fmt: str, filename: str) -> HttpResponse:
    body, media_type = (
        (sheet_xlsx(sheet), XLSX_MEDIA_TYPE) if fmt == "xlsx" else (sheet_csv(sheet), CSV_TYPE)
    )
    response = HttpResponse(body, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@require_safe
@conditional_on_revision
def status_table_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """/status/table.xlsx and .csv: the status page's table as on screen, with the same
    query (a refused parameter gets the page's 400). The queries of the page."""
    filters, refused = _status_filters(request)
    if refused is not None:
        return refused
    values = filters.values()
    matrix, ordered = status_view_rows(values, filters.instruments, names_shown=True)
    scope = str(OSCE_ROLE_LABELS[values["osce_role"]])
    cited = citation(request, filters, scope, path=reverse("status"))
    shown = [
        (gettext("Participants"), scope),
        (gettext("Instruments"), join_words([i.local_short_title for i in matrix.instruments])),
        (gettext("Status"), _status_words(values) or gettext("any")),
    ]
    title = f"{CITED_TABLE}: {scope}"
    return _table_download(matrix, ordered, values, shown, cited, title, "Status", fmt, "status")


@require_safe
@conditional_on_revision
def instrument_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The depositary's table for one instrument as of a date, its counts, its
    entry-into-force rule and its declarations.

    Four queries whatever the number of participants: the revision (ETag, citation,
    instruments held in memory; one more when they are not held); the status matrix's
    participants and actions; the declarations with their participants.
    """
    instrument, filters, refused = _instrument_filters(request, code)
    if refused is not None:
        return refused
    data = filters.values()
    matrix, ordered = status_view_rows(data, filters.instruments, [code], names_shown=True)
    rows = [(p, matrix.status(p.pk, code)) for p in ordered]
    scope = f"{instrument.local_short_title}: {OSCE_ROLE_LABELS[data['osce_role']]!s}"
    sheets, machine = table_downloads(
        filters, reverse("instrument-detail", args=[code]), instrument=code
    )
    return render(
        request,
        "instruments/instrument_detail.html",
        {
            "form": filters.form,
            "instrument": instrument,
            "instruments": [instrument],
            "standing": domain.instrument_standing(
                instrument.adopted_on, instrument.entry_into_force_on, data["as_of"]
            ),
            "rows": [(p, status) for p, status in rows if status.status != "none"],
            "counts": matrix.counts()[code],
            "declarations": list(
                records.declaration_list(instruments=[code]).select_related(
                    "participant", "instrument"
                )
            ),
            "scope": str(OSCE_ROLE_LABELS[data["osce_role"]]),
            "citation": citation(request, filters, scope),
            "table_downloads": sheets,
            "downloads": machine,
        },
    )


def _instrument_filters(
    request: HttpRequest, code: str
) -> tuple[Instrument, InstrumentTableFilterSet, HttpResponse | None]:
    """An instrument page's query, for the page and its downloads: the instrument (404 if
    none has the code), the FilterSet, and the page's 400 when a parameter is refused."""
    instruments = selectors.instrument_list_at(request_revision(request))
    instrument = next((i for i in instruments if i.code == code), None)
    if instrument is None:
        raise Http404(f"No instrument has the code {code!r}.")
    filters = InstrumentTableFilterSet(
        request.GET, instruments=instruments, instrument_codes=[code]
    )
    if not filters.is_valid():
        # Its downloads' 400 too starts over on the page, not on a download.
        context = {
            "instrument": instrument,
            "start_over": reverse("instrument-detail", args=[code]),
        }
        return instrument, filters, bad_request(request, filters, context)
    return instrument, filters, None


@require_safe
@conditional_on_revision
def instrument_table_download(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """/instruments/<code>/table.xlsx and .csv: the instrument page's table as on screen
    (the participants that had signed or consented), with the page's query and its 400."""
    instrument, filters, refused = _instrument_filters(request, code)
    if refused is not None:
        return refused
    values = filters.values()
    matrix, ordered = status_view_rows(values, filters.instruments, [code], names_shown=True)
    acted = [p for p in ordered if matrix.status(p.pk, code).status != domain.NONE]
    scope = str(OSCE_ROLE_LABELS[values["osce_role"]])
    cited = citation(
        request,
        filters,
        f"{instrument.local_short_title}: {scope}",
        path=reverse("instrument-detail", args=[code]),
    )
    signed = gettext("%(scope)s, those that had signed or consented by the date")
    shown = [(gettext("Participants"), signed % {"scope": scope})]
    title = f"{instrument.local_title}: {scope}"
    return _table_download(
        matrix, acted, values, shown, cited, title, instrument.local_short_title, fmt, code
    )


@require_safe
@conditional_on_revision
def instrument_index(request: HttpRequest) -> HttpResponse:
    """/instruments/: each instrument, its adoption and entry into force, with a link to its
    table. One query, or none when the instruments are held: the revision (ETag)."""
    instruments = selectors.instrument_list_at(request_revision(request))
    return render(request, "instruments/instrument_list.html", {"instruments": instruments})


@require_safe
@conditional_on_revision
def participant_index(request: HttpRequest) -> HttpResponse:
    """/states/: every participant by its OSCE role today, each linking to its page.

    Two queries whatever the number of participants: the revision (ETag); the participants
    with their role today."""
    groups: dict[str, list[Participant]] = {code: [] for code, _ in PARTICIPANT_GROUPS}
    for participant in by_local_name(participant_list()):
        role = participant.role_on or Participant.OsceRole.NONE
        groups["partner" if role.startswith("partner") else role].append(participant)
    return render(
        request,
        "instruments/participant_list.html",
        {"groups": [(label, groups[code]) for code, label in PARTICIPANT_GROUPS]},
    )


@require_safe
@conditional_on_revision
def action_feed(request: HttpRequest) -> HttpResponse:
    """The Atom feed of the latest treaty actions, by instrument and participant.

    Two queries (three with a `state` filter): the revision (ETag, and the key of the
    instruments held in memory; one more when they are not held); the `state` codes, when
    given; the actions with their participants and instruments.
    """
    filters = ActionFeedFilterSet(
        request.GET, instruments=selectors.instrument_list_at(request_revision(request))
    )
    if not filters.is_valid():
        return bad_request(request, filters)
    values = filters.values()
    return ActionFeed()(
        request, instrument_codes=values["instrument"], participant_codes=values["state"]
    )
