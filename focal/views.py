"""A focal point's pages: its home, its submissions, and the download of an attachment.

Thin: parse the form, call a service or selector, render. A submission of another participant
answers 404 (focal.selectors), never 403: whether it exists is not said.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.admin import show_violations
from core.writes import RuleError, StaleVersionError
from focal import domain, selectors, services
from focal.access import focal_required
from focal.forms import LanguageForm, SubmissionForm
from focal.models import attachment_storage
from reports.models import Obligation


@never_cache
@focal_required
def home(request: HttpRequest) -> HttpResponse:
    focal_point = request.focal_point  # type: ignore[attr-defined]
    return _home_page(request, LanguageForm(initial={"language": focal_point.language}))


def _home_page(request: HttpRequest, language_form: LanguageForm) -> HttpResponse:
    page = selectors.focal_home(request.focal_point)  # type: ignore[attr-defined]
    context = {"page": page, "language_form": language_form}
    return render(request, "focal/home.html", context, status=400 if language_form.errors else 200)


@never_cache
@require_POST
@focal_required
def language_set(request: HttpRequest) -> HttpResponse:
    """The focal point's own choice of the language of its e-mails."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return _home_page(request, form)
    stored = services.focal_point_language_set(
        request.focal_point,  # type: ignore[attr-defined]
        form.cleaned_data["language"],
        request.user,
    )
    messages.success(
        request, _("E-mails in: %(language)s.") % {"language": stored.get_language_display()}
    )
    return redirect("focal-home")


def _refusal_on_form(form: SubmissionForm, error: Exception) -> None:
    if isinstance(error, RuleError):
        show_violations(form, error.violations)
    elif isinstance(error, StaleVersionError):
        form.add_error(None, _("Nothing was saved: this submission changed since you opened it."))
    elif isinstance(error, ValidationError):
        form.add_error(None, error)


@never_cache
@focal_required
def submission_new(request: HttpRequest) -> HttpResponse:
    focal_point = request.focal_point  # type: ignore[attr-defined]
    obligations = selectors.obligations_open_to(focal_point.participant)
    initial = {}
    wanted = Obligation.objects.filter(code=request.GET.get("obligation", "")).first()
    if wanted in obligations:
        initial["obligation"] = wanted
    form = SubmissionForm(
        request.POST or None, request.FILES or None, obligations=obligations, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.submission_create(
                focal_point=focal_point,
                obligation=form.cleaned_data["obligation"],
                values=form.content(),
                files=form.cleaned_data["attachments"],
                actor=request.user,
            )
        except (RuleError, ValidationError) as error:
            _refusal_on_form(form, error)
        else:
            messages.success(request, _("Draft saved. Submit it when it is ready."))
            return redirect("focal-submission", pk=saved.pk)
    context = {"form": form, "obligations": obligations, "designations": domain.DESIGNATIONS}
    return render(request, "focal/submission_form.html", context, status=_status(form))


def _status(form: SubmissionForm) -> int:
    return 400 if form.is_bound and form.errors else 200


@never_cache
@focal_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The submission; while it is a draft or returned, its form to edit it."""
    focal_point = request.focal_point  # type: ignore[attr-defined]
    submission = selectors.submission_for(focal_point, pk)
    editable = submission.state in domain.EDITABLE_STATES
    form = None
    if editable:
        form = SubmissionForm(
            request.POST or None, request.FILES or None, instance=submission, obligations=[]
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.submission_edit(
                    submission=submission,
                    values=form.content(),
                    files=form.cleaned_data["attachments"],
                    actor=request.user,
                    expected_version=form.cleaned_data.get("version"),
                )
            except (RuleError, StaleVersionError, ValidationError) as error:
                _refusal_on_form(form, error)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("focal-submission", pk=submission.pk)
    elif request.method == "POST":
        return HttpResponse(status=405)
    context = {"submission": submission, "form": form, "editable": editable}
    status = _status(form) if form is not None else 200
    return render(request, "focal/submission_detail.html", context, status=status)


@require_POST
@focal_required
def submission_submit(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_for(request.focal_point, pk)  # type: ignore[attr-defined]
    version = request.POST.get("version", "")
    if not version.isdigit():
        messages.error(
            request,
            _("Nothing was submitted: the form did not say which version you saw. Try again."),
        )
        return redirect("focal-submission", pk=submission.pk)
    try:
        services.submission_submit(
            submission=submission, actor=request.user, expected_version=int(version)
        )
    except (RuleError, StaleVersionError) as error:
        text = " ".join(getattr(error, "messages", [str(error)]))
        messages.error(request, _("Nothing was submitted. %(why)s") % {"why": text})
    else:
        messages.success(request, _("Submitted: SPMU will review it, and you will be told."))
    return redirect("focal-submission", pk=submission.pk)


@require_POST
@focal_required
def attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """Remove a file from the focal point's own draft or returned submission; another
    participant's submission or attachment is not found (404)."""
    submission = selectors.submission_for(request.focal_point, pk)  # type: ignore[attr-defined]
    attachment = get_object_or_404(submission.attachments, pk=attachment_pk)
    version = request.POST.get("version", "")
    if not version.isdigit():
        messages.error(
            request, _("Nothing was removed: the form did not say which version you saw.")
        )
        return redirect("focal-submission", pk=submission.pk)
    try:
        services.attachment_remove(
            submission=submission,
            attachment_pk=attachment.pk,
            actor=request.user,
            expected_version=int(version),
        )
    except StaleVersionError:
        messages.error(
            request, _("Nothing was removed: this submission changed since you opened it.")
        )
    except RuleError as error:
        messages.error(request, _("Nothing was removed. %(why)s") % {"why": error.messages[0]})
    else:
        messages.success(request, _("%(name)s was removed.") % {"name": attachment.original_name})
    return redirect("focal-submission", pk=submission.pk)


def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """The file, as a download, to its focal point or to SPMU reviewers; 404 to anyone else
    signed in. Never shown inline: the browser is told not to guess its type either."""
    user = request.user
    if not user.is_authenticated:
        return redirect(f"{reverse('focal-login')}?next={request.path}")
    if getattr(user, "focal_point", None) is not None:
        return focal_required(_download)(request, pk, attachment_pk)
    return _download(request, pk, attachment_pk)


def _download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    attachment = selectors.attachment_for(request.user, pk, attachment_pk)
    handle = attachment_storage().open(attachment.file.name, "rb")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
