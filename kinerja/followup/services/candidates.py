"""The candidates lists after an annual close (set-based, idempotent), and deciding them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import audited_update
from kinerja.org.access import compute_access
from kinerja.org.models import Agency, User
from kinerja.planning.models import PerformanceYear
from kinerja.rules import followup as rules

from .. import selectors
from ..models import Candidate, FollowupRule, Outcome
from .common import check_not_under_appeal, record_batch
from .rules import rule_defaults_ensure


def candidates_generate(*, agency: Agency, year: PerformanceYear, actor: User | None = None) -> int:
    """Candidates of every active rule for the performance year `year`, set-based and
    idempotent: existing (year, employee, outcome) rows are left as they are. Returns the
    number of new candidates."""
    rule_defaults_ensure(agency=agency, actor=actor)
    active = list(selectors.rules_for(agency, active_only=True))
    max_years = max((r.years for r in active), default=1)
    rule_years = None
    if all(r.consecutive for r in active):
        rule_years = range(year.year - max_years + 1, year.year + 1)
    history = selectors.annual_predikat_history(agency, years=rule_years)
    evaluations = selectors.annual_evaluations(agency, year.year)
    existing = set(
        Candidate.objects.filter(agency=agency, year=year).values_list("employee_id", "outcome")
    )
    by_key: dict[int | None, FollowupRule] = {r.pk: r for r in active}
    plain = [r.as_rule() for r in active]
    new = []
    for employee_id, rows in history.items():
        if employee_id not in evaluations:
            continue
        for outcome, rule in rules.evaluate(plain, rows, year.year).items():
            if (employee_id, outcome.value) in existing:
                continue
            window = [[y, p] for y, p in rows if y <= year.year][: rule.years]
            new.append(
                Candidate(
                    agency_id=agency.pk,
                    year=year,
                    employee_id=employee_id,
                    outcome=outcome.value,
                    rule=by_key[rule.key],
                    evaluation_id=evaluations[employee_id],
                    history=window,
                )
            )
    with transaction.atomic():
        created = Candidate.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
        record_batch(
            "followup.candidates.generate",
            agency=agency,
            actor=actor,
            target_type="followup.candidate",
            after={"year": year.year, "created": len(created), "rules": len(active)},
        )
    return len(created)


@transaction.atomic
def candidate_decide(
    *, actor: User, candidate: Candidate, accept: bool, note: str | None = ""
) -> Candidate:
    """Accept or reject a pending candidate (admin BKD or the head of the employee's unit);
    a rejection needs a reason, an award waits for an appeal on its evaluation."""
    if not selectors.can_decide(compute_access(actor), candidate.employee):
        raise PermissionDenied(_("Hanya admin BKD atau pimpinan unit yang dapat memutuskan."))
    # The row is locked and its stored status read: of two simultaneous
    # decisions the second sees the first (the caller's instance keeps its
    # annotations for the response).
    candidate.status = (
        Candidate.objects.select_for_update()
        .filter(pk=candidate.pk)
        .values_list("status", flat=True)
        .get()
    )
    if candidate.status != Candidate.Status.PENDING:
        raise ValidationError(_("Kandidat ini sudah diputuskan."))
    note = (note or "").strip()
    if not accept and not note:
        raise ValidationError(_("Tuliskan alasan penolakan."))
    if accept and candidate.outcome == Outcome.AWARD and candidate.evaluation:
        check_not_under_appeal(candidate.evaluation)
    with transaction.atomic():
        audited_update(
            candidate,
            "followup.candidate.decide",
            actor=actor,
            agency=candidate.employee.agency,
            subject=candidate.employee,
            changes={
                "status": Candidate.Status.ACCEPTED if accept else Candidate.Status.REJECTED,
                "decided_by": actor,
                "decided_at": timezone.now(),
                "note": note,
            },
            fields=["status", "note"],
        )
    return candidate
