"""Pembinaan kinerja (PermenPANRB 6/2022 art. 21; docs/domain.md §3): coaching
(form B.1.6) and mentoring (B.1.7) with the employee's feedback on the session
(B.1.8) and the coach's competency evaluation (B.1.9), and counselling (B.1.10)."""

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import audited, record
from kinerja.authz import require_employee
from kinerja.org.models import Employee, User
from kinerja.planning import berakhlak

from ..forms_text import COMPETENCY_SCALE, RECORD_HEADINGS, SESSION_FEEDBACK_ITEMS
from ..models import CoachingSession, Notification
from ..notify import notify_employee
from ..selectors import is_above, is_rater
from ._checks import clean_text, require_same_agency

#: One row of a competency evaluation as the page or the API (JSON) sends it.
CompetencyScore = Mapping[str, Any]


def _counselled_value(kind: str, value: int | str | None) -> int | None:
    """Counselling is about one BerAKHLAK core value; the other kinds have none."""
    if kind != CoachingSession.Kind.COUNSELLING:
        return None
    code = None
    if value is not None and value != "":
        try:
            code = int(value)
        except ValueError:
            code = None
    if code not in berakhlak.CODES:
        raise ValidationError(_("Konseling kinerja: pilih nilai dasar BerAKHLAK yang dibahas."))
    return code


@transaction.atomic
def coaching_session_create(
    *,
    actor: User,
    employee: Employee,
    kind: str,
    date: dt.date,
    topic: str,
    details: Mapping[str, str] | None = None,
    follow_up: str = "",
    place: str = "",
    value: int | str | None = None,
    today: dt.date | None = None,
) -> CoachingSession:
    """Records a coaching/mentoring session or a counselling (forms B.1.6,
    B.1.7, B.1.10). The rater, or a superior higher in the chain (coaching may
    be given by another assigned person, who reports to the rater)."""
    today = today or timezone.localdate()
    me = require_employee(actor)
    if employee.agency_id != me.agency_id:
        raise ValidationError(_("Pegawai berasal dari instansi lain."))
    if kind not in CoachingSession.Kind.values:
        raise ValidationError(_("Jenis pembinaan tidak dikenal."))
    if employee.pk == me.pk:
        raise ValidationError(_("Anda tidak dapat membina diri sendiri."))
    if not (is_rater(me, employee, today) or is_above(me, employee)):
        raise PermissionDenied(
            _("Hanya pejabat penilai atau atasan pegawai yang mencatat pembinaan.")
        )
    if not isinstance(date, dt.date) or date > today:
        raise ValidationError(_("Tanggal pembinaan tidak boleh di masa depan."))
    topic = clean_text(topic, _("Topik"), limit=300)
    headings = {key for key, _heading in RECORD_HEADINGS[kind]}
    sections = {
        key: clean_text(text, key, required=False)
        for key, text in (details or {}).items()
        if key in headings
    }
    session = CoachingSession(
        agency_id=me.agency_id,
        kind=kind,
        employee=employee,
        coach=me,
        date=date,
        place=clean_text(place, _("Tempat"), required=False, limit=200),
        topic=topic,
        value=_counselled_value(kind, value),
        details=sections,
        follow_up=clean_text(follow_up, _("Tindak lanjut"), required=False),
    )
    with audited(session, "monitoring.coaching.create", actor=actor, subject=employee):
        session.save()
    notify_employee(
        employee,
        kind=Notification.Kind.COACHING,
        text=_("%(name)s mencatat %(kind)s untuk Anda; isi umpan balik Anda atas sesi ini.")
        % {"name": me.full_name, "kind": session.get_kind_display()},
        url=reverse("monitoring:coaching_detail", args=[session.pk]),
        agency_id=session.agency_id,
    )
    return session


@transaction.atomic
def coaching_session_feedback_save(
    *,
    actor: User,
    session: CoachingSession,
    answers: Iterable[bool | None] | None,
    comment: str = "",
) -> CoachingSession:
    """B.1.8: nine agree (True) / disagree (False) items, by the employee."""
    me = require_employee(actor)
    require_same_agency(actor, session)
    if session.employee_id != me.pk:
        raise PermissionDenied(_("Umpan balik sesi diisi oleh pegawai yang dibina."))
    if session.kind == CoachingSession.Kind.COUNSELLING:
        raise ValidationError(_("Format B.1.8 berlaku untuk coaching dan mentoring."))
    answered = list(answers or [])
    if len(answered) != len(SESSION_FEEDBACK_ITEMS) or not all(
        isinstance(a, bool) for a in answered
    ):
        raise ValidationError(_("Jawab kesembilan pernyataan dengan setuju atau tidak setuju."))
    before = {"answers": session.employee_answers}
    session.employee_answers = answered
    session.employee_comment = clean_text(comment, _("Komentar"), required=False)
    session.employee_answered_at = timezone.now()
    session.save(update_fields=["employee_answers", "employee_comment", "employee_answered_at"])
    # Recorded by hand: the trail shows the answers under "answers", as it always has.
    record(
        "monitoring.coaching.employee_feedback",
        actor=actor,
        target=session,
        subject=me,
        before=before,
        after={"answers": answered},
    )
    return session


def _competency_row(row: CompetencyScore) -> dict[str, str | int]:
    name = clean_text(row.get("name"), _("Kompetensi"), limit=200)
    try:
        raw: Any = row.get("score")
        score = int(raw)
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("Nilai kompetensi harus 1 sampai 5.")) from exc
    if score not in COMPETENCY_SCALE:
        raise ValidationError(_("Nilai kompetensi harus 1 sampai 5."))
    reason = clean_text(row.get("reason"), _("Alasan"), required=False, limit=1000)
    return {"name": name, "score": score, "reason": reason}


@transaction.atomic
def coaching_session_competency_save(
    *,
    actor: User,
    session: CoachingSession,
    scores: Iterable[CompetencyScore] | None,
    recommendation: str = "",
) -> CoachingSession:
    """B.1.9: the coach scores competencies 1-5 with reasons after the session.
    `scores`: [{"name", "score", "reason"}]; unknown names are technical competencies."""
    me = require_employee(actor)
    require_same_agency(actor, session)
    if session.coach_id != me.pk:
        raise PermissionDenied(_("Evaluasi kompetensi diisi oleh pembina sesi ini."))
    rows = [_competency_row(row) for row in scores or []]
    if not rows:
        raise ValidationError(_("Isi nilai sekurang-kurangnya satu kompetensi."))
    before = {"scores": session.competency_scores}
    session.competency_scores = rows
    session.competency_recommendation = clean_text(recommendation, _("Rekomendasi"), required=False)
    session.competency_evaluated_at = timezone.now()
    session.save(
        update_fields=["competency_scores", "competency_recommendation", "competency_evaluated_at"]
    )
    # Recorded by hand: the trail shows the rows under "scores", as it always has.
    record(
        "monitoring.coaching.competency",
        actor=actor,
        target=session,
        subject=session.employee,
        before=before,
        after={"scores": rows},
    )
    return session
