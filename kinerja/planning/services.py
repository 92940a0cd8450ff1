"""Write operations of performance planning: one keyword-only function per
action, called by the pages, the API and the jobs alike. Each validates, saves
inside a transaction and records itself in the audit trail. Errors are
`ValidationError`s with an Indonesian message, and nothing is changed.
"""

import datetime as dt
import hashlib
import json

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.models import AuditEvent
from kinerja.audit.services import bulk_record, record, snapshot
from kinerja.jobs.services import enqueue
from kinerja.org.access import superior_of
from kinerja.org.models import Employee, RoleGrant
from kinerja.rules import planning as rules

from . import berakhlak
from .models import (
    BehaviourExpectation,
    Iki,
    ManualIki,
    OrgGoal,
    PerformanceYear,
    Period,
    ReviewNote,
    Rhk,
    Skp,
    SkpVersion,
)

# --- helpers -----------------------------------------------------------------


def actor_employee(actor):
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    cached = getattr(actor, "_planning_employee", False)
    if cached is False:
        cached = Employee.objects.filter(user=actor, agency_id=actor.agency_id).first()
        actor._planning_employee = cached
    return cached


def is_admin(actor, agency_id):
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if actor.agency_id != agency_id:
        return False
    return RoleGrant.objects.filter(
        user=actor, agency_id=agency_id, role=RoleGrant.Role.ADMIN_BKD
    ).exists()


def _same_agency(actor, obj):
    if actor is None or actor.agency_id != obj.agency_id:
        raise ValidationError(_("Data berasal dari instansi lain."))


def _require_admin(actor, agency_id):
    if not is_admin(actor, agency_id):
        raise ValidationError(_("Hanya admin BKD yang dapat melakukan ini."))


def _refresh(skp):
    """Callers may hold a stale instance: decide on the stored state."""
    skp.refresh_from_db(fields=["status", "version", "rater", "year"])
    skp.year.refresh_from_db(fields=["status"])


def _check_year_not_closed(year):
    if year.status == PerformanceYear.Status.CLOSED:
        raise ValidationError(_("Periode penilaian sudah ditutup; SKP tidak dapat diubah."))


def _check_editable(actor, skp, *, by_rater=False):
    """The owner edits their SKP in draft/dikembalikan; with by_rater, the
    rater may too (expectations, matrix)."""
    _same_agency(actor, skp)
    _refresh(skp)
    _check_year_not_closed(skp.year)
    if skp.status == Skp.Status.DISETUJUI:
        raise ValidationError(_("SKP sudah disetujui; perubahan hanya melalui revisi."))
    if skp.status == Skp.Status.DIAJUKAN:
        raise ValidationError(_("SKP sedang diajukan; tunggu keputusan pejabat penilai."))
    if skp.status == Skp.Status.DITUTUP:
        raise ValidationError(_("SKP ini sudah ditutup dan tidak dapat diubah."))
    me = actor_employee(actor)
    if me is not None and me.pk == skp.employee_id:
        return
    if by_rater and me is not None and me.pk == skp.rater_id:
        return
    raise ValidationError(_("Anda tidak berhak mengubah SKP ini."))


def _can_decide(actor, skp):
    """Who approves/returns: the recorded rater, the acting superior today, or,
    for the top of the tree (no rater), admin BKD on behalf of the PPK."""
    me = actor_employee(actor)
    if me is not None and me.pk == skp.employee_id:
        raise ValidationError(_("Anda tidak dapat menyetujui atau mengembalikan SKP Anda sendiri."))
    if me is not None and me.pk == skp.rater_id:
        return me
    if skp.rater_id is None:
        if is_admin(actor, skp.agency_id):
            return me
    elif me is not None:
        current = superior_of(skp.employee, on=timezone.localdate())
        if current is not None and current.pk == me.pk:
            return me
    raise ValidationError(_("Hanya pejabat penilai SKP ini yang dapat memutuskannya."))


def _audit(action, actor, obj, skp, *, before=None, after=None, note=""):
    record(
        action,
        actor=actor,
        agency=skp.agency,
        target=obj,
        subject=skp.employee,
        before=before,
        after=after,
        note=note,
    )


# --- performance year ----------------------------------------------------------


