"""The site's own "not found" answer in every mode.

Django answers a 404 with its debug page (which lists every route) when DEBUG is on, as it
is in the default `make run` mode, and with handler404 only when it is off. A reader who
mistypes an address should get the same page either way, so this middleware answers every
404 with handler404's answer (core.rest.errors.not_found: the error shape under /api/, the
site's page elsewhere).
"""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse

from core.rest.errors import not_found


class SiteNotFoundMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # No route matched: Django made the answer before any view ran.
        if response.status_code == 404 and getattr(request, "resolver_match", None) is None:
            return not_found(request, Http404())
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A view's Http404 (an unknown participant or instrument)."""
        if isinstance(exception, Http404):
            return not_found(request, exception)
        return None
