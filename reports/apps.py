from typing import Any

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reporting obligations"

    def ready(self) -> None:
        from instruments.events import treaty_data_changed
        from instruments.history import history_register
        from reports.models import ComplianceFlag, EvidenceCoverage, Obligation, Submission

        treaty_data_changed.connect(
            recheck_after_treaty_change, dispatch_uid="reports.recheck_after_treaty_change"
        )
        # The audit trail (API history/) shows who changed these too; the compliance job's
        # changes to flags appear with no user and the reason "compliance check (system)".
        obligation = {"obligation": ("obligation", Obligation, "code")}
        history_register("obligations", Obligation)
        history_register("submissions", Submission, obligation)
        history_register("flags", ComplianceFlag, obligation)
        history_register("coverage", EvidenceCoverage, obligation)


def recheck_after_treaty_change(sender: Any, participant_ids: list[int], **kwargs: Any) -> None:
    """A treaty action or declaration changed: re-check those participants' flags once the
    write has committed (instruments sends this inside its transaction)."""
    from reports.tasks import recheck_on_commit

    recheck_on_commit(participant_ids)
