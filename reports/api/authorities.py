"""authorities/: the directory of competent national authorities, read-only (SPMU records
designations in the back office; focal points' approved submissions through the services).

The contact fields (contact_person, postal_address, phone, email) are in the answer only for
signed-in staff and focal points (reports.authorities.may_see_contacts); for anyone else they
are absent, not empty. Such answers are never kept by the response cache, which serves and
keeps only requests without credentials.
"""

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.conditional import request_revision
from core.rest.conditional import revision_conditional
from core.rest.exports import FORMAT_PARAMETER, export_schema_responses
from core.rest.pagination import page_serializer, paged
from core.rest.views import ApiViewSet, ExportingListMixin
from instruments.selectors import instrument_list_at
from reports.authorities import (
    CONTACT_FIELDS,
    DESIGNATING,
    designation_list,
    designation_row,
    may_see_contacts,
)
from reports.filters import AuthorityFilterSet
from reports.models import AuthorityDesignation
from states.selectors import participant_list

CONTACT_NOTE = (
    "contact_person, postal_address, phone and email are given only to signed-in SPMU staff "
    "and national focal points; for anyone else they are absent."
)


class AuthoritySerializer(serializers.Serializer):
    """A designation of a competent authority, contact point or (UNTOC art. 18(14)) the
    languages accepted."""

    id = serializers.IntegerField()
    state = serializers.CharField(help_text="ISO 3166-1 alpha-3 code.")
    state_name = serializers.CharField()
    instrument = serializers.CharField(help_text="untoc, som or fir.")
    obligation = serializers.ChoiceField(
        choices=list(DESIGNATING), help_text="The obligation's code, e.g. untoc-18-13."
    )
    obligation_reference = serializers.CharField(help_text="e.g. 'UNTOC art. 18(13)'.")
    designates = serializers.ChoiceField(
        choices=sorted(set(DESIGNATING.values())),
        help_text="authority, contact_point, or languages (UNTOC art. 18(14)).",
    )
    authority_name = serializers.CharField(help_text="Empty under UNTOC art. 18(14).")
    languages = serializers.CharField(help_text="UNTOC art. 18(14) only; empty otherwise.")
    notified_on = serializers.DateField(
        allow_null=True, help_text="Notified to the depositary; null when not recorded."
    )
    since = serializers.DateField(allow_null=True, help_text="In effect since; null if unknown.")
    until = serializers.DateField(
        allow_null=True, help_text="When a later designation superseded it; null if not."
    )
    in_effect = serializers.BooleanField()
    reference = serializers.CharField(help_text="C.N. number or note verbale, if recorded.")
    source = serializers.CharField(help_text="Where the designation is recorded.")
    version = serializers.IntegerField()
    contact_person = serializers.CharField(required=False, help_text=CONTACT_NOTE)
    postal_address = serializers.CharField(required=False)
    phone = serializers.CharField(required=False)
    email = serializers.CharField(required=False)


AuthorityPageSerializer = page_serializer("AuthorityPage", AuthoritySerializer)
PUBLIC_COLUMNS = tuple(name for name in AuthoritySerializer().fields if name not in CONTACT_FIELDS)


class AuthorityViewSet(ExportingListMixin, ApiViewSet):
    queryset = AuthorityDesignation.objects.all()
    filterset_class = paged(AuthorityFilterSet)
    lookup_value_regex = "[0-9]{1,18}"
    export_actions = ("list",)

    @extend_schema(
        summary="Competent national authorities",
        description="For each participant and each obligation that designates one (UNTOC art. "
        "18(13), 18(14), 31(6); SOM art. 8(6); FIR art. 13(2)): the authority or contact point "
        "designated, since when, and the source; as the page /authorities/ shows them, with "
        f"the same filters. {CONTACT_NOTE} As CSV or XLSX: the whole filtered list.",
        parameters=[FORMAT_PARAMETER],
        responses=export_schema_responses(AuthorityPageSerializer),
    )
    @revision_conditional
    def list(self, request: Request) -> Response:
        params = self.filterset_class(
            request.query_params, instruments=instrument_list_at(request_revision(request))
        ).values()
        participants = participant_list(osce_role=params["osce_role"])
        if params["state"]:
            participants = participants.filter(iso3__in=params["state"])
        rows = designation_list(
            participants=participants,
            obligations=params["obligation"],
            instruments=params["instrument"],
            currency=params["currency"],
            ordering=params["ordering"],
        )
        contacts = may_see_contacts(request.user)
        columns = PUBLIC_COLUMNS + (CONTACT_FIELDS if contacts else ())
        # Queries: the revision (ETag), the `state` codes when given, the count, the page of
        # designations joined to their participants, obligations and instruments.
        return self.list_answer(
            request,
            params,
            rows,
            columns=columns,
            filename="untoc-competent-authorities",
            entries=lambda page: [designation_row(d, contacts=contacts) for d in page],
        )

    @extend_schema(
        summary="One designation",
        description=f"In effect or superseded. {CONTACT_NOTE}",
        responses=AuthoritySerializer,
    )
    @revision_conditional
    def retrieve(self, request: Request, pk: str) -> Response:
        designation = designation_list(currency="all").filter(pk=int(pk)).first()
        if designation is None:
            raise Http404
        contacts = may_see_contacts(request.user)
        row: dict[str, Any] = designation_row(designation, contacts=contacts)
        return Response(row)
