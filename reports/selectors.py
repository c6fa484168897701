"""Reads of obligations, submissions and flags that pages, the API, the admin and the
compliance sweep share, each in a fixed number of queries.

Filters take the values the lists' FilterSets give (reports.filters: state: ISO codes;
obligation, instrument: codes; status: "open" or "resolved"; bucket: an ageing bucket; as_of:
a date; osce_role: as states.selectors.in_osce_role), checked there, so the API's flags/ is:
flag_list(**values), paginate, flag_entries(page, as_of). A code filter takes one code or a
list (any of them).
"""

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from reports import domain, flag_rules
from reports.models import ComplianceCheck, ComplianceFlag, CopSession, Obligation, Submission
from states.selectors import in_osce_role, role_on_expression

FLAG_STATUSES = ("open", "resolved")
CODE = re.compile(r"[A-Za-z0-9_-]{1,40}")


def obligation_facts_of(obligation: Obligation) -> domain.ObligationFacts:
    return domain.ObligationFacts(
        code=obligation.code,
        instrument=obligation.instrument.code,
        article=obligation.article,
        applies_to=obligation.applies_to,
        due_rule=obligation.due_rule,
        due_days=obligation.due_days,
        deadline=obligation.deadline,
        grace_days=obligation.grace_days,
    )


Codes = str | Iterable[str] | None


def _codes(value: Codes) -> list[str]:
    """One code or several, as a list; empty when no filter is asked for."""
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)


def obligation_list(*, instrument: Codes = None) -> QuerySet[Obligation]:
    obligations = Obligation.objects.select_related("instrument").order_by("display_order", "code")
    if instruments := _codes(instrument):
        obligations = obligations.filter(instrument__code__in=instruments)
    return obligations


def cop_session_list() -> QuerySet[CopSession]:
    return CopSession.objects.order_by("number")


def submission_list(
    *,
    state: Codes = None,
    obligation: Codes = None,
    instrument: Codes = None,
    received_from: date | None = None,
    received_to: date | None = None,
) -> QuerySet[Submission]:
    """Submissions, latest first, with their participant and obligation (one query)."""
    submissions = Submission.objects.select_related(
        "participant", "obligation", "obligation__instrument"
    ).order_by("-received_on", "participant__name", "id")
    if states := _codes(state):
        submissions = submissions.filter(participant__iso3__in=states)
    if obligations := _codes(obligation):
        submissions = submissions.filter(obligation__code__in=obligations)
    if instruments := _codes(instrument):
        submissions = submissions.filter(obligation__instrument__code__in=instruments)
    if received_from:
        submissions = submissions.filter(received_on__gte=received_from)
    if received_to:
        submissions = submissions.filter(received_on__lte=received_to)
    return submissions


def flag_list(
    *,
    state: Codes = None,
    obligation: Codes = None,
    instrument: Codes = None,
    status: str | None = None,
    bucket: str | None = None,
    as_of: date | None = None,
    osce_role: str | None = None,
) -> QuerySet[ComplianceFlag]:
    """The flags as they stood on `as_of` (default today), most overdue first (one query).

    A flag counts from the day a sweep raised it; it is open on `as_of` if not resolved by
    then. The ageing bucket is measured from the due date to `as_of`, so it selects open
    flags only (a resolved flag's lateness ended when its submission arrived).
    """
    as_of = as_of or timezone.localdate()
    flags = (
        ComplianceFlag.objects.select_related(
            "participant", "obligation", "obligation__instrument", "submission"
        )
        .filter(raised_on__lte=as_of)
        .order_by("due_on", "participant__name", "obligation__display_order", "id")
    )
    flags = flags.annotate(participant_role_on=role_on_expression(as_of, "participant_id"))
    open_on_date = Q(resolved_on__isnull=True) | Q(resolved_on__gt=as_of)
    if states := _codes(state):
        flags = flags.filter(participant__iso3__in=states)
    if obligations := _codes(obligation):
        flags = flags.filter(obligation__code__in=obligations)
    if instruments := _codes(instrument):
        flags = flags.filter(obligation__instrument__code__in=instruments)
    flags = flags.filter(in_osce_role(osce_role, through="participant__", as_of=as_of))
    if status == "open":
        flags = flags.filter(open_on_date)
    elif status == "resolved":
        flags = flags.exclude(open_on_date)
    elif status:
        raise ValueError(f"unknown flag status {status!r}; one of {', '.join(FLAG_STATUSES)}")
    if bucket:
        after, up_to = domain.bucket_due_range(bucket, as_of)
        flags = flags.filter(open_on_date)
        if after is not None:
            flags = flags.filter(due_on__gt=after)
        if up_to is not None:
            flags = flags.filter(due_on__lte=up_to)
    return flags


def compliance_checked_as_of() -> date | None:
    """The date the last full compliance check answered for (one query); None before the
    first. Flags asked about for a later date are as that check left them."""
    return ComplianceCheck.objects.filter(pk=1).values_list("last_as_of", flat=True).first()


def flag_state(flag: ComplianceFlag) -> flag_rules.FlagState:
    return flag_rules.FlagState(
        due_on=flag.due_on,
        raised_on=flag.raised_on,
        resolved_on=flag.resolved_on,
        resolution=flag.resolution,
        evidence_on=flag.evidence_on,
        submission_id=flag.submission_id,
        notified_on=flag.notified_on,
    )


def flag_entry(flag: ComplianceFlag, as_of: date) -> dict[str, Any]:
    """One flag as a plain row: the contract the API, exports and pages share. Needs the
    flag's participant and obligation loaded (flag_list does)."""
    state = flag_state(flag)
    is_open = state.is_open or (flag.resolved_on is not None and flag.resolved_on > as_of)
    return {
        "id": flag.pk,
        "state": flag.participant.iso3,
        "state_name": flag.participant.name,
        # The role held on `as_of` (flag_list annotates it), else today's.
        "osce_role": getattr(flag, "participant_role_on", flag.participant.osce_role),
        "instrument": flag.obligation.instrument.code,
        "obligation": flag.obligation.code,
        "obligation_reference": flag.obligation.reference,
        "obligation_title": flag.obligation.local_title,
        "finding": "no submission on record",
        "due_on": flag.due_on,
        "grace_days": flag.obligation.grace_days,
        "raised_on": flag.raised_on,
        "open": is_open,
        "resolved_on": None if is_open else flag.resolved_on,
        "resolution": "" if is_open else flag.resolution,
        "received_on": None if is_open else flag.evidence_on,
        "submission_reference": "" if is_open or not flag.submission else flag.submission.reference,
        "days_overdue": flag_rules.flag_days_overdue(state, as_of),
        "ageing_bucket": domain.ageing_bucket(flag.due_on, as_of) if is_open else None,
        "as_of": as_of,
    }


def flag_entries(flags: Iterable[ComplianceFlag], as_of: date) -> list[dict[str, Any]]:
    return [flag_entry(flag, as_of) for flag in flags]