@transaction.atomic
def year_create(
    *,
    actor,
    agency,
    year,
    frequency,
    annual_source,
    start=None,
    end=None,
    skp_deadline=None,
    annual_deadline=None,
    default_approach=rules.KUANTITATIF,
):
    _require_admin(actor, agency.pk)
    if frequency not in PerformanceYear.Frequency.values:
        raise ValidationError(_("Frekuensi evaluasi periodik harus bulanan atau triwulanan."))
    if annual_source not in PerformanceYear.AnnualSource.values:
        raise ValidationError(_("Dasar predikat tahunan tidak dikenal."))
    if PerformanceYear.objects.filter(agency=agency, year=year).exists():
        raise ValidationError(_("Periode penilaian tahun %(year)s sudah ada.") % {"year": year})
    start = start or dt.date(year, 1, 1)
    end = end or dt.date(year, 12, 31)
    if end < start:
        raise ValidationError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    obj = PerformanceYear.objects.create(
        agency=agency,
        year=year,
        start=start,
        end=end,
        frequency=frequency,
        annual_source=annual_source,
        skp_deadline=skp_deadline or rules.default_skp_deadline(year),
        annual_deadline=annual_deadline or rules.default_annual_deadline(year),
        default_approach=default_approach,
    )
    _create_periods(obj)
    record("planning.year.create", actor=actor, agency=agency, target=obj, after=snapshot(obj))
    return obj


def _create_periods(year):
    from kinerja.rules.workdays import add_working_days, national_holidays

    off = national_holidays([year.year, year.year + 1])
    rows = []
    for spec in rules.generate_periods(year.year, year.frequency, year.annual_source):
        rows.append(
            Period(
                agency_id=year.agency_id,
                year=year,
                number=spec.number,
                label=spec.label,
                start=spec.start,
                end=spec.end,
                window_start=spec.end - dt.timedelta(days=6),
                window_end=add_working_days(spec.end, rules.EVALUATION_WINDOW_WORKING_DAYS, off),
            )
        )
    Period.objects.bulk_create(rows)


@transaction.atomic
def year_open(*, actor, year):
    """Opens the year and enqueues the job that creates every employee's draft
    SKP (idempotent: running it again creates nothing more)."""
    _require_admin(actor, year.agency_id)
    if year.status == PerformanceYear.Status.CLOSED:
        raise ValidationError(_("Periode penilaian sudah ditutup."))
    before = year.status
    year.status = PerformanceYear.Status.OPEN
    year.save(update_fields=["status"])
    record(
        "planning.year.open",
        actor=actor,
        agency=year.agency,
        target=year,
        before={"status": before},
        after={"status": year.status},
    )
    return enqueue("planning.open_year", agency=year.agency, user=actor, params={"year": year.pk})


@transaction.atomic
def year_close(*, actor, year):
    _require_admin(actor, year.agency_id)
    year.status = PerformanceYear.Status.CLOSED
    year.save(update_fields=["status"])
    record("planning.year.close", actor=actor, agency=year.agency, target=year)
    return year


@transaction.atomic
def org_goal_create(*, actor, year, text, source, indicator="", target="", unit=None):
    _same_agency(actor, year)
    me = actor_employee(actor)
    is_jpt = me is not None and me.position_id and me.position.is_jpt
    if not (is_admin(actor, year.agency_id) or is_jpt):
        raise ValidationError(_("Hanya admin BKD atau JPT yang dapat mengisi sasaran strategis."))
    _check_year_not_closed(year)
    if not text.strip():
        raise ValidationError(_("Sasaran strategis wajib diisi."))
    if source not in OrgGoal.Source.values:
        raise ValidationError(_("Sumber sasaran tidak dikenal."))
    if unit is not None and unit.agency_id != year.agency_id:
        raise ValidationError(_("Unit berasal dari instansi lain."))
    order = (OrgGoal.objects.filter(year=year).aggregate(m=Max("order"))["m"] or 0) + 1
    goal = OrgGoal.objects.create(
        agency_id=year.agency_id,
        year=year,
        unit=unit,
        text=text.strip(),
        source=source,
        indicator=indicator,
        target=target,
        order=order,
    )
    record(
        "planning.goal.create", actor=actor, agency=year.agency, target=goal, after=snapshot(goal)
    )
    return goal


# --- creating and closing SKP ----------------------------------------------------


def expectation_rows(skp_ids, agency_id):
    return [
        BehaviourExpectation(agency_id=agency_id, skp_id=skp_id, value=code)
        for skp_id in skp_ids
        for code in berakhlak.CODES
    ]


def _form_for(employee):
    position = employee.position
    return rules.skp_form(
        position_kind=position.kind if position else None,
        is_unit_head=bool(position and position.is_unit_head),
        unit_is_independent=employee.unit.is_independent,
    )


