"""The pages that compose several apps: a participant's page (its treaty status and what it
owes the COP), the compliance page and the printable OSCE status report.

They live in reports, the top app, the only one that may read instruments and states as well
as its own compliance data; no app below may import reports.
"""

import re
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from core.conditional import conditional_on_revision, request_revision
from core.languages import ENGLISH, public_code
from instruments import domain as treaty
from instruments import profiles, selectors
from instruments.filters import AsOfFilterSet
from instruments.pages import EXPORT_FORMATS, bad_request, citation, downloads, sort_heading
from reports import domain
from reports.authorities import (
    designation_list,
    may_see_contacts,
    participant_designations,
)
from reports.data_quality import data_quality, facts_awaiting_review_count
from reports.filters import AuthorityFilterSet, ComplianceFilterSet
from reports.models import AuthorityDesignation
from reports.selectors import compliance_checked_as_of, obligation_list
from reports.standings import obligation_standings, standing_view
from states.collation import by_local_name, collation_key
from states.filters import OSCE_ROLE_LABELS
from states.models import Participant
from states.selectors import participant_list, participant_roles, roles_uncertain_on

PARTICIPANT_CODE = re.compile(r"[A-Za-z]{3}")  # ISO 3166-1 alpha-3, or EUU
REPORT_TITLE = _(
    "Status of the UN Convention against Transnational Organized Crime and its Protocols: "
    "OSCE participating States and Partners"
)


@require_safe
@conditional_on_revision
def participant_detail(request: HttpRequest, iso3: str) -> HttpResponse:
    """A participant's standing with each instrument today and as of a date, its
    declarations and the timeline of its actions.

    Ten queries whatever the number of participants: the revision (ETag, citation,
    instruments held in memory; one more when they are not held); the participant; its
    former names; its OSCE role periods; the profile's actions and declarations; the
    compliance standings' five (obligations, the participant and its actions again,
    submissions and notifications together, evidence coverage).
    """
    if not PARTICIPANT_CODE.fullmatch(iso3):
        # No participant has such a code, and PostgreSQL refuses some characters (NUL)
        # outright: answer 404 before any query.
        raise Http404
    if iso3 != iso3.upper():
        return HttpResponsePermanentRedirect(
            reverse("participant-detail", args=[iso3.upper()])
            + (f"?{request.GET.urlencode()}" if request.GET else "")
        )
    participant = get_object_or_404(
        Participant.objects.prefetch_related("aliases", "osce_role_periods"), iso3=iso3
    )
    instruments = selectors.instrument_list_at(request_revision(request))
    filters = AsOfFilterSet(request.GET, instruments=instruments)
    if not filters.is_valid():
        return bad_request(request, filters)
    as_of = filters.form.cleaned_data["as_of"]
    profile = profiles.participant_profile(
        participant, as_of=as_of, today=filters.today, instruments=instruments
    )
    return render(
        request,
        "reports/participant_detail.html",
        {
            "form": filters.form,
            "participant": participant,
            "profile": profile,
            "roles": participant_roles(participant, as_of),
            "instruments": [row[0] for row in profile.rows],
            "citation": citation(request, filters, participant.local_name),
            "status_url": f"{reverse('status')}?as_of={as_of.isoformat()}",
            "report_url": f"{reverse('osce-status-report')}?as_of={as_of.isoformat()}",
            "downloads": downloads(filters, state=participant.iso3, osce_role="any"),
            "designations": participant_designations(participant.pk),
            "contacts": may_see_contacts(request.user),
        },
    )


