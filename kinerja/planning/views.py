"""Planning pages. Thin: objects are fetched through the user's access (a
foreign id is a 404, before any method check), posted input is read by the
forms in `forms.py`, writes go through services (`kinerja.web.call_service`),
reads through selectors."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinerja.jobs.models import Job
from kinerja.jobs.services import enqueue
from kinerja.jobs.views import job_filter
from kinerja.org import pickers
from kinerja.org.access import get_access, get_visible_or_404
from kinerja.web import call_service, form_errors, show_error, with_object

from . import selectors, services
from .forms import (
    ApproachForm,
    CalendarForm,
    ExpectationsForm,
    IkiForm,
    LampiranForm,
    ManualIkiForm,
    MatrixAssignForm,
    NoteForm,
    OrgGoalForm,
    OverrideForm,
    PostForm,
    ReasonForm,
    RhkEditForm,
    RhkForm,
    UnitForm,
    YearForm,
)
from .models import CalendarOverride, Iki, OrgGoal, PerformanceYear, Rhk, Skp, SkpVersion
from .selectors import calendar as calendar_selectors


def _get_skp(request, pk):
    access = get_access(request)
    return get_visible_or_404(
        request,
        Skp.objects.select_related(*selectors.SKP_RELATED),
        access_filter=selectors.skp_filter(access),
        pk=pk,
    )


def _get_rhk(request, pk):
    access = get_access(request)
    return get_visible_or_404(
        request,
        Rhk.objects.select_related("skp", "skp__year", "skp__position", "skp__rater_position"),
        access_filter=selectors.skp_filter(access, "skp__"),
        pk=pk,
    )


def _get_iki(request, pk):
    access = get_access(request)
    return get_visible_or_404(
        request,
        Iki.objects.select_related("rhk__skp__year", "rhk__skp__position"),
        access_filter=selectors.skp_filter(access, "rhk__skp__"),
        pk=pk,
    )


def _get_year(request, pk, *, admin=True):
    access = get_access(request)
    # An admin page of a year is outside what anyone else may see (a 404, recorded).
    seen = bool(access.agency_id) and (access.is_admin or not admin)
    return get_visible_or_404(
        request,
        PerformanceYear.objects.all(),
        access_filter=Q(agency_id=access.agency_id) if seen else Q(pk__in=[]),
        pk=pk,
    )


def _get_any_year(request, pk):
    return _get_year(request, pk, admin=False)


def _posted(request, form_class: type[PostForm], data=None) -> dict[str, Any] | None:
    """The posted form's data, or None after showing its errors as messages."""
    form = form_class(request.POST if data is None else data)
    if form.is_valid():
        return form.cleaned_data
    form_errors(request, form)
    return None


def _post_to(request, form_class, service, *, success=None, **kwargs) -> tuple[bool, Any]:
    """Read the posted form and call `service` with its data and `kwargs`:
    (True, its result), or (False, None) once the refusal is shown."""
    data = _posted(request, form_class)
    if data is None:
        return False, None
    return call_service(request, service, success=success, **kwargs, **data)


def _unit_picked(request, data, scope: str = "unit-instansi"):
    """`data` with the unit typed in the page's unit picker resolved to its id
    (the page without JavaScript), or None once the message is shown."""
    data, error = pickers.with_typed_choice(data, get_access(request), scope, "unit")
    if error:
        messages.error(request, error)
        return None
    return data


def _to_skp(skp):
    return redirect("planning:skp_detail", pk=skp.pk)


# --- employee ------------------------------------------------------------------


@login_required
def home(request):
    access = get_access(request)
    year = selectors.current_year(access.agency_id) if access.agency_id else None
    context = {"year": year, "access": access, "skps": [], "reason": ""}
    if access.employee is None:
        context["reason"] = _("Akun Anda tidak terhubung dengan data pegawai.")
    elif year is None:
        context["reason"] = _("Admin BKD belum membuka periode penilaian.")
    else:
        context["skps"] = selectors.annotate_late(selectors.my_skps(access.employee, year))
        if not context["skps"]:
            context["reason"] = _(
                "Anda belum memiliki SKP tahun %(year)s: periode penilaian belum dibuka untuk "
                "Anda atau Anda bergabung setelah SKP dibuat. Hubungi admin BKD."
            ) % {"year": year.year}
    return render(request, "planning/home.html", context)


