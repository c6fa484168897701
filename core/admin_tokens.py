"""API tokens in the back office: administrators see every user's tokens (their names and
dates, never the tokens, which are not kept) and revoke one by deleting it. Tokens are made
only by the token login, which shows the token to its owner once."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from core.admin import DeclaredLookupsOnlyMixin
from core.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(DeclaredLookupsOnlyMixin, admin.ModelAdmin):
    list_display = ["user", "name", "created", "expiry"]
    list_filter = ["expiry"]
    search_fields = ["user__username", "name"]
    fields = ["user", "name", "uid", "created", "expiry"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
