"""Content negotiation that refuses an unknown `?format=` with a 400 naming it.

The REST framework answers an unknown format with 404, as if the resource were missing;
a client that typed `format=xls` deserves to hear which formats there are. A method the
resource does not allow is a 405 whatever the format: the format is not looked at then,
and the refusal is JSON.
"""

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request

from core.rest.errors import ParameterError, Problem


class StrictFormatNegotiation(DefaultContentNegotiation):
    def select_renderer(
        self,
        request: Request,
        renderers: Sequence[BaseRenderer],
        format_suffix: str | None = None,
    ) -> tuple[BaseRenderer, Any]:
        if not _method_allowed(request):
            json = next((r for r in renderers if r.format == "json"), renderers[0])
            return json, json.media_type  # for the 405 that follows
        format_query_param = self.settings.URL_FORMAT_OVERRIDE
        wanted = format_suffix or request.query_params.get(format_query_param)
        if wanted:
            known = [renderer.format for renderer in renderers]
            if wanted not in known:
                raise ParameterError(
                    [
                        Problem(
                            format_query_param,
                            "invalid_choice",
                            _("format=%(wanted)s is not offered here; use one of: %(known)s.")
                            % {"wanted": wanted, "known": ", ".join(known)},
                        )
                    ]
                )
        return super().select_renderer(request, renderers, format_suffix)


def _method_allowed(request: Request) -> bool:
    """Whether the view has a handler for the request's method, as APIView.dispatch asks."""
    view = (request.parser_context or {}).get("view")
    method = (request.method or "").lower()
    if view is None:
        return True
    return method in view.http_method_names and hasattr(view, method)
