"""Settings for benchmark runs: the production settings, plus what only the benchmark needs.

The environment makes them production settings (DJANGO_DEBUG=false, a secret key, the
benchmark's own database); on top of the base settings this module only
- mounts the baseline view (bench/urls.py) beside the tracker's own URLs,
- collects static files into a temporary STATIC_ROOT (BENCH_STATIC_ROOT),
- keeps the sweep's e-mail digest in memory, and Celery tasks out of the run: the services
  still send their re-checks after commit, to an in-memory broker nobody reads, so the
  sweep is measured on its own.
"""

import os

from untoc_tracker.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = "memory://localhost/"

# The sweep's digest to SPMU editors is built and sent, into memory rather than to stdout.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