def _skp_context(request, skp):
    access = get_access(request)
    me = access.employee
    rhks = selectors.skp_rhks(skp)
    is_owner = me is not None and me.pk == skp.employee_id
    is_rater = me is not None and me.pk == skp.rater_id
    can_decide = (
        skp.status == Skp.Status.DIAJUKAN
        and not is_owner
        and selectors.may_decide(request.user, skp)
    )
    year_open = skp.year.status != PerformanceYear.Status.CLOSED
    selectors.annotate_late([skp])
    return {
        "skp": skp,
        "rhks": rhks,
        "is_owner": is_owner,
        "is_rater": is_rater,
        "can_edit": is_owner and skp.is_editable and year_open,
        "can_edit_expectations": (is_owner or is_rater) and skp.is_editable and year_open,
        "can_decide": can_decide,
        "can_revise": (is_owner or is_rater) and skp.status == Skp.Status.DISETUJUI and year_open,
        "parent_choices": selectors.parent_choices(skp) if is_owner else [],
        "goals": selectors.goal_choices(skp) if skp.is_jpt else [],
        "expectations": selectors.expectations(skp),
        "notes": selectors.review_notes(skp),
        "versions": selectors.versions(skp),
        "problems": selectors.submit_problems(skp) if is_owner and skp.is_editable else [],
        "kinds": Rhk.Kind.choices,
        "sources": Rhk.Source.choices,
        "aspects": Iki.Aspect.choices,
        "perspektifs": Iki.Perspektif.choices,
        "approaches": Skp.Approach.choices,
    }


@login_required
@with_object(_get_skp)
def skp_detail(request, skp):
    context = _skp_context(request, skp)
    if request.htmx and request.GET.get("part") == "rhk":
        return render(request, "planning/_rhk_list.html", context)
    return render(request, "planning/skp_detail.html", context)


def _after_edit(request, skp):
    """htmx requests get the RHK section back; plain posts a redirect."""
    if request.htmx:
        context = _skp_context(request, skp)
        return render(request, "planning/_rhk_list.html", context)
    return _to_skp(skp)


@login_required
@with_object(_get_skp)
@require_POST
def rhk_add(request, skp):
    data = _posted(request, RhkForm)
    if data is None:
        return _after_edit(request, skp)
    try:
        parent = selectors.parent_rhk(skp, data["parent"])
    except ValidationError as error:
        show_error(request, error)
        return _after_edit(request, skp)
    call_service(
        request,
        services.rhk_add,
        skp=skp,
        text=data["text"],
        kind=data["kind"],
        source=data["source"],
        parent=parent,
        org_goal=selectors.org_goal_or_404(skp, data["org_goal"]),
    )
    return _after_edit(request, skp)


@login_required
@with_object(_get_rhk)
@require_POST
def rhk_edit(request, rhk):
    skp = rhk.skp
    form = RhkEditForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return _after_edit(request, skp)
    data = form.cleaned_data
    ok, _rhk = call_service(
        request,
        services.rhk_update,
        rhk=rhk,
        text=data["text"],
        kind=data["kind"],
        source=data["source"],
    )
    if ok and form.changes_link():
        parent = _get_rhk(request, data["parent"]) if data["parent"] is not None else None
        goal = selectors.org_goal_or_404(skp, data["org_goal"])
        call_service(request, services.rhk_link, rhk=rhk, parent=parent, org_goal=goal)
    return _after_edit(request, skp)


@login_required
@with_object(_get_rhk)
@require_POST
def rhk_delete(request, rhk):
    call_service(request, services.rhk_delete, rhk=rhk)
    return _after_edit(request, rhk.skp)