@require_safe
@conditional_on_revision
def compliance(request: HttpRequest) -> HttpResponse:
    """Where the participants stand with the obligations owed to the COP on a date: first
    how far the records are known complete, then a summary per obligation, then the
    participants with no submission on record since a due date, by obligation.

    The tables' rows come from reports.standings.standing_view, as do standings/ and the
    page's downloads (the same filters in the same order), so the three give one answer.
    Ten queries whatever the number of participants: the revision (ETag and citation); the
    instruments (for the as_of rules); the obligations (for the filter); the participants of
    the chosen group; the standings' five (obligations, participants, actions, submissions
    and notifications, evidence coverage); the date of the last compliance check.
    """
    filters = ComplianceFilterSet(
        request.GET,
        instruments=selectors.instrument_list_at(request_revision(request)),
        obligations=list(obligation_list()),
    )
    if not filters.is_valid():
        return bad_request(request, filters)
    data = filters.values()
    as_of = data["as_of"]
    view = standing_view(
        as_of=as_of,
        osce_role=data["osce_role"],
        state=data["state"],
        obligation=data["obligation"],
        instrument=data["instrument"],
        standing=[domain.NO_SUBMISSION_ON_RECORD],
        bucket=data["bucket"] or None,
    )
    summaries = [
        s
        for s in view.standings.summary()
        if (not data["obligation"] or s.obligation.code in data["obligation"])
        and (not data["instrument"] or s.obligation.instrument.code in data["instrument"])
    ]
    by_obligation: dict[str, list] = {}
    for row in by_local_name(view.rows, lambda row: row["state_name"]):
        by_obligation.setdefault(row["obligation"], []).append(row)
    for rows in by_obligation.values():
        # Due date first (none last), then the name shown: a stable sort on the date.
        rows.sort(key=lambda row: row["due_on"] or date.max)
    sections = [(s, by_obligation.get(s.obligation.code, [])) for s in summaries]
    download_query = urlencode(
        filters.query() | {"standing": domain.NO_SUBMISSION_ON_RECORD}, safe=","
    )
    return render(
        request,
        "reports/compliance.html",
        {
            "form": filters.form,
            "as_of": as_of,
            "sections": sections,
            "coverage": [s for s in summaries if s.can_fall_due],
            "buckets": domain.AGEING_BUCKETS,
            "standing_labels": domain.STANDING_LABELS,
            "checked_as_of": compliance_checked_as_of(),
            "citation": citation(
                request, filters, _("compliance with the obligations owed to the COP")
            ),
            "downloads": [
                (label, f"/api/v1/standings/?{download_query}&format={fmt}")
                for fmt, label in EXPORT_FORMATS
            ],
        },
    )


def _report_sections(
    matrix: selectors.StatusMatrix, groups: list[tuple[str, list[Participant]]]
) -> list[dict[str, Any]]:
    """One section per instrument: each group's statuses, and who is not a party. No query."""
    sections = []
    for instrument in matrix.instruments:
        code = instrument.code
        sections.append(
            {
                "instrument": instrument,
                "groups": [
                    (title, [(p, matrix.status(p.pk, code)) for p in members])
                    for title, members in groups
                ],
                "not_party": [
                    (p, matrix.status(p.pk, code))
                    for p in matrix.participants
                    if matrix.status(p.pk, code).status != treaty.PARTY
                ],
            }
        )
    return sections


@require_safe
@conditional_on_revision
def osce_status_report(request: HttpRequest) -> HttpResponse:
    """The report on the OSCE area as of a date, laid out for A4 paper.

    Eight queries whatever the number of participants: the revision (ETag, citation, and
    the key of the instruments held in memory; one more when they are not held); the status
    matrix's OSCE-area participants and their actions; the compliance standings' five
    (obligations, the participants and their actions again, submissions and notifications
    together, evidence coverage).
    """
    instruments = selectors.instrument_list_at(request_revision(request))
    filters = AsOfFilterSet(request.GET, instruments=instruments)
    if not filters.is_valid():
        return bad_request(request, filters)
    as_of = filters.form.cleaned_data["as_of"]
    matrix = selectors.status_matrix(
        as_of=as_of,
        participants=participant_list(osce_role="osce", as_of=as_of),
        instruments=instruments,
    )
    matrix.participants = by_local_name(matrix.participants)
    participating = Participant.OsceRole.PARTICIPATING
    groups = [
        (
            _("OSCE participating States"),
            [p for p in matrix.participants if p.role_on == participating],
        ),
        (
            _("OSCE Partners for Co-operation"),
            [p for p in matrix.participants if p.role_on != participating],
        ),
    ]
    group_counts = [matrix.counts([p.pk for p in members]) for _, members in groups]
    standings = obligation_standings(
        as_of=as_of, participant_ids=[p.pk for p in matrix.participants]
    )
    group_summaries = [standings.summary([p.pk for p in members]) for _, members in groups]
    compliance_rows = [
        (obligation, [summaries[index] for summaries in group_summaries])
        for index, obligation in enumerate(standings.obligations)
    ]
    return render(
        request,
        "reports/osce_status_report.html",
        {
            "title": REPORT_TITLE,
            "form": filters.form,
            "as_of": as_of,
            "instruments": matrix.instruments,
            "summary_groups": [(title, len(members)) for title, members in groups],
            "summary_rows": [
                (i, [counts[i.code] for counts in group_counts]) for i in matrix.instruments
            ],
            "sections": _report_sections(matrix, groups),
            "compliance": compliance_rows,
            "coverage": [s for s in standings.summary() if s.can_fall_due],
            "citation": citation(request, filters, _("OSCE participating States and Partners")),
            "roles_uncertain": by_local_name(roles_uncertain_on(as_of), lambda u: u[0].local_name),
            "participant_kinds": Participant.Kind,
        },
    )


