from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared machinery every app builds on: the write protocol and the data revision, the
    REST kit, conditional GET and the cache, the back-office and CSV table kits. It imports
    no app of the tracker."""

    name = "core"
    verbose_name = "Tracker machinery"

    def ready(self) -> None:
        import core.admin_tokens  # noqa: F401 (registers the API tokens' back-office page)
        from core import tokens

        tokens.connect()
