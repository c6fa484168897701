import uuid

from django.db import models
from knox.models import AbstractAuthToken


class DataRevision(models.Model):
    """One row counting every committed change to tracker data.

    Every service that writes bumps it in the same transaction, so pages and the API can
    derive ETags and cache keys from one cheap read and never serve a stale answer.
    """

    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        # The table it had when it lived in states: moved without copying a row.
        db_table = "states_datarevision"

    def __str__(self) -> str:
        return f"revision {self.number}"


class ApiToken(AbstractAuthToken):
    """An API token (django-rest-knox): only its SHA-512 hash is kept, the token itself is
    shown once, when it is made. It ends at `expiry`, when its owner revokes it, and when the
    owner's password changes or the account is deactivated (core/tokens.py)."""

    uid = models.UUIDField("id", default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=100, help_text="What the token is for, as its owner put it.")

    class Meta:
        verbose_name = "API token"
        ordering = ["user", "created"]

    def __str__(self) -> str:
        return f"{self.user}: {self.name}"
