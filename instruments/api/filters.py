"""Query parameters of the treaty-data resources (status/, instruments/, actions/ and
declarations/), declared once for parsing and for the schema."""

from core.rest.params import (
    ChoiceParam,
    CodesParam,
    DateParam,
    Params,
    PatternParam,
    TextParam,
    ordering_choices,
)
from instruments.models import Declaration, TreatyAction
from instruments.selectors import instrument_list
from states.api.filters import OSCE_ROLE, STATE


def unknown_instruments(codes: list[str]) -> set[str]:
    return set(codes) - set(instrument_list().values_list("code", flat=True))


INSTRUMENT = CodesParam(
    "instrument",
    "Instruments by code: untoc (the Convention), tip (Trafficking in Persons Protocol), som "
    "(Smuggling of Migrants Protocol), fir (Firearms Protocol).",
    pattern=r"[A-Za-z]{2,8}",
    normalise=str.lower,
    unknown=unknown_instruments,
    example="untoc,tip",
    choices=("untoc", "tip", "som", "fir"),
)

AS_OF = DateParam(
    "as_of",
    "The day the answer is for, YYYY-MM-DD; today unless given. An action counts from the "
    "day it was signed, deposited or received.",
    default_today=True,
)

STATUS_ORDERINGS = ordering_choices("name", "signature_date", "consent_date", "entry_into_force")

STATUS_PARAMS = Params(
    AS_OF,
    OSCE_ROLE,
    INSTRUMENT,
    STATE,
    ChoiceParam(
        "ordering",
        "name: by participant, then instrument. A date: earliest first (latest first with "
        "'-'); entries without that date come last either way.",
        choices=STATUS_ORDERINGS,
        default="name",
    ),
)

STATE_DETAIL_PARAMS = Params(AS_OF)

INSTRUMENT_PARAMS = Params(
    DateParam(
        "as_of",
        "The day the counts of signatories and parties are for, YYYY-MM-DD; today unless given.",
        default_today=True,
    )
)

ACTION_ORDERINGS = {
    "date": ("date", "participant__name", "instrument__display_order", "id"),
    "-date": ("-date", "participant__name", "instrument__display_order", "-id"),
    "state": ("participant__name", "instrument__display_order", "date", "id"),
    "-state": ("-participant__name", "instrument__display_order", "date", "id"),
    "instrument": ("instrument__display_order", "participant__name", "date", "id"),
    "-instrument": ("-instrument__display_order", "participant__name", "date", "id"),
}

ACTION_PARAMS = Params(
    STATE,
    INSTRUMENT,
    CodesParam(
        "kind",
        "Kinds of action: " + ", ".join(TreatyAction.Kind.values) + " (consent: a consent "
        "whose kind the source does not give).",
        pattern=r"[a-z_]+",
        unknown=lambda kinds: set(kinds) - set(TreatyAction.Kind.values),
        example="ratification,accession",
        choices=tuple(TreatyAction.Kind.values),
    ),
    OSCE_ROLE,
    DateParam("date_from", "Actions dated on or after this day, YYYY-MM-DD."),
    DateParam("date_to", "Actions dated on or before this day, YYYY-MM-DD."),
    ChoiceParam(
        "ordering",
        "date (the default), state (participant name) or instrument; '-' reverses.",
        choices=tuple(ACTION_ORDERINGS),
        default="date",
    ),
)

DECLARATION_PARAMS = Params(
    STATE,
    INSTRUMENT,
    CodesParam(
        "kind",
        "Kinds of statement: " + ", ".join(Declaration.Kind.values) + ".",
        pattern=r"[a-z_]+",
        unknown=lambda kinds: set(kinds) - set(Declaration.Kind.values),
        example="reservation,objection",
        choices=tuple(Declaration.Kind.values),
    ),
    PatternParam(
        "article",
        "An article, with or without its paragraph: 18 matches 18, 18(13) and 18(14); "
        "18(13) matches only that paragraph. Or general, territorial, succession, "
        "unspecified.",
        max_length=30,
        pattern=r"[0-9]{1,3}[a-z]?(\([0-9a-z]{1,4}\)){0,3}|[A-Za-z]{2,20}",
        example="18 or 18(13)",
    ),
    TextParam("search", "Text in the summary or the article reference."),
)
