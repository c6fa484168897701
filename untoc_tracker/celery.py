import os
from typing import Any

from celery import Celery
from celery.loaders.app import AppLoader
from django.core.exceptions import ImproperlyConfigured

from untoc_tracker.settings.environment import exit_for_bad_setting

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "untoc_tracker.settings.base")


class SettingsLoader(AppLoader):
    """Celery's loader, reading Django's settings; a bad one stops the worker or beat with
    its message alone. (Celery reads them lazily, while it parses its command line.)"""

    def config_from_object(self, obj: Any, silent: bool = False) -> Any:
        try:
            return super().config_from_object(obj, silent=silent)
        except ImproperlyConfigured as error:
            exit_for_bad_setting(error)


app = Celery("untoc_tracker", loader="untoc_tracker.celery:SettingsLoader")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