@transaction.atomic
def skp_create(*, actor, employee, year, valid_from=None, record_it=True):
    """One draft SKP (the year job does the same set-based)."""
    _check_year_not_closed(year)
    if employee.agency_id != year.agency_id:
        raise ValidationError(_("Pegawai berasal dari instansi lain."))
    if Skp.objects.filter(employee=employee, year=year).exclude(status=Skp.Status.DITUTUP).exists():
        raise ValidationError(
            _("%(name)s sudah memiliki SKP yang berlaku untuk tahun %(year)s.")
            % {"name": employee.full_name, "year": year.year}
        )
    valid_from = valid_from or year.start
    if Skp.objects.filter(employee=employee, year=year, valid_from=valid_from).exists():
        raise ValidationError(_("Sudah ada SKP yang mulai berlaku pada tanggal tersebut."))
    rater = superior_of(employee, on=max(valid_from, year.start))
    skp = Skp.objects.create(
        agency_id=employee.agency_id,
        year=year,
        employee=employee,
        position=employee.position,
        unit=employee.unit,
        rater=rater,
        rater_position=rater.position if rater else None,
        form=_form_for(employee),
        approach=year.default_approach,
        valid_from=valid_from,
    )
    BehaviourExpectation.objects.bulk_create(expectation_rows([skp.pk], skp.agency_id))
    if record_it:
        _audit("planning.skp.create", actor, skp, skp, after=snapshot(skp))
    return skp


@transaction.atomic
def skp_handle_move(*, actor, employee, start):
    """The employee changed position on `start` (call this after
    org.services.employee_move): the current SKP of that year is closed the day
    before (kept, with its versions) and a new draft begins for the new
    position from `start`. Idempotent."""
    year = PerformanceYear.objects.filter(
        agency_id=employee.agency_id, start__lte=start, end__gte=start
    ).first()
    if year is None or year.status != PerformanceYear.Status.OPEN:
        return None
    existing = Skp.objects.filter(employee=employee, year=year, valid_from=start).first()
    if existing is not None:
        return existing
    _close_current(actor, employee, year, start - dt.timedelta(days=1))
    employee = Employee.objects.select_related("position", "unit").get(pk=employee.pk)
    return skp_create(actor=actor, employee=employee, year=year, valid_from=start)


@transaction.atomic
def skp_handle_leave(*, actor, employee, end):
    """The employee left (retired, moved out): the SKP is closed on `end`."""
    year = PerformanceYear.objects.filter(
        agency_id=employee.agency_id, start__lte=end, end__gte=end
    ).first()
    if year is None:
        return None
    return _close_current(actor, employee, year, end)


def _close_current(actor, employee, year, until):
    current = (
        Skp.objects.select_for_update()
        .filter(employee=employee, year=year)
        .exclude(status=Skp.Status.DITUTUP)
        .first()
    )
    if current is None:
        return None
    if until < current.valid_from:
        until = current.valid_from
    before = snapshot(current, ["status", "valid_until"])
    current.closed_status = current.status
    current.status = Skp.Status.DITUTUP
    current.valid_until = until
    current.save(update_fields=["closed_status", "status", "valid_until", "updated_at"])
    _audit(
        "planning.skp.close",
        actor,
        current,
        current,
        before=before,
        after=snapshot(current, ["status", "valid_until"]),
    )
    return current


@transaction.atomic
def skp_set_approach(*, actor, skp, approach):
    _check_editable(actor, skp)
    if approach not in Skp.Approach.values:
        raise ValidationError(_("Pendekatan hasil kerja tidak dikenal."))
    before = {"approach": skp.approach}
    skp.approach = approach
    skp.save(update_fields=["approach", "updated_at"])
    _audit("planning.skp.approach", actor, skp, skp, before=before, after={"approach": approach})
    return skp


# --- RHK and IKI -------------------------------------------------------------------


def _validate_parent(skp, parent):
    """The superior RHK must belong to the SKP of this SKP's rater, same year."""
    if parent is None:
        return
    if parent.agency_id != skp.agency_id:
        raise ValidationError(_("RHK atasan berasal dari instansi lain."))
    parent_skp = parent.skp
    if parent_skp.year_id != skp.year_id:
        raise ValidationError(_("RHK atasan berasal dari periode penilaian (tahun) lain."))
    if skp.rater_id is None or parent_skp.employee_id != skp.rater_id:
        raise ValidationError(
            _("RHK atasan harus berasal dari SKP pejabat penilai Anda, bukan dari rantai lain.")
        )
    if parent_skp.status == Skp.Status.DITUTUP:
        raise ValidationError(_("RHK atasan berasal dari SKP yang sudah ditutup."))


def _validate_goal(skp, goal):
    if goal is None:
        return
    if goal.agency_id != skp.agency_id or goal.year_id != skp.year_id:
        raise ValidationError(_("Sasaran strategis harus dari instansi dan tahun yang sama."))


