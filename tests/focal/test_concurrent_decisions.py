"""Two editors deciding the same submission at the same moment, each on its own database
connection (real threads, committed data; PostgreSQL and SQLite): one decision wins, the other
is told, and nothing is approved twice."""

import pytest
from django.contrib.auth import get_user_model

from core.writes import StaleVersionError
from focal import services
from focal.models import FocalSubmission
from reports.models import Submission
from tests.focal.conftest import enrol, submitted
from tests.test_concurrent_edits import run_together


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("real_data")
@pytest.mark.parametrize("second", ["approve", "reject"])
def test_two_editors_deciding_at_once_one_wins_and_the_other_is_told(editor, second):
    colleague = get_user_model().objects.create_user("colleague", is_staff=True)
    austria = enrol("AUT", "focal@austria.example", editor)
    pending = submitted(austria)
    seen = pending.version

    def decide(actor, decision):
        def run():
            try:
                services.submission_decide(
                    submission=FocalSubmission(pk=pending.pk),
                    decision=decision,
                    comment="Not notified." if decision == "reject" else "",
                    actor=actor,
                    expected_version=seen,
                )
            except StaleVersionError:
                return "told"
            return "decided"

        return run

    outcomes = run_together(decide(editor, "approve"), decide(colleague, second))
    assert sorted(outcomes) == ["decided", "told"]
    pending.refresh_from_db()
    assert pending.version == seen + 1
    assert Submission.objects.count() == (1 if pending.state == "approved" else 0)
    assert pending.history.filter(state__in=["approved", "rejected"]).count() == 1
