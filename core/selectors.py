"""Reads of the shared machinery."""

from core.models import DataRevision


def data_revision() -> int:
    """The number of committed changes to tracker data so far (one query)."""
    number = DataRevision.objects.filter(pk=1).values_list("number", flat=True).first()
    return number or 0
