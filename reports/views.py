"""The compliance page and the printable OSCE status report.

They live in reports because the compliance data they show (once recorded) belong here;
reports may read instruments and states, never the other way round.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from instruments import domain, selectors
from instruments.forms import AsOfForm
from instruments.pages import bad_request, citation
from states.models import Participant
from states.selectors import participant_list
from untoc_tracker.conditional import conditional_on_revision

REPORT_TITLE = (
    "Status of the UN Convention against Transnational Organized Crime and its Protocols "
    "in the OSCE area"
)


@require_safe
@conditional_on_revision
def compliance(request: HttpRequest) -> HttpResponse:
    """States with no submission on record past a due date: not yet recorded by the tracker.

    One query: the revision (ETag).
    """
    return render(request, "reports/compliance.html", {"today": timezone.localdate()})


@require_safe
@conditional_on_revision
def osce_status_report(request: HttpRequest) -> HttpResponse:
    """The report on the OSCE area as of a date, laid out for A4 paper.

    Five queries whatever the number of participants: the revision (ETag); the status
    matrix's three (instruments, OSCE-area participants, their actions); the revision again
    for the citation.
    """
    form = AsOfForm(request.GET)
    if not form.is_valid():
        return bad_request(request, form)
    as_of = form.cleaned_data["as_of"]
    matrix = selectors.status_matrix(as_of=as_of, participants=participant_list(osce_role="osce"))
    groups = [
        (
            "OSCE participating States",
            [p for p in matrix.participants if p.is_osce_participating_state],
        ),
        ("OSCE Partners for Co-operation", [p for p in matrix.participants if p.is_osce_partner]),
    ]
    group_counts = [matrix.counts([p.pk for p in members]) for _, members in groups]
    sections = []
    for instrument in matrix.instruments:
        code = instrument.code
        not_party = [
            (p, matrix.status(p.pk, code))
            for p in matrix.participants
            if matrix.status(p.pk, code).status != domain.PARTY
        ]
        sections.append(
            {
                "instrument": instrument,
                "groups": [
                    (title, [(p, matrix.status(p.pk, code)) for p in members])
                    for title, members in groups
                ],
                "not_party": not_party,
            }
        )
    return render(
        request,
        "reports/osce_status_report.html",
        {
            "title": REPORT_TITLE,
            "form": form,
            "as_of": as_of,
            "instruments": matrix.instruments,
            "summary_groups": [(title, len(members)) for title, members in groups],
            "summary_rows": [
                (i, [counts[i.code] for counts in group_counts]) for i in matrix.instruments
            ],
            "sections": sections,
            "citation": citation(request, form, "OSCE participating States and Partners"),
            "participant_kinds": Participant.Kind,
        },
    )