@login_required
@with_object(_get_rhk)
@require_POST
def iki_add(request, rhk):
    ok, iki = _post_to(request, IkiForm, services.iki_add, rhk=rhk)
    if ok and iki.warnings:
        messages.warning(
            request,
            _(
                "Target memuat kata mutlak (%(w)s); hindari kecuali menyangkut keselamatan, "
                "keamanan, atau uang negara dalam jumlah besar."
            )
            % {"w": ", ".join(iki.warnings)},
        )
    return _after_edit(request, rhk.skp)


@login_required
@with_object(_get_iki)
@require_POST
def iki_edit(request, iki):
    """The IKI edited in place on the SKP page (in draft or returned; an approved
    SKP changes through a revision, and the service says so)."""
    ok, saved = _post_to(request, IkiForm, services.iki_update, iki=iki, success=_("Tersimpan."))
    if ok and saved.warnings:
        messages.warning(
            request,
            _(
                "Target memuat kata mutlak (%(w)s); hindari kecuali menyangkut keselamatan, "
                "keamanan, atau uang negara dalam jumlah besar."
            )
            % {"w": ", ".join(saved.warnings)},
        )
    return _after_edit(request, iki.rhk.skp)


@login_required
@with_object(_get_iki)
@require_POST
def iki_delete(request, iki):
    call_service(request, services.iki_delete, iki=iki)
    return _after_edit(request, iki.rhk.skp)


@login_required
@with_object(_get_iki)
def iki_manual(request, iki):
    skp = iki.rhk.skp
    if request.method == "POST":
        ok, _manual = _post_to(
            request,
            ManualIkiForm,
            services.iki_manual_set,
            success=_("Manual IKI disimpan."),
            iki=iki,
        )
        if ok:
            return _to_skp(skp)
    manual = getattr(iki, "manual", None) if hasattr(iki, "manual") else None
    return render(request, "planning/iki_manual.html", {"iki": iki, "skp": skp, "manual": manual})


@login_required
@with_object(_get_skp)
@require_POST
def skp_expectations(request, skp):
    success = _("Ekspektasi khusus pimpinan disimpan.")
    _post_to(request, ExpectationsForm, services.skp_expectations_set, success=success, skp=skp)
    return _to_skp(skp)


@login_required
@with_object(_get_skp)
@require_POST
def skp_lampiran(request, skp):
    success = _("Lampiran SKP disimpan.")
    _post_to(request, LampiranForm, services.skp_lampiran_set, success=success, skp=skp)
    return _to_skp(skp)


@login_required
@with_object(_get_skp)
@require_POST
def skp_approach(request, skp):
    _post_to(request, ApproachForm, services.skp_approach_set, skp=skp)
    return _to_skp(skp)


@login_required
@with_object(_get_skp)
@require_POST
def skp_submit(request, skp):
    call_service(
        request, services.skp_submit, success=_("SKP diajukan kepada pejabat penilai."), skp=skp
    )
    return _to_skp(skp)


@login_required
@with_object(_get_skp)
def skp_review(request, skp):
    """Side by side: the subordinate's SKP and the rater's own RHK."""
    context = _skp_context(request, skp)
    own = selectors.rater_skp(skp)
    context["rater_skp"] = own
    context["rater_rhks"] = selectors.skp_rhks(own) if own else []
    return render(request, "planning/skp_review.html", context)


def _decide(request, skp, service, success):
    """Approve or return: back to the team list when done, else to the review."""
    ok, _result = _post_to(request, NoteForm, service, success=success, skp=skp)
    if ok:
        return redirect("planning:team")
    return redirect("planning:skp_review", pk=skp.pk)


@login_required
@with_object(_get_skp)
@require_POST
def skp_approve(request, skp):
    return _decide(request, skp, services.skp_approve, _("SKP disetujui dan ditetapkan."))


@login_required
@with_object(_get_skp)
@require_POST
def skp_return(request, skp):
    return _decide(request, skp, services.skp_return, _("SKP dikembalikan dengan catatan."))


