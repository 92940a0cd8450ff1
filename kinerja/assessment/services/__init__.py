"""Write operations of penilaian kinerja: one keyword-only function per action,
called by the pages, the API, the jobs and the commands alike. Each checks who
acts (kinerja.authz: PermissionDenied), then the rules (ValidationError with an
Indonesian message, nothing changed), saves inside a transaction and records
itself in the audit trail. The reads they share are kinerja.assessment.selectors.

Every rule and number comes from kinerja.rules (the predikat matrix, the
proposal of the rating hasil kerja, the distribution quotas, working days);
this package only wires them to the data and the people.

Who may do what (PermenPANRB 6/2022 lampiran Bab IV-V, docs/domain.md §1, §4, §5):
- the SKP's rater rates within the evaluation window; after it, the rater's
  superior rates and that result is final (no appeal)        -> rating
- the rater (or whoever rated) finalises, signs and delivers; the employee
  acknowledges; admin BKD records the report to the PyB     -> rating, workflow
- the employee's self-assessment and the rekan kerja's input -> inputs
- admin BKD's settings, days off and distribution policy   -> policy
- admin BKD's organisation grades (one unit, a subtree, an import) -> grades
- the tim penilai kinerja (or admin BKD) calibrates each unit's annual
  predikat                                                  -> calibration
- the employee appeals within 14 working days of delivery; the rater's
  superior decides within 7; lapses are escalated to admin BKD -> appeals
- the printed documents, frozen for verification            -> documents

Mid-year move (documented rule): an employee with two SKP in the year has a
periodic evaluation per SKP and period (each by that SKP's rater); the annual
evaluation belongs to the SKP in force at year end, lists the RHK of both
SKP (both parts, with the earlier rater's periodic results shown beside them),
and the rater at year end decides it.
"""

from .appeals import (
    appeal_decide,
    appeal_escalate_lapsed,
    appeal_evidence_add,
    appeal_evidence_path,
    appeal_evidence_record_download,
    appeal_explain,
    appeal_file,
    appeal_request_explanations,
)
from .calibration import (
    calibration_change,
    calibration_close,
    calibration_open,
    calibration_reapply_grades,
)
from .close import annual_close_start
from .deadlines import superior_lapses_notify
from .documents import document_issue
from .grades import GradeEntry, org_grade_set, org_grades_import, org_grades_set
from .inputs import (
    peer_input_request,
    peer_input_submit,
    self_assessment_open,
    self_assessment_submit,
)
from .policy import day_off_add, org_performance_set, policy_rule_update, settings_update
from .rating import check_can_rate, evaluation_finalise, evaluation_for, evaluation_rate
from .workflow import (
    evaluation_acknowledge,
    evaluation_deliver,
    evaluation_report,
    evaluation_sign,
)

__all__ = [
    "GradeEntry",
    "superior_lapses_notify",
    "annual_close_start",
    "appeal_decide",
    "appeal_evidence_add",
    "appeal_evidence_path",
    "appeal_evidence_record_download",
    "appeal_escalate_lapsed",
    "appeal_explain",
    "appeal_file",
    "appeal_request_explanations",
    "calibration_change",
    "calibration_close",
    "calibration_reapply_grades",
    "calibration_open",
    "check_can_rate",
    "day_off_add",
    "document_issue",
    "evaluation_acknowledge",
    "evaluation_deliver",
    "evaluation_finalise",
    "evaluation_for",
    "evaluation_rate",
    "evaluation_report",
    "evaluation_sign",
    "org_grade_set",
    "org_grades_import",
    "org_grades_set",
    "org_performance_set",
    "peer_input_request",
    "peer_input_submit",
    "policy_rule_update",
    "self_assessment_open",
    "self_assessment_submit",
    "settings_update",
]
