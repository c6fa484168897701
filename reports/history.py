"""The whole audit trail: the treaty data's history (instruments.history) and reports' own
records, composed here at the top, where every app may be read. The history API and the
snapshot read the resources from this one table; nothing registers itself at start-up.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Model, QuerySet

from instruments import history as treaty_history
from reports.models import (
    AuthorityDesignation,
    ComplianceFlag,
    EvidenceCoverage,
    Obligation,
    Submission,
)

HISTORY_MODELS: dict[str, type[Model]] = {
    **treaty_history.HISTORY_MODELS,
    "obligations": Obligation,
    "submissions": Submission,
    # The compliance job's changes to flags have no user and the reason
    # "compliance check (system)".
    "flags": ComplianceFlag,
    "coverage": EvidenceCoverage,
    "authorities": AuthorityDesignation,
}
REFERENCES: dict[str, tuple[str, type[Model], str]] = {
    **treaty_history.REFERENCES,
    "obligation": ("obligation", Obligation, "code"),
}
HISTORY_RESOURCES = tuple(HISTORY_MODELS)


def history_feed(**filters: Any) -> QuerySet:
    """The feed of every resource (see instruments.history.history_feed for the filters)."""
    return treaty_history.history_feed(models=HISTORY_MODELS, **filters)


def history_entries(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The feed's rows as entries: who, when, what changed."""
    return treaty_history.history_entries(rows, models=HISTORY_MODELS, references=REFERENCES)