@login_required
@with_object(_get_skp)
@require_POST
def skp_revise(request, skp):
    success = _("Revisi SKP dimulai; ajukan kembali setelah selesai.")
    _post_to(request, ReasonForm, services.skp_revise, success=success, skp=skp)
    return _to_skp(skp)


@login_required
def version_detail(request, pk):
    access = get_access(request)
    version = get_visible_or_404(
        request,
        SkpVersion.objects.select_related("skp"),
        access_filter=selectors.skp_filter(access, "skp__"),
        pk=pk,
    )
    return render(
        request, "planning/version_detail.html", {"version": version, "c": version.content}
    )


@login_required
@with_object(_get_skp)
def skp_pdf(request, skp):
    version = None
    if request.GET.get("versi"):
        version = selectors.version_by_number(skp, request.GET["versi"])
    data, filename = services.skp_print(
        actor=request.user,
        skp=skp,
        base_url=request.build_absolute_uri("/").rstrip("/"),
        version=version,
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def verify(request, token):
    """Public: proves a printed SKP is the approved one (document id, version,
    content hash, approver, time). No personal data beyond the names and NIP
    already printed on the document."""
    version, is_latest = selectors.version_by_token(token)
    return render(
        request,
        "planning/verify.html",
        {"version": version, "c": version.content, "is_latest": is_latest},
    )


# --- superior ------------------------------------------------------------------


@login_required
def team(request):
    access = get_access(request)
    year = selectors.current_year(access.agency_id) if access.agency_id else None
    rows = selectors.team_skps(access=access, year=year) if year else []
    return render(request, "planning/team.html", {"year": year, "rows": rows})


@login_required
def matrix(request):
    access = get_access(request)
    year = selectors.current_year(access.agency_id) if access.agency_id else None
    if access.employee is None or year is None:
        raise Http404
    if request.method == "POST":
        form = MatrixAssignForm(request.POST)
        valid = form.is_valid()
        parent = _get_rhk(request, form.cleaned_data.get("rhk") or 0)
        if not valid:
            form_errors(request, form)
            return redirect("planning:matrix")
        data = form.cleaned_data
        ok, result = call_service(
            request,
            services.rhk_matrix_assign,
            parent_rhk=parent,
            skp_ids=data["skp"],
            text=data["text"],
            kind=data["kind"],
        )
        if ok:
            messages.success(
                request,
                _("%(n)s RHK dibuat untuk bawahan; %(s)s sudah ada.")
                % {"n": result["created"], "s": result["skipped_existing"]},
            )
            if result["locked"]:
                messages.warning(
                    request,
                    _("SKP berikut sedang diajukan/disetujui dan dilewati: %(names)s")
                    % {"names": ", ".join(result["locked"])},
                )
        return redirect("planning:matrix")
    data = selectors.role_matrix(employee=access.employee, year=year)
    return render(request, "planning/matrix.html", {"year": year, "m": data})


# --- agency (admin BKD) ----------------------------------------------------------


@login_required
def year_list(request):
    access = get_access(request)
    if not access.is_admin:
        raise Http404
    if request.method == "POST":
        ok, year = _post_to(
            request,
            YearForm,
            services.year_create,
            success=_("Periode penilaian dibuat."),
            agency=request.user.agency,
        )
        if ok:
            return redirect("planning:year_detail", pk=year.pk)
    context = {
        "years": selectors.years(access.agency_id),
        "frequencies": PerformanceYear.Frequency.choices,
        "sources": PerformanceYear.AnnualSource.choices,
        "next_year": timezone.localdate().year,
    }
    return render(request, "planning/year_list.html", context)


@login_required
@with_object(_get_year)
def year_detail(request, year):
    counts = selectors.year_summary(year)
    context = {
        "year": year,
        "periods": selectors.year_periods(year),
        "counts": [(label, counts.get(value, 0)) for value, label in Skp.Status.choices],
        "total": sum(counts.values()),
        "not_approved": sum(n for s, n in counts.items() if s not in ("disetujui", "ditutup")),
        "late": timezone.localdate() > year.skp_deadline,
        "jobs": selectors.year_jobs(year),
    }
    return render(request, "planning/year_detail.html", context)


@login_required
@with_object(_get_year)
@require_POST
def year_open(request, year):
    ok, job = call_service(request, services.year_open, year=year)
    if ok:
        return redirect("jobs:detail", pk=job.pk)
    return redirect("planning:year_detail", pk=year.pk)


@login_required
@with_object(_get_any_year)
def goal_list(request, year):
    access = get_access(request)
    can_add = access.is_admin or bool(
        access.employee and access.employee.position_id and access.employee.position.is_jpt
    )
    if request.method == "POST":
        posted = _unit_picked(request, request.POST)
        data = _posted(request, OrgGoalForm, posted) if posted is not None else None
        if data is not None:
            unit = selectors.agency_unit_or_404(year.agency_id, data.pop("unit"))
            call_service(
                request,
                services.org_goal_create,
                success=_("Sasaran strategis disimpan."),
                year=year,
                unit=unit,
                **data,
            )
        return redirect("planning:goal_list", pk=year.pk)
    context = {
        "year": year,
        "goals": selectors.year_goals(year),
        "can_add": can_add,
        "sources": OrgGoal.Source.choices,
    }
    return render(request, "planning/goal_list.html", context)


@login_required
def tree(request, pk):
    """Pohon kinerja: admin BKD sees the agency, a unit head their unit."""
    access = get_access(request)
    year = _get_year(
        request, pk, admin=not (access.is_admin or access.is_tim_penilai or access.head_unit_paths)
    )
    unit_path = "" if (access.is_admin or access.is_tim_penilai) else access.head_unit_paths[0]
    scope = "unit-instansi" if not unit_path else "unit"
    data, error = pickers.with_typed_choice(request.GET, access, scope, "unit")
    if error:
        messages.error(request, error)
    chosen = selectors.tree_unit(year.agency_id, unit_path or "/", chosen=data.get("unit", ""))
    if chosen is not None:
        unit_path = chosen.path
    context = {
        "year": year,
        "t": selectors.performance_tree(year=year, unit_path=unit_path),
        "unit_id": chosen.pk if chosen else "",
        "unit_label": chosen.name if chosen else "",
    }
    return render(request, "planning/tree.html", context)


@login_required
@with_object(_get_year)
@require_POST
def unit_pdf(request, year):
    posted = _unit_picked(request, request.POST)
    if posted is None:
        return redirect("planning:year_detail", pk=year.pk)
    form = UnitForm(posted)
    unit_id = form.cleaned_data["unit"] if form.is_valid() else None
    unit = selectors.agency_unit_or_404(year.agency_id, unit_id or 0)
    job = enqueue(
        "planning.unit_pdf",
        agency=year.agency,
        user=request.user,
        params={
            "year": year.pk,
            "unit": unit.pk,
            "base_url": request.build_absolute_uri("/").rstrip("/"),
        },
    )
    return redirect("jobs:detail", pk=job.pk)


@login_required
def job_download(request, pk):
    access = get_access(request)
    job = get_visible_or_404(
        request,
        Job.objects.filter(kind="planning.unit_pdf"),
        access_filter=job_filter(access),
        pk=pk,
    )
    if job.status != Job.Status.DONE:
        return redirect("jobs:detail", pk=job.pk)
    name = job.result.get("file") or ""
    path = settings.PRIVATE_ROOT / "planning" / name
    if not name or "/" in name or not path.is_file():
        return HttpResponse(_("Berkas sudah tidak tersedia; buat ulang PDF unit."), status=410)
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"SKP-unit-{job.params.get('unit')}.pdf",
        content_type="application/pdf",
    )


