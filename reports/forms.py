"""The compliance page's filters, read from the query string (see instruments.forms)."""

from typing import Any

from django import forms
from django.http import QueryDict

from instruments.forms import OSCE_ROLE_CHOICES, AsOfForm
from reports import domain
from reports.models import Obligation

BUCKET_CHOICES = [("", "Any time"), *domain.AGEING_BUCKETS.items()]


class ComplianceFilterForm(AsOfForm):
    """A date, a group of participants by OSCE role, one obligation, an ageing bucket."""

    osce_role = forms.ChoiceField(label="Participants", choices=OSCE_ROLE_CHOICES, required=False)
    obligation = forms.ChoiceField(label="Obligation", required=False)
    bucket = forms.ChoiceField(
        label="No submission on record for", choices=BUCKET_CHOICES, required=False
    )

    field_order = ["as_of", "osce_role", "obligation", "bucket"]

    def __init__(self, data: QueryDict, *, obligations: list[Obligation], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["obligation"].choices = [("", "All obligations")] + [
            (o.code, o.reference) for o in obligations
        ]
        for name in ("osce_role", "obligation", "bucket"):
            codes = ", ".join(v for v, _ in self.fields[name].choices if v)
            self.fields[name].error_messages["invalid_choice"] = (
                f"Unknown {self.fields[name].label.lower()} “%(value)s”; use one of {codes}."
            )

    def clean_osce_role(self) -> str:
        return self.cleaned_data["osce_role"] or "osce"

    def query(self) -> dict[str, str]:
        query = super().query() | {"osce_role": self.cleaned_data["osce_role"]}
        for name in ("obligation", "bucket"):
            if self.cleaned_data[name]:
                query[name] = self.cleaned_data[name]
        return query