def _rhk_fields(skp, *, text, kind, source):
    if not (text or "").strip():
        raise ValidationError(_("Rencana hasil kerja wajib diisi."))
    if kind not in Rhk.Kind.values:
        raise ValidationError(_("Jenis RHK harus utama atau tambahan."))
    if source not in Rhk.Source.values:
        raise ValidationError(_("Sumber RHK tidak dikenal."))
    if (
        source == Rhk.Source.TUGAS_JABATAN
        and not skp.is_jpt
        and (skp.position is None or skp.position.kind != "fungsional")
    ):
        raise ValidationError(
            _("Hanya jabatan fungsional yang dapat mengambil RHK dari tugas jabatan sendiri.")
        )


@transaction.atomic
def rhk_add(
    *,
    actor,
    skp,
    text,
    kind=Rhk.Kind.UTAMA,
    source=Rhk.Source.INTERVENSI,
    parent=None,
    org_goal=None,
    assigned_by="",
):
    _check_editable(actor, skp)
    _rhk_fields(skp, text=text, kind=kind, source=source)
    _validate_parent(skp, parent)
    _validate_goal(skp, org_goal)
    order = (skp.rhks.aggregate(m=Max("order"))["m"] or 0) + 1
    if not assigned_by:
        assigned_by = skp.rater_position.name if skp.rater_position_id else ""
    rhk = Rhk.objects.create(
        agency_id=skp.agency_id,
        skp=skp,
        text=text.strip(),
        kind=kind,
        source=source,
        parent=parent,
        org_goal=org_goal,
        assigned_by=assigned_by[:200],
        order=order,
    )
    _audit("planning.rhk.add", actor, rhk, skp, after=snapshot(rhk))
    return rhk


@transaction.atomic
def rhk_update(*, actor, rhk, text=None, kind=None, source=None, assigned_by=None):
    skp = rhk.skp
    _check_editable(actor, skp)
    new = {
        "text": rhk.text if text is None else text,
        "kind": rhk.kind if kind is None else kind,
        "source": rhk.source if source is None else source,
    }
    _rhk_fields(skp, **new)
    before = snapshot(rhk)
    rhk.text, rhk.kind, rhk.source = new["text"].strip(), new["kind"], new["source"]
    if assigned_by is not None:
        rhk.assigned_by = assigned_by[:200]
    rhk.save()
    _audit("planning.rhk.update", actor, rhk, skp, before=before, after=snapshot(rhk))
    return rhk


@transaction.atomic
def rhk_delete(*, actor, rhk):
    skp = rhk.skp
    _check_editable(actor, skp)
    if rhk.interventions.exists():
        raise ValidationError(
            _("RHK ini sudah diintervensi oleh RHK bawahan; lepaskan kaitannya terlebih dahulu.")
        )
    before = snapshot(rhk)
    _audit("planning.rhk.delete", actor, rhk, skp, before=before)
    rhk.delete()


@transaction.atomic
def rhk_link(*, actor, rhk, parent=None, org_goal=None):
    """Link an RHK to the superior RHK it intervenes in (or, for JPT, to a
    sasaran strategis). `parent=None` and `org_goal=None` unlink."""
    skp = rhk.skp
    _check_editable(actor, skp)
    _validate_parent(skp, parent)
    _validate_goal(skp, org_goal)
    before = {"parent": rhk.parent_id, "org_goal": rhk.org_goal_id}
    rhk.parent = parent
    rhk.org_goal = org_goal
    if parent is not None and rhk.source != Rhk.Source.INTERVENSI and not skp.is_jpt:
        rhk.source = Rhk.Source.INTERVENSI
    rhk.save(update_fields=["parent", "org_goal", "source"])
    _audit(
        "planning.rhk.link",
        actor,
        rhk,
        skp,
        before=before,
        after={"parent": rhk.parent_id, "org_goal": rhk.org_goal_id},
    )
    return rhk


def _iki_fields(skp, *, text, target_text, aspect, perspektif, target_min, target_max):
    if not (text or "").strip():
        raise ValidationError(_("Indikator kinerja individu wajib diisi."))
    if not (target_text or "").strip():
        raise ValidationError(_("Target wajib diisi."))
    if skp.is_jpt:
        if perspektif not in Iki.Perspektif.values:
            raise ValidationError(
                _(
                    "IKI JPT harus memilih perspektif (penerima layanan, proses bisnis, "
                    "penguatan internal, atau anggaran)."
                )
            )
        if aspect:
            raise ValidationError(_("IKI JPT memakai perspektif, bukan aspek."))
    else:
        if perspektif:
            raise ValidationError(_("Perspektif hanya untuk SKP JPT."))
        if skp.approach == rules.KUANTITATIF and aspect not in Iki.Aspect.values:
            raise ValidationError(_("Pilih aspek IKI: kuantitas, kualitas, waktu, atau biaya."))
        if aspect and aspect not in Iki.Aspect.values:
            raise ValidationError(_("Aspek IKI tidak dikenal."))
    if target_min is not None and target_max is not None and target_min > target_max:
        raise ValidationError(_("Batas bawah target tidak boleh lebih besar dari batas atas."))


