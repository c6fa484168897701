"""What every public page shares: the citation, the download links and the 400 page."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core.conditional import request_revision
from instruments.forms import AsOfForm

# The API's status/ resource; its ?format=csv and ?format=xlsx exports take the page's filters.
STATUS_EXPORT_PATH = "/api/v1/status/"
EXPORT_FORMATS = (("csv", "CSV"), ("xlsx", "Excel (XLSX)"))


def bad_request(
    request: HttpRequest, form: forms.Form, context: dict | None = None
) -> HttpResponse:
    """A 400 page naming each parameter that could not be read, and why."""
    errors = [
        (form.fields[name].label if name in form.fields else name, name, messages)
        for name, messages in form.errors.items()
    ]
    context = {"errors": errors, "start_over": request.path} | (context or {})
    return render(request, "400.html", context, status=400)


def downloads(form: AsOfForm, **extra: str) -> list[tuple[str, str]]:
    """The API's exports of the view on screen: the same canonical query, plus `extra`."""
    return [
        (label, f"{STATUS_EXPORT_PATH}?{form.query_string(format=fmt, **extra)}")
        for fmt, label in EXPORT_FORMATS
    ]


def citation(request: HttpRequest, form: AsOfForm, scope: str) -> dict:
    """How to cite the view: its date, what it covers, its permalink and the data revision
    (read once per request: the ETag has read it already)."""
    return {
        "as_of": form.cleaned_data["as_of"],
        "scope": scope,
        "permalink": request.build_absolute_uri(f"{request.path}?{form.query_string()}"),
        "revision": request_revision(request),
        "retrieved": timezone.localdate(),
    }
