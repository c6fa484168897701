"""The settings of the services the tracker runs with: Redis, Celery and its beat schedule,
the depositary check, the caches, e-mail. Part of the one settings module (base.py names
them all); like it, driven by the environment only."""

from celery.schedules import crontab

from untoc_tracker.settings.environment import (
    env_bool,
    env_int,
    env_redis_url,
    env_site_url,
    env_str,
)

# --- Celery -------------------------------------------------------------------------------
REDIS_URL = env_redis_url("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
# Embedded mode: no broker, so tasks run in-process; services send them once the write they
# follow has committed (reports.tasks.send), so they still run only after it.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request that sends a task must not wait on a broker that is down: the write it follows
# has committed, the failed send is logged (reports.tasks.send) and the next
# sweep catches up. So a send gives up within about a second: one connection attempt with a
# one-second connect timeout, one quick retry, and a bounded wait on a broker that accepts
# the connection but never answers. The worker keeps Celery's own patient reconnection
# (broker_connection_retry, broker_connection_max_retries), which these do not change.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
    # A task a lost worker had taken goes back to the queue this many seconds after it was
    # delivered (the tasks acknowledge late). Longer than the longest task's time limit
    # (the sweep's 360 s), or a task still running would be delivered a second time.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1),
    # A worker looks for such tasks every 10 s (kombu's default scans only one call in ten:
    # a lost task would wait up to 100 s more than the visibility timeout).
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
}
CELERY_BEAT_SCHEDULE: dict = {
    "flag-overdue-states": {
        "task": "reports.tasks.flag_overdue_states",
        # Every day at 02:30 in CELERY_TIMEZONE, after the working day's entries.
        "schedule": crontab(minute="30", hour="2"),
    },
    "record-dated-events": {
        "task": "instruments.tasks.dated_events_record",
        # Every day at 00:15 in CELERY_TIMEZONE: the entries into force and denunciations
        # taking effect that the new day brings.
        "schedule": crontab(minute="15", hour="0"),
    },
    "webhooks-run": {
        "task": "alerts.tasks.webhooks_run",
        # Every minute: the new events to the webhook endpoints, and the retries now due.
        "schedule": crontab(),
    },
    "alert-mails-run": {
        "task": "alerts.tasks.alert_mails_run",
        # Every minute: one e-mail per immediate subscription for the changes it follows.
        "schedule": crontab(),
    },
    "alert-digests-run": {
        "task": "alerts.tasks.alert_digests_run",
        # Every Monday at 07:00 in CELERY_TIMEZONE: the weekly digests.
        "schedule": crontab(minute="0", hour="7", day_of_week="mon"),
    },
}

# The depositary's status pages, read weekly when DEPOSITARY_CHECK is true (it needs internet
# access): every Monday at 06:00 in CELERY_TIMEZONE. The differences wait for an editor.
DEPOSITARY_CHECK_ENABLED = env_bool("DEPOSITARY_CHECK", default=False)
DEPOSITARY_FETCH_TIMEOUT = env_int("DEPOSITARY_FETCH_TIMEOUT", 30, minimum=1)
_UNTC_PAGE = (
    "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no={}&chapter=18&clang=_en"
)
DEPOSITARY_STATUS_URLS = {
    "untoc": _UNTC_PAGE.format("XVIII-12"),
    "tip": _UNTC_PAGE.format("XVIII-12-a"),
    "som": _UNTC_PAGE.format("XVIII-12-b"),
    "fir": _UNTC_PAGE.format("XVIII-12-c"),
}
if DEPOSITARY_CHECK_ENABLED:
    CELERY_BEAT_SCHEDULE["depositary-check"] = {
        "task": "instruments.tasks.depositary_check",
        "schedule": crontab(minute="0", hour="6", day_of_week="mon"),
    }
# The site's address as readers and editors reach it: every absolute link the site gives
# (permalinks, the feed, the API's page links, e-mails) starts with it, never with the Host
# header a client sent (core/links.py).
SITE_URL = env_site_url("DJANGO_SITE_URL", "http://127.0.0.1:8000")

# --- Cache --------------------------------------------------------------------------------
# "default": the response cache and the API's throttle counts (core/cache.py). With Redis,
# shared by the web processes through django-redis; IGNORE_EXCEPTIONS makes a Redis that is
# down or stalls a miss and a dropped write, never an error page, and the timeouts bound what
# one cache call can cost a request. Without Redis, each process's own memory.
# "local": each process's own memory, for reference data keyed by the data revision.
CACHES = {
    "default": (
        {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.25,
                "SOCKET_TIMEOUT": 0.25,
            },
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "untoc-tracker-responses",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    ),
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "untoc-tracker-local",
        "OPTIONS": {"MAX_ENTRIES": 200},
    },
}
# A cache call that fails is logged (as a warning), then answered as a miss.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "core.cache"

# --- E-mail -------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "untoc-tracker@localhost")