@transaction.atomic
def iki_add(
    *,
    actor,
    rhk,
    text,
    target_text,
    aspect="",
    perspektif="",
    target_min=None,
    target_max=None,
    unit="",
    lower_is_better=False,
):
    """Adds an IKI. `iki.warnings` lists absolute words found in the target
    (a warning, not an error)."""
    skp = rhk.skp
    _check_editable(actor, skp)
    _iki_fields(
        skp,
        text=text,
        target_text=target_text,
        aspect=aspect,
        perspektif=perspektif,
        target_min=target_min,
        target_max=target_max,
    )
    order = (rhk.ikis.aggregate(m=Max("order"))["m"] or 0) + 1
    iki = Iki.objects.create(
        agency_id=skp.agency_id,
        rhk=rhk,
        text=text.strip(),
        aspect=aspect or "",
        perspektif=perspektif or "",
        target_text=target_text.strip(),
        target_min=target_min,
        target_max=target_max,
        unit=unit,
        lower_is_better=lower_is_better,
        order=order,
    )
    iki.warnings = rules.absolute_words(f"{text} {target_text}")
    _audit("planning.iki.add", actor, iki, skp, after=snapshot(iki))
    return iki


@transaction.atomic
def iki_update(*, actor, iki, **fields):
    skp = iki.rhk.skp
    _check_editable(actor, skp)
    allowed = {
        "text",
        "target_text",
        "aspect",
        "perspektif",
        "target_min",
        "target_max",
        "unit",
        "lower_is_better",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("Kolom tidak dikenal: %(f)s") % {"f": ", ".join(sorted(unknown))})
    merged = {f: fields.get(f, getattr(iki, f)) for f in allowed}
    _iki_fields(
        skp,
        **{
            k: merged[k]
            for k in ("text", "target_text", "aspect", "perspektif", "target_min", "target_max")
        },
    )
    before = snapshot(iki)
    for name, value in merged.items():
        setattr(iki, name, value if value is not None or name.startswith("target_m") else "")
    iki.save()
    iki.warnings = rules.absolute_words(f"{iki.text} {iki.target_text}")
    _audit("planning.iki.update", actor, iki, skp, before=before, after=snapshot(iki))
    return iki


@transaction.atomic
def iki_delete(*, actor, iki):
    skp = iki.rhk.skp
    _check_editable(actor, skp)
    _audit("planning.iki.delete", actor, iki, skp, before=snapshot(iki))
    iki.delete()


@transaction.atomic
def manual_iki_set(
    *, actor, iki, definition, formula="", unit="", data_source="", reporting_period=""
):
    skp = iki.rhk.skp
    _check_editable(actor, skp)
    if not (definition or "").strip():
        raise ValidationError(_("Definisi manual IKI wajib diisi."))
    manual, _created = ManualIki.objects.update_or_create(
        iki=iki,
        defaults={
            "agency_id": skp.agency_id,
            "definition": definition.strip(),
            "formula": formula,
            "unit": unit,
            "data_source": data_source,
            "reporting_period": reporting_period,
        },
    )
    _audit("planning.iki.manual", actor, manual, skp, after=snapshot(manual))
    return manual


# --- behaviour and lampiran -------------------------------------------------------


@transaction.atomic
def expectations_set(*, actor, skp, values):
    """values: {value code 1..7: ekspektasi khusus text}. The rater (or the
    employee while drafting) records the leader's specific expectations."""
    _check_editable(actor, skp, by_rater=True)
    bad = [code for code in values if int(code) not in berakhlak.CODES]
    if bad:
        raise ValidationError(_("Nilai BerAKHLAK harus 1 sampai 7."))
    rows = {e.value: e for e in skp.expectations.all()}
    changed = []
    for code, text in values.items():
        code = int(code)
        row = rows.get(code) or BehaviourExpectation(agency_id=skp.agency_id, skp=skp, value=code)
        if row.ekspektasi_khusus != (text or "").strip() or row.pk is None:
            row.ekspektasi_khusus = (text or "").strip()
            row.save()
            changed.append(code)
    _audit("planning.skp.expectations", actor, skp, skp, after={str(c): values[c] for c in values})
    return changed


