"""Admin BKD sets organisation grades: one unit, a whole subtree, or many rows
from an import, all through one set-based write (`org_grades_set`).

A grade is never preset: it is blank until chosen. Units without their own
grade inherit their nearest ancestor's (kinerja.assessment.selectors.grades).
An annual grade change that would change the grade a closed calibration used is
refused; an open calibration shows the difference on its page."""

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.models import AuditEvent
from kinerja.audit.services import bulk_record, record
from kinerja.authz import require_admin
from kinerja.org.importing.files import check_file
from kinerja.org.models import OrgUnit, User
from kinerja.planning.models import PerformanceYear, Period

from .. import grades_import, selectors
from ..grades_import import GradeImportPlan, GradeImportRow
from ..models import Calibration, OrgGradeChoice, OrgPerformance


@dataclass(frozen=True)
class GradeEntry:
    """One grade to set: a unit, a grade code, its source and a note."""

    unit: OrgUnit
    grade: str
    source: str = OrgPerformance.Source.ENTERED
    note: str = ""


def check_grade(grade: str, source: str) -> None:
    """ValidationError unless `grade` and `source` are known codes (no default)."""
    if not grade:
        raise ValidationError(_("Pilih predikat kinerja organisasi; tidak ada nilai bawaan."))
    if grade not in OrgGradeChoice.values:
        raise ValidationError(_("Predikat organisasi tidak dikenal."))
    if source not in OrgPerformance.Source.values:
        raise ValidationError(_("Sumber predikat organisasi tidak dikenal."))


def _closed_calibrations(year: PerformanceYear) -> list[Calibration]:
    return list(
        Calibration.objects.filter(year=year, status=Calibration.Status.CLOSED).select_related(
            "unit"
        )
    )


def _grades_of(units: Sequence[OrgUnit], year: PerformanceYear) -> dict[int, str]:
    found = selectors.grade_map(units, year)
    return {pk: (g.grade if g is not None else "") for pk, g in found.items()}


@transaction.atomic
def org_grades_set(
    *,
    actor: User,
    year: PerformanceYear,
    entries: Sequence[GradeEntry],
    period: Period | None = None,
) -> int:
    """Set the own grade of each entry's unit for the year (period None) or a
    period; set-based (one read of the existing rows, one bulk update, one bulk
    insert, one bulk audit). Returns how many rows changed. Refused, with
    nothing changed, when an annual change would alter the grade a closed
    calibration of the year used."""
    require_admin(actor, year.agency_id)
    if period is not None and period.year_id != year.pk:
        raise ValidationError(_("Periode tidak termasuk tahun ini."))
    by_unit: dict[int, GradeEntry] = {}
    for entry in entries:
        if entry.unit.agency_id != year.agency_id:
            raise ValidationError(_("Unit berasal dari instansi lain."))
        check_grade(entry.grade, entry.source)
        by_unit[entry.unit.pk] = entry
    if not by_unit:
        return 0
    closed = _closed_calibrations(year) if period is None else []
    before = _grades_of([c.unit for c in closed], year) if closed else {}
    existing_rows = OrgPerformance.objects.filter(
        agency_id=year.agency_id, year=year, period=period
    )
    if len(by_unit) <= 500:
        existing_rows = existing_rows.filter(unit_id__in=list(by_unit))
    existing = {row.unit_id: row for row in existing_rows if row.unit_id in by_unit}
    now = timezone.now()
    to_update: list[OrgPerformance] = []
    to_create: list[OrgPerformance] = []
    events: list[AuditEvent] = []
    label = actor.get_username()[:200]
    for unit_id, entry in by_unit.items():
        note = entry.note.strip()
        row = existing.get(unit_id)
        old = None
        if row is not None:
            if (row.grade, row.source, row.note) == (entry.grade, entry.source, note):
                continue
            old = {"grade": row.grade, "source": row.source, "note": row.note}
            to_update.append(row)
        else:
            row = OrgPerformance(
                agency_id=year.agency_id, unit_id=unit_id, year=year, period=period
            )
            to_create.append(row)
        row.grade, row.source, row.note = entry.grade, entry.source, note
        row.entered_by, row.updated_at = actor, now
        events.append(
            AuditEvent(
                agency_id=year.agency_id,
                actor=actor,
                actor_label=label,
                action="assessment.org_performance.set",
                target_type="org.orgunit",
                target_id=str(unit_id),
                target_label=entry.unit.name[:300],
                before=old,
                after={
                    "grade": entry.grade,
                    "source": entry.source,
                    "note": note,
                    "year": year.year,
                    "period": period.label if period is not None else "",
                },
            )
        )
    OrgPerformance.objects.bulk_update(
        to_update, ["grade", "source", "note", "entered_by", "updated_at"], batch_size=1000
    )
    OrgPerformance.objects.bulk_create(to_create, batch_size=1000)
    if closed:
        after = _grades_of([c.unit for c in closed], year)
        changed = [
            c.unit.name
            for c in closed
            if after.get(c.unit_id) != before.get(c.unit_id) and after.get(c.unit_id) != c.org_grade
        ]
        if changed:
            raise ValidationError(
                _(
                    "Kalibrasi unit %(units)s sudah ditutup dengan predikat organisasi yang lama; "
                    "predikat tahunan tidak dapat diubah lagi."
                )
                % {"units": ", ".join(sorted(changed))}
            )
    bulk_record(events)
    return len(events)


def subtree_units(unit: OrgUnit) -> list[OrgUnit]:
    """The unit and every unit below it (one query)."""
    return list(
        OrgUnit.objects.filter(agency_id=unit.agency_id, path__startswith=unit.path).only(
            "pk", "agency_id", "name", "path"
        )
    )


def org_grade_set(
    *,
    actor: User,
    unit: OrgUnit,
    year: PerformanceYear,
    grade: str,
    period: Period | None = None,
    source: str = OrgPerformance.Source.ENTERED,
    note: str = "",
    subtree: bool = False,
) -> int:
    """Set one unit's own grade, or (subtree) the own grade of the unit and of
    every unit below it. Returns how many rows changed."""
    units = subtree_units(unit) if subtree else [unit]
    return org_grades_set(
        actor=actor,
        year=year,
        period=period,
        entries=[GradeEntry(u, grade, source, note) for u in units],
    )


@transaction.atomic
def org_grades_import(
    *, actor: User, year: PerformanceYear, upload: UploadedFile, apply: bool = False
) -> GradeImportPlan:
    """Check an uploaded grades file (dry run: every error of every row, nothing
    changed), or apply it: refused with every row's errors when any row is
    wrong, else all rows are set at once (org_grades_set per period)."""
    require_admin(actor, year.agency_id)
    suffix = Path(upload.name or "").suffix.lower()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        file_format = check_file(path, upload.name)
        plan = grades_import.plan_rows(year, grades_import.read_rows(path, file_format))
    if not apply:
        return plan
    if not plan.ok:
        raise ValidationError(plan.error_messages())
    by_period: dict[int | None, list[GradeImportRow]] = {}
    for row in plan.rows:
        by_period.setdefault(row.period.pk if row.period else None, []).append(row)
    for rows in by_period.values():
        plan.applied += org_grades_set(
            actor=actor,
            year=year,
            period=rows[0].period,
            entries=[GradeEntry(r.unit, r.grade, r.source, r.note) for r in rows],
        )
    record(
        "assessment.org_grade.import",
        actor=actor,
        agency=year.agency,
        after={
            "year": year.year,
            "file": upload.name,
            "rows": len(plan.rows),
            "changed": plan.applied,
        },
    )
    return plan
