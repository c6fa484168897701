"""The public pages on treaty status: parse the query, call the selectors, render.

Every page answers for a date ("status as at"), says how complete the record is, and has a
permalink: its own URL with the filters written out. The downloads are the API's exports of
exactly the view on screen, built from the same canonical query.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from core.conditional import conditional_on_revision, request_revision
from instruments import charts, domain, records, selectors
from instruments.feeds import ActionFeed
from instruments.forms import (
    OSCE_ROLE_LABELS,
    AsOfForm,
    FeedFilterForm,
    RoleFilterForm,
    SearchForm,
    StatusFilterForm,
)
from instruments.pages import bad_request, citation, downloads
from states.models import Participant
from states.selectors import (
    OSCE_ROLE_GROUPS,
    participant_list,
    participant_search,
)

# The participating States and the Partners for Co-operation (the "OSCE area" is the
# participating States alone).
OSCE_PARTICIPANTS_AND_PARTNERS = OSCE_ROLE_GROUPS["osce"]
CHART_FIRST_YEAR = 2000  # the Convention was adopted on 15 November 2000
SEARCH_LIMIT = 50


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
    form = AsOfForm(request.GET)
    if not form.is_valid():
        return bad_request(request, form)
    as_of = form.cleaned_data["as_of"]
    instruments = selectors.instrument_list_at(request_revision(request))
    matrix = selectors.status_matrix(
        as_of=as_of, participants=participant_list(as_of=as_of), instruments=instruments
    )
    osce = [p for p in matrix.participants if p.role_on in OSCE_PARTICIPANTS_AND_PARTNERS]
    history = selectors.party_history(
        osce_roles=OSCE_PARTICIPANTS_AND_PARTNERS,
        first_year=CHART_FIRST_YEAR,
        today=form.today,
        instruments=instruments,
    )
    chart = charts.line_chart(
        [str(d.year) for d in history.dates],
        [(i.code, i.short_title, history.counts[i.code]) for i in history.instruments],
    )
    worldwide = matrix.counts()
    in_osce = matrix.counts([p.pk for p in osce])
    return render(
        request,
        "instruments/home.html",
        {
            "form": form,
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
                form,
                "signatories and parties, worldwide and among the OSCE participating States "
                "and Partners",
            ),
        },
    )


@require_safe
@conditional_on_revision
def status_matrix(request: HttpRequest) -> HttpResponse:
    """Participants by instruments as of a date, filtered, sorted, citable and downloadable.

    Three queries (four with a `state` filter) whatever the number of participants: the
    revision (ETag, citation, and the key of the instruments held in memory; one more when
    they are not held); the `state` codes, when given; the status matrix's participants and
    their actions.
    """
    instruments = selectors.instrument_list_at(request_revision(request))
    form = StatusFilterForm(request.GET, instruments=instruments)
    context = {"form": form, "instruments": instruments}
    if not form.is_valid():
        return render(request, "instruments/status_matrix.html", context, status=400)
    filters = form.filters()
    participants = participant_list(osce_role=filters.osce_role, as_of=filters.as_of)
    if filters.states:
        participants = participants.filter(iso3__in=filters.states)
    matrix = selectors.status_matrix(
        as_of=filters.as_of,
        participants=participants,
        instrument_codes=filters.instruments,
        instruments=instruments,
    )
    ordered = selectors.status_order(matrix, filters.ordering)
    context |= {
        "filters": filters,
        "matrix": matrix,
        "rows": [
            (p, [(i, matrix.status(p.pk, i.code)) for i in matrix.instruments]) for p in ordered
        ],
        "counts": matrix.counts(),
        "scope": OSCE_ROLE_LABELS[filters.osce_role],
        "downloads": downloads(form),
        "citation": citation(request, form, OSCE_ROLE_LABELS[filters.osce_role]),
        "report_url": f"{reverse('osce-status-report')}?as_of={filters.as_of.isoformat()}",
    }
    return render(request, "instruments/status_matrix.html", context)


@require_safe
@conditional_on_revision
def instrument_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The depositary's table for one instrument as of a date, its counts, its
    entry-into-force rule and its declarations.

    Four queries whatever the number of participants: the revision (ETag, citation,
    instruments held in memory; one more when they are not held); the status matrix's
    participants and actions; the declarations with their participants.
    """
    instruments = selectors.instrument_list_at(request_revision(request))
    instrument = next((i for i in instruments if i.code == code), None)
    if instrument is None:
        raise Http404(f"No instrument has the code {code!r}.")
    form = RoleFilterForm(request.GET, default_role="any")
    if not form.is_valid():
        return bad_request(request, form, {"instrument": instrument})
    data = form.cleaned_data
    matrix = selectors.status_matrix(
        as_of=data["as_of"],
        participants=participant_list(osce_role=data["osce_role"], as_of=data["as_of"]),
        instrument_codes=[code],
        instruments=instruments,
    )
    ordered = selectors.status_order(matrix, data["ordering"])
    rows = [(p, matrix.status(p.pk, code)) for p in ordered]
    scope = f"{instrument.short_title}, {OSCE_ROLE_LABELS[data['osce_role']].lower()}"
    return render(
        request,
        "instruments/instrument_detail.html",
        {
            "form": form,
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
            "scope": OSCE_ROLE_LABELS[data["osce_role"]],
            "citation": citation(request, form, scope),
            "downloads": downloads(form, instrument=code),
        },
    )


@require_safe
@conditional_on_revision
def search(request: HttpRequest) -> HttpResponse:
    """Participants by name, former name or code; declarations by their words.

    Three queries whatever the number of participants: the revision (ETag); the
    participants; the declarations with their participants and instruments.
    """
    form = SearchForm(request.GET)
    if not form.is_valid():
        return render(request, "instruments/search_results.html", {"form": form}, status=400)
    text = form.cleaned_data["q"].strip()
    participants = list(participant_search(text)[: SEARCH_LIMIT + 1]) if text else []
    declarations = records.declaration_search(text, limit=SEARCH_LIMIT + 1)
    return render(
        request,
        "instruments/search_results.html",
        {
            "form": form,
            "text": text,
            "participants": participants[:SEARCH_LIMIT],
            "more_participants": len(participants) > SEARCH_LIMIT,
            "declarations": declarations[:SEARCH_LIMIT],
            "more_declarations": len(declarations) > SEARCH_LIMIT,
            "limit": SEARCH_LIMIT,
        },
    )


@require_safe
@conditional_on_revision
def action_feed(request: HttpRequest) -> HttpResponse:
    """The Atom feed of the latest treaty actions, by instrument and participant.

    Two queries (three with a `state` filter): the revision (ETag, and the key of the
    instruments held in memory; one more when they are not held); the `state` codes, when
    given; the actions with their participants and instruments.
    """
    form = FeedFilterForm(
        request.GET, instruments=selectors.instrument_list_at(request_revision(request))
    )
    if not form.is_valid():
        return bad_request(request, form)
    return ActionFeed()(
        request,
        instrument_codes=form.cleaned_data["instrument"] or None,
        participant_codes=form.cleaned_data["state"] or None,
    )
