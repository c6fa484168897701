"""The instruments app's models, one module per seam: the treaty record (treaty), the
depositary's notifications under review (depositary), and what the record is checked against
(quality)."""

from instruments.models.depositary import DepositaryBatch, DepositaryProposal
from instruments.models.quality import DepositaryCheckpoint, OpenQuestion
from instruments.models.treaty import Declaration, Instrument, TreatyAction

__all__ = [
    "Declaration",
    "DepositaryBatch",
    "DepositaryCheckpoint",
    "DepositaryProposal",
    "Instrument",
    "OpenQuestion",
    "TreatyAction",
]