@transaction.atomic
def lampiran_set(*, actor, skp, dukungan_sumber_daya, skema_pertanggungjawaban, konsekuensi):
    _check_editable(actor, skp)
    before = snapshot(skp, ["dukungan_sumber_daya", "skema_pertanggungjawaban", "konsekuensi"])
    skp.dukungan_sumber_daya = dukungan_sumber_daya or ""
    skp.skema_pertanggungjawaban = skema_pertanggungjawaban or ""
    skp.konsekuensi = konsekuensi or ""
    skp.save(
        update_fields=[
            "dukungan_sumber_daya",
            "skema_pertanggungjawaban",
            "konsekuensi",
            "updated_at",
        ]
    )
    _audit(
        "planning.skp.lampiran", actor, skp, skp, before=before, after=snapshot(skp, list(before))
    )
    return skp


# --- workflow ------------------------------------------------------------------------


def submit_problems(skp):
    """Everything that keeps an SKP from being submitted (empty list: ready)."""
    problems = []
    rhks = list(
        skp.rhks.select_related("parent__skp").prefetch_related("ikis").order_by("kind", "order")
    )
    if not any(r.kind == Rhk.Kind.UTAMA for r in rhks):
        problems.append(_("SKP harus memiliki minimal satu RHK utama."))
    position_kind = skp.position.kind if skp.position_id else None
    for rhk in rhks:
        label = rhk.text[:60]
        if not rhk.ikis.all():
            problems.append(_('RHK "%(rhk)s" belum memiliki IKI.') % {"rhk": label})
        if skp.is_jpt:
            if (
                rhk.kind == Rhk.Kind.UTAMA
                and rhk.org_goal_id is None
                and rhk.parent_id is None
                and skp.rater_id is not None
            ):
                problems.append(
                    _(
                        'RHK "%(rhk)s" harus diambil dari sasaran strategis organisasi atau RHK '
                        "atasan."
                    )
                    % {"rhk": label}
                )
        elif rhk.parent_id is None and rules.link_required(
            form=skp.form,
            position_kind=position_kind,
            has_rater=skp.rater_id is not None,
            source=rhk.source,
        ):
            problems.append(
                _('RHK "%(rhk)s" harus dikaitkan dengan RHK atasan yang diintervensi.')
                % {"rhk": label}
            )
        if rhk.parent_id is not None:
            try:
                _validate_parent(skp, rhk.parent)
            except ValidationError as exc:
                problems.append(f"{label}: {exc.messages[0]}")
    if skp.is_jpt:
        missing = rules.missing_perspektif(iki.perspektif for rhk in rhks for iki in rhk.ikis.all())
        if missing:
            names = dict(Iki.Perspektif.choices)
            problems.append(
                _("Perspektif belum tercakup: %(p)s.")
                % {"p": ", ".join(str(names[p]) for p in missing)}
            )
    return problems


@transaction.atomic
def skp_submit(*, actor, skp):
    skp = Skp.objects.select_for_update().get(pk=skp.pk)
    _check_editable(actor, skp)
    problems = submit_problems(skp)
    if problems:
        raise ValidationError(problems)
    before = skp.status
    skp.status = Skp.Status.DIAJUKAN
    skp.submitted_at = timezone.now()
    skp.save(update_fields=["status", "submitted_at", "updated_at"])
    _audit(
        "planning.skp.submit",
        actor,
        skp,
        skp,
        before={"status": before},
        after={"status": skp.status},
    )
    return skp


def _check_decidable(actor, skp):
    _same_agency(actor, skp)
    _check_year_not_closed(skp.year)
    me = _can_decide(actor, skp)
    if skp.status != Skp.Status.DIAJUKAN:
        raise ValidationError(_("Hanya SKP berstatus diajukan yang dapat diputuskan."))
    return me


@transaction.atomic
def skp_approve(*, actor, skp, note=""):
    """Approve and set (tetapkan) the SKP: its content is frozen in a new
    SkpVersion with a sha256 of the canonical JSON."""
    skp = Skp.objects.select_for_update().get(pk=skp.pk)
    me = _check_decidable(actor, skp)
    now = timezone.now()
    skp.status = Skp.Status.DISETUJUI
    skp.approved_at = now
    skp.save(update_fields=["status", "approved_at", "updated_at"])
    content = skp_content(skp)
    approver_name = me.full_name if me else actor.get_username()
    version = SkpVersion.objects.create(
        agency_id=skp.agency_id,
        skp=skp,
        number=skp.version,
        content=content,
        content_hash=content_hash(content),
        reason=skp.revision_reason,
        approved_by=me,
        approved_by_name=approver_name,
        approved_at=now,
    )
    if note.strip():
        ReviewNote.objects.create(
            agency_id=skp.agency_id,
            skp=skp,
            author=me,
            author_name=approver_name,
            kind=ReviewNote.Kind.APPROVE,
            text=note.strip(),
        )
    _audit(
        "planning.skp.approve",
        actor,
        skp,
        skp,
        before={"status": Skp.Status.DIAJUKAN},
        after={"status": skp.status, "version": version.number, "hash": version.content_hash},
        note=note,
    )
    return version


