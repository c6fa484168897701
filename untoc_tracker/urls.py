from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from untoc_tracker.api import router

admin.site.site_header = "UNTOC Tracker back office"
admin.site.site_title = "UNTOC Tracker"
admin.site.index_title = "Treaty data"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    # The public pages.
    path("", include("instruments.urls")),
    path("", include("reports.urls")),
]

# Under /api/ a missing URL or a server failure answers in the API's error shape.
handler404 = "untoc_tracker.rest.errors.not_found"
handler500 = "untoc_tracker.rest.errors.server_error"
