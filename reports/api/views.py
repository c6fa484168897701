"""obligations/, submissions/, flags/, standings/ and history/: COP reporting obligations,
what arrived, where the nightly check recorded no submission on record, the standings
computed for any date, and the audit trail of every app's records.

Each method parses its parameters, calls reports.selectors or reports.services, and renders
plain dicts. Submissions are versioned records like treaty actions: SPMU editors write them,
the history names the author, and edits need If-Match.
"""

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response

from core.conditional import request_revision
from core.rest.conditional import revision_conditional
from core.rest.exports import (
    FORMAT_PARAMETER,
    export_schema_responses,
)
from core.rest.pagination import paged, paginate
from core.rest.permissions import StaffOnly
from core.rest.views import ApiViewSet, ExportingListMixin, RecordWriteViewSet
from instruments.models import Instrument
from instruments.selectors import instrument_list_at
from reports import services
from reports.api.serializers import (
    FINDING_NOTE,
    FLAG_COLUMNS,
    STANDING_COLUMNS,
    DataQualitySerializer,
    FlagPageSerializer,
    FlagSerializer,
    HistoryPageSerializer,
    ObligationPageSerializer,
    ObligationSerializer,
    StandingPageSerializer,
    SubmissionPageSerializer,
    SubmissionSerializer,
    SubmissionWriteSerializer,
    obligation_row,
    submission_row,
)
from reports.data_quality import (
    data_quality,
    data_quality_entries,
    facts_awaiting_review_count,
)
from reports.filters import (
    OBLIGATION_CODE,
    FlagDetailFilterSet,
    FlagFilterSet,
    HistoryFilterSet,
    ObligationFilterSet,
    StandingFilterSet,
    SubmissionFilterSet,
)
from reports.history import history_entries, history_feed
from reports.models import ComplianceFlag, Obligation, Submission
from reports.selectors import (
    compliance_checked_as_of,
    flag_entries,
    flag_entry,
    flag_list,
    obligation_list,
    submission_list,
)
from reports.standings import standing_view
from states.models import Participant


class ObligationViewSet(ApiViewSet):
    """obligations/: the catalogue, read-only (editors set grace periods in the back office)."""

    queryset = Obligation.objects.all()
    filterset_class = paged(ObligationFilterSet)
    lookup_field = "code"
    lookup_value_regex = OBLIGATION_CODE

    @extend_schema(
        summary="Obligations",
        description="What parties owe the depositary or the Conference of the Parties under "
        "each article or COP decision: to whom it applies, when it falls due (the due rule "
        "as data), the grace period and the sources, in the catalogue's order.",
        responses=ObligationPageSerializer,
    )
    @revision_conditional
    def list(self, request: Request) -> Response:
        params = self.filterset_class(request.query_params).values()
        # Queries: the count, the page of obligations with their instruments.
        page = paginate(request, obligation_list(instrument=params["instrument"]), params)
        page.results = [obligation_row(o) for o in page.results]
        return Response(page.as_dict())

    @extend_schema(
        summary="One obligation",
        description="Found by its code, e.g. untoc-18-13.",
        responses=ObligationSerializer,
    )
    @revision_conditional
    def retrieve(self, request: Request, code: str) -> Response:
        obligation = obligation_list().filter(code=code.lower()).first()
        if obligation is None:
            raise Http404
        return Response(obligation_row(obligation))


