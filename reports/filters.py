"""The parameters of the compliance lists, declared once (see core.filters): the compliance
page (/compliance/), standings/ (adds `standing`) and flags/ (adds the flag's `status`) share
ComplianceFilterSet;
submissions/, obligations/ and history/ have theirs; the directory of competent authorities
(/authorities/ and authorities/) shares AuthorityFilterSet."""

from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.filters import (
    ChoiceFilter,
    CodesFilter,
    DateFilter,
    QueryFilterSet,
    QueryForm,
    TextFilter,
    WholeNumberFilter,
)
from core.i18n import lazy_format
from instruments.filters import InstrumentsContext, as_of_filter, instrument_filter
from reports import authorities, domain
from reports.history import HISTORY_RESOURCES
from reports.models import Obligation
from reports.selectors import FLAG_STATUSES
from reports.standings import LISTED_STANDINGS
from states.filters import osce_role_filter, state_filter

OBLIGATION_CODE = r"[A-Za-z0-9_-]{1,40}"


def known_obligations(codes: list[str]) -> Any:
    return Obligation.objects.filter(code__in=codes).values_list("code", flat=True)


def obligation_filter() -> CodesFilter:
    return CodesFilter(
        label=_("Obligations"),
        help_text=_(
            "Obligations by code (obligations/ lists them): e.g. untoc-18-13 for UNTOC "
            "art. 18(13), untoc-cop-2007 for the COP deadline of 30 June 2007; none for all."
        ),
        pattern=OBLIGATION_CODE,
        example="untoc-18-13,untoc-cop-2007",
        what=_("obligation code"),
        known=known_obligations,
        widget=forms.CheckboxSelectMultiple,
    )


class ObligationsContext(InstrumentsContext):
    """With `obligations` in the context (a page that lists them anyway), the obligation
    codes are checked against them and offered as choices; else with one query when given."""

    def prepare(self, form: QueryForm) -> None:
        super().prepare(form)
        obligations = self.context.get("obligations")
        if obligations is not None and "obligation" in form.fields:
            field = form.fields["obligation"]
            field.known = None
            field.set_choices([(o.code, o.reference) for o in obligations])


def bucket_words() -> str:
    """under_1_year (under 1 year), ...: the codes with their words, in the reader's language."""
    return ", ".join(f"{code} ({label})" for code, label in domain.AGEING_BUCKETS.items())


def designating_words() -> str:
    """untoc-18-13 (UNTOC art. 18(13): central authority); ...: in the reader's language."""
    return "; ".join(f"{code} ({words})" for code, words in authorities.DESIGNATING_CHOICES)


class ComplianceFilterSet(ObligationsContext):
    as_of = as_of_filter()
    osce_role = osce_role_filter()
    state = state_filter()
    obligation = obligation_filter()
    instrument = instrument_filter()
    bucket = ChoiceFilter(
        label=_("No submission on record for"),
        choices=list(domain.AGEING_BUCKETS.items()),
        blank_label=_("Any time"),
        what=_("ageing bucket"),
        help_text=lazy_format(
            _("Only what is overdue on as_of, by time since the due date: %(buckets)s."),
            buckets=lazy(bucket_words, str)(),
        ),
    )


class FlagFilterSet(ComplianceFilterSet):
    status = ChoiceFilter(
        label=_("Flag status"),
        choices=[(s, s) for s in FLAG_STATUSES],
        blank_label=_("Open or resolved"),
        what=_("flag status"),
        help_text=_("open: no submission on record on as_of; resolved: resolved by then."),
    )


class StandingFilterSet(ComplianceFilterSet):
    standing = ChoiceFilter(
        label=_("Standing"),
        choices=[(s, s) for s in LISTED_STANDINGS],
        blank_label=_("Any standing"),
        what=_("standing"),
        help_text=lazy_format(_("Rows by standing: %(codes)s."), codes=", ".join(LISTED_STANDINGS)),
    )


class FlagDetailFilterSet(InstrumentsContext):
    as_of = as_of_filter()


class SubmissionFilterSet(InstrumentsContext):
    state = state_filter()
    obligation = obligation_filter()
    instrument = instrument_filter()
    date_from = DateFilter(
        label=_("From"), help_text=_("Submissions received on or after this day.")
    )
    date_to = DateFilter(label=_("To"), help_text=_("Submissions received on or before this day."))


class ObligationFilterSet(InstrumentsContext):
    instrument = instrument_filter()


class HistoryFilterSet(QueryFilterSet):
    resource = CodesFilter(
        label=_("Records"),
        help_text=lazy_format(_("Which records: %(names)s."), names=", ".join(HISTORY_RESOURCES)),
        pattern=r"[a-z]+",
        example="actions,declarations",
        what=_("kind of record"),
        choices=[(name, name) for name in HISTORY_RESOURCES],
        schema_codes=HISTORY_RESOURCES,
    )
    state = state_filter()
    user = TextFilter(
        label=_("User"), help_text=_("Changes made by this username."), max_length=150
    )
    date_from = DateFilter(label=_("From"), help_text=_("Changes made on or after this day (UTC)."))
    date_to = DateFilter(label=_("To"), help_text=_("Changes made on or before this day (UTC)."))
    record = WholeNumberFilter(
        label=_("Record"), help_text=_("The id of one record (with resource): its whole history.")
    )


class AuthorityFilterSet(InstrumentsContext):
    """The directory of competent authorities: the page /authorities/ and authorities/."""

    osce_role = osce_role_filter()
    state = state_filter()
    instrument = instrument_filter()
    obligation = CodesFilter(
        label=_("Obligations"),
        help_text=lazy_format(
            _("Obligations that designate, by code: %(codes)s; none for all."),
            codes=lazy(designating_words, str)(),
        ),
        pattern=OBLIGATION_CODE,
        example="untoc-18-13,fir-13-2",
        what=_("obligation code that designates an authority"),
        choices=authorities.DESIGNATING_CHOICES,
        schema_codes=list(authorities.DESIGNATING),
        widget=forms.CheckboxSelectMultiple,
    )
    currency = ChoiceFilter(
        label=_("Designations"),
        choices=authorities.CURRENCY_CHOICES,
        default=authorities.IN_EFFECT,
        what=_("choice of designations"),
        help_text=_(
            "in_effect (the default: the designation in effect for each participant and "
            "obligation), superseded (those a later designation replaced) or all."
        ),
    )
    ordering = ChoiceFilter(
        label=_("Sort by"),
        choices=authorities.ORDERING_CHOICES,
        default="state",
        what=_("sort order"),
        help_text=_(
            "state (participant name, the default), obligation (the catalogue's order) "
            "or since (the date in effect since, unknown last); '-' reverses."
        ),
    )
