import os

from django.core.asgi import get_asgi_application

from untoc_tracker.settings.environment import settings_or_exit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "untoc_tracker.settings.base")

settings_or_exit()
application = get_asgi_application()
