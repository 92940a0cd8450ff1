"""Catatan harian: what the employee did on a day towards one of their RHK
(docs/domain.md §3, "Documentation")."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import audited, record, snapshot
from kinerja.authz import require_employee
from kinerja.org.models import User
from kinerja.planning.models import Rhk, Skp

from ..models import DailyLog
from ._checks import clean_text, require_log_date_open, require_same_agency

MINUTES_PER_DAY = 24 * 60


def _duration(value: int | str | None) -> int | None:
    if value is None or value == "":
        return None
    try:
        minutes = int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("Durasi harus berupa bilangan menit.")) from exc
    if not 0 < minutes <= MINUTES_PER_DAY:
        raise ValidationError(_("Durasi harus antara 1 dan 1440 menit."))
    return minutes


@transaction.atomic
def daily_log_create(
    *,
    actor: User,
    rhk: Rhk,
    date: dt.date,
    text: str,
    duration_minutes: int | str | None = None,
    today: dt.date | None = None,
) -> DailyLog:
    """A day's work on one RHK of the actor's SKP in force, in an open period."""
    today = today or timezone.localdate()
    me = require_employee(actor)
    require_same_agency(actor, rhk)
    if not isinstance(date, dt.date):
        raise ValidationError(_("Tanggal tidak valid."))
    skp = rhk.skp
    if skp.employee_id != me.pk or skp.status == Skp.Status.DITUTUP:
        raise ValidationError(_("Pilih salah satu RHK dari SKP Anda yang berlaku."))
    period = require_log_date_open(me.agency_id, date, today)
    if period.year_id != skp.year_id:
        raise ValidationError(_("Tanggal catatan tidak termasuk tahun SKP ini."))
    text = clean_text(text, _("Uraian kegiatan"))
    log = DailyLog(
        agency_id=me.agency_id,
        employee=me,
        date=date,
        rhk=rhk,
        text=text,
        duration_minutes=_duration(duration_minutes),
    )
    with audited(log, "monitoring.log.create", actor=actor, subject=me):
        log.save()
    return log


@transaction.atomic
def daily_log_update(
    *,
    actor: User,
    log: DailyLog,
    text: str,
    duration_minutes: int | str | None = None,
    rhk: Rhk | None = None,
    date: dt.date | None = None,
    today: dt.date | None = None,
) -> DailyLog:
    """The author corrects their log (what was done, how long, which RHK, which
    day) while its period is open; the change is recorded with what it was."""
    today = today or timezone.localdate()
    me = require_employee(actor)
    require_same_agency(actor, log)
    log = DailyLog.objects.select_for_update().select_related("rhk__skp").get(pk=log.pk)
    if log.employee_id != me.pk:
        raise PermissionDenied(_("Hanya penulis catatan yang dapat mengoreksinya."))
    require_log_date_open(log.agency_id, log.date, today)
    rhk = rhk or log.rhk
    require_same_agency(actor, rhk)
    skp = rhk.skp
    if skp.employee_id != me.pk or skp.status == Skp.Status.DITUTUP:
        raise ValidationError(_("Pilih salah satu RHK dari SKP Anda yang berlaku."))
    date = date or log.date
    if not isinstance(date, dt.date):
        raise ValidationError(_("Tanggal tidak valid."))
    period = require_log_date_open(log.agency_id, date, today)
    if period.year_id != skp.year_id:
        raise ValidationError(_("Tanggal catatan tidak termasuk tahun SKP ini."))
    text = clean_text(text, _("Uraian kegiatan"))
    with audited(
        log,
        "monitoring.log.update",
        actor=actor,
        subject=me,
        fields=["date", "rhk", "text", "duration_minutes"],
    ):
        log.text = text
        log.duration_minutes = _duration(duration_minutes)
        log.rhk = rhk
        log.date = date
        log.save()
    return log


@transaction.atomic
def daily_log_delete(*, actor: User, log: DailyLog, today: dt.date | None = None) -> None:
    """The owner deletes a log of an open period that has no feedback yet."""
    today = today or timezone.localdate()
    me = require_employee(actor)
    require_same_agency(actor, log)
    if log.employee_id != me.pk:
        raise PermissionDenied(_("Anda hanya dapat menghapus catatan Anda sendiri."))
    require_log_date_open(log.agency_id, log.date, today)
    if log.feedback.exists():
        raise ValidationError(_("Catatan yang sudah mendapat umpan balik tidak dapat dihapus."))
    record("monitoring.log.delete", actor=actor, target=log, subject=me, before=snapshot(log))
    log.delete()