@transaction.atomic
def skp_return(*, actor, skp, note):
    skp = Skp.objects.select_for_update().get(pk=skp.pk)
    me = _check_decidable(actor, skp)
    if not (note or "").strip():
        raise ValidationError(_("Catatan wajib diisi saat mengembalikan SKP."))
    skp.status = Skp.Status.DIKEMBALIKAN
    skp.save(update_fields=["status", "updated_at"])
    ReviewNote.objects.create(
        agency_id=skp.agency_id,
        skp=skp,
        author=me,
        author_name=me.full_name if me else actor.get_username(),
        kind=ReviewNote.Kind.RETURN,
        text=note.strip(),
    )
    _audit(
        "planning.skp.return",
        actor,
        skp,
        skp,
        before={"status": Skp.Status.DIAJUKAN},
        after={"status": skp.status},
        note=note.strip(),
    )
    return skp


@transaction.atomic
def skp_revise(*, actor, skp, reason):
    """An approved SKP changes only through a recorded revision: a new version
    in draft, with a reason; the approved versions stay readable."""
    skp = Skp.objects.select_for_update().get(pk=skp.pk)
    _same_agency(actor, skp)
    _check_year_not_closed(skp.year)
    if skp.status != Skp.Status.DISETUJUI:
        raise ValidationError(_("Hanya SKP yang sudah disetujui yang dapat direvisi."))
    me = actor_employee(actor)
    if me is None or me.pk not in (skp.employee_id, skp.rater_id):
        raise ValidationError(_("Hanya pegawai atau pejabat penilainya yang dapat merevisi SKP."))
    if not (reason or "").strip():
        raise ValidationError(_("Alasan revisi wajib diisi."))
    skp.version += 1
    skp.status = Skp.Status.DRAFT
    skp.revision_reason = reason.strip()
    skp.save(update_fields=["version", "status", "revision_reason", "updated_at"])
    ReviewNote.objects.create(
        agency_id=skp.agency_id,
        skp=skp,
        author=me,
        author_name=me.full_name,
        kind=ReviewNote.Kind.REVISE,
        text=reason.strip(),
    )
    _audit(
        "planning.skp.revise",
        actor,
        skp,
        skp,
        before={"status": Skp.Status.DISETUJUI, "version": skp.version - 1},
        after={"status": skp.status, "version": skp.version},
        note=reason.strip(),
    )
    return skp


# --- team work: matriks peran hasil ---------------------------------------------------


@transaction.atomic
def matrix_assign(*, actor, parent_rhk, skp_ids, text="", kind=Rhk.Kind.UTAMA):
    """Hand one of the superior's RHK to many subordinates at once: each gets a
    linked draft RHK to refine. Set-based (one bulk insert). Subordinates who
    already have an RHK linked to it are skipped; SKP that are not editable
    (submitted/approved) are skipped and reported."""
    me = actor_employee(actor)
    parent_skp = parent_rhk.skp
    _same_agency(actor, parent_rhk)
    _check_year_not_closed(parent_skp.year)
    if me is None or parent_skp.employee_id != me.pk:
        raise ValidationError(_("Anda hanya dapat membagi RHK dari SKP Anda sendiri."))
    if kind not in Rhk.Kind.values:
        raise ValidationError(_("Jenis RHK harus utama atau tambahan."))
    ids = {int(i) for i in skp_ids}
    if not ids:
        raise ValidationError(_("Pilih minimal satu bawahan."))
    targets = list(
        Skp.objects.filter(pk__in=ids, agency_id=parent_skp.agency_id).select_related(
            "employee", "rater_position"
        )
    )
    wrong = [s for s in targets if s.rater_id != me.pk or s.year_id != parent_skp.year_id]
    if len(targets) != len(ids) or wrong:
        raise ValidationError(
            _("Sebagian SKP yang dipilih bukan SKP bawahan langsung Anda pada tahun yang sama.")
        )
    already = set(
        Rhk.objects.filter(parent=parent_rhk, skp_id__in=ids).values_list("skp_id", flat=True)
    )
    orders = dict(
        Rhk.objects.filter(skp_id__in=ids)
        .values_list("skp_id")
        .annotate(m=Max("order"))
        .values_list("skp_id", "m")
    )
    assigned_by = parent_skp.position.name if parent_skp.position_id else me.full_name
    new, locked = [], []
    for skp in targets:
        if skp.pk in already:
            continue
        if skp.status not in Skp.EDITABLE:
            locked.append(skp.employee.full_name)
            continue
        new.append(
            Rhk(
                agency_id=skp.agency_id,
                skp=skp,
                text=(text or parent_rhk.text).strip(),
                kind=kind,
                source=Rhk.Source.INTERVENSI,
                parent=parent_rhk,
                assigned_by=assigned_by[:200],
                order=(orders.get(skp.pk) or 0) + 1,
            )
        )
    Rhk.objects.bulk_create(new, batch_size=1000)
    by_skp = {s.pk: s for s in targets}
    bulk_record(
        [
            AuditEvent(
                agency_id=parent_skp.agency_id,
                actor=actor,
                actor_label=actor.get_username(),
                action="planning.rhk.matrix_assign",
                target_type="planning.skp",
                target_id=str(r.skp_id),
                target_label=str(by_skp[r.skp_id]),
                subject_id=by_skp[r.skp_id].employee_id,
                after={"parent_rhk": parent_rhk.pk, "text": r.text, "kind": r.kind},
            )
            for r in new
        ]
    )
    return {"created": len(new), "skipped_existing": len(already), "locked": locked}


