"""obligations/, submissions/ and flags/: COP reporting obligations, what arrived, and where
no submission is on record.

Each method parses its parameters, calls reports.selectors or reports.services, and renders
plain dicts. Submissions are versioned records like treaty actions: SPMU editors write them,
the history names the author, and edits need If-Match.
"""

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from instruments.api.views import TreatyRecordViewSet
from instruments.selectors import instrument_list_at
from reports import services
from reports.api.filters import (
    FLAG_DETAIL_PARAMS,
    FLAG_PARAMS,
    OBLIGATION_CODE,
    OBLIGATION_PARAMS,
    SUBMISSION_PARAMS,
)
from reports.api.serializers import (
    FINDING_NOTE,
    FLAG_COLUMNS,
    DataQualitySerializer,
    FlagPageSerializer,
    FlagSerializer,
    ObligationPageSerializer,
    ObligationSerializer,
    SubmissionPageSerializer,
    SubmissionSerializer,
    SubmissionWriteSerializer,
    obligation_row,
    submission_row,
)
from reports.data_quality import data_quality, data_quality_entries
from reports.models import ComplianceFlag, Obligation, Submission
from reports.selectors import (
    compliance_checked_as_of,
    flag_entries,
    flag_entry,
    flag_list,
    obligation_list,
    submission_list,
)
from states.api.filters import osce_roles
from untoc_tracker.conditional import request_revision
from untoc_tracker.rest.conditional import expected_version, revision_conditional
from untoc_tracker.rest.exports import (
    FORMAT_PARAMETER,
    Table,
    export_format,
    export_response,
    export_schema_responses,
)
from untoc_tracker.rest.pagination import PAGE_PARAMS, paginate
from untoc_tracker.rest.views import ApiViewSet


class ObligationViewSet(ApiViewSet):
    """obligations/: the catalogue, read-only (editors set grace periods in the back office)."""

    queryset = Obligation.objects.all()
    lookup_field = "code"
    lookup_value_regex = OBLIGATION_CODE

    @extend_schema(
        summary="Obligations",
        description="What parties owe the depositary or the Conference of the Parties under "
        "each article or COP decision: to whom it applies, when it falls due (the due rule "
        "as data), the grace period and the sources, in the catalogue's order.",
        parameters=[*OBLIGATION_PARAMS.openapi(), *PAGE_PARAMS.openapi()],
        responses=ObligationPageSerializer,
    )
    @revision_conditional
    def list(self, request: Request) -> Response:
        params = (OBLIGATION_PARAMS + PAGE_PARAMS).parse(request)
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


