"""Reads of penilaian kinerja, for the pages, the API, the printed documents and
the services alike.

A read never writes: what an agency has not set yet (its settings, its
distribution policy) is answered with the regulation's defaults, unsaved; the
services that change them create the rows. The list reads run a fixed number of
queries whatever the number of employees (tested at two sizes).

- `evaluations`: what a user may see of the evaluations and peer inputs, and the
  employee's, the rater's and the team's pages;
- `rating`: one evaluation's window, RHK, proposal and rating page;
- `grades`: the organisation grade that holds for a unit (own or inherited);
- `policy`: the agency's settings, calendar (days off, periods) and distribution policy;
- `calibration`: the calibration units, their distribution and the quotas;
- `appeals`: what a user may see of the appeals, and whether one may be filed;
- `documents`: the evaluation documents;
- `close`: what the annual close will leave without a final result;
- `predikat`: the one current predikat of an evaluation and its history.
"""

from .appeals import (
    appeal_blocked_reason,
    appeal_detail_queryset,
    appeal_filter,
    appeal_of,
    decider_appeals,
    escalated_appeals,
)
from .calibration import (
    CalibrationGroups,
    CalibrationRow,
    CalibrationState,
    CalibrationUnit,
    calibration_detail_queryset,
    calibration_evaluations,
    calibration_filter,
    calibration_groups,
    calibration_state,
    calibration_units,
    predikat_counts,
    violations,
)
from .close import CloseGaps, close_gaps, last_window_opens
from .documents import document_by_token, document_kinds, latest_document_version
from .evaluations import (
    EVALUATION_RELATED,
    SelfOpen,
    TeamRow,
    employee_evaluations,
    employees_in_agency,
    evaluation_detail_queryset,
    evaluation_filter,
    evaluation_in_agency,
    evaluation_peers,
    evaluation_queryset,
    notices_for,
    open_peer_requests,
    peer_choices,
    peer_input_detail_queryset,
    peer_input_filter,
    peer_input_queryset,
    self_assessment_of,
    self_assessment_openable,
    team,
)
from .grades import (
    EffectiveGrade,
    GradeNode,
    GradeNotice,
    Ungraded,
    effective_grade,
    grade_children,
    grade_map,
    grade_notice,
    grade_tree,
    org_grade_for,
    ungraded_units,
)
from .policy import (
    agency_days_off,
    current_period,
    days_off,
    default_policy_rules,
    period_of_year,
    periods_of,
    policy_for,
    policy_rules,
    quota_rule,
    settings_for,
    working_days_after,
)
from .predikat import (
    PredikatStep,
    current_of,
    current_predikat,
    predikat_history,
    predikat_label,
    predikat_map,
)
from .rating import (
    REASON_UNIT_HEAD,
    Proposal,
    headed_unit_id,
    monitoring_by_rhk,
    proposal,
    rater_unit_id,
    rating_context,
    rhk_ids_for,
    unit_in_agency,
    window,
    year_end_skp,
)

__all__ = [
    "CloseGaps",
    "close_gaps",
    "last_window_opens",
    "CalibrationGroups",
    "CalibrationRow",
    "CalibrationState",
    "CalibrationUnit",
    "EVALUATION_RELATED",
    "EffectiveGrade",
    "PredikatStep",
    "Proposal",
    "REASON_UNIT_HEAD",
    "SelfOpen",
    "TeamRow",
    "GradeNode",
    "GradeNotice",
    "Ungraded",
    "agency_days_off",
    "appeal_blocked_reason",
    "appeal_detail_queryset",
    "appeal_filter",
    "appeal_of",
    "calibration_detail_queryset",
    "calibration_evaluations",
    "calibration_filter",
    "calibration_groups",
    "calibration_state",
    "calibration_units",
    "current_period",
    "current_of",
    "current_predikat",
    "days_off",
    "decider_appeals",
    "default_policy_rules",
    "document_by_token",
    "document_kinds",
    "effective_grade",
    "employee_evaluations",
    "employees_in_agency",
    "escalated_appeals",
    "evaluation_detail_queryset",
    "evaluation_filter",
    "evaluation_in_agency",
    "evaluation_queryset",
    "grade_children",
    "grade_map",
    "grade_notice",
    "grade_tree",
    "headed_unit_id",
    "latest_document_version",
    "monitoring_by_rhk",
    "notices_for",
    "open_peer_requests",
    "org_grade_for",
    "peer_choices",
    "peer_input_detail_queryset",
    "peer_input_filter",
    "peer_input_queryset",
    "evaluation_peers",
    "period_of_year",
    "periods_of",
    "policy_for",
    "policy_rules",
    "predikat_counts",
    "predikat_history",
    "predikat_label",
    "predikat_map",
    "proposal",
    "quota_rule",
    "rater_unit_id",
    "rating_context",
    "rhk_ids_for",
    "self_assessment_of",
    "self_assessment_openable",
    "settings_for",
    "team",
    "ungraded_units",
    "unit_in_agency",
    "violations",
    "window",
    "year_end_skp",
    "working_days_after",
]
