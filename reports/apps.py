from typing import Any

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reporting obligations"

    def ready(self) -> None:
        from instruments.events import treaty_data_changed

        treaty_data_changed.connect(
            recheck_after_treaty_change, dispatch_uid="reports.recheck_after_treaty_change"
        )


def recheck_after_treaty_change(sender: Any, participant_ids: list[int], **kwargs: Any) -> None:
    """A treaty action or declaration changed: re-check those participants' flags once the
    write has committed (instruments sends this inside its transaction)."""
    from reports.tasks import rechecks

    rechecks.add(participant_ids)
