"""Umpan balik berkelanjutan (PermenPANRB 6/2022 art. 17-19, forms B.1.3-B.1.5;
docs/domain.md §3): on a result or a core value, scheduled or incidental, asked
for or offered, and answered in a thread."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import audited
from kinerja.authz import require_employee
from kinerja.org.models import Employee, User
from kinerja.planning import berakhlak
from kinerja.planning.models import Rhk

from ..models import DailyLog, Feedback, FeedbackRequest, Notification, Realisasi
from ..notify import notify, notify_employee
from ..selectors import employees_with_user, feedback_source
from ._checks import clean_text, require_same_agency


def _core_value(value: int | str | None) -> int | None:
    """A BerAKHLAK value code as sent by a page or the API; None when blank."""
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise ValidationError(_("Nilai dasar BerAKHLAK tidak dikenal.")) from exc


def _feedback_target(
    employee: Employee,
    rhk: Rhk | None,
    realisasi: Realisasi | None,
    log: DailyLog | None,
    value: int | None,
) -> Rhk | None:
    """Exactly one target, the employee's own; returns the RHK it is about."""
    given = [x for x in (rhk, realisasi, log) if x is not None] + ([value] if value else [])
    if len(given) != 1:
        raise ValidationError(
            _("Pilih satu sasaran umpan balik: RHK, realisasi, catatan harian, atau nilai dasar.")
        )
    if value is not None and value not in berakhlak.CODES:
        raise ValidationError(_("Nilai dasar BerAKHLAK tidak dikenal."))
    for row in (realisasi, log):
        if row is not None and row.employee_id != employee.pk:
            raise ValidationError(_("Sasaran umpan balik bukan milik pegawai ini."))
    if rhk is not None and rhk.skp.employee_id != employee.pk:
        raise ValidationError(_("RHK ini bukan milik pegawai ini."))
    if realisasi is not None:
        rhk = realisasi.iki.rhk
    if log is not None:
        rhk = log.rhk
    return rhk


def _feedback_url(feedback: Feedback) -> str:
    if feedback.log_id:
        return reverse("monitoring:log_detail", args=[feedback.log_id])
    if feedback.realisasi_id:
        return reverse("monitoring:realisasi_detail", args=[feedback.realisasi_id])
    return reverse("monitoring:feedback_list")


@transaction.atomic
def feedback_give(
    *,
    actor: User,
    employee: Employee,
    text: str,
    kind: str = Feedback.Kind.INCIDENTAL,
    rhk: Rhk | None = None,
    realisasi: Realisasi | None = None,
    log: DailyLog | None = None,
    value: int | str | None = None,
    request: FeedbackRequest | None = None,
    today: dt.date | None = None,
) -> Feedback:
    """Feedback about `employee` on a result or a core value. Anyone of the same
    agency may give incidental feedback (peers' and others' as input); only the
    rater records scheduled feedback."""
    today = today or timezone.localdate()
    me = require_employee(actor)
    if employee.agency_id != me.agency_id:
        raise ValidationError(_("Pegawai berasal dari instansi lain."))
    if employee.pk == me.pk:
        raise ValidationError(_("Anda tidak dapat memberi umpan balik kepada diri sendiri."))
    if kind not in Feedback.Kind.values:
        raise ValidationError(_("Jenis umpan balik tidak dikenal."))
    code = _core_value(value)
    rhk = _feedback_target(employee, rhk, realisasi, log, code)
    source = feedback_source(me, employee, today)
    if kind == Feedback.Kind.SCHEDULED and source != Feedback.Source.SUPERIOR:
        raise PermissionDenied(
            _(
                "Umpan balik terjadwal adalah kewajiban pejabat penilai dan hanya dapat "
                "dicatat oleh pejabat penilai %(name)s."
            )
            % {"name": employee.full_name}
        )
    text = clean_text(text, _("Umpan balik"))
    if request is not None and (request.asked_id != me.pk or request.employee_id != employee.pk):
        raise ValidationError(_("Permintaan umpan balik ini bukan untuk Anda."))
    feedback = Feedback(
        agency_id=me.agency_id,
        employee=employee,
        author=me,
        rhk=rhk if code is None else None,
        realisasi=realisasi,
        log=log,
        value=code,
        kind=kind,
        source=source,
        text=text,
        request=request,
    )
    with audited(feedback, "monitoring.feedback.give", actor=actor, subject=employee):
        feedback.save()
    if request is not None and request.answered_at is None:
        request.answered_at = timezone.now()
        request.save(update_fields=["answered_at"])
    notify_employee(
        employee,
        kind=Notification.Kind.FEEDBACK,
        text=_("Umpan balik baru dari %(name)s: %(text)s")
        % {"name": me.full_name, "text": text[:200]},
        url=_feedback_url(feedback),
        agency_id=feedback.agency_id,
    )
    return feedback


@transaction.atomic
def feedback_reply(
    *, actor: User, parent: Feedback, text: str | None, today: dt.date | None = None
) -> Feedback:
    """A reply in a thread: by the employee concerned or anyone who may see it."""
    today = today or timezone.localdate()
    me = require_employee(actor)
    require_same_agency(actor, parent)
    root = parent.parent or parent  # replies hang on the thread's first feedback
    text = clean_text(text, _("Balasan"))
    reply = Feedback(
        agency_id=root.agency_id,
        employee_id=root.employee_id,
        author=me,
        rhk_id=root.rhk_id,
        realisasi_id=root.realisasi_id,
        log_id=root.log_id,
        value=root.value,
        kind=Feedback.Kind.INCIDENTAL,
        source=feedback_source(me, root.employee, today),
        text=text,
        parent=root,
    )
    with audited(reply, "monitoring.feedback.reply", actor=actor, subject=root.employee):
        reply.save()
    others = {root.author_id, root.employee_id} - {me.pk}
    for employee in employees_with_user(others):
        notify(
            recipient=employee.user,
            kind=Notification.Kind.FEEDBACK,
            text=_("%(name)s membalas umpan balik: %(text)s")
            % {"name": me.full_name, "text": text[:200]},
            url=_feedback_url(root),
            agency_id=root.agency_id,
        )
    return reply


@transaction.atomic
def feedback_ask(
    *, actor: User, asked: Employee, rhk: Rhk | None = None, message: str = ""
) -> FeedbackRequest:
    """The employee asks a colleague for feedback, optionally on one of their RHK."""
    me = require_employee(actor)
    if asked.agency_id != me.agency_id:
        raise ValidationError(_("Pegawai berasal dari instansi lain."))
    if asked.pk == me.pk:
        raise ValidationError(_("Anda tidak dapat meminta umpan balik kepada diri sendiri."))
    if rhk is not None and rhk.skp.employee_id != me.pk:
        raise ValidationError(_("RHK ini bukan milik Anda."))
    request = FeedbackRequest(
        agency_id=me.agency_id,
        employee=me,
        asked=asked,
        rhk=rhk,
        message=clean_text(message, _("Pesan"), required=False),
    )
    with audited(request, "monitoring.feedback.ask", actor=actor, subject=me):
        request.save()
    notify_employee(
        asked,
        kind=Notification.Kind.FEEDBACK_REQUEST,
        text=_("%(name)s meminta umpan balik dari Anda.") % {"name": me.full_name},
        url=reverse("monitoring:feedback_new", args=[me.pk]) + f"?request={request.pk}",
        agency_id=request.agency_id,
    )
    return request
