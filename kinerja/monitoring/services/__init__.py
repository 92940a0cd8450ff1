"""Write operations of execution and monitoring (docs/domain.md §3): one
keyword-only function per action, used by the pages and the API alike, in the
manner of pretix's base/services. Each validates, saves inside a transaction
and records itself in the audit trail. A business rule that refuses is a
ValidationError with an Indonesian message; an action the actor may not take is
a PermissionDenied (kinerja.authz); nothing is saved either way.

The modules follow the subdomains; import from the package:

    from kinerja.monitoring import services
    services.realisasi_save(actor=request.user, iki=iki, period=period, value="6,5")
"""

from .action_plans import action_plan_step_add, action_plan_step_set_done
from .coaching import (
    coaching_session_competency_save,
    coaching_session_create,
    coaching_session_feedback_save,
)
from .daily_logs import daily_log_create, daily_log_delete, daily_log_update
from .dialogues import (
    agreed_action_add,
    agreed_action_set_done,
    dialogue_create,
    dialogue_notes_save,
)
from .evidence import (
    evidence_add_file,
    evidence_add_link,
    evidence_attach,
    evidence_link_check,
    evidence_record_download,
    evidence_review,
)
from .feedback import feedback_ask, feedback_give, feedback_reply
from .notifications import notification_preferences_save, notifications_mark_read
from .realisasi import realisasi_save
from .reports import project_report_save
from .takeovers import rhk_take_over

__all__ = [
    "action_plan_step_add",
    "action_plan_step_set_done",
    "agreed_action_add",
    "agreed_action_set_done",
    "coaching_session_competency_save",
    "coaching_session_create",
    "coaching_session_feedback_save",
    "daily_log_create",
    "daily_log_delete",
    "daily_log_update",
    "dialogue_create",
    "dialogue_notes_save",
    "evidence_add_file",
    "evidence_add_link",
    "evidence_attach",
    "evidence_link_check",
    "evidence_record_download",
    "evidence_review",
    "feedback_ask",
    "feedback_give",
    "feedback_reply",
    "notification_preferences_save",
    "notifications_mark_read",
    "project_report_save",
    "realisasi_save",
    "rhk_take_over",
]
