"""The standard cast for compliance tests: the shipped data, its obligations, a few States."""

from datetime import date

import pytest

from reports.models import ComplianceFlag, Obligation
from states.models import Participant


def state(iso3: str) -> Participant:
    return Participant.objects.get(iso3=iso3)


def obligation(code: str) -> Obligation:
    return Obligation.objects.select_related("instrument").get(code=code)


def open_flags(**filters) -> dict[tuple[str, str], ComplianceFlag]:
    """Open flags keyed by (ISO code, obligation code)."""
    flags = ComplianceFlag.objects.filter(resolved_on__isnull=True, **filters).select_related(
        "participant", "obligation"
    )
    return {(f.participant.iso3, f.obligation.code): f for f in flags}


@pytest.fixture
def editor_with_email(editor):
    editor.email = "spmu-editor@example.org"
    editor.save()
    return editor


# The shipped data claim no coverage (nothing is known complete), so a test of what the
# tracker says where the records are complete records a check first, as staff would.
CHECKED_AGAINST = "test check: every submission and notification entered"


def records_checked_for_all(as_of: date | None = None) -> None:
    """Mark every participant's records under every obligation known complete as at
    `as_of` (default today, which a test may have frozen), through the back office's own
    service."""
    from django.utils import timezone

    from reports.coverage import coverage_set

    as_of = as_of or timezone.localdate()
    for row in Obligation.objects.select_related("instrument"):
        coverage_set(obligation=row, participant=None, source=CHECKED_AGAINST, checked_as_of=as_of)
