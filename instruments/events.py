"""Events that other apps may follow without instruments knowing them.

Dependencies run reports -> instruments -> states, so instruments cannot call reports when
treaty data change. Services announce the participants a write changed with
`treaty_changes.add(ids)`, inside the writing transaction; a receiver of
`treaty_data_changed` that starts work must defer it to after commit (e.g.
`task.delay_on_commit`). Inside `treaty_changes.batched()` (a load writing many
participants' data) the announcements go out once, together, at the end of the block.
"""

from django.dispatch import Signal

from core.batching import IdBatch

# Sent with `participant_ids`: the participants whose treaty data a write changed.
treaty_data_changed = Signal()


def _announce(participant_ids: list[int]) -> None:
    treaty_data_changed.send(sender=None, participant_ids=participant_ids)


treaty_changes = IdBatch("treaty_changes", _announce)
