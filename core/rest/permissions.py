"""Who may do what through the API.

Anyone reads the treaty data. A write needs the model permission for it ("add", "change" or
"delete" on the resource's model), which the SPMU editors group and administrators hold and
delegation viewers do not. Not signed in: 401 (the token scheme is named in
WWW-Authenticate); signed in without the permission: 403.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

WRITE_ACTIONS = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


class ReadsPublicWritesByPermission(BasePermission):
    """Reads for anyone; writes need the model permission. The model is the view's queryset's."""

    reads_public = True  # the response cache may serve it (core.cache.public_read)

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if getattr(view, (request.method or "").lower(), None) is None:
            return True  # the resource does not offer this method: let it answer 405
        user = request.user
        if not (user and user.is_authenticated):
            return False
        action = WRITE_ACTIONS.get(request.method or "")
        queryset = getattr(view, "queryset", None)
        if action is None or queryset is None:
            return False
        meta = queryset.model._meta
        return user.has_perm(f"{meta.app_label}.{action}_{meta.model_name}")


class StaffOnly(BasePermission):
    """Signed-in staff (SPMU editors, delegation viewers, administrators), reading only."""

    message = _("Only staff may read this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(
            request.method in SAFE_METHODS and user and user.is_authenticated and user.is_staff
        )
