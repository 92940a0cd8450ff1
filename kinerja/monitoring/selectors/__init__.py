"""Reads of the monitoring pages, the API and the services (docs/domain.md §3).
A read never writes. Each page's rows come from here with their
`select_related`/`prefetch_related`, so the query count stays fixed: the
dashboards run the same number of queries whatever the team's or the agency's
size (tested at two sizes).

- `access`: what a user may see (Q filters);
- `people`: the SKP in force, raters and the org chart, employees to choose from;
- `periods`: the periods and whether realisasi may be entered;
- `rhk`: RHK, action plans, takeovers, project reports and the RHK's page;
- `realisasi`: realisasi, IKI, capaian and progress, and the summary the evaluation reads;
- `logs`: evidence and daily logs;
- `feedback`: feedback threads, requests and the feedback page;
- `dashboards`: the employee's, the team's and the units' dashboards;
- `inbox`: notifications and their preferences;
- `coaching`: coaching, mentoring and counselling sessions;
- `dialogues`: performance dialogues and their agreed actions.
"""

from .access import (
    agreed_action_q,
    coaching_q,
    dialogue_q,
    employee_q,
    evidence_q,
    feedback_q,
    rhk_q,
    same_agency_q,
)
from .coaching import coaching_list, coaching_session_queryset, has_coaching
from .dashboards import (
    HEATMAP_WEEKS,
    RECENT_DAYS,
    STREAM_SIZE,
    EmployeeDashboard,
    TeamDashboard,
    UnitDashboard,
    employee_dashboard,
    team_dashboard,
    unit_dashboard,
)
from .dialogues import (
    agreed_action_queryset,
    dialogue_actions,
    dialogue_list,
    dialogue_queryset,
    is_participant,
)
from .feedback import (
    FeedbackOverview,
    feedback_overview,
    feedback_queryset,
    feedback_request_for,
    thread,
)
from .inbox import daily_digest_on, notification_preferences, notifications, unread_count
from .logs import (
    daily_log_detail_queryset,
    daily_log_queryset,
    daily_logs_of,
    evidence_file_queryset,
    evidence_queryset,
)
from .people import (
    agency_employees,
    current_skp,
    direct_report_employees,
    direct_reports,
    employee_queryset,
    employees_by_ids,
    employees_with_user,
    feedback_source,
    is_above,
    is_rater,
    rater_of,
)
from .periods import (
    current_period,
    open_periods,
    period_closed,
    period_for_date,
    period_open,
    periods_of_year,
)
from .realisasi import (
    RhkSummary,
    capaian,
    iki_queryset,
    progress_table,
    realisasi_by_period,
    realisasi_of,
    realisasi_queryset,
    rhk_summary,
)
from .rhk import (
    RhkPage,
    action_plan_step_queryset,
    agency_rhks,
    current_rhks,
    is_taken_over,
    is_team_member,
    project_report_of,
    rhk_detail_queryset,
    rhk_page,
    rhks_of_skp,
    takeovers_for_skp,
)

__all__ = [
    "EmployeeDashboard",
    "FeedbackOverview",
    "HEATMAP_WEEKS",
    "RECENT_DAYS",
    "RhkPage",
    "RhkSummary",
    "STREAM_SIZE",
    "TeamDashboard",
    "UnitDashboard",
    "action_plan_step_queryset",
    "agency_employees",
    "agency_rhks",
    "agreed_action_q",
    "agreed_action_queryset",
    "capaian",
    "coaching_list",
    "coaching_q",
    "coaching_session_queryset",
    "current_period",
    "current_rhks",
    "current_skp",
    "daily_log_detail_queryset",
    "daily_log_queryset",
    "daily_logs_of",
    "dialogue_actions",
    "dialogue_list",
    "dialogue_q",
    "dialogue_queryset",
    "direct_report_employees",
    "direct_reports",
    "employee_dashboard",
    "employee_q",
    "employee_queryset",
    "employees_by_ids",
    "employees_with_user",
    "evidence_file_queryset",
    "evidence_q",
    "evidence_queryset",
    "feedback_overview",
    "feedback_q",
    "feedback_queryset",
    "feedback_request_for",
    "feedback_source",
    "has_coaching",
    "iki_queryset",
    "is_above",
    "is_participant",
    "is_rater",
    "is_taken_over",
    "is_team_member",
    "daily_digest_on",
    "notification_preferences",
    "notifications",
    "open_periods",
    "period_closed",
    "period_for_date",
    "period_open",
    "periods_of_year",
    "progress_table",
    "project_report_of",
    "rater_of",
    "realisasi_by_period",
    "realisasi_of",
    "realisasi_queryset",
    "rhk_detail_queryset",
    "rhk_page",
    "rhk_q",
    "rhk_summary",
    "rhks_of_skp",
    "same_agency_q",
    "takeovers_for_skp",
    "team_dashboard",
    "thread",
    "unit_dashboard",
    "unread_count",
]
