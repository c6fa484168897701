from django.db import models


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
