from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from core.languages import language_choose
from core.rest.auth import TokenDetailView, TokenListView, TokenLoginView
from core.rest.docs import DocsView, SchemaView
from untoc_tracker.api import router
from untoc_tracker.health import healthz

admin.site.site_header = "UNTOC Tracker back office"
admin.site.site_title = "UNTOC Tracker"
admin.site.index_title = "Treaty data"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/auth/token/", TokenLoginView.as_view(), name="auth-token"),
    path("api/v1/auth/tokens/", TokenListView.as_view(), name="auth-token-list"),
    path("api/v1/auth/tokens/<uuid:uid>/", TokenDetailView.as_view(), name="auth-token-detail"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    # The split view loads Swagger UI's start-up script from a URL rather than inline, so the
    # docs run under the Content-Security-Policy; the template drops the inline styles.
    path(
        "api/docs/",
        DocsView.as_view(url_name="schema", template_name="api_docs.html"),
        name="api-docs",
    ),
    path("healthz", healthz, name="healthz"),
    # The language switch: remembers the choice, then shows the page in that language.
    path("language/<slug:code>/", language_choose, name="language-choose"),
]
# The public pages, in each language: English without a prefix (the URLs as they always
# were), the others under theirs (/fr/status/). The back office and the API stay unprefixed
# (core/languages.py says which language they speak).
urlpatterns += i18n_patterns(
    path("", include("instruments.urls")),
    path("", include("reports.urls")),
    path("", include("alerts.urls")),
    # Focal points: a State's own submissions, behind a second factor.
    path("", include("focal.urls")),
    prefix_default_language=False,
)

# Under /api/ a bad request, a refusal, a missing URL or a server failure answers in the
# API's error shape.
handler400 = "core.rest.errors.bad_request"
handler403 = "core.rest.errors.permission_denied"
handler404 = "core.rest.errors.not_found"
handler500 = "core.rest.errors.server_error"
