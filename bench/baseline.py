"""The baseline: the status API's default answer built the plainest way Django allows.

GET /bench/baseline/status/ sends the same bytes as GET /api/v1/status/ (first page, 100
entries, today, every participant and instrument, by name) from a plain function view:
three values() queries (instruments, the page's participants with the count of all in the
same subquery as the API's, their actions), the treaty rules of instruments.domain applied
per participant as the API applies them (instruments.domain.participant_statuses), and
JsonResponse. No REST framework, no parameters,
no ETag, no throttling, no model instances. The benchmark checks the bytes are identical and
compares the API's throughput with this one's: the API's own machinery should cost little.
Mounted only by bench/urls.py.
"""

from collections import defaultdict
from math import ceil

from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from core.querysets import count_of_all
from instruments import domain
from instruments.domain import participant_statuses
from instruments.models import Instrument, TreatyAction
from states.models import Participant

PAGE_SIZE = 100


def status_baseline(request: HttpRequest) -> JsonResponse:
    # Imported here: the REST framework's modules must load after the URLconf's.
    from instruments.api.serializers import completeness_note

    as_of = timezone.localdate()
    instruments = list(
        Instrument.objects.order_by("display_order", "code").values(
            "pk",
            "code",
            "short_title",
            "adopted_on",
            "convention__code",
            "entry_into_force_on",
            "eif_threshold",
            "eif_days_after_threshold",
            "eif_days_after_later_deposit",
            "eif_reio_counts",
            "status_complete_to",
        )
    )
    code_of = {i["pk"]: i["code"] for i in instruments}
    facts = {
        i["code"]: domain.InstrumentFacts(
            code=i["code"],
            short_title=i["short_title"],
            adopted_on=i["adopted_on"],
            rule=domain.EntryIntoForceRule(
                threshold=i["eif_threshold"],
                days_after_threshold=i["eif_days_after_threshold"],
                days_after_later_deposit=i["eif_days_after_later_deposit"],
                organizations_count=i["eif_reio_counts"],
            ),
            convention=i["convention__code"],
            entry_into_force=i["entry_into_force_on"],
        )
        for i in instruments
    }
    per_participant = len(instruments)
    everyone = Participant.objects.order_by("name")
    participants = list(
        everyone.annotate(total=count_of_all(everyone)).values(
            "pk", "iso3", "name", "osce_role", "total"
        )[: ceil(PAGE_SIZE / per_participant)]
    )
    actions: dict[int, dict[str, list[domain.Action]]] = defaultdict(lambda: defaultdict(list))
    rows = TreatyAction.objects.filter(
        participant_id__in=[p["pk"] for p in participants], date__lte=as_of
    ).values_list("participant_id", "instrument_id", "kind", "date", "effective_date", "pk")
    for participant_id, instrument_id, kind, when, effective, pk in rows:
        actions[participant_id][code_of[instrument_id]].append(
            domain.Action(kind, when, effective, ref=pk)
        )

    results = []
    for participant in participants:
        statuses = participant_statuses(actions.get(participant["pk"], {}), facts, as_of)
        for instrument in instruments:
            status = statuses.get(instrument["code"], domain.NO_STATUS)
            results.append(
                {
                    "state": participant["iso3"],
                    "state_name": participant["name"],
                    "osce_role": participant["osce_role"],
                    "instrument": instrument["code"],
                    "status": status.status,
                    "in_force": status.in_force,
                    "signature_date": status.signature_date,
                    "consent_date": status.consent_date,
                    "consent_kind": status.consent_kind,
                    "consent_kind_recorded": status.consent_kind_recorded,
                    "entry_into_force": status.entry_into_force,
                    "denunciation_date": status.denunciation_date,
                    "denunciation_effective": status.denunciation_effective,
                    "status_complete_to": instrument["status_complete_to"],
                }
            )
    count = (participants[0]["total"] if participants else 0) * per_participant
    page_url = request.build_absolute_uri("/api/v1/status/")
    body = {
        "as_of": as_of,
        "instruments": [
            {
                "code": i["code"],
                "short_title": i["short_title"],
                "status_complete_to": i["status_complete_to"],
                "complete": as_of <= i["status_complete_to"],
                "note": completeness_note(i["status_complete_to"]),
            }
            for i in instruments
        ],
        "count": count,
        "next": f"{page_url}?page=2" if count > PAGE_SIZE else None,
        "previous": None,
        "results": results[:PAGE_SIZE],
    }
    # The REST framework's compact JSON: no spaces, Unicode as is.
    return JsonResponse(body, json_dumps_params={"separators": (",", ":"), "ensure_ascii": False})
