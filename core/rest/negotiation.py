"""Content negotiation that refuses an unknown `?format=` with a 400 naming it.

The REST framework answers an unknown format with 404, as if the resource were missing;
a client that typed `format=xls` deserves to hear which formats there are.
"""

from collections.abc import Sequence
from typing import Any

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
                            f"format={wanted} is not offered here; use one of: {', '.join(known)}.",
                        )
                    ]
                )
        return super().select_renderer(request, renderers, format_suffix)
