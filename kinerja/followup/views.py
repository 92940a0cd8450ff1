"""Follow-up pages. Thin: objects are fetched through the user's access (a foreign id is a
404), writes go through services, lists come from selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinerja.files import private_file_response
from kinerja.jobs.services import enqueue
from kinerja.org.access import get_access, get_employee_or_404, get_visible_or_404
from kinerja.org.models import Employee, OrgUnit
from kinerja.planning.models import PerformanceYear

from . import documents, selectors, services
from .models import (
    Award,
    Candidate,
    FollowupRule,
    Outcome,
    Sanction,
    TrainingCourse,
    TrainingKind,
    TrainingRecord,
)
from .services import PREDIKAT_LABELS

PREDIKAT_CHOICES = list(PREDIKAT_LABELS.items())


# --- helpers --------------------------------------------------------------------------------


def _fail(request, exc):
    for message in exc.messages:
        messages.error(request, message)


def _require_admin(request):
    access = get_access(request)
    if not access.is_admin:
        raise PermissionDenied
    return access


def _require_manager(request):
    access = get_access(request)
    if not (access.is_admin or access.is_unit_head):
        raise PermissionDenied
    return access


def _date(value, label, *, required=True):
    value = (value or "").strip()
    if not value and not required:
        return None
    parsed = parse_date(value) if value else None
    if parsed is None:
        raise ValidationError(_("%(label)s tidak valid.") % {"label": label})
    return parsed


def _calendar_year(request):
    value = request.GET.get("tahun", "")
    today = timezone.localdate()
    return int(value) if value.isdigit() and 1980 <= int(value) <= today.year + 1 else today.year


def _performance_years(access):
    return list(PerformanceYear.objects.filter(agency_id=access.agency_id).order_by("-year"))


def _selected_year(request, years):
    value = request.GET.get("tahun", "") or request.POST.get("tahun", "")
    for year in years:
        if str(year.pk) == value:
            return year
    return years[0] if years else None


def _employee_choices(access):
    return Employee.objects.filter(access.employee_filter(), is_active=True).order_by("name")


def _serve(request, obj):
    if not obj.has_document:
        raise Http404
    return private_file_response(
        lambda: documents.document_path(obj),
        filename=obj.document_name,
        content_type=obj.document_type,
    )


# --- employee pages -------------------------------------------------------------------------


def _employee_context(request, employee):
    year = _calendar_year(request)
    access = get_access(request)
    data = selectors.employee_page(employee, year)
    return {
        "employee": employee,
        "year": year,
        "can_manage": services.manages(access, employee),
        "is_admin": access.is_admin,
        "is_head": access.is_admin or access.is_unit_head,
        **data,
        "jp_missing": max(data["min_jp"] - data["jp_total"], 0),
    }


@login_required
def home(request):
    """The employee's own follow-up: awards, sanctions, plan, JP, credit points, mentors."""
    access = get_access(request)
    context = {"is_admin": access.is_admin, "is_head": access.is_admin or access.is_unit_head}
    if access.employee is not None:
        context.update(_employee_context(request, access.employee))
        context["own"] = True
    return render(request, "followup/home.html", context)


@login_required
def employee_page(request, pk):
    employee = get_employee_or_404(request, pk)
    context = _employee_context(request, employee)
    access = get_access(request)
    context["own"] = access.employee is not None and access.employee.pk == employee.pk
    return render(request, "followup/home.html", context)


# --- rules and allowance --------------------------------------------------------------------


def _rule_fields(request):
    return {
        "outcome": request.POST.get("outcome", ""),
        "years": request.POST.get("years", ""),
        "predikat": request.POST.getlist("predikat"),
        "consecutive": request.POST.get("consecutive") == "on",
        "legal_basis": request.POST.get("legal_basis", ""),
        "active": request.POST.get("active") == "on",
    }


@login_required
def rule_list(request):
    access = _require_admin(request)
    agency = request.user.agency
    services.ensure_defaults(agency, request.user)
    if request.method == "POST":
        try:
            services.rule_save(actor=request.user, agency=agency, **_rule_fields(request))
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Aturan disimpan."))
            return redirect("followup:rules")
    rules = list(selectors.rules_for(access.agency_id))
    for rule in rules:
        rule.label = services.rule_label(rule)
    return render(
        request,
        "followup/rules.html",
        {
            "rules": rules,
            "outcomes": Outcome.choices,
            "predikat_choices": PREDIKAT_CHOICES,
            "form": _rule_fields(request) if request.method == "POST" else None,
        },
    )


