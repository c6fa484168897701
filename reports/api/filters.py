"""Query parameters of obligations/, submissions/, flags/ and history/ (every app's
records), declared once for parsing and
for the schema. The choices are reports.selectors' own (FLAG_STATUSES, the ageing buckets),
so the API and the pages filter by the same words."""

from core.rest.params import ChoiceParam, CodesParam, DateParam, IntParam, Params, TextParam
from instruments.api.filters import INSTRUMENT
from reports import domain
from reports.history import HISTORY_MODELS, HISTORY_RESOURCES
from reports.models import Obligation
from reports.selectors import FLAG_STATUSES
from states.api.filters import OSCE_ROLE, STATE


def unknown_obligations(codes: list[str]) -> set[str]:
    known = Obligation.objects.filter(code__in=codes).values_list("code", flat=True)
    return set(codes) - set(known)


OBLIGATION_CODE = r"[A-Za-z0-9_-]{1,40}"

OBLIGATION = CodesParam(
    "obligation",
    "Obligations by code (obligations/ lists them): e.g. untoc-18-13 for UNTOC art. 18(13), "
    "untoc-cop-2007 for the COP deadline of 30 June 2007.",
    pattern=OBLIGATION_CODE,
    normalise=str.lower,
    unknown=unknown_obligations,
    example="untoc-18-13,untoc-cop-2007",
)

OBLIGATION_PARAMS = Params(INSTRUMENT)

SUBMISSION_PARAMS = Params(
    STATE,
    OBLIGATION,
    INSTRUMENT,
    DateParam("date_from", "Submissions received on or after this day, YYYY-MM-DD."),
    DateParam("date_to", "Submissions received on or before this day, YYYY-MM-DD."),
)

FLAG_AS_OF = DateParam(
    "as_of",
    "The day the flags are shown for, YYYY-MM-DD; today unless given. A flag counts from the "
    "day a compliance check raised it and is open on as_of unless resolved by then; days "
    "overdue and the ageing bucket are counted to as_of.",
    default_today=True,
)

FLAG_PARAMS = Params(
    FLAG_AS_OF,
    STATE,
    OSCE_ROLE,
    OBLIGATION,
    INSTRUMENT,
    ChoiceParam(
        "status",
        "open: no submission on record on as_of; resolved: resolved by then.",
        choices=FLAG_STATUSES,
    ),
    ChoiceParam(
        "bucket",
        "Open flags by time since the due date on as_of: "
        + ", ".join(f"{code} ({label})" for code, label in domain.AGEING_BUCKETS.items())
        + ".",
        choices=tuple(domain.AGEING_BUCKETS),
    ),
)

FLAG_DETAIL_PARAMS = Params(FLAG_AS_OF)

HISTORY_PARAMS = Params(
    CodesParam(
        "resource",
        "Which records: " + ", ".join(HISTORY_RESOURCES) + ".",
        pattern=r"[a-z]+",
        unknown=lambda names: set(names) - set(HISTORY_MODELS),
        example="actions,declarations",
        choices=HISTORY_RESOURCES,
    ),
    STATE,
    TextParam("user", "Changes made by this username.", max_length=150),
    DateParam("date_from", "Changes made on or after this day (UTC), YYYY-MM-DD."),
    DateParam("date_to", "Changes made on or before this day (UTC), YYYY-MM-DD."),
    IntParam("record", "The id of one record (with resource): its whole history.", minimum=1),
)
