"""Events that other apps may follow without instruments knowing them.

Dependencies run reports -> instruments -> states, so instruments cannot call reports when
treaty data change. Services send `treaty_data_changed` inside the writing transaction;
a receiver that starts work must defer it to after commit (e.g. `task.delay_on_commit`).
"""

from django.dispatch import Signal

# Sent with `participant_ids`: the participants whose treaty data a write changed.
treaty_data_changed = Signal()
