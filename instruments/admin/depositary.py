"""The back office's review of depositary tables: load a table, then accept or reject each
difference it shows (or all). Thin: instruments.depositary.parsers reads,
instruments.depositary.proposals decides and writes."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from core.i18n import message_date
from instruments.depositary import decisions
from instruments.depositary.parsers import FORM_LABELS, TableRefused, status_table_parse
from instruments.depositary.proposals import table_import
from instruments.models import DepositaryBatch, DepositaryProposal, Instrument

MAX_UPLOAD = 5 * 1024 * 1024  # a status page saved with its chrome is about 300 kB
ERRORS_SHOWN = 40


class TableUploadForm(forms.Form):
    instrument = forms.ModelChoiceField(Instrument.objects.all(), empty_label=None)
    form = forms.ChoiceField(
        choices=[("", gettext_lazy("Tell from the text")), *FORM_LABELS.items()], required=False
    )
    file = forms.FileField(
        required=False,
        help_text=gettext_lazy("The status page saved from the browser, or a CSV table."),
    )
    pasted = forms.CharField(
        label=gettext_lazy("or paste the table"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 100}),
        help_text=gettext_lazy(
            "Select the table on the status page from its title to its last row, copy, "
            "and paste it here."
        ),
    )
    status_as_at = forms.DateField(
        required=False,
        label=gettext_lazy("status as at"),
        help_text=gettext_lazy(
            "YYYY-MM-DD; only when the table does not say it (a CSV, a paste without "
            "the 'Status as at' line)."
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        upload, pasted = cleaned.get("file"), cleaned.get("pasted") or ""
        if bool(upload) == bool(pasted.strip()):
            raise forms.ValidationError(
                gettext("Give either a file or a pasted table."), code="one_table"
            )
        if upload and upload.size > MAX_UPLOAD:
            raise forms.ValidationError(
                gettext("The file is %(size)s kB; a status table is far smaller.")
                % {"size": upload.size // 1024},
                code="too_large",
            )
        cleaned["data"] = upload.read() if upload else pasted
        cleaned["origin"] = upload.name if upload else "pasted table"
        return cleaned


@admin.register(DepositaryBatch)
class DepositaryBatchAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "source_form",
        "state",
        "undecided",
        "uploaded_by",
        "created_at",
    ]
    list_filter = ["instrument", "state", "source_form"]
    list_select_related = ["instrument", "uploaded_by"]
    change_form_template = "admin/instruments/depositarybatch/change_form.html"
    fields = [
        "instrument",
        "status_as_at",
        "source",
        "source_form",
        "origin",
        "complete_table",
        "state",
        "message",
        "uploaded_by",
        "created_at",
        "decided_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        undecided = Count("proposals", filter=Q(proposals__decision="undecided"))
        return super().get_queryset(request).annotate(undecided_count=undecided)

    @admin.display(description=gettext_lazy("undecided"))
    def undecided(self, batch: DepositaryBatch) -> int:
        return batch.undecided_count  # type: ignore[attr-defined]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the record of what was reviewed, and by whom

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Nothing of a batch is edited; decisions go through the decide view."""

    def get_urls(self) -> list:
        decide = self.admin_site.admin_view(require_POST(self.decide_view))
        return [
            path("<path:object_id>/decide/", decide, name="instruments_depositarybatch_decide"),
            *super().get_urls(),
        ]

    # -- loading a table ------------------------------------------------------------------

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = TableUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            batch = self._load(request, form)
            if batch is not None:
                return HttpResponseRedirect(self._change_url(batch.pk))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Load the depositary's status table"),
            "form": form,
            "opts": self.model._meta,
            "has_view_permission": self.has_view_permission(request),
        }
        return TemplateResponse(request, "admin/instruments/depositarybatch/upload.html", context)

    def _load(self, request: HttpRequest, form: TableUploadForm) -> DepositaryBatch | None:
        data = form.cleaned_data
        try:
            table = status_table_parse(data["data"], data["form"] or None)
            batch, proposals = table_import(
                instrument=data["instrument"],
                table=table,
                actor=request.user,
                origin=data["origin"],
                status_as_at=data["status_as_at"],
            )
        except TableRefused as refused:
            for error in refused.errors[:ERRORS_SHOWN]:
                form.add_error(
                    None,
                    gettext("%(origin)s: %(error)s") % {"origin": data["origin"], "error": error},
                )
            if len(refused.errors) > ERRORS_SHOWN:
                more = len(refused.errors) - ERRORS_SHOWN
                form.add_error(None, gettext("... and %(count)s more.") % {"count": more})
            form.add_error(None, gettext("Nothing was stored."))
            return None
        messages.success(
            request,
            gettext(
                "%(rows)s participant(s) read; %(proposals)s difference(s) from our records to "
                "decide. Nothing is written until you accept."
            )
            % {"rows": len(table.rows), "proposals": len(proposals)},
        )
        return batch

    # -- reviewing ------------------------------------------------------------------------

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        batch = self.get_object(request, object_id)
        proposals = (
            batch.proposals.select_related("participant", "decided_by")
            if batch is not None
            else DepositaryProposal.objects.none()
        )
        undecided = [p for p in proposals if p.decision == DepositaryProposal.Decision.UNDECIDED]
        extra_context = (extra_context or {}) | {
            "proposals": proposals,
            "seen": ",".join(f"{p.pk}:{p.version}" for p in undecided),
            "undecided": undecided,
            "can_decide": batch is not None and self.has_change_permission(request, batch),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def decide_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """One proposal (`proposal`, `version`, `decision`) or all the page showed (`all`,
        `seen`): the services decide; the answer is a message on the batch's page."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        batch = self.get_object(request, object_id)
        if batch is None:
            messages.error(request, gettext("No such depositary import."))
            return HttpResponseRedirect(reverse("admin:instruments_depositarybatch_changelist"))
        post = request.POST
        accept = (post.get("decision") or post.get("all")) == "accept"
        if post.get("all") in ("accept", "reject"):
            seen = _seen(post.get("seen", ""))
            results = decisions.batch_decide_all(
                batch=batch, accept=accept, actor=request.user, seen=seen
            )
            for result in results:
                _tell(request, result)
        elif post.get("decision") in ("accept", "reject") and post.get("proposal", "").isdigit():
            proposal = batch.proposals.filter(pk=int(post["proposal"])).first()
            version = post.get("version", "")
            if proposal is None or not version.isdigit():
                messages.error(request, gettext("That proposal is not part of this import."))
            else:
                try:
                    _tell(
                        request,
                        decisions.proposal_decide(
                            proposal=proposal,
                            accept=accept,
                            actor=request.user,
                            expected_version=int(version),
                        ),
                    )
                except decisions.ProposalDecided as decided:
                    messages.warning(request, str(decided))
        else:
            messages.error(request, gettext("Nothing was decided: choose accept or reject."))
        batch.refresh_from_db()
        if batch.state == DepositaryBatch.State.DECIDED:
            instrument = Instrument.objects.get(pk=batch.instrument_id)
            messages.success(
                request,
                gettext("Every proposal is decided. The %(title)s data are complete to %(date)s.")
                % {
                    "title": instrument.short_title,
                    "date": message_date(instrument.status_complete_to),
                },
            )
        return HttpResponseRedirect(self._change_url(batch.pk))

    def _change_url(self, pk: int) -> str:
        return reverse("admin:instruments_depositarybatch_change", args=[pk])


def _seen(text: str) -> dict[int, int]:
    """The proposals the page showed undecided, as "id:version,id:version"."""
    seen = {}
    for pair in text.split(","):
        key, _, version = pair.partition(":")
        if key.isdigit() and version.isdigit():
            seen[int(key)] = int(version)
    return seen


def _tell(request: HttpRequest, result: decisions.Outcome | str) -> None:
    if isinstance(result, str):
        messages.warning(request, result)
        return
    proposal = result.proposal
    what = gettext("%(participant)s: %(change)s (%(value)s)") % {
        "participant": proposal.participant,
        "change": proposal.get_change_display(),
        "value": proposal.new_value,
    }
    if result.refusal:
        messages.error(
            request,
            gettext("%(what)s: %(refusal)s") % {"what": what, "refusal": result.refusal},
        )
    elif result.written:
        messages.success(request, gettext("Accepted and written: %(what)s.") % {"what": what})
    else:
        messages.info(request, gettext("Rejected: %(what)s.") % {"what": what})
