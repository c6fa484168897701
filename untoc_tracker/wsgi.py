import os

from django.core.wsgi import get_wsgi_application

from untoc_tracker.settings.environment import settings_or_exit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "untoc_tracker.settings.base")

# Exit code 4 is gunicorn's "application failed to load": its master then stops, instead of
# booting worker after worker into the same bad setting.
settings_or_exit(code=4)
application = get_wsgi_application()