# --- the year's calendar ---------------------------------------------------------


@login_required
def calendar(request):
    """Kalender: the calendar that applies to the user (their unit's) and where the year
    stands; admin BKD also reaches the agency's calendar and the units' own dates."""
    access = get_access(request)
    if access.agency_id is None:
        raise Http404
    today = timezone.localdate()
    chosen = request.GET.get("tahun", "")
    year = (
        selectors.years(access.agency_id).filter(year=chosen).first() if chosen.isdigit() else None
    ) or selectors.current_year(access.agency_id, today)
    context: dict[str, Any] = {"year": year, "is_admin": access.is_admin}
    if year is not None:
        cal = calendar_selectors.calendar_for(access.employee, year)
        context.update(
            cal=cal,
            position=calendar_selectors.year_position(cal, today),
            years=selectors.years(access.agency_id).values_list("year", flat=True),
            unit=access.employee.unit if access.employee else None,
        )
    return render(request, "planning/calendar.html", context)


@login_required
@with_object(_get_year)
def calendar_edit(request, year):
    """Admin BKD sets the agency's calendar of a year in one form: nothing is saved when
    anything is wrong, and every problem is said."""
    cal = calendar_selectors.agency_calendar(year)
    initial: dict[str, Any] = {
        "skp_deadline": cal.skp.end,
        "annual_start": cal.annual.start,
        "annual_deadline": cal.annual.end,
        **{name: getattr(year, name) for name in year.workday_rules.names()},
    }
    for p in cal.periods:
        initial[f"p{p.pk}_realisasi_start"] = p.realisasi.start
        initial[f"p{p.pk}_realisasi_end"] = p.realisasi.end
        initial[f"p{p.pk}_window_start"] = p.evaluation.start
        initial[f"p{p.pk}_window_end"] = p.evaluation.end
    periods = [p.period for p in cal.periods]
    if request.method == "POST":
        form = CalendarForm(request.POST, periods=periods, initial=initial)
        if form.is_valid():
            ok, _year = call_service(
                request,
                services.calendar_update,
                form=form,
                success=_("Kalender penilaian disimpan."),
                year=year,
                **form.service_kwargs(),
            )
            if ok:
                return redirect("planning:calendar_edit", pk=year.pk)
    else:
        form = CalendarForm(periods=periods, initial=initial)
    return render(request, "planning/calendar_edit.html", {"year": year, "form": form})


