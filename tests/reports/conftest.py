"""The standard cast for compliance tests: the shipped data, its obligations, a few States."""

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
