"""Write operations of performance planning: one keyword-only function per
action, called by the pages, the API, the jobs and the org-change signals
alike. Each validates, saves inside a transaction and records itself in the
audit trail. A business rule that refuses raises `ValidationError` with an
Indonesian message, an action this user may not take `PermissionDenied`
(kinerja.authz); either way nothing is changed. Reads live in `..selectors`.
The rules they apply are in docs/domain.md §1 (the year) and §2 (the SKP).

By subdomain:
- `years`: the performance year, its periods and sasaran strategis;
- `skp`: an SKP as a whole (created, closed on a move or leave, approach,
  ekspektasi khusus, lampiran);
- `rhk` and `iki`: its results and indicators, and the links up the cascade;
- `workflow`: submit, approve, return, revise, with the approved versions;
- `matrix`: the matriks peran hasil;
- `calendar`: the year's calendar and the units' own dates;
- `_shared`: the checks they share.
"""

from .calendar import (
    PeriodDates,
    calendar_override_add,
    calendar_override_remove,
    calendar_override_update,
    calendar_update,
)
from .iki import IKI_FIELDS, iki_add, iki_delete, iki_manual_set, iki_update
from .matrix import rhk_matrix_assign
from .rhk import rhk_add, rhk_delete, rhk_link, rhk_update
from .skp import (
    expectation_rows,
    skp_approach_set,
    skp_create,
    skp_expectations_set,
    skp_handle_leave,
    skp_handle_move,
    skp_lampiran_set,
    skp_print,
)
from .workflow import skp_approve, skp_return, skp_revise, skp_submit
from .years import org_goal_create, year_close, year_create, year_open

__all__ = [
    "PeriodDates",
    "calendar_override_add",
    "calendar_override_remove",
    "calendar_override_update",
    "calendar_update",
    "IKI_FIELDS",
    "expectation_rows",
    "iki_add",
    "iki_delete",
    "iki_manual_set",
    "iki_update",
    "org_goal_create",
    "rhk_add",
    "rhk_delete",
    "rhk_link",
    "rhk_matrix_assign",
    "rhk_update",
    "skp_approach_set",
    "skp_approve",
    "skp_create",
    "skp_expectations_set",
    "skp_handle_leave",
    "skp_handle_move",
    "skp_lampiran_set",
    "skp_print",
    "skp_return",
    "skp_revise",
    "skp_submit",
    "year_close",
    "year_create",
    "year_open",
]
