from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FocalConfig(AppConfig):
    name = "focal"
    verbose_name = _("Focal points")

    def ready(self) -> None:
        from focal.selectors import focal_record_counts
        from reports.snapshot import outside_records_register

        # Focal records refer to participants and obligations but are not in a snapshot.
        outside_records_register("focal", focal_record_counts)