def _get_override(request, pk):
    access = get_access(request)
    return get_visible_or_404(
        request,
        CalendarOverride.objects.select_related("year", "unit", "period"),
        access_filter=Q(agency_id=access.agency_id) if access.is_admin else Q(pk__in=[]),
        pk=pk,
    )


@login_required
@with_object(_get_year)
def calendar_overrides(request, year):
    """The units' own dates of a year, and a form to add one."""
    if request.method == "POST":
        posted = _unit_picked(request, request.POST)
        data = _posted(request, OverrideForm, posted) if posted is not None else None
        if data is not None:
            unit = selectors.agency_unit_or_404(year.agency_id, data["unit"])
            period = calendar_selectors.year_period_or_404(year, data["period"])
            if unit is None:
                messages.error(request, _("Pilih unit kerja."))
            else:
                ok, _override = call_service(
                    request,
                    services.calendar_override_add,
                    success=_("Jadwal khusus unit disimpan."),
                    year=year,
                    unit=unit,
                    window=data["window"],
                    period=period,
                    start=data["start"] or data["end"],
                    end=data["end"],
                    reason=data["reason"],
                )
                if ok:
                    return redirect("planning:calendar_overrides", pk=year.pk)
    context = {
        "year": year,
        "overrides": calendar_selectors.year_overrides(year),
        "periods": calendar_selectors.year_periods(year),
        "windows": CalendarOverride.Window.choices,
        "posted": request.POST if request.method == "POST" else {},
    }
    return render(request, "planning/calendar_overrides.html", context)


@login_required
@with_object(_get_override)
@require_POST
def calendar_override_remove(request, override):
    year_pk = override.year_id
    call_service(
        request,
        services.calendar_override_remove,
        success=_("Jadwal khusus unit dihapus."),
        override=override,
    )
    return redirect("planning:calendar_overrides", pk=year_pk)
