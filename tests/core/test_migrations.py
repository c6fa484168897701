"""The data revision moved from states to core without losing its count."""

from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations import SeparateDatabaseAndState

from core.models import DataRevision
from core.selectors import data_revision
from core.writes import revision_bump

BEFORE_CORE = [("core", None)]  # the database as it stood when states held DataRevision


def executor() -> MigrationExecutor:
    return MigrationExecutor(connection)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_database_migrated_before_core_keeps_its_revision_count():
    executor().migrate(BEFORE_CORE)
    old = executor().loader.project_state(("states", "0002_participant_version")).apps
    old.get_model("states", "DataRevision").objects.update_or_create(pk=1, defaults={"number": 41})

    forward = executor()
    forward.migrate(forward.loader.graph.leaf_nodes())

    assert DataRevision._meta.db_table == "states_datarevision"
    assert DataRevision.objects.get(pk=1).number == 41
    revision_bump()
    assert data_revision() == 42


def test_the_move_touches_no_table():
    """Both halves of the move change only Django's record of who owns the model."""
    halves = [
        import_module("core.migrations.0001_data_revision_from_states"),
        import_module("states.migrations.0003_data_revision_to_core"),
    ]
    for half in halves:
        for operation in half.Migration.operations:
            assert isinstance(operation, SeparateDatabaseAndState)
            assert operation.database_operations == []