# --- content and hash -----------------------------------------------------------------


def _person(employee, position, unit):
    if employee is None:
        return None
    return {
        "name": employee.full_name,
        "nip": employee.nip,
        "pangkat": " / ".join(x for x in (employee.pangkat, employee.golongan) if x),
        "jabatan": position.name if position else "",
        "unit": unit.name if unit else "",
    }


def skp_content(skp):
    """The SKP as plain data: what is printed and what the hash covers."""
    skp = (
        Skp.objects.select_related(
            "agency",
            "year",
            "employee",
            "position",
            "unit",
            "rater",
            "rater_position",
            "rater_position__unit",
        )
        .prefetch_related("expectations")
        .get(pk=skp.pk)
    )
    rhks = list(
        Rhk.objects.filter(skp=skp)
        .select_related("parent", "org_goal")
        .prefetch_related("ikis", "ikis__manual", "parent__ikis")
        .order_by("kind", "order", "pk")
    )
    expectations = {e.value: e.ekspektasi_khusus for e in skp.expectations.all()}
    aspects = dict(Iki.Aspect.choices)
    perspektifs = dict(Iki.Perspektif.choices)
    content = {
        "document": "SKP",
        "skp_id": skp.pk,
        "version": skp.version,
        "format": skp.format_code,
        "form": skp.form,
        "approach": skp.approach,
        "agency": skp.agency.name,
        "year": skp.year.year,
        "valid_from": skp.valid_from.isoformat(),
        "valid_until": (skp.valid_until or skp.year.end).isoformat(),
        "employee": _person(skp.employee, skp.position, skp.unit),
        "rater": _person(
            skp.rater,
            skp.rater_position,
            skp.rater_position.unit if skp.rater_position_id else None,
        ),
        "rhk": [
            {
                "id": r.pk,
                "kind": r.kind,
                "text": r.text,
                "source": r.source,
                "assigned_by": r.assigned_by,
                "parent": r.parent.text if r.parent_id else "",
                "parent_iki": [i.text for i in r.parent.ikis.all()] if r.parent_id else [],
                "org_goal": r.org_goal.text if r.org_goal_id else "",
                "iki": [
                    {
                        "text": i.text,
                        "aspect": str(aspects.get(i.aspect, "")),
                        "perspektif": str(perspektifs.get(i.perspektif, "")),
                        "target": i.target_text,
                        "target_min": i.target_min,
                        "target_max": i.target_max,
                        "unit": i.unit,
                        "manual": (
                            {
                                "definition": i.manual.definition,
                                "formula": i.manual.formula,
                                "unit": i.manual.unit,
                                "data_source": i.manual.data_source,
                                "reporting_period": i.manual.reporting_period,
                            }
                            if hasattr(i, "manual")
                            else None
                        ),
                    }
                    for i in r.ikis.all()
                ],
            }
            for r in rhks
        ],
        "perilaku": [
            {
                "value": code,
                "name": name,
                "guides": list(guides),
                "ekspektasi_khusus": expectations.get(code, ""),
            }
            for code, name, guides in berakhlak.VALUES
        ],
        "lampiran": {
            "dukungan_sumber_daya": skp.dukungan_sumber_daya,
            "skema_pertanggungjawaban": skp.skema_pertanggungjawaban,
            "konsekuensi": skp.konsekuensi,
        },
    }
    # Plain JSON types only (Decimal -> str), so the stored snapshot and the
    # hash computed from it agree.
    return json.loads(canonical_json(content))


def canonical_json(content):
    return json.dumps(
        content, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def content_hash(content):
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()
