"""The one API router: every resource of every app is registered here, under /api/v1/.

Resources build on core.rest (ApiViewSet, error shape, parameters, ETags, exports).
"""

from rest_framework.routers import DefaultRouter

from alerts.api.views import ChangeViewSet
from alerts.api.webhooks import WebhookViewSet
from instruments.api.views import (
    ActionViewSet,
    DeclarationViewSet,
    InstrumentViewSet,
    StateViewSet,
    StatusViewSet,
)
from reports.api.authorities import AuthorityViewSet
from reports.api.views import (
    DataQualityViewSet,
    FlagViewSet,
    HistoryViewSet,
    ObligationViewSet,
    StandingViewSet,
    SubmissionViewSet,
)

router = DefaultRouter()
# Formats are chosen with ?format= (json, csv, xlsx). The router's suffix routes
# (states.json, actions/42.csv) passed a `format` argument the viewsets do not take: a 500.
router.include_format_suffixes = False
router.register("states", StateViewSet, basename="state")
router.register("instruments", InstrumentViewSet, basename="instrument")
router.register("status", StatusViewSet, basename="status")
router.register("actions", ActionViewSet, basename="action")
router.register("declarations", DeclarationViewSet, basename="declaration")
router.register("history", HistoryViewSet, basename="history")
router.register("obligations", ObligationViewSet, basename="obligation")
router.register("submissions", SubmissionViewSet, basename="submission")
router.register("flags", FlagViewSet, basename="flag")
router.register("standings", StandingViewSet, basename="standing")
router.register("data-quality", DataQualityViewSet, basename="data-quality")
router.register("authorities", AuthorityViewSet, basename="authority")
router.register("changes", ChangeViewSet, basename="change")
router.register("webhooks", WebhookViewSet, basename="webhook")
