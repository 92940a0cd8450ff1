"""The training catalogue and participation records (JP, jam pelajaran)."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kinerja.audit.services import audited
from kinerja.authz import require_admin, require_same_agency
from kinerja.org.access import compute_access
from kinerja.org.models import Agency, Employee, User
from kinerja.rules import followup as rules

from .. import documents, selectors
from ..models import TrainingCourse, TrainingKind, TrainingRecord

#: Message of each problem code of `rules.jp_problem`.
JP_MESSAGES = {
    "end_before_start": gettext_noop("Tanggal selesai tidak boleh sebelum tanggal mulai."),
    "too_long": gettext_noop(
        "Satu catatan pelatihan paling lama %(days)s hari; pecah menjadi beberapa catatan."
    ),
    "too_old": gettext_noop("Tanggal mulai tidak masuk akal (sebelum tahun %(year)s)."),
    "future": gettext_noop(
        "Tanggal selesai lebih dari setahun ke depan; periksa kembali tanggalnya."
    ),
    "hours_not_positive": gettext_noop("Jumlah JP harus lebih dari 0."),
    "hours_over_days": gettext_noop(
        "Jumlah JP tidak masuk akal: %(hours)s JP dalam %(days)s hari, padahal paling banyak "
        "%(per_day)s JP per hari."
    ),
}


def _jp(value: int | str | None) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(_("Jumlah JP harus bilangan bulat.")) from None


def _title(value: str | None) -> str:
    title = (value or "").strip()
    if not title:
        raise ValidationError(_("Judul pelatihan wajib diisi."))
    return title


def _kind(kind: str | None) -> str:
    if kind is None or kind not in TrainingKind.values:
        raise ValidationError(_("Jenis pelatihan tidak dikenal."))
    return kind


def course_save(
    *,
    actor: User,
    agency: Agency,
    title: str,
    kind: str,
    hours_jp: int | str,
    provider: str = "",
    active: bool = True,
    course: TrainingCourse | None = None,
) -> TrainingCourse:
    """Add a course to the agency's catalogue, or change one (admin BKD)."""
    require_admin(actor, agency.pk)
    title = _title(title)
    kind = _kind(kind)
    hours = _jp(hours_jp)
    if not 0 < hours <= rules.MAX_COURSE_JP:
        raise ValidationError(
            _("Jumlah JP harus lebih dari 0 dan paling banyak %(max)s.")
            % {"max": rules.MAX_COURSE_JP}
        )
    if course is not None:
        require_same_agency(actor, course)
    course = course or TrainingCourse(agency=agency)
    with (
        transaction.atomic(),
        audited(
            course,
            "followup.course.create" if course.pk is None else "followup.course.update",
            actor=actor,
            agency=agency,
        ),
    ):
        course.title, course.kind, course.hours_jp = title, kind, hours
        course.provider, course.active = (provider or "").strip(), bool(active)
        course.save()
    return course


def _jp_problem_message(problem: str, start: dt.date, end: dt.date, hours: int) -> str:
    days = (end - start).days + 1 if problem != "too_long" else rules.MAX_RECORD_DAYS
    return _(JP_MESSAGES[problem]) % {
        "days": days,
        "year": rules.EARLIEST_YEAR,
        "hours": hours,
        "per_day": rules.MAX_JP_PER_DAY,
    }


def training_record_create(
    *,
    actor: User,
    employee: Employee,
    start: dt.date,
    end: dt.date,
    hours_jp: int | str | None = None,
    course: TrainingCourse | None = None,
    title: str = "",
    kind: str | None = None,
    upload: UploadedFile | None = None,
    today: dt.date | None = None,
) -> TrainingRecord:
    """A participation record; the employee records their own, admin BKD and the employee's
    managers record anyone's they may see. Impossible dates or hours are refused."""
    access = compute_access(actor)
    own = access.employee is not None and access.employee.pk == employee.pk
    if not (own or selectors.can_manage(access, employee)):
        raise PermissionDenied(_("Anda tidak dapat mencatat pelatihan pegawai ini."))
    if course is not None:
        require_same_agency(actor, course)
        title = title or course.title
        kind = kind or course.kind
        if hours_jp in (None, ""):
            hours_jp = course.hours_jp
    title = _title(title)
    kind = _kind(kind)
    hours = _jp(hours_jp)
    problem = rules.jp_problem(start, end, hours, today or timezone.localdate())
    if problem is not None:
        raise ValidationError(_jp_problem_message(problem, start, end, hours))
    fields = documents.store_document(upload, employee.agency_id) if upload else {}
    row = TrainingRecord(
        agency_id=employee.agency_id,
        employee=employee,
        course=course,
        title=title,
        kind=kind,
        start=start,
        end=end,
        hours_jp=hours,
        created_by=actor,
        **fields,
    )
    with (
        transaction.atomic(),
        audited(
            row, "followup.training.create", actor=actor, agency=employee.agency, subject=employee
        ),
    ):
        row.save()
    return row
