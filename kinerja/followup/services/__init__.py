"""Writes of the follow-up app (docs/domain.md §6), one module per subdomain:

- `rules`: the agency's rules and allowance factors (and the regulation's defaults);
- `candidates`: the candidates lists after an annual close, and deciding them;
- `awards`: awards and sanctions recorded for an employee;
- `training`: the course catalogue and participation records (JP);
- `development`: development plans and mentor pairings;
- `credit_points`: angka kredit of functional employees;
- `corrections`: corrections and withdrawals of those records, with a reason, never deleted;
- `reports`: recording exports of the follow-up report.

Every function is keyword-only: it checks who acts (`kinerja.authz`; a refusal is
`PermissionDenied` with a message), validates (a business refusal is `ValidationError` with an
Indonesian message; nothing is saved then), saves and records the change in the audit trail.
Callers import from this package: `from kinerja.followup import services`.
"""

from .awards import award_create, sanction_create, sanction_set_status
from .candidates import candidate_decide, candidates_generate
from .corrections import (
    award_correct,
    award_withdraw,
    credit_points_correct,
    credit_points_withdraw,
    development_plan_withdraw,
    mentor_pairing_correct,
    mentor_pairing_withdraw,
    sanction_correct,
    sanction_withdraw,
)
from .credit_points import credit_points_convert, credit_points_record
from .development import development_plan_save, mentor_pairing_create
from .reports import record_export
from .rules import allowance_update, rule_defaults_ensure, rule_save
from .training import course_save, training_record_create

__all__ = [
    "allowance_update",
    "award_correct",
    "award_create",
    "award_withdraw",
    "candidate_decide",
    "candidates_generate",
    "course_save",
    "credit_points_convert",
    "credit_points_correct",
    "credit_points_record",
    "credit_points_withdraw",
    "development_plan_save",
    "development_plan_withdraw",
    "mentor_pairing_correct",
    "mentor_pairing_create",
    "mentor_pairing_withdraw",
    "record_export",
    "rule_defaults_ensure",
    "rule_save",
    "sanction_correct",
    "sanction_create",
    "sanction_set_status",
    "sanction_withdraw",
    "training_record_create",
]
