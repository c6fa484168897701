"""The back-office groups, made by a data migration (instruments 0002)."""

SPMU_EDITORS = "SPMU editors"
DELEGATION_VIEWERS = "Delegation viewers"
