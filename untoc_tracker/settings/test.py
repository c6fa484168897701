"""Settings for the test suite: the base settings with what tests need to observe.

Tasks are never run eagerly here: tests capture on-commit callbacks or run tasks with
.apply(), so a task sent before its transaction commits cannot hide.
"""

import os
import tempfile
from pathlib import Path

from untoc_tracker.settings.base import *  # noqa: F403
from untoc_tracker.settings.base import CACHES as BASE_CACHES
from untoc_tracker.settings.base import REDIS_URL, REST_FRAMEWORK

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "local": BASE_CACHES["local"],
}
# The webhook tests start their receiver on the loopback address, over plain http.
WEBHOOKS_ALLOW_HTTP = True
WEBHOOKS_ALLOW_LOOPBACK = True
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, like the embedded database, not Django's shared in-memory one: in memory, SQLite
    # answers a second writer (a Celery worker thread, two sweeps at once) with "table is
    # locked" at once instead of letting it wait its turn. One file per run; Django deletes it.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"untoc-tracker-test-{os.getpid()}.sqlite3")
    }

# The suite makes many anonymous requests from one address; the throttling tests lower the
# rate themselves, so no other test can trip over it whatever the environment says.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1000000/minute"}}

# Each test process keeps focal points' attachments in a folder of its own.
FOCAL_ATTACHMENTS_ROOT = Path(tempfile.gettempdir()) / f"untoc-focal-files-{os.getpid()}"
