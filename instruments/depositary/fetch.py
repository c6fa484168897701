"""The weekly reading of the depositary's status pages (instruments.tasks.depositary_check).

For each instrument in settings.DEPOSITARY_STATUS_URLS: fetch the page, read its table, and
store the differences from our records for an editor, as a table loaded in the back office
would be; then e-mail the SPMU editors a link to each. A page that does not answer in time,
answers other than 200 or does not read as the instrument's status table is recorded as a
failed import with the reason (shown in the back office and the job's log); nothing is
written to the treaty data either way.
"""

import logging
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.translation import gettext as _

from core.languages import speaking
from instruments.depositary.parsers import HTML, TableRefused, status_table_parse
from instruments.depositary.proposals import batch_record_failure, table_import
from instruments.models import DepositaryBatch, Instrument
from states.roles import SPMU_EDITORS

logger = logging.getLogger(__name__)

# The status pages are public; say who reads them.
USER_AGENT = "UNTOC-Tracker depositary check (weekly; +https://treaties.un.org reader)"


class FetchFailed(Exception):
    pass


@dataclass(frozen=True)
class Reading:
    instrument: str
    batch: DepositaryBatch | None
    proposals: int = 0
    problem: str = ""
    unchanged: bool = False


def status_page_fetch(url: str, timeout: float) -> str:
    """The page's text; FetchFailed with a reader's explanation otherwise."""
    try:
        response = requests.get(url, timeout=timeout, headers={"User-Agent": USER_AGENT})
    except requests.Timeout:
        raise FetchFailed(f"{url} did not answer within {timeout:g} seconds.") from None
    except requests.RequestException as error:
        raise FetchFailed(f"{url} could not be reached ({type(error).__name__}).") from None
    if response.status_code != 200:
        raise FetchFailed(
            f"{url} answered {response.status_code} {response.reason}, not 200: no table to read."
        )
    return response.text


def instrument_read(instrument: Instrument, url: str, timeout: float) -> Reading:
    """Fetch and read one page; a table already read (same date) is not stored twice."""
    try:
        table = status_table_parse(status_page_fetch(url, timeout), HTML)
        table.form = DepositaryBatch.Form.WEB
        earlier = DepositaryBatch.objects.filter(
            instrument=instrument, status_as_at=table.status_as_at
        ).exclude(state=DepositaryBatch.State.FAILED)
        if table.status_as_at is not None and earlier.exists():
            return Reading(instrument.code, earlier.first(), unchanged=True)
        batch, proposals = table_import(instrument=instrument, table=table, origin=url)
    except FetchFailed as failed:
        problem = str(failed)
    except TableRefused as refused:
        shown = "; ".join(str(error) for error in refused.errors[:5])
        more = f" (and {len(refused.errors) - 5} more)" if len(refused.errors) > 5 else ""
        problem = f"The page at {url} does not read as the {instrument.short_title}'s status "
        problem += f"table: {shown}{more}."
    else:
        return Reading(instrument.code, batch, len(proposals))
    logger.warning("Depositary check, %s: %s Nothing was written.", instrument.code, problem)
    batch = batch_record_failure(instrument=instrument, message=problem, origin=url)
    return Reading(instrument.code, batch, problem=problem)


def depositary_check(
    urls: dict[str, str] | None = None, timeout: float | None = None
) -> list[Reading]:
    """Read every configured status page, then tell the editors what there is to review."""
    urls = urls if urls is not None else settings.DEPOSITARY_STATUS_URLS
    timeout = timeout or settings.DEPOSITARY_FETCH_TIMEOUT
    instruments = Instrument.objects.in_bulk(list(urls), field_name="code")
    readings = []
    for code, url in urls.items():
        if code not in instruments:
            logger.error("Depositary check: no instrument %r (DEPOSITARY_STATUS_URLS).", code)
            continue
        reading = instrument_read(instruments[code], url, timeout)
        if not reading.problem:
            logger.info(
                "Depositary check, %s: %s.",
                code,
                "unchanged since the last reading"
                if reading.unchanged
                else f"{reading.proposals} difference(s) stored for review",
            )
        readings.append(reading)
    news = [r for r in readings if not r.unchanged]
    if news:
        message = review_message(news)
        if message.to:
            message.send(fail_silently=False)
        else:
            logger.warning("Depositary check: no SPMU editor has an e-mail address to tell.")
    return readings


def _editor_addresses() -> list[str]:
    users = get_user_model().objects.filter(is_active=True, groups__name=SPMU_EDITORS)
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def review_message(readings: list[Reading]) -> EmailMessage:
    """SPMU's e-mail, in the site's default language (no language is recorded for staff)."""
    with speaking(None):
        return _review_message(readings)


def _review_message(readings: list[Reading]) -> EmailMessage:
    lines = [_("The weekly reading of the UN Treaty Collection's status pages:"), ""]
    for reading in readings:
        batch = reading.batch
        assert batch is not None
        link = settings.SITE_URL.rstrip("/") + reverse(
            "admin:instruments_depositarybatch_change", args=[batch.pk]
        )
        title = batch.instrument.short_title
        if reading.problem:
            lines.append(
                _("- %(title)s: not read. %(problem)s")
                % {"title": title, "problem": reading.problem}
            )
        else:
            lines.append(
                _(
                    "- %(title)s, %(source)s: %(count)s difference(s) from our records to "
                    "accept or reject: %(link)s"
                )
                % {
                    "title": title,
                    "source": batch.source,
                    "count": reading.proposals,
                    "link": link,
                }
            )
    lines += ["", _("Nothing is written to the treaty data until an editor accepts a change.")]
    return EmailMessage(
        subject=_("UNTOC Tracker: the depositary's status pages, to review"),
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=_editor_addresses(),
    )


def summary(readings: list[Reading]) -> dict[str, Any]:
    return {
        r.instrument: r.problem or ("unchanged" if r.unchanged else f"{r.proposals} proposal(s)")
        for r in readings
    }
