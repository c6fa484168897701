"""The status table a view shows, as rows and as a sheet to download.

status_view_rows() is the one read behind the status page, an instrument's page, the API's
status/ and the downloads: the participants the filters name, their statuses on the date, in
the order and with the statuses asked for. status_sheet() writes those rows as a delegation
reads them on screen: one row per participant, five columns per instrument (signature,
consent, its kind, entry into force, status), under lines giving the title, the date, the
filters and the citation. The API's status/ keeps the long machine format (one row per
participant and instrument).
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils.translation import gettext, gettext_noop

from core.rest.exports import Sheet, sheet_name
from instruments import domain, selectors, status_view
from instruments.models import Instrument
from instruments.selectors import StatusMatrix
from instruments.templatetags.treaty import join_words, kind_label, long_day, status_word
from states.collation import by_local_name
from states.models import Participant
from states.selectors import participant_list

# Each instrument's columns, after its name: "Convention — Signature", ...
# (Marked for the catalogues here, translated when a sheet is written, in its language.)
INSTRUMENT_COLUMNS = (
    gettext_noop("Signature"),
    gettext_noop("Consent"),
    gettext_noop("Kind"),
    gettext_noop("In force"),
    gettext_noop("Status"),
)
NOT_RECORDED = gettext_noop("not recorded")


def status_view_rows(
    values: dict[str, Any],
    instruments: list[Instrument],
    instrument_codes: Sequence[str] | None = None,
    *,
    names_shown: bool = False,
) -> tuple[StatusMatrix, list[Participant]]:
    """The matrix for a status view's filter values (StatusFilterSet or
    InstrumentTableFilterSet) and the participants it lists, in order.

    With `names_shown` (the pages and their downloads), "by name" is by the name in the
    active language (states.collation); the API keeps the English order.

    Two queries (three with `state`): the participants, their actions (and the codes)."""
    participants = participant_list(osce_role=values["osce_role"], as_of=values["as_of"])
    if values.get("state"):
        participants = participants.filter(iso3__in=values["state"])
    matrix = selectors.status_matrix(
        as_of=values["as_of"],
        participants=participants,
        instrument_codes=instrument_codes or values.get("instrument"),
        instruments=instruments,
    )
    if names_shown:
        matrix.participants = by_local_name(matrix.participants)
    return matrix, status_view.rows_shown(matrix, values)


def instrument_cells(status: domain.ParticipantStatus) -> list[Any]:
    """One instrument's five cells for one participant: dates as dates, words as the
    page's detailed cells give them."""
    bound = status.status in (domain.PARTY, domain.DENOUNCED)
    in_force: date | str | None = None
    if bound and status.consent_date is not None:
        in_force = status.entry_into_force or gettext(NOT_RECORDED)
    words = status_word(status)
    if status.denunciation_effective:
        effective = gettext("denunciation effective %(date)s") % {
            "date": long_day(status.denunciation_effective)
        }
        words += f", {effective}"
    return [
        status.signature_date,
        status.consent_date,
        kind_label(status.consent_kind) if status.consent_date else None,
        in_force,
        words,
    ]


def status_sheet(
    matrix: StatusMatrix,
    participants: Sequence[Participant],
    *,
    title: str,
    name: str,
    filters: Sequence[tuple[str, str]],
    cite_as: str,
    permalink: str,
) -> Sheet:
    """The rows on screen as a sheet: the title, "As at" (a date), one line per filter, the
    data's currency, the citation and the permalink; then one row per participant."""
    headings = [gettext("Participant"), gettext("Code")] + [
        f"{instrument.local_short_title} — {gettext(column)}"
        for instrument in matrix.instruments
        for column in INSTRUMENT_COLUMNS
    ]
    rows = [
        [participant.local_name, participant.iso3]
        + [
            cell
            for instrument in matrix.instruments
            for cell in instrument_cells(matrix.status(participant.pk, instrument.code))
        ]
        for participant in participants
    ]
    preamble: list[list[Any]] = [
        [title],
        [gettext("As at"), matrix.as_of],
        *([label, words] for label, words in filters),
        [gettext("Data currency"), currency_words(matrix.instruments)],
        [gettext("Cite as"), cite_as],
        [gettext("Permalink"), permalink],
    ]
    return Sheet(
        name=sheet_name(name, matrix.as_of.isoformat()),
        preamble=preamble,
        headings=headings,
        rows=rows,
    )


def currency_words(instruments: Sequence[Instrument]) -> str:
    """As the page's data-currency line: "Convention and ...: complete to 27 January 2014;
    later actions partial." """
    groups: dict[date, list[str]] = {}
    for instrument in instruments:
        groups.setdefault(instrument.status_complete_to, []).append(instrument.local_short_title)
    parts = [
        gettext("%(titles)s: complete to %(when)s")
        % {"titles": join_words(titles), "when": long_day(when)}
        for when, titles in sorted(groups.items())
    ]
    return "; ".join([*parts, gettext("later actions partial.")])
