"""The snapshot file's format: its name and version, the tables it holds in order (a record
before what refers to it, each history after the records), and each table's columns. Written
by reports.snapshot, checked by reports.snapshot_check."""

from django.db import models

from instruments.models import (
    Declaration,
    DepositaryCheckpoint,
    Instrument,
    OpenQuestion,
    TreatyAction,
)
from reports.models import (
    AuthorityDesignation,
    ComplianceCheck,
    ComplianceFlag,
    CopSession,
    EvidenceCoverage,
    Obligation,
    Submission,
)
from states.models import OsceRolePeriod, Participant, ParticipantAlias

FORMAT = "untoc-tracker-snapshot"
VERSION = 1
HISTORY_USER = "history_user"  # the column naming a history row's author by username

RECORDS: list[type[models.Model]] = [
    Participant,
    ParticipantAlias,
    OsceRolePeriod,
    Instrument,
    TreatyAction,
    Declaration,
    DepositaryCheckpoint,
    OpenQuestion,
    Obligation,
    CopSession,
    Submission,
    AuthorityDesignation,
    EvidenceCoverage,
    ComplianceFlag,
    ComplianceCheck,
]
# Every record with a history, and its history model.
HISTORIES: list[type[models.Model]] = [
    model.history.model for model in RECORDS if hasattr(model, "history")
]
MODELS = RECORDS + HISTORIES


def table_name(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def is_history(model: type[models.Model]) -> bool:
    return model in HISTORIES


def columns(model: type[models.Model]) -> list[str]:
    """The model's columns in the file: its fields' column names, the history's author as
    a username."""
    names = [f.attname for f in model._meta.concrete_fields]
    return [HISTORY_USER if name == "history_user_id" else name for name in names]
