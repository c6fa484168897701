"""What every public page shares: the citation, the download links and the 400 page."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.conditional import request_revision
from core.filters import QueryFilterSet
from core.i18n import long_date
from core.links import absolute_url

# The API's status/ resource; its ?format=csv and ?format=xlsx exports take the page's filters.
STATUS_EXPORT_PATH = "/api/v1/status/"
EXPORT_FORMATS = (("csv", "CSV"), ("xlsx", _("Excel (XLSX)")))
# The table as on screen (instruments.status_sheet), then the API's long format for machines.
TABLE_FORMATS = (("xlsx", _("Excel (XLSX)")), ("csv", "CSV"))
MACHINE_FORMATS = (
    ("csv", _("CSV, one row per participant and instrument")),
    ("xlsx", _("XLSX, one row per participant and instrument")),
)
CITED_TABLE = _(
    "Status of the UN Convention against Transnational Organized Crime and its Protocols"
)


def refusal_context(filters: QueryFilterSet) -> dict:
    """What a page shows of a refused query: each parameter, the rule and why, as the API
    answers for the same parameters (`problems`), with the label and the field to go to."""
    problems = filters.problems()
    form = filters.form
    errors = []
    for problem in problems:
        name = problem.field or ""
        if name in form.fields:
            bound = form[name]
            checkboxes = getattr(bound.field.widget, "input_type", "") == "checkbox"
            anchor = bound.auto_id + ("_0" if checkboxes else "")
            errors.append((bound.label, name, problem.rule, problem.message, anchor))
        else:
            errors.append((name, name, problem.rule, problem.message, ""))
    return {"errors": errors, "problems": problems}


def bad_request(
    request: HttpRequest, filters: QueryFilterSet, context: dict | None = None
) -> HttpResponse:
    """A 400 page naming each parameter that could not be read, the rule and why."""
    context = refusal_context(filters) | {"start_over": request.path} | (context or {})
    return render(request, "400.html", context, status=400)


def downloads(
    filters: QueryFilterSet, formats: tuple[tuple[str, str], ...] = EXPORT_FORMATS, **extra: str
) -> list[tuple[str, str]]:
    """The API's exports of the view on screen: the same canonical query, plus `extra`."""
    return [
        (label, f"{STATUS_EXPORT_PATH}?{filters.query_string(format=fmt, **extra)}")
        for fmt, label in formats
    ]


def table_downloads(
    filters: QueryFilterSet, page_path: str, **extra: str
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The view on screen as a sheet (`<page_path>table.xlsx`, `.csv`: the page's own query),
    and the API's long format of the same rows (the query plus `extra`)."""
    query = filters.query_string()
    sheets = [(label, f"{page_path}table.{fmt}?{query}") for fmt, label in TABLE_FORMATS]
    return sheets, downloads(filters, MACHINE_FORMATS, **extra)


def citation(
    request: HttpRequest, filters: QueryFilterSet, scope: str, path: str | None = None
) -> dict:
    """How to cite the view: its date, what it covers, its permalink (on `path`, the page's,
    by default this request's) and the data revision (read once per request: the ETag has
    read it already)."""
    return {
        "as_of": filters.form.cleaned_data["as_of"],
        "scope": scope,
        "permalink": absolute_url(f"{path or request.path}?{filters.query_string()}"),
        "revision": request_revision(request),
        "retrieved": timezone.localdate(),
    }


def citation_words(cited: dict) -> str:
    """The citation as includes/citation.html words it, as one line of text."""
    # The same words as the template's, so one translation serves both.
    words = gettext(
        "UNTOC Tracker, “%(table)s: %(scope)s, as at %(as_of)s” (data revision %(revision)s, "
        "retrieved %(retrieved)s)"
    ) % {
        "table": CITED_TABLE,
        "scope": cited["scope"],
        "as_of": long_date(cited["as_of"]),
        "revision": cited["revision"],
        "retrieved": long_date(cited["retrieved"]),
    }
    return f"{words}, {cited['permalink']}"


def sort_heading(filters: QueryFilterSet, field: str) -> dict[str, str]:
    """A sortable column heading: the link that sorts by `field` (reversed when it is the
    order in effect) with the page's other filters kept, and its aria-sort state."""
    current = filters.form.cleaned_data["ordering"]
    target = f"-{field}" if current == field else field
    query = filters.query() | {"ordering": target}
    state = {field: "ascending", f"-{field}": "descending"}.get(current, "none")
    return {"href": f"?{urlencode(query, safe=',')}", "sort": state}
