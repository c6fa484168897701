"""SPMU's side of focal points in the back office: inviting them, switching them off, and the
review queue of their submissions (approve, return, reject).

Thin: every write goes through focal.invitations or focal.services. A submission's page
carries the version the editor saw with the decision, so of two editors deciding at once the
second is told rather than deciding twice.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from core.admin import CheckedListMixin
from core.i18n import message_date
from core.languages import public_code
from core.writes import RuleError, StaleVersionError
from focal import invitations, services
from focal.forms import DecisionForm
from focal.models import FocalPoint, FocalSubmission, Invitation

REVIEW_PERMISSION = "focal.review_focalsubmission"

# django-otp's own pages would show a focal point's authenticator key (and its QR code) to
# staff, who could then sign in as that State. A focal point who lost its authenticator is
# invited again: the new enrolment replaces the old key and recovery codes.
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["participant", "email", "language"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "language" in self.fields:  # (a sent invitation's page shows it read-only)
            # Left out, it is the editor's own language (the one the back office speaks).
            self.fields["language"].required = False

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or public_code()

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if invitations.staff_address(email):
            raise ValidationError(
                _("This address belongs to a staff login; a focal point cannot be staff."),
                code="staff_address",
            )
        return email


@admin.register(Invitation)
class InvitationAdmin(CheckedListMixin, SimpleHistoryAdmin):
    form = InvitationForm
    list_display = [
        "email",
        "participant",
        "language",
        "created_at",
        "expires_at",
        "used_at",
        "invited_by",
    ]
    list_filter = ["participant"]
    search_fields = ["email", "participant__name"]
    autocomplete_fields = ["participant"]
    readonly_fields = ["invited_by", "created_at", "expires_at", "used_at", "withdrawn_at"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return ["participant", "email", "language"]
        return ["participant", "email", "language", *self.readonly_fields, "focal_point"]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        # The invitation is written in the editor's language unless another is chosen.
        return {"language": public_code(), **super().get_changeform_initial_data(request)}

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a link sent cannot be edited; send another

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Invitation, form: Any, change: bool) -> None:
        sent = invitations.invitation_send(
            participant=form.cleaned_data["participant"],
            email=form.cleaned_data["email"],
            actor=request.user,
            language=form.cleaned_data["language"],
        )
        obj.pk = sent.pk
        messages.info(
            request,
            _("The invitation was e-mailed to %(email)s; its link works for %(days)s days.")
            % {"email": sent.email, "days": invitations.days_valid()},
        )


@admin.register(FocalPoint)
class FocalPointAdmin(CheckedListMixin, SimpleHistoryAdmin):
    list_display = ["user", "participant", "language", "active", "invited_by", "created_at"]
    list_filter = ["active", "participant", "language"]
    search_fields = ["user__email", "participant__name"]
    readonly_fields = [
        "user",
        "participant",
        "language",
        "active",
        "invited_by",
        "created_at",
        "updated_at",
    ]
    actions = ["switch_off", "switch_on"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # focal points come from invitations

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=gettext_lazy("Switch off: they can no longer sign in"))
    def switch_off(self, request: HttpRequest, queryset: QuerySet[FocalPoint]) -> None:
        for focal_point in queryset:
            invitations.focal_point_set_active(
                focal_point=focal_point, active=False, actor=request.user
            )

    @admin.action(description=gettext_lazy("Switch on again"))
    def switch_on(self, request: HttpRequest, queryset: QuerySet[FocalPoint]) -> None:
        for focal_point in queryset:
            invitations.focal_point_set_active(
                focal_point=focal_point, active=True, actor=request.user
            )


class AwaitingReviewFilter(admin.SimpleListFilter):
    """The review queue first: submitted submissions unless another state is asked for."""

    title = gettext_lazy("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [*FocalSubmission.State.choices, ("all", _("all"))]

    def value(self) -> str:
        return super().value() or FocalSubmission.State.SUBMITTED

    def choices(self, changelist: Any) -> Any:
        for value, label in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        valid = {v for v, _label in FocalSubmission.State.choices}
        return queryset if value not in valid else queryset.filter(state=value)


@admin.register(FocalSubmission)
class FocalSubmissionAdmin(CheckedListMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "state", "submitted_at", "focal_point", "decided_by"]
    list_filter = [AwaitingReviewFilter, "obligation"]
    search_fields = ["participant__name", "authority_name", "depositary_reference"]
    change_form_template = "admin/focal/focalsubmission/change_form.html"
    exclude = ["version"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in FocalSubmission._meta.fields if f.name != "version"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[FocalSubmission]:
        # SPMU sees what was sent to it: a focal point's drafts stay its own.
        return (
            super()
            .get_queryset(request)
            .exclude(state=FocalSubmission.State.DRAFT)
            .select_related("participant", "obligation__instrument", "focal_point__user")
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # decided on its page (decide_view), never edited

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list:
        decide = self.admin_site.admin_view(require_POST(self.decide_view))
        return [
            path("<path:object_id>/decide/", decide, name="focal_focalsubmission_decide"),
            *super().get_urls(),
        ]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)
        can_decide = (
            obj is not None
            and request.user.has_perm(REVIEW_PERMISSION)
            and obj.state == FocalSubmission.State.SUBMITTED
        )
        context = {
            **(extra_context or {}),
            "decision_form": DecisionForm(initial={"version": obj.version}) if can_decide else None,
            "attachments": list(obj.attachments.all()) if obj is not None else [],
        }
        return super().change_view(request, object_id, form_url, context)

    def decide_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not request.user.has_perm(REVIEW_PERMISSION):
            raise PermissionDenied
        submission = get_object_or_404(self.get_queryset(request), pk=object_id)
        page = reverse("admin:focal_focalsubmission_change", args=[submission.pk])
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Nothing was decided: choose a decision."))
            return HttpResponseRedirect(page)
        try:
            decided = services.submission_decide(
                submission=submission,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
                actor=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersionError as error:
            submission.refresh_from_db()
            messages.error(request, _stale_text(submission, error))
        except RuleError as error:
            messages.error(request, _("Nothing was decided. %s") % " ".join(error.messages))
        else:
            messages.success(
                request, _("Decided: %(state)s.") % {"state": decided.get_state_display()}
            )
            return HttpResponseRedirect(reverse("admin:focal_focalsubmission_changelist"))
        return HttpResponseRedirect(page)


def _stale_text(submission: FocalSubmission, error: StaleVersionError) -> str:
    decided_at = submission.decided_at
    if submission.decided_by is not None and decided_at is not None:
        return _(
            "Nothing was decided: %(who)s decided this submission first (%(state)s, %(when)s)."
        ) % {
            "who": submission.decided_by,
            "state": submission.get_state_display(),
            "when": f"{message_date(decided_at)} {decided_at:%H:%M}",
        }
    return _("Nothing was decided: this submission changed since you opened it. Reload it.")
