"""The subscribe form: an address, what to follow, how often; and the form that changes the
language of a subscription's e-mails."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from alerts.models import Subscription
from instruments.models import Instrument
from states.models import Participant


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    scope = forms.ChoiceField(label=_("Follow"), choices=Subscription.Scope.choices)
    target = forms.CharField(
        label=_("Participant or instrument code"),
        required=False,
        max_length=8,
        help_text=_(
            "For one participant, its code (e.g. DEU); for one instrument: untoc, tip, som or fir."
        ),
    )
    frequency = forms.ChoiceField(label=_("How often"), choices=Subscription.Frequency.choices)
    # The page's own language unless another is chosen (the view gives it as the initial).
    language = forms.ChoiceField(
        label=_("Language of the e-mails"), choices=settings.LANGUAGES, required=False
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        scope, target = cleaned.get("scope"), (cleaned.get("target") or "").strip()
        if scope == Subscription.Scope.PARTICIPANT:
            target = target.upper()
            if not Participant.objects.filter(iso3=target).exists():
                self.add_error(
                    "target",
                    forms.ValidationError(_("No participant has this code."), code="unknown_code"),
                )
        elif scope == Subscription.Scope.INSTRUMENT:
            target = target.lower()
            if not Instrument.objects.filter(code=target).exists():
                self.add_error(
                    "target",
                    forms.ValidationError(_("No instrument has this code."), code="unknown_code"),
                )
        else:
            target = ""
        cleaned["target"] = target
        return cleaned


class SubscriptionLanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the e-mails"), choices=settings.LANGUAGES)
