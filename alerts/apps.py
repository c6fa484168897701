from django.apps import AppConfig


class AlertsConfig(AppConfig):
    """What changed, for those who follow it: the public change log (/changes/, its feed and
    API) and the webhooks REST clients register. Above every app: it reads their events."""

    name = "alerts"
    verbose_name = "Alerts"

    def ready(self) -> None:
        from alerts import checks  # noqa: F401  (registers the start-up checks)