class SubmissionViewSet(TreatyRecordViewSet):
    """submissions/: writes go through reports.services.submission_*, which re-check the
    participant's flags once the write has committed."""

    queryset = Submission.objects.select_related(
        "participant", "obligation", "obligation__instrument"
    )
    serializer_class = SubmissionWriteSerializer

    def representation(self, record: Submission) -> dict[str, Any]:
        return submission_row(record)

    @extend_schema(
        summary="Submissions",
        description="Notifications and reports received from participants, as SPMU staff "
        "recorded them, latest first. (Notifications in the treaty data, e.g. a central "
        "authority under art. 18(13), count as received too; they are under declarations/.)",
        parameters=[*SUBMISSION_PARAMS.openapi(), *PAGE_PARAMS.openapi()],
        responses=SubmissionPageSerializer,
    )
    @revision_conditional
    def list(self, request: Request) -> Response:
        params = (SUBMISSION_PARAMS + PAGE_PARAMS).parse(request)
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

    @extend_schema(
        summary="Record a submission",
        description="SPMU editors only, as in the back office: received on a past date, after "
        "the instrument was adopted, once per participant, obligation and day. Once saved, "
        "the participant's flags are re-checked, so a flag it answers is resolved.",
        request=SubmissionWriteSerializer,
        responses={201: SubmissionSerializer},
    )
    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        submission = services.submission_record(
            participant=values.pop("state"), actor=request.user, **values
        )
        response = self.answer(submission, status.HTTP_201_CREATED)
        response["Location"] = reverse("submission-detail", args=[submission.pk], request=request)
        return response

    @extend_schema(
        summary="Change a submission",
        description="Send every field; If-Match must carry the submission's ETag. The "
        "participant cannot change.",
        request=SubmissionWriteSerializer,
        responses=SubmissionSerializer,
    )
    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        submission = self.record(pk)
        version = expected_version(request, submission)
        values = self.write_values(request, submission, partial=partial)
        if not values:
            return self.answer(submission)  # a PATCH that changes nothing saves nothing
        updated = services.submission_update(
            submission=submission, actor=request.user, expected_version=version, **values
        )
        return self.answer(updated)

    @extend_schema(
        summary="Change some fields of a submission",
        description="If-Match must carry the submission's ETag.",
        request=SubmissionWriteSerializer,
        responses=SubmissionSerializer,
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    @extend_schema(
        summary="Remove a submission",
        description="If-Match must carry its ETag. A flag it resolved opens again when the "
        "participant is re-checked.",
    )
    def destroy(self, request: Request, pk: str) -> Response:
        submission = self.record(pk)
        version = expected_version(request, submission)
        services.submission_delete(
            submission=submission, actor=request.user, expected_version=version
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class FlagViewSet(ApiViewSet):
    """flags/: read-only; the compliance check alone writes flags."""

    queryset = ComplianceFlag.objects.all()
    lookup_value_regex = "[0-9]{1,18}"
    export_actions = ("list",)

    @extend_schema(
        summary="Compliance flags: no submission on record",
        description="Each participant and obligation for which no submission was on record "
        "past the due date and grace period, as the flags stood on `as_of` (default today), "
        "most overdue first, with days overdue and the ageing bucket counted to `as_of`. "
        + FINDING_NOTE
        + " As CSV or XLSX: the whole filtered list, unpaginated.",
        parameters=[*FLAG_PARAMS.openapi(), *PAGE_PARAMS.openapi(), FORMAT_PARAMETER],
        responses=export_schema_responses(FlagPageSerializer),
    )
    @revision_conditional
    def list(self, request: Request) -> Response:
        params = (FLAG_PARAMS + PAGE_PARAMS).parse(request)
        as_of = params["as_of"]
        flags = flag_list(
            state=params["state"],
            obligation=params["obligation"],
            instrument=params["instrument"],
            status=params["status"],
            bucket=params["bucket"],
            as_of=as_of,
            osce_roles=osce_roles(params["osce_role"]),
        )
        if export_format(request):
            table = Table(FLAG_COLUMNS, flag_entries(flags, as_of))
            return export_response(request, table, f"untoc-flags-{as_of.isoformat()}")
        # Queries: the count, the page of flags joined to their participants, obligations,
        # instruments and submissions, and the date of the last check.
        page = paginate(request, flags, params)
        page.results = flag_entries(page.results, as_of)
        return Response(
            {"as_of": as_of, "checked_as_of": compliance_checked_as_of(), "note": FINDING_NOTE}
            | page.as_dict()
        )

    @extend_schema(
        summary="One compliance flag",
        description="As it stood on `as_of` (default today); 404 before a check raised it.",
        parameters=FLAG_DETAIL_PARAMS.openapi(),
        responses=FlagSerializer,
    )
    @revision_conditional
    def retrieve(self, request: Request, pk: str) -> Response:
        as_of = FLAG_DETAIL_PARAMS.parse(request)["as_of"]
        flag = flag_list(as_of=as_of).filter(pk=int(pk)).first()
        if flag is None:
            raise Http404
        return Response(flag_entry(flag, as_of))


class DataQualityViewSet(ApiViewSet):
    """data-quality/: the data-quality page as data (reports.data_quality)."""

    @extend_schema(
        summary="Data quality",
        description="Per instrument: the date its data are complete to; the tracker's "
        "signatories and parties as at each of the depositary's checkpoints beside the "
        "depositary's counts, with the difference; the open questions (facts a source claims "
        "that are not recorded as actions); the consents whose kind is not recorded; the "
        "actions whose source is weaker than the depositary's own record.",
        responses=DataQualitySerializer,
    )
    @revision_conditional
    def list(self, request: Request) -> Response:
        report = data_quality(instrument_list_at(request_revision(request)))
        return Response({"instruments": data_quality_entries(report)})
