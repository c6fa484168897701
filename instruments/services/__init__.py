"""Every write to treaty data: actions, declarations and the currency of the status tables.

The back office, the importer, the API and the forms all call these functions, so each
treaty rule is checked in one place. Each write is atomic, is refused whole when it breaks a
rule (a ValidationError naming the field and the rule), keeps its history with who made it,
and tells followers of `treaty_data_changed` which participant changed (instruments.events).

One module per kind of record: `actions` (treaty actions, checked together per
participant), `declarations`, `instrument` (an instrument's own record and the currency of
its status data). Callers import them from here.
"""

from instruments.services.actions import (
    ACTION_FIELDS,
    ActionChanges,
    TreatyRuleError,
    action_delete,
    action_record,
    action_update,
    actions_apply,
    actions_check,
    entry_into_force_checked_once,
)
from instruments.services.declarations import (
    DECLARATION_FIELDS,
    declaration_delete,
    declaration_record,
    declaration_update,
    declaration_violations,
)
from instruments.services.instrument import (
    currency_problems,
    instrument_currency_update,
    instrument_upsert,
)

__all__ = [
    "ACTION_FIELDS",
    "DECLARATION_FIELDS",
    "ActionChanges",
    "TreatyRuleError",
    "action_delete",
    "action_record",
    "action_update",
    "actions_apply",
    "actions_check",
    "currency_problems",
    "declaration_delete",
    "declaration_record",
    "declaration_update",
    "declaration_violations",
    "entry_into_force_checked_once",
    "instrument_currency_update",
    "instrument_upsert",
]
