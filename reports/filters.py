"""The parameters of the compliance lists, declared once (see core.filters): the compliance
page (/compliance/), standings/ (adds `standing`) and flags/ (adds the flag's `status`) share
ComplianceFilterSet;
submissions/, obligations/ and history/ have theirs; the directory of competent authorities
(/authorities/ and authorities/) shares AuthorityFilterSet."""

from typing import Any

from django import forms

from core.filters import (
    ChoiceFilter,
    CodesFilter,
    DateFilter,
    QueryFilterSet,
    QueryForm,
    TextFilter,
    WholeNumberFilter,
)
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
        label="Obligations",
        help_text="Obligations by code (obligations/ lists them): e.g. untoc-18-13 for UNTOC "
        "art. 18(13), untoc-cop-2007 for the COP deadline of 30 June 2007; none for all.",
        pattern=OBLIGATION_CODE,
        example="untoc-18-13,untoc-cop-2007",
        what="obligation code",
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


class ComplianceFilterSet(ObligationsContext):
    as_of = as_of_filter()
    osce_role = osce_role_filter()
    state = state_filter()
    obligation = obligation_filter()
    instrument = instrument_filter()
    bucket = ChoiceFilter(
        label="No submission on record for",
        choices=list(domain.AGEING_BUCKETS.items()),
        blank_label="Any time",
        what="ageing bucket",
        help_text="Only what is overdue on as_of, by time since the due date: "
        + ", ".join(f"{code} ({label})" for code, label in domain.AGEING_BUCKETS.items())
        + ".",
    )


class FlagFilterSet(ComplianceFilterSet):
    status = ChoiceFilter(
        label="Flag status",
        choices=[(s, s) for s in FLAG_STATUSES],
        blank_label="Open or resolved",
        what="flag status",
        help_text="open: no submission on record on as_of; resolved: resolved by then.",
    )


class StandingFilterSet(ComplianceFilterSet):
    standing = ChoiceFilter(
        label="Standing",
        choices=[(s, s) for s in LISTED_STANDINGS],
        blank_label="Any standing",
        what="standing",
        help_text="Rows by standing: " + ", ".join(LISTED_STANDINGS) + ".",
    )


class FlagDetailFilterSet(InstrumentsContext):
    as_of = as_of_filter()


class SubmissionFilterSet(InstrumentsContext):
    state = state_filter()
    obligation = obligation_filter()
    instrument = instrument_filter()
    date_from = DateFilter(label="From", help_text="Submissions received on or after this day.")
    date_to = DateFilter(label="To", help_text="Submissions received on or before this day.")


class ObligationFilterSet(InstrumentsContext):
    instrument = instrument_filter()


class HistoryFilterSet(QueryFilterSet):
    resource = CodesFilter(
        label="Records",
        help_text="Which records: " + ", ".join(HISTORY_RESOURCES) + ".",
        pattern=r"[a-z]+",
        example="actions,declarations",
        what="kind of record",
        choices=[(name, name) for name in HISTORY_RESOURCES],
        schema_codes=HISTORY_RESOURCES,
    )
    state = state_filter()
    user = TextFilter(label="User", help_text="Changes made by this username.", max_length=150)
    date_from = DateFilter(label="From", help_text="Changes made on or after this day (UTC).")
    date_to = DateFilter(label="To", help_text="Changes made on or before this day (UTC).")
    record = WholeNumberFilter(
        label="Record", help_text="The id of one record (with resource): its whole history."
    )


class AuthorityFilterSet(InstrumentsContext):
    """The directory of competent authorities: the page /authorities/ and authorities/."""

    osce_role = osce_role_filter()
    state = state_filter()
    instrument = instrument_filter()
    obligation = CodesFilter(
        label="Obligations",
        help_text="Obligations that designate, by code: "
        + "; ".join(f"{code} ({words})" for code, words in authorities.DESIGNATING_CHOICES)
        + "; none for all.",
        pattern=OBLIGATION_CODE,
        example="untoc-18-13,fir-13-2",
        what="obligation code that designates an authority",
        choices=authorities.DESIGNATING_CHOICES,
        schema_codes=list(authorities.DESIGNATING),
        widget=forms.CheckboxSelectMultiple,
    )
    currency = ChoiceFilter(
        label="Designations",
        choices=authorities.CURRENCY_CHOICES,
        default=authorities.IN_EFFECT,
        what="choice of designations",
        help_text="in_effect (the default: the designation in effect for each participant and "
        "obligation), superseded (those a later designation replaced) or all.",
    )
    ordering = ChoiceFilter(
        label="Sort by",
        choices=authorities.ORDERING_CHOICES,
        default="state",
        what="sort order",
        help_text="state (participant name, the default), obligation (the catalogue's order) "
        "or since (the date in effect since, unknown last); '-' reverses.",
    )