@require_safe
@conditional_on_revision
def data_quality_page(request: HttpRequest) -> HttpResponse:
    """How complete the data are: per instrument the date it is complete to, our counts
    beside the depositary's checkpoints, the open questions, the consents of unrecorded
    kind, the facts from sources weaker than the depositary and the facts awaiting review.
    It reads no parameters.

    Queries: the revision (ETag; instruments held in memory, one more when not held) and
    data_quality's own (see there), whatever the number of participants.
    """
    report = data_quality(selectors.instrument_list_at(request_revision(request)))
    awaiting = facts_awaiting_review_count(report)
    return render(request, "reports/data_quality.html", {"report": report, "awaiting": awaiting})


def _in_order_of_names_shown(
    rows: list[AuthorityDesignation], ordering: str
) -> list[AuthorityDesignation]:
    """The directory's rows (in the database's order, by English name) in the same order by
    the participants' names shown: by name, or by the column asked for, then by name."""
    if public_code() == ENGLISH:
        return rows
    field, descending = ordering.removeprefix("-"), ordering.startswith("-")
    named = by_local_name(rows)
    if field == "state":
        return sorted(
            rows, key=lambda d: collation_key(d.participant.local_name), reverse=descending
        )
    if field == "obligation":
        return sorted(named, key=lambda d: d.obligation.display_order, reverse=descending)
    dated = sorted(
        (d for d in named if d.since), key=lambda d: d.since or date.min, reverse=descending
    )
    return dated + [d for d in named if not d.since]


AUTHORITY_COLUMNS = (
    ("state", _("Participant")),
    ("obligation", _("Obligation")),
    ("since", _("Since")),
)


@require_safe
@conditional_on_revision
def authority_list(request: HttpRequest) -> HttpResponse:
    """The directory of competent national authorities: for each participant and obligation
    that designates, the authority designated, since when, and the source; the contact
    details only for signed-in staff and focal points (reports.authorities).

    Three queries whatever the number of participants (four with a `state` filter): the
    revision (ETag; the instruments held in memory, one more when not held); the `state`
    codes, when given; the designations with their participants (the OSCE role group read
    inside the same query), obligations and instruments. A signed-in viewer adds the
    session's and the user's.
    """
    instruments = selectors.instrument_list_at(request_revision(request))
    filters = AuthorityFilterSet(request.GET, instruments=instruments)
    if not filters.is_valid():
        return bad_request(request, filters)
    data = filters.values()
    participants = participant_list(osce_role=data["osce_role"])
    if data["state"]:
        participants = participants.filter(iso3__in=data["state"])
    rows = designation_list(
        participants=participants,
        obligations=data["obligation"],
        instruments=data["instrument"],
        currency=data["currency"],
        ordering=data["ordering"],
    )
    query = filters.query_string()
    return render(
        request,
        "reports/authority_list.html",
        {
            "form": filters.form,
            "filters": data,
            "rows": _in_order_of_names_shown(list(rows), data["ordering"]),
            "contacts": may_see_contacts(request.user),
            "headings": [(label, sort_heading(filters, f)) for f, label in AUTHORITY_COLUMNS],
            "scope": OSCE_ROLE_LABELS[data["osce_role"]],
            "downloads": [
                (label, f"/api/v1/authorities/?{query}{'&' if query else ''}format={fmt}")
                for fmt, label in EXPORT_FORMATS
            ],
        },
    )
