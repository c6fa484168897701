"""The forms of focal points (sign-in, enrolment, submissions) and of SPMU's review."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from focal import domain
from focal.files import CheckedFile, attachment_check
from focal.models import FocalSubmission
from reports.models import Obligation

MAX_FILES = 10


class LoginForm(forms.Form):
    username = forms.CharField(label=_("E-mail address"), max_length=150)
    password = forms.CharField(
        label=_("Password"), strip=False, max_length=4096, widget=forms.PasswordInput
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class EnrolForm(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    code = forms.CharField(
        label=_("The code your authenticator app shows"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password") != cleaned.get("password_again"):
            self.add_error(
                "password_again", ValidationError(_("The two passwords differ."), code="mismatch")
            )
        return cleaned


class RenewForm(forms.Form):
    email = forms.EmailField(label=_("The e-mail address the invitation was sent to"))


class LanguageForm(forms.Form):
    """The language the tracker writes to the focal point in (its e-mails)."""

    language = forms.ChoiceField(label=_("Language of the e-mails"), choices=settings.LANGUAGES)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files at once, each checked by its content (focal.files)."""

    widget = MultipleFileInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[CheckedFile]:
        uploads = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(uploads) > MAX_FILES:
            raise ValidationError(
                _("Attach at most %(n)s files at once.") % {"n": MAX_FILES}, code="too_many"
            )
        checked, errors = [], []
        for upload in uploads:
            result = attachment_check(upload)
            if isinstance(result, CheckedFile):
                checked.append(result)
            else:
                errors.append(ValidationError(result.message, code=result.rule))
        if errors:
            raise ValidationError(errors)
        return checked


class SubmissionForm(forms.ModelForm):
    """A submission's content; a new one also names its obligation (those open to the
    participant only)."""

    obligation = forms.ModelChoiceField(queryset=Obligation.objects.none(), label=_("Obligation"))
    attachments = AttachmentsField(
        label=_("Attachments (PDF, PNG or JPEG, at most 10 MB each)"),
        help_text=_("e.g. the note verbale sent to the depositary."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = FocalSubmission
        fields = [
            "authority_name",
            "postal_address",
            "contact_point",
            "phone",
            "email",
            "languages",
            "notified_on",
            "depositary_reference",
            "note",
        ]
        widgets = {
            "notified_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "postal_address": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self, *args: Any, obligations: list[Obligation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["obligation"]
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["version"]
            self.fields["obligation"].queryset = Obligation.objects.filter(
                pk__in=[o.pk for o in obligations or []]
            ).select_related("instrument")
            self.fields["obligation"].label_from_instance = lambda o: (
                f"{o.reference}: {o.local_title}"
            )

    def content(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (domain.APPROVE, _("Approve: record it as received")),
            (domain.RETURN, _("Return to the focal point for changes (say what to change)")),
            (domain.REJECT, _("Reject (give the reason)")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment or reason"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