@login_required
def rule_edit(request, pk):
    access = get_access(request)
    rule = get_visible_or_404(
        request,
        FollowupRule.objects.all(),
        access_filter=_agency_q(access),
        pk=pk,
    )
    _require_admin(request)
    if request.method == "POST":
        try:
            services.rule_save(
                actor=request.user, agency=request.user.agency, rule=rule, **_rule_fields(request)
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Aturan disimpan."))
            return redirect("followup:rules")
    return render(
        request,
        "followup/rule_edit.html",
        {"rule": rule, "outcomes": Outcome.choices, "predikat_choices": PREDIKAT_CHOICES},
    )


def _agency_q(access):
    return Q(agency_id=access.agency_id) if access.is_admin else Q(pk__in=[])


@login_required
def allowance(request):
    access = _require_admin(request)
    agency = request.user.agency
    services.ensure_defaults(agency, request.user)
    if request.method == "POST":
        cuts = {code: request.POST.get(f"cut_{code}", "0") for code in PREDIKAT_LABELS}
        try:
            services.allowance_update(actor=request.user, agency=agency, cuts=cuts)
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Faktor tunjangan disimpan."))
            return redirect("followup:allowance")
    cuts = selectors.cuts_for(access.agency_id)
    rows = [(code, label, cuts.get(code, 0)) for code, label in PREDIKAT_CHOICES]
    return render(request, "followup/allowance.html", {"rows": rows})


# --- candidates -----------------------------------------------------------------------------


@login_required
def candidate_list(request):
    access = _require_manager(request)
    years = _performance_years(access)
    year = _selected_year(request, years)
    outcome = request.GET.get("hasil", "")
    if outcome not in Outcome.values:
        outcome = ""
    status = request.GET.get("status", "")
    if status not in Candidate.Status.values:
        status = ""
    rows = list(selectors.candidates(access, year=year, outcome=outcome, status=status))
    for row in rows:
        row.can_decide = services.heads(access, row.employee)
    return render(
        request,
        "followup/candidates.html",
        {
            "years": years,
            "year": year,
            "outcome": outcome,
            "status": status,
            "outcomes": Outcome.choices,
            "statuses": Candidate.Status.choices,
            "rows": rows,
            "is_admin": access.is_admin,
        },
    )


@login_required
@require_POST
def candidates_generate(request):
    access = _require_admin(request)
    years = _performance_years(access)
    year = _selected_year(request, years)
    if year is None:
        messages.error(request, _("Belum ada periode penilaian."))
        return redirect("followup:candidates")
    job = enqueue(
        "followup.candidates",
        agency=request.user.agency,
        user=request.user,
        params={"year": year.pk},
    )
    return redirect("jobs:detail", pk=job.pk)


@login_required
def candidate_decide(request, pk):
    access = get_access(request)
    candidate = get_visible_or_404(
        request,
        Candidate.objects.select_related("employee", "employee__unit", "evaluation"),
        access_filter=access.employee_filter("employee__"),
        pk=pk,
        action="decide",
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    accept = request.POST.get("decision") == "accept"
    try:
        services.candidate_decide(
            actor=request.user, candidate=candidate, accept=accept, note=request.POST.get("note")
        )
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Keputusan dicatat."))
    url = reverse("followup:candidates") + f"?tahun={candidate.year_id}"
    return redirect(url)


# --- awards and sanctions -------------------------------------------------------------------


def _candidate_from(request, access, value):
    if not value or not str(value).isdigit():
        return None
    return get_visible_or_404(
        request,
        Candidate.objects.select_related("employee", "employee__unit", "evaluation", "year"),
        access_filter=access.employee_filter("employee__"),
        pk=value,
    )


def _employee_from(request, value):
    if not value or not str(value).isdigit():
        return None
    return get_employee_or_404(request, int(value))


@login_required
def award_list(request):
    access = _require_manager(request)
    rows = list(selectors.awards(access).order_by("-date", "-pk")[:500])
    return render(request, "followup/awards.html", {"rows": rows, "is_admin": access.is_admin})


@login_required
def award_create(request):
    access = _require_admin(request)
    data = request.POST if request.method == "POST" else request.GET
    candidate = _candidate_from(request, access, data.get("kandidat"))
    employee = candidate.employee if candidate else _employee_from(request, data.get("pegawai"))
    if request.method == "POST":
        try:
            if employee is None:
                raise ValidationError(_("Pilih pegawai."))
            services.award_create(
                actor=request.user,
                employee=employee,
                kind=request.POST.get("kind", ""),
                basis=request.POST.get("basis", ""),
                date=_date(request.POST.get("date"), _("Tanggal")),
                candidate=candidate,
                evaluation=candidate.evaluation if candidate else None,
                upload=request.FILES.get("document"),
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Penghargaan dicatat."))
            return redirect("followup:awards")
    return render(
        request,
        "followup/award_form.html",
        {
            "candidate": candidate,
            "employee": employee,
            "employees": _employee_choices(access) if employee is None else None,
            "kinds": Award.Kind.choices,
            "form": request.POST,
            "today": timezone.localdate(),
        },
    )


@login_required
def award_document(request, pk):
    access = get_access(request)
    award = get_visible_or_404(
        request, Award.objects.all(), access_filter=access.employee_filter("employee__"), pk=pk
    )
    return _serve(request, award)


@login_required
def sanction_list(request):
    access = _require_manager(request)
    rows = list(selectors.sanctions(access).order_by("-start", "-pk")[:500])
    return render(
        request,
        "followup/sanctions.html",
        {"rows": rows, "is_admin": access.is_admin, "statuses": Sanction.Status.choices},
    )


@login_required
def sanction_create(request):
    access = _require_admin(request)
    data = request.POST if request.method == "POST" else request.GET
    candidate = _candidate_from(request, access, data.get("kandidat"))
    employee = candidate.employee if candidate else _employee_from(request, data.get("pegawai"))
    if request.method == "POST":
        try:
            if employee is None:
                raise ValidationError(_("Pilih pegawai."))
            services.sanction_create(
                actor=request.user,
                employee=employee,
                kind=request.POST.get("kind", ""),
                legal_basis=request.POST.get("legal_basis", ""),
                start=_date(request.POST.get("start"), _("Tanggal mulai")),
                end=_date(request.POST.get("end"), _("Tanggal selesai"), required=False),
                status=request.POST.get("status", Sanction.Status.PROPOSED),
                candidate=candidate,
                evaluation=candidate.evaluation if candidate else None,
                note=request.POST.get("note", ""),
                upload=request.FILES.get("document"),
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Sanksi dicatat."))
            return redirect("followup:sanctions")
    return render(
        request,
        "followup/sanction_form.html",
        {
            "candidate": candidate,
            "employee": employee,
            "employees": _employee_choices(access) if employee is None else None,
            "kinds": Sanction.Kind.choices,
            "statuses": Sanction.Status.choices,
            "form": request.POST,
        },
    )


@login_required
def sanction_status(request, pk):
    access = get_access(request)
    sanction = get_visible_or_404(
        request,
        Sanction.objects.select_related("employee"),
        access_filter=access.employee_filter("employee__"),
        pk=pk,
        action="change",
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.sanction_set_status(
            actor=request.user,
            sanction=sanction,
            status=request.POST.get("status", ""),
            end=_date(request.POST.get("end"), _("Tanggal selesai"), required=False),
        )
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Status sanksi disimpan."))
    return redirect("followup:sanctions")


@login_required
def sanction_document(request, pk):
    access = get_access(request)
    sanction = get_visible_or_404(
        request, Sanction.objects.all(), access_filter=access.employee_filter("employee__"), pk=pk
    )
    return _serve(request, sanction)


# --- training -------------------------------------------------------------------------------


def _course_fields(request):
    return {
        "title": request.POST.get("title", ""),
        "kind": request.POST.get("kind", ""),
        "hours_jp": request.POST.get("hours_jp", ""),
        "provider": request.POST.get("provider", ""),
        "active": request.POST.get("active", "on") == "on",
    }


@login_required
def course_list(request):
    access = get_access(request)
    if request.method == "POST":
        _require_admin(request)
        try:
            services.course_save(
                actor=request.user, agency=request.user.agency, **_course_fields(request)
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Pelatihan ditambahkan ke katalog."))
            return redirect("followup:courses")
    courses = list(selectors.courses(access.agency_id, active_only=not access.is_admin))
    return render(
        request,
        "followup/courses.html",
        {
            "courses": courses,
            "kinds": TrainingKind.choices,
            "is_admin": access.is_admin,
            "form": request.POST,
        },
    )


@login_required
def course_edit(request, pk):
    access = get_access(request)
    course = get_visible_or_404(
        request, TrainingCourse.objects.all(), access_filter=_agency_q(access), pk=pk
    )
    if request.method == "POST":
        try:
            services.course_save(
                actor=request.user,
                agency=request.user.agency,
                course=course,
                **{**_course_fields(request), "active": request.POST.get("active") == "on"},
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Pelatihan disimpan."))
            return redirect("followup:courses")
    return render(
        request, "followup/course_edit.html", {"course": course, "kinds": TrainingKind.choices}
    )


@login_required
def record_create(request):
    access = get_access(request)
    data = request.POST if request.method == "POST" else request.GET
    employee = _employee_from(request, data.get("pegawai")) or access.employee
    if employee is None:
        raise Http404
    if request.method == "POST":
        course = None
        course_id = request.POST.get("course", "")
        if course_id.isdigit():
            course = TrainingCourse.objects.filter(agency_id=access.agency_id, pk=course_id).first()
        try:
            services.training_record_create(
                actor=request.user,
                employee=employee,
                course=course,
                title=request.POST.get("title", ""),
                kind=request.POST.get("kind") or None,
                start=_date(request.POST.get("start"), _("Tanggal mulai")),
                end=_date(request.POST.get("end"), _("Tanggal selesai")),
                hours_jp=request.POST.get("hours_jp", ""),
                upload=request.FILES.get("document"),
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Pelatihan dicatat."))
            own = access.employee is not None and access.employee.pk == employee.pk
            if own:
                return redirect("followup:home")
            return redirect("followup:employee", pk=employee.pk)
    return render(
        request,
        "followup/record_form.html",
        {
            "employee": employee,
            "courses": selectors.courses(access.agency_id, active_only=True),
            "kinds": TrainingKind.choices,
            "form": request.POST,
        },
    )


@login_required
def record_document(request, pk):
    access = get_access(request)
    row = get_visible_or_404(
        request,
        TrainingRecord.objects.all(),
        access_filter=access.employee_filter("employee__"),
        pk=pk,
    )
    return _serve(request, row)


@login_required
def jp_report(request):
    access = _require_manager(request)
    year = _calendar_year(request)
    settings = selectors.settings_for(access.agency_id)
    rows = list(selectors.jp_shortfall(access, year, min_jp=settings.min_jp))
    for row in rows:
        row.missing = settings.min_jp - row.jp
    return render(
        request,
        "followup/jp.html",
        {"rows": rows, "year": year, "min_jp": settings.min_jp},
    )


# --- development plan and mentors -----------------------------------------------------------


@login_required
def development_plan(request, pk):
    employee = get_employee_or_404(request, pk)
    access = get_access(request)
    if not services.manages(access, employee):
        raise PermissionDenied
    year = _calendar_year(request)
    if request.method == "POST":
        ids = [int(x) for x in request.POST.getlist("courses") if x.isdigit()]
        try:
            services.development_plan_save(
                actor=request.user,
                employee=employee,
                year=year,
                goals=request.POST.get("goals", ""),
                course_ids=ids,
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Rencana pengembangan disimpan."))
            return redirect("followup:employee", pk=employee.pk)
    plan = selectors.development_plan(employee, year)
    evaluation = selectors.annual_evaluation(employee, year)
    return render(
        request,
        "followup/plan.html",
        {
            "employee": employee,
            "year": year,
            "plan": plan,
            "suggested": services.suggested_areas(evaluation),
            "courses": selectors.courses(access.agency_id, active_only=True),
            "selected": {c.pk for c in plan.planned_courses.all()} if plan else set(),
        },
    )


@login_required
def mentors(request):
    access = _require_manager(request)
    year = _calendar_year(request)
    if request.method == "POST":
        try:
            mentee = _employee_from(request, request.POST.get("mentee"))
            mentor_id = request.POST.get("mentor", "")
            mentor = Employee.objects.filter(
                agency_id=access.agency_id, pk=mentor_id if mentor_id.isdigit() else 0
            ).first()
            if mentee is None or mentor is None:
                raise ValidationError(_("Pilih mentor dan pegawai yang dibimbing."))
            services.pairing_create(
                actor=request.user,
                mentor=mentor,
                mentee=mentee,
                goals=request.POST.get("goals", ""),
                notes=request.POST.get("notes", ""),
                start=_date(request.POST.get("start"), _("Tanggal mulai")),
                end=_date(request.POST.get("end"), _("Tanggal selesai"), required=False),
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Pendampingan mentor dicatat."))
            return redirect(reverse("followup:mentors") + f"?tahun={year}")
    return render(
        request,
        "followup/mentors.html",
        {
            "year": year,
            "suggestions": services.mentor_suggestions(access, year),
            "pairings": list(selectors.pairings(access)),
            "today": timezone.localdate(),
        },
    )


# --- credit points and reports --------------------------------------------------------------


@login_required
def credit_points(request):
    access = _require_admin(request)
    if request.method == "POST":
        try:
            employee = _employee_from(request, request.POST.get("employee"))
            if employee is None:
                raise ValidationError(_("Pilih pegawai."))
            year = request.POST.get("year", "")
            if not year.isdigit():
                raise ValidationError(_("Tahun tidak valid."))
            services.credit_points_record(
                actor=request.user,
                employee=employee,
                year=int(year),
                months=request.POST.get("months", "12"),
                predikat=request.POST.get("predikat") or None,
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Angka kredit dicatat."))
            return redirect("followup:credit_points")
    rows = list(selectors.credit_points(access).order_by("-year", "employee__name")[:500])
    return render(
        request,
        "followup/credit_points.html",
        {
            "rows": rows,
            "employees": Employee.objects.filter(
                access.employee_filter(), is_active=True, position__kind="fungsional"
            ).order_by("name"),
            "predikat_choices": PREDIKAT_CHOICES,
            "year": timezone.localdate().year - 1,
        },
    )


@login_required
def report(request):
    """Follow-up report of a unit (subtree) or the agency, as PDF or Excel."""
    access = _require_manager(request)
    years = _performance_years(access)
    year = _selected_year(request, years)
    calendar_year = year.year if year else timezone.localdate().year
    unit = None
    unit_id = request.GET.get("unit", "")
    if unit_id.isdigit():
        unit = get_visible_or_404(
            request, OrgUnit.objects.all(), access_filter=access.unit_filter(), pk=unit_id
        )
    elif not access.is_admin:
        unit = OrgUnit.objects.filter(
            agency_id=access.agency_id, path=access.head_unit_paths[0]
        ).first()
    fmt = request.GET.get("format", "")
    if fmt not in ("pdf", "xlsx"):
        return render(
            request,
            "followup/report.html",
            {
                "years": years,
                "year": year,
                "units": OrgUnit.objects.filter(access.unit_filter()).order_by("path"),
            },
        )
    settings = selectors.settings_for(access.agency_id)
    scope = {"employee__unit__path__startswith": unit.path} if unit else {}
    context = {
        "agency": request.user.agency,
        "unit": unit,
        "year": calendar_year,
        "min_jp": settings.min_jp,
        "printed_at": timezone.localtime(),
        "candidates": list(selectors.candidates(access, year=year).filter(**scope)),
        "awards": list(selectors.awards(access).filter(date__year=calendar_year, **scope)),
        "sanctions": list(selectors.sanctions(access).filter(start__year=calendar_year, **scope)),
        "shortfall": list(
            selectors.jp_shortfall(access, calendar_year, min_jp=settings.min_jp, unit=unit)
        ),
        "credit_points": list(selectors.credit_points(access).filter(year=calendar_year, **scope)),
    }
    services.record_export(
        "followup.report.export.pdf" if fmt == "pdf" else "followup.report.export.xlsx",
        actor=request.user,
        agency=request.user.agency,
        unit=unit,
        year=calendar_year,
    )
    name = f"tindak-lanjut-{calendar_year}" + (f"-unit-{unit.pk}" if unit else "")
    if fmt == "pdf":
        data = documents.report_pdf(context, base_url=request.build_absolute_uri("/"))
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    response = HttpResponse(
        documents.report_xlsx(context),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
