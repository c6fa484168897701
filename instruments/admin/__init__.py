"""The SPMU back office for treaty data: thin forms over the services, with history on every
record, one module per record (the kit they share is core.admin). Importing the package
registers them all."""

from instruments.admin import (
    actions,
    declarations,
    depositary,
    instruments,
    participants,
    quality,
)

__all__ = ["actions", "declarations", "depositary", "instruments", "participants", "quality"]
