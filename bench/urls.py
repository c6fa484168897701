"""The tracker's URLs, plus the baseline view that only benchmark runs mount."""

from django.urls import path

from bench.baseline import status_baseline
from untoc_tracker.urls import handler404, handler500
from untoc_tracker.urls import urlpatterns as tracker_urlpatterns

urlpatterns = [
    path("bench/baseline/status/", status_baseline, name="bench-baseline-status"),
    *tracker_urlpatterns,
]

__all__ = ["handler404", "handler500", "urlpatterns"]
