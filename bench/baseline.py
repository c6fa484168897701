"""The baseline: the status API's answer built the plainest way Django allows.

GET /bench/baseline/status/ sends the same bytes as GET /api/v1/status/ with the API's
defaults (the participants in the OSCE area on the date asked about, every instrument, by
name, first page of 100 entries with the API's links; `?as_of=` as the API takes it) from a
plain function view: the same selectors the API calls (the instruments, the participants
holding an OSCE role on that date, their status matrix, its entries in name order), sliced
to the first page, and JsonResponse. No REST framework, no parameter checking, no ETag, no
throttling and no response cache. The benchmark checks the bytes are identical and compares
the API's throughput with this one's, warm and cold: the API's own machinery and its cache
should cost little when the answer must be built, and save all the work when it need not.
Mounted only by bench/urls.py.
"""

from datetime import date
from urllib.parse import urlencode

from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from core.links import absolute_url
from instruments.selectors import instrument_list, status_entries, status_matrix
from states.filters import OSCE_ROLE_DEFAULT
from states.selectors import participant_list

PAGE_SIZE = 100


def status_baseline(request: HttpRequest) -> JsonResponse:
    # Imported here: the REST framework's modules must load after the URLconf's.
    from instruments.api.serializers import completeness

    given = request.GET.get("as_of")
    as_of = date.fromisoformat(given) if given else timezone.localdate()
    # The API's default participants: those holding an OSCE role on the date (osce_role=osce).
    participants = participant_list(osce_role=OSCE_ROLE_DEFAULT, as_of=as_of)
    matrix = status_matrix(
        as_of=as_of, participants=participants, instruments=list(instrument_list())
    )
    entries = status_entries(matrix)
    query = {"as_of": given} if given else {}
    page_url = absolute_url("/api/v1/status/")  # as the API builds its links (core.links)
    body = {
        "as_of": as_of,
        "instruments": completeness(matrix.instruments, as_of),
        "count": len(entries),
        "next": (
            f"{page_url}?{urlencode(query | {'page': 2})}" if len(entries) > PAGE_SIZE else None
        ),
        "previous": None,
        "results": entries[:PAGE_SIZE],
    }
    # The REST framework's compact JSON: no spaces, Unicode as is.
    return JsonResponse(body, json_dumps_params={"separators": (",", ":"), "ensure_ascii": False})