@extend_schema_view(
    create=extend_schema(
        summary="Record a submission",
        description="SPMU editors only, as in the back office: received on a past date, after "
        "the instrument was adopted, once per participant, obligation and day. Once saved, "
        "the participant's flags are re-checked, so a flag it answers is resolved.",
        request=SubmissionWriteSerializer,
        responses={201: SubmissionSerializer},
    ),
    update=extend_schema(
        summary="Change a submission",
        description="Send every field; If-Match must carry the submission's ETag. The "
        "participant cannot change.",
        request=SubmissionWriteSerializer,
        responses=SubmissionSerializer,
    ),
    partial_update=extend_schema(
        summary="Change some fields of a submission",
        description="If-Match must carry the submission's ETag.",
        request=SubmissionWriteSerializer,
        responses=SubmissionSerializer,
    ),
    destroy=extend_schema(
        summary="Remove a submission",
        description="If-Match must carry its ETag. A flag it resolved opens again when the "
        "participant is re-checked.",
    ),
)
class SubmissionViewSet(RecordWriteViewSet):
    """submissions/: writes go through reports.services.submission_*, which re-check the
    participant's flags once the write has committed."""

    queryset = Submission.objects.select_related(
        "participant", "obligation", "obligation__instrument"
    )
    serializer_class = SubmissionWriteSerializer
    filterset_class = paged(SubmissionFilterSet)

    def representation(self, record: Submission) -> dict[str, Any]:
        return submission_row(record)

    @extend_schema(
        summary="Submissions",
        description="Notifications and reports received from participants, as SPMU staff "
        "recorded them, latest first. (Notifications in the treaty data, e.g. a central "
        "authority under art. 18(13), count as received too; they are under declarations/.)",
        responses=SubmissionPageSerializer,
    )
    @revision_conditional
    def list(self, request: Request) -> Response:
        params = self.filterset_class(request.query_params).values()
        submissions = submission_list(
            state=params["state"],
            obligation=params["obligation"],
            instrument=params["instrument"],
            received_from=params["date_from"],
            received_to=params["date_to"],
        )
        # Queries: the count, the page of submissions joined to their participants,
        # obligations and instruments.
        page = paginate(request, submissions, params)
        page.results = [submission_row(s) for s in page.results]
        return Response(page.as_dict())

    @extend_schema(
        summary="One submission",
        description="Its ETag is its version: send it in If-Match to change or remove it.",
        responses=SubmissionSerializer,
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        return super().retrieve(request, pk)

    def service_create(self, owner: Any, values: dict[str, Any], actor: Any) -> Submission:
        return services.submission_record(participant=owner, actor=actor, **values)

    def service_update(
        self, record: Submission, values: dict[str, Any], actor: Any, version: int | None
    ) -> Submission:
        return services.submission_update(
            submission=record, actor=actor, expected_version=version, **values
        )

    def service_delete(self, record: Submission, actor: Any, version: int | None) -> None:
        services.submission_delete(submission=record, actor=actor, expected_version=version)


class FlagViewSet(ExportingListMixin, ApiViewSet):
    """flags/: read-only; the compliance check alone writes flags."""

    queryset = ComplianceFlag.objects.all()
    filterset_class = paged(FlagFilterSet)
    lookup_value_regex = "[0-9]{1,18}"
    export_actions = ("list",)

    @extend_schema(
        summary="Compliance flags: no submission on record",
        description="Each participant and obligation for which no submission was on record "
        "past the due date and grace period, as the flags stood on `as_of` (default today), "
        "most overdue first, with days overdue and the ageing bucket counted to `as_of`. "
        + FINDING_NOTE
        + " As CSV or XLSX: the whole filtered list, unpaginated.",
        parameters=[FORMAT_PARAMETER],
        responses=export_schema_responses(FlagPageSerializer),
    )
    @revision_conditional
    def list(self, request: Request) -> Response:
        params = self.filterset_class(
            request.query_params, instruments=instrument_list_at(request_revision(request))
        ).values()
        as_of = params["as_of"]
        flags = flag_list(
            state=params["state"],
            obligation=params["obligation"],
            instrument=params["instrument"],
            status=params["status"],
            bucket=params["bucket"],
            as_of=as_of,
            osce_role=params["osce_role"],
        )
        # Queries: the count, the page of flags joined to their participants, obligations,
        # instruments and submissions, and the date of the last check.
        return self.list_answer(
            request,
            params,
            flags,
            columns=FLAG_COLUMNS,
            filename=f"untoc-flags-{as_of.isoformat()}",
            entries=lambda rows: flag_entries(rows, as_of),
            extra=lambda: {
                "as_of": as_of,
                "checked_as_of": compliance_checked_as_of(),
                "note": FINDING_NOTE,
            },
        )

    @extend_schema(
        summary="One compliance flag",
        description="As it stood on `as_of` (default today); 404 before a check raised it.",
        parameters=FlagDetailFilterSet.openapi(),
        responses=FlagSerializer,
    )
    @revision_conditional
    def retrieve(self, request: Request, pk: str) -> Response:
        as_of = FlagDetailFilterSet(
            request.query_params, instruments=instrument_list_at(request_revision(request))
        ).values()["as_of"]
        flag = flag_list(as_of=as_of).filter(pk=int(pk)).first()
        if flag is None:
            raise Http404
        return Response(flag_entry(flag, as_of))


class StandingViewSet(ExportingListMixin, ApiViewSet):
    """standings/: computed for the date asked, as the compliance page computes them;
    flags/ stays what the nightly check recorded."""

    queryset = Obligation.objects.none()  # (for the schema: the rows are computed)
    filterset_class = paged(StandingFilterSet)
    export_actions = ("list",)

    @extend_schema(
        summary="Compliance standings as at a date",
        description="Where each participant stood with each obligation that applied to it on "
        "`as_of`, computed from the record as it is now: the source of the compliance page, "
        "so the page, this list and its downloads give one answer for a past date. "
        "not_yet_checked means the tracker's records are not known complete for that "
        "participant and obligation; only no_submission_on_record rows count as overdue. "
        "Rows by obligation in the catalogue's order, then due date, then participant. "
        + FINDING_NOTE
        + " As CSV or XLSX: the whole filtered list, unpaginated, in the same order.",
        parameters=[FORMAT_PARAMETER],
        responses=export_schema_responses(StandingPageSerializer),
    )
    @revision_conditional
    def list(self, request: Request) -> Response:
        params = self.filterset_class(
            request.query_params, instruments=instrument_list_at(request_revision(request))
        ).values()
        as_of = params["as_of"]
        # Queries: the revision (ETag); the participants of the group; the standings' five
        # (obligations, participants, actions, submissions and notifications, coverage).
        view = standing_view(
            as_of=as_of,
            osce_role=params["osce_role"],
            state=params["state"],
            obligation=params["obligation"],
            instrument=params["instrument"],
            standing=[params["standing"]] if params["standing"] else None,
            bucket=params["bucket"],
        )
        return self.list_answer(
            request,
            params,
            view.rows,
            columns=STANDING_COLUMNS,
            filename=f"untoc-standings-{as_of.isoformat()}",
            extra=lambda: {"as_of": as_of, "note": FINDING_NOTE},
        )


class DataQualityViewSet(ApiViewSet):
    """data-quality/: the data-quality page as data (reports.data_quality)."""

    queryset = Instrument.objects.none()  # (for the schema: the entries are computed)

    @extend_schema(
        summary="Data quality",
        description="Per instrument: the date its data are complete to; the tracker's "
        "signatories and parties as at each of the depositary's checkpoints beside the "
        "depositary's counts, with the difference; the open questions (facts a source claims "
        "that are not recorded as actions); the consents whose kind is not recorded; the "
        "actions whose source is weaker than the depositary's own record; the dated facts "
        "after 2014 awaiting an editor's review.",
        responses=DataQualitySerializer,
    )
    @revision_conditional
    def list(self, request: Request) -> Response:
        report = data_quality(instrument_list_at(request_revision(request)))
        return Response(
            {
                "facts_awaiting_review": facts_awaiting_review_count(report),
                "instruments": data_quality_entries(report),
            }
        )


class HistoryViewSet(ApiViewSet):
    """history/: the audit trail of every app's records, from reports.history."""

    permission_classes = [StaffOnly]
    filterset_class = paged(HistoryFilterSet)
    queryset = Participant.objects.none()  # (for the schema: the trail has no one model)

    @extend_schema(
        summary="Audit trail (staff only)",
        description="Every change to treaty data, newest first: which record, who, when, the "
        "fields that changed and the record's values after the change.",
        responses=HistoryPageSerializer,
    )
    @revision_conditional
    def list(self, request: Request) -> Response:
        params = self.filterset_class(request.query_params).values()
        feed = history_feed(
            resources=params["resource"],
            states=params["state"],
            username=params["user"],
            date_from=params["date_from"],
            date_to=params["date_to"],
            record=params["record"],
        )
        page = paginate(request, feed, params, counted=True)
        page.results = history_entries(page.results)
        return Response(page.as_dict())
