"""The search page: participants by any of their names, declarations by their words."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.conditional import conditional_on_revision, request_revision
from instruments import records, selectors
from instruments.filters import SearchFilterSet
from instruments.pages import refusal_context
from states.collation import by_local_name
from states.search import participant_find

SEARCH_LIMIT = 50


@require_safe
@conditional_on_revision
def search(request: HttpRequest) -> HttpResponse:
    """Participants by any of their names (states.search), each with its status today;
    declarations by their words. A text that names one participant outright (its name in
    any OSCE language, its code, a former name or a common short form) opens its page.

    Seven queries whatever the number of participants: the revision (ETag); the
    participants; their former names; the instruments (unless held); the found
    participants' actions (their status today); the declarations with their participants
    and instruments. A text naming one participant: the first three, then the redirect.
    """
    filters = SearchFilterSet(request.GET)
    if not filters.is_valid():
        context = {"form": filters.form} | refusal_context(filters)
        return render(request, "instruments/search_results.html", context, status=400)
    text = filters.values()["q"] or ""
    found = participant_find(text)
    if found.exact is not None:
        return redirect("participant-detail", found.exact.iso3)
    participants = by_local_name(found.participants)[:SEARCH_LIMIT]
    matrix = None
    if participants:
        matrix = selectors.status_matrix(
            as_of=timezone.localdate(),
            participants=participants,
            instruments=selectors.instrument_list_at(request_revision(request)),
        )
    declarations = records.declaration_search(text, limit=SEARCH_LIMIT + 1)
    return render(
        request,
        "instruments/search_results.html",
        {
            "form": filters.form,
            "text": text,
            "participants": list(matrix.rows()) if matrix else [],
            "more_participants": len(found.participants) > SEARCH_LIMIT,
            "declarations": declarations[:SEARCH_LIMIT],
            "more_declarations": len(declarations) > SEARCH_LIMIT,
            "limit": SEARCH_LIMIT,
        },
    )
