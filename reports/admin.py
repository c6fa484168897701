"""The SPMU back office for obligations, submissions and compliance flags.

Thin: forms check with the services' own rules so a broken rule shows on its field, and every
save goes through reports.services. Flags are written only by the compliance check; editors
run it from the flag list.
"""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from core.admin import CheckedListMixin, VersionedAdmin, VersionedForm, show_violations
from core.i18n import message_date
from reports import coverage, domain, flag_rules, services, sweep
from reports.models import (
    ComplianceCheck,
    ComplianceFlag,
    CopSession,
    EvidenceCoverage,
    Obligation,
    Submission,
)

RUN_CHECK_PERMISSION = "reports.run_compliance_check"


class ObligationForm(VersionedForm):
    class Meta:
        model = Obligation
        fields = ["grace_days"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.check_version()
        return cleaned


@admin.register(Obligation)
class ObligationAdmin(VersionedAdmin):
    form = ObligationForm
    list_display = ["reference", "title", "owed", "applies_to", "due_rule", "grace_days"]
    list_filter = ["instrument", "due_rule", "applies_to"]
    search_fields = ["code", "article", "title", "description"]
    fieldsets = [
        (None, {"fields": ["code", "instrument", "article", "title", "owed", "description"]}),
        ("To whom", {"fields": ["applies_to", "condition"]}),
        ("When", {"fields": ["due_rule", "due_days", "deadline", "due_note", "grace_days"]}),
        ("Sources", {"fields": ["article_source", "source"]}),
        (None, {"fields": ["version"]}),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The catalogue comes from the shipped table; the grace period is the tracker's
        # policy, which editors set here.
        editable = ("id", "grace_days", "version")  # the version rides hidden with an edit
        return [f.name for f in Obligation._meta.fields if f.name not in editable]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list:
        fieldsets = super().get_fieldsets(request, obj)
        if not self.has_change_permission(request, obj):
            return fieldsets[:-1]  # the version travels only with an edit
        return fieldsets

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def service_update(
        self, request: HttpRequest, obj: Obligation, form: Any, version: int | None
    ) -> Obligation:
        return services.obligation_grace_update(
            obligation=obj,
            grace_days=form.cleaned_data["grace_days"],
            actor=request.user,
            expected_version=version,
        )


@admin.register(CopSession)
class CopSessionAdmin(CheckedListMixin, SimpleHistoryAdmin):
    list_display = ["number", "starts_on", "ends_on", "place"]
    readonly_fields = ["number", "starts_on", "ends_on", "place", "note", "source"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


SUBMISSION_FORM_FIELDS = ["obligation", "received_on", "reference", "note"]


class SubmissionForm(VersionedForm):
    class Meta:
        model = Submission
        fields = ["participant", *SUBMISSION_FORM_FIELDS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.check_version()
        if self.errors:
            return cleaned
        probe = Submission(
            pk=self.instance.pk,
            participant=cleaned.get("participant") or self.instance.participant,
            **{name: cleaned.get(name) for name in SUBMISSION_FORM_FIELDS},
        )
        show_violations(self, services.submission_violations(probe))
        return cleaned


def _submission_values(cleaned: dict[str, Any]) -> dict[str, Any]:
    return {
        "obligation": cleaned["obligation"],
        "received_on": cleaned["received_on"],
        "reference": cleaned.get("reference") or "",
        "note": cleaned.get("note") or "",
    }


@admin.register(Submission)
class SubmissionAdmin(VersionedAdmin):
    form = SubmissionForm
    list_display = ["participant", "obligation", "received_on", "reference"]
    list_filter = ["obligation__instrument", "obligation", "participant__osce_role"]
    search_fields = [
        "participant__name",
        "participant__iso3",
        "participant__aliases__name",
        "reference",
    ]
    list_select_related = ["participant", "obligation", "obligation__instrument"]
    autocomplete_fields = ["participant"]
    date_hierarchy = "received_on"
    readonly_fields = ["created_at", "updated_at"]
    fixed_fields = ["participant"]  # a submission stays with the participant that sent it

    def service_record(self, request: HttpRequest, form: Any) -> Submission:
        return services.submission_record(
            participant=form.cleaned_data["participant"],
            actor=request.user,
            **_submission_values(form.cleaned_data),
        )

    def service_update(
        self, request: HttpRequest, obj: Submission, form: Any, version: int | None
    ) -> Submission:
        return services.submission_update(
            submission=obj,
            actor=request.user,
            expected_version=version,
            **_submission_values(form.cleaned_data),
        )

    def service_delete(self, request: HttpRequest, obj: Submission, version: int | None) -> None:
        services.submission_delete(submission=obj, actor=request.user, expected_version=version)


COVERAGE_FORM_FIELDS = ["complete", "source", "checked_as_of", "note"]


class EvidenceCoverageForm(VersionedForm):
    class Meta:
        model = EvidenceCoverage
        fields = ["obligation", "participant", *COVERAGE_FORM_FIELDS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.check_version()
        obligation = cleaned.get("obligation") or getattr(self.instance, "obligation", None)
        if self.errors or obligation is None:
            return cleaned
        for name, error in coverage.coverage_violations(
            obligation, cleaned["checked_as_of"], cleaned.get("source") or ""
        ).items():
            self.add_error(name, error)
        return cleaned


@admin.register(EvidenceCoverage)
class EvidenceCoverageAdmin(VersionedAdmin):
    """Staff record here how far the submission records are known complete, per obligation,
    for one participant or (participant left empty) for all. A submission entered does not
    by itself mark anything complete."""

    form = EvidenceCoverageForm
    fixed_fields = ["obligation", "participant"]  # a check stays with what it covered
    list_display = ["obligation", "who", "complete", "source", "checked_as_of"]
    list_filter = ["obligation", "complete", "participant__osce_role"]
    search_fields = ["participant__name", "participant__iso3", "source"]
    list_select_related = ["participant", "obligation", "obligation__instrument"]
    autocomplete_fields = ["participant"]

    @admin.display(description=gettext_lazy("participant"), ordering="participant__name")
    def who(self, row: EvidenceCoverage) -> str:
        return str(row.participant) if row.participant else "all participants"

    def _save(
        self, request: HttpRequest, obj: Any, form: Any, version: int | None
    ) -> EvidenceCoverage:
        data = form.cleaned_data
        return coverage.coverage_set(
            obligation=obj.obligation if obj is not None else data["obligation"],
            participant=obj.participant if obj is not None else data.get("participant"),
            actor=request.user,
            expected_version=version,
            **{name: data[name] for name in COVERAGE_FORM_FIELDS},
        )

    def service_record(self, request: HttpRequest, form: Any) -> EvidenceCoverage:
        return self._save(request, None, form, None)

    def service_update(
        self, request: HttpRequest, obj: EvidenceCoverage, form: Any, version: int | None
    ) -> EvidenceCoverage:
        return self._save(request, obj, form, version)

    def service_delete(
        self, request: HttpRequest, obj: EvidenceCoverage, version: int | None
    ) -> None:
        coverage.coverage_withdraw(coverage=obj, actor=request.user, expected_version=version)


class OpenFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("open", "Open: no submission on record"), ("resolved", "Resolved")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "open":
            return queryset.filter(resolved_on__isnull=True)
        if self.value() == "resolved":
            return queryset.filter(resolved_on__isnull=False)
        return queryset


class AgeingFilter(admin.SimpleListFilter):
    title = "overdue for (open flags)"
    parameter_name = "ageing"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(domain.AGEING_BUCKETS.items())

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() not in domain.AGEING_BUCKETS:
            return queryset
        after, up_to = domain.bucket_due_range(self.value(), timezone.localdate())
        queryset = queryset.filter(resolved_on__isnull=True)
        if after is not None:
            queryset = queryset.filter(due_on__gt=after)
        if up_to is not None:
            queryset = queryset.filter(due_on__lte=up_to)
        return queryset


@admin.register(ComplianceFlag)
class ComplianceFlagAdmin(CheckedListMixin, SimpleHistoryAdmin):
    list_display = [
        "participant",
        "obligation_reference",
        "finding",
        "due_on",
        "days_overdue",
        "ageing",
        "raised_on",
        "resolved_on",
        "resolution",
    ]
    list_filter = [
        OpenFilter,
        AgeingFilter,
        "obligation__instrument",
        "obligation",
        "participant__osce_role",
    ]
    search_fields = ["participant__name", "participant__iso3", "participant__aliases__name"]
    list_select_related = ["participant", "obligation", "obligation__instrument"]
    date_hierarchy = "due_on"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("obligation"), ordering="obligation__display_order")
    def obligation_reference(self, flag: ComplianceFlag) -> str:
        return flag.obligation.reference

    @admin.display(description=gettext_lazy("finding"))
    def finding(self, flag: ComplianceFlag) -> str:
        if flag.is_open:
            return "no submission on record"
        if flag.resolution == ComplianceFlag.Resolution.NOT_CHECKED:
            return "not yet checked"
        return "submission on record or not due"

    @admin.display(description=gettext_lazy("days overdue (today)"))
    def days_overdue(self, flag: ComplianceFlag) -> int | None:
        from reports.selectors import flag_state

        return flag_rules.flag_days_overdue(flag_state(flag), timezone.localdate())

    @admin.display(description=gettext_lazy("overdue for"))
    def ageing(self, flag: ComplianceFlag) -> str:
        if not flag.is_open:
            return "-"
        return domain.AGEING_BUCKETS[domain.ageing_bucket(flag.due_on, timezone.localdate())]

    def get_urls(self) -> list:
        run = self.admin_site.admin_view(require_POST(self.run_check_view))
        return [
            path("run-check/", run, name="reports_complianceflag_run_check"),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        extra_context = (extra_context or {}) | {
            "can_run_check": request.user.has_perm(RUN_CHECK_PERMISSION),
            "last_check": ComplianceCheck.objects.filter(pk=1).first(),
        }
        return super().changelist_view(request, extra_context)

    def run_check_view(self, request: HttpRequest) -> HttpResponseRedirect:
        """Run the compliance check now, as the daily job does, and say what it did."""
        if not request.user.has_perm(RUN_CHECK_PERMISSION):
            raise PermissionDenied
        result = sweep.compliance_sweep(actor=request.user)
        messages.success(
            request,
            gettext(
                "Compliance checked as of %(date)s: %(open)s open flag(s) - no submission on "
                "record (%(raised)s raised, %(reopened)s reopened, %(resolved)s resolved)."
            )
            % {
                "date": message_date(result.as_of),
                "open": result.open,
                "raised": result.raised,
                "reopened": result.reopened,
                "resolved": result.resolved,
            },
        )
        return HttpResponseRedirect(reverse("admin:reports_complianceflag_changelist"))


# The directory's back office, in a module of its own; imported here to be registered.
from reports import admin_authorities  # noqa: E402, F401
