"""Follow-up pages. Thin: objects are fetched through the user's access (a foreign id is a
404), who may act is `kinerja.authz`'s (a refusal is a 403 with its message), input is read
through forms (forms.py), writes go through services with `kinerja.web.call_service`, and
lists come from selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinerja.authz import admin_access, manager_access
from kinerja.files import private_file_response
from kinerja.jobs.services import enqueue
from kinerja.org import pickers
from kinerja.org.access import Access, get_access, get_employee_or_404, get_visible_or_404
from kinerja.org.models import Employee
from kinerja.planning.models import PerformanceYear
from kinerja.web import call_service, form_errors

from . import documents, selectors, services
from .forms import (
    AllowanceForm,
    AwardCorrectForm,
    AwardForm,
    CourseForm,
    CreditPointsCorrectForm,
    CreditPointsForm,
    DecisionForm,
    DevelopmentPlanForm,
    EmployeeForm,
    MentorPairingForm,
    PairingCorrectForm,
    PerformanceYearForm,
    RecordTargetForm,
    RuleForm,
    SanctionCorrectForm,
    SanctionForm,
    SanctionStatusForm,
    TrainingRecordForm,
    WithdrawForm,
)
from .labels import PREDIKAT_CHOICES, rule_label
from .models import Award, Candidate, DocumentMixin, Outcome, Sanction, TrainingKind

# --- helpers --------------------------------------------------------------------------------


def _calendar_year(request: HttpRequest) -> int:
    value = request.GET.get("tahun", "")
    today = timezone.localdate()
    return int(value) if value.isdigit() and 1980 <= int(value) <= today.year + 1 else today.year


def _selected_year(value: str, years: list[PerformanceYear]) -> PerformanceYear | None:
    for year in years:
        if str(year.pk) == value:
            return year
    return years[0] if years else None


def _agency_q(access: Access) -> Q:
    """What of the agency's own settings (rules, catalogue) admin BKD may open: all of it."""
    return Q(agency_id=access.agency_id) if access.is_admin else Q(pk__in=[])


def _record_or_404(request: HttpRequest, queryset: QuerySet, pk: int, action: str = "view"):
    """A row about an employee the user may see (candidate, award, sanction, training
    record); anything else is a 404, recorded."""
    access = get_access(request)
    return get_visible_or_404(
        request, queryset, access_filter=access.employee_filter("employee__"), pk=pk, action=action
    )


def _serve_document(request: HttpRequest, queryset: QuerySet, pk: int) -> HttpResponse:
    """The document of an award, sanction or training record the user may see."""
    obj: DocumentMixin = _record_or_404(request, queryset, pk)
    if not obj.has_document:
        raise Http404
    return private_file_response(
        lambda: documents.document_path(obj),
        filename=obj.document_name,
        content_type=obj.document_type,
    )


def _employee_from(request: HttpRequest, pk: int | None) -> Employee | None:
    """The employee `pk` through the user's access (a foreign or invisible one is a 404)."""
    return get_employee_or_404(request, pk) if pk is not None else None


def _picked_employee(request: HttpRequest, name: str) -> Employee | None:
    """The employee a picker posted (org/_picker.html): a chosen id through the user's
    access (a foreign one is a 404), or a typed NIP; a text naming nobody, or nothing
    chosen, is a message on the page."""
    try:
        employee = pickers.resolve_posted(request, "pegawai", name)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return None
    if employee is None:
        messages.error(request, _("Pilih pegawai."))
    return employee  # type: ignore[return-value]


def _candidate_from(request: HttpRequest, pk: int | None) -> Candidate | None:
    if pk is None:
        return None
    return _record_or_404(request, selectors.candidate_detail_queryset(), pk)


# --- employee pages -------------------------------------------------------------------------


def _employee_context(request: HttpRequest, employee: Employee) -> dict:
    year = _calendar_year(request)
    access = get_access(request)
    data = selectors.employee_page(employee, year)
    return {
        "employee": employee,
        "year": year,
        "can_manage": selectors.can_manage(access, employee),
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


def _rule_fields(request: HttpRequest) -> dict:
    form = RuleForm(request.POST)
    form.is_valid()  # every field is optional: rule_save checks the values
    return form.cleaned_data


@login_required
def rule_list(request):
    access = admin_access(request)
    agency = request.user.agency
    services.rule_defaults_ensure(agency=agency, actor=request.user)
    fields = None
    if request.method == "POST":
        fields = _rule_fields(request)
        saved, _rule = call_service(
            request, services.rule_save, success=_("Aturan disimpan."), agency=agency, **fields
        )
        if saved:
            return redirect("followup:rules")
    rules = list(selectors.rules_for(access.agency_id))
    for rule in rules:
        rule.label = rule_label(rule)
    return render(
        request,
        "followup/rules.html",
        {
            "rules": rules,
            "outcomes": Outcome.choices,
            "predikat_choices": PREDIKAT_CHOICES,
            "form": fields,
        },
    )


@login_required
def rule_edit(request, pk):
    access = get_access(request)
    rule = get_visible_or_404(
        request, selectors.rule_queryset(), access_filter=_agency_q(access), pk=pk
    )
    admin_access(request)
    if request.method == "POST":
        saved, _rule = call_service(
            request,
            services.rule_save,
            success=_("Aturan disimpan."),
            agency=request.user.agency,
            rule=rule,
            **_rule_fields(request),
        )
        if saved:
            return redirect("followup:rules")
    return render(
        request,
        "followup/rule_edit.html",
        {"rule": rule, "outcomes": Outcome.choices, "predikat_choices": PREDIKAT_CHOICES},
    )


@login_required
def allowance(request):
    access = admin_access(request)
    agency = request.user.agency
    services.rule_defaults_ensure(agency=agency, actor=request.user)
    if request.method == "POST":
        form = AllowanceForm(request.POST)
        form.is_valid()  # free text: allowance_update checks the numbers
        saved, _result = call_service(
            request,
            services.allowance_update,
            success=_("Faktor tunjangan disimpan."),
            agency=agency,
            cuts=form.cuts(),
        )
        if saved:
            return redirect("followup:allowance")
    cuts = selectors.cuts_for(access.agency_id)
    rows = [(code, label, cuts.get(code, 0)) for code, label in PREDIKAT_CHOICES]
    return render(request, "followup/allowance.html", {"rows": rows})


# --- candidates -----------------------------------------------------------------------------


@login_required
def candidate_list(request):
    access = manager_access(request)
    years = selectors.performance_years(access.agency_id)
    year = _selected_year(request.GET.get("tahun", ""), years)
    outcome = request.GET.get("hasil", "")
    if outcome not in Outcome.values:
        outcome = ""
    status = request.GET.get("status", "")
    if status not in Candidate.Status.values:
        status = ""
    rows = list(selectors.candidates(access, year=year, outcome=outcome, status=status))
    for row in rows:
        row.can_decide = selectors.can_decide(access, row.employee)
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
    access = admin_access(request)
    years = selectors.performance_years(access.agency_id)
    form = PerformanceYearForm(request.POST)
    form.is_valid()
    year = _selected_year(request.GET.get("tahun", "") or form.cleaned_data["tahun"], years)
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
@require_POST
def candidate_decide(request, pk):
    candidate = _record_or_404(request, selectors.candidate_detail_queryset(), pk, "decide")
    form = DecisionForm(request.POST)
    form.is_valid()
    call_service(
        request,
        services.candidate_decide,
        success=_("Keputusan dicatat."),
        candidate=candidate,
        accept=form.accept,
        note=form.cleaned_data["note"],
    )
    return redirect(reverse("followup:candidates") + f"?tahun={candidate.year_id}")


# --- awards and sanctions -------------------------------------------------------------------


def _record_target(request: HttpRequest) -> tuple[Candidate | None, Employee | None]:
    """The candidate and employee an award or sanction page is for (posted, or in the link)."""
    form = RecordTargetForm(request.POST if request.method == "POST" else request.GET)
    form.is_valid()
    candidate = _candidate_from(request, form.cleaned_data["kandidat"])
    if candidate is not None:
        return candidate, candidate.employee
    if request.method == "POST":
        return None, _picked_employee(request, "pegawai")
    return None, _employee_from(request, form.cleaned_data["pegawai"])


def _record_for_employee(request, *, form_class, service, success, fields):
    """The award or sanction page: whom it is for, and on POST the employee first, then the
    form's shape, then the service. Returns (saved, candidate, employee)."""
    candidate, employee = _record_target(request)
    if request.method != "POST":
        return False, candidate, employee
    if employee is None:  # _picked_employee said why
        return False, candidate, employee
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        form_errors(request, form)
        return False, candidate, employee
    data = form.cleaned_data
    saved, _record = call_service(
        request,
        service,
        success=success,
        employee=employee,
        candidate=candidate,
        evaluation=candidate.evaluation if candidate else None,
        upload=data["document"],
        **{name: data[name] for name in fields},
    )
    return saved, candidate, employee


@login_required
def award_list(request):
    access = manager_access(request)
    rows = list(selectors.awards(access).order_by("-date", "-pk")[:500])
    return render(
        request,
        "followup/awards.html",
        {"rows": rows, "is_admin": access.is_admin, "kinds": Award.Kind.choices},
    )


@login_required
def award_create(request):
    admin_access(request)
    saved, candidate, employee = _record_for_employee(
        request,
        form_class=AwardForm,
        service=services.award_create,
        success=_("Penghargaan dicatat."),
        fields=("kind", "basis", "date"),
    )
    if saved:
        return redirect("followup:awards")
    return render(
        request,
        "followup/award_form.html",
        {
            "candidate": candidate,
            "employee": employee,
            "kinds": Award.Kind.choices,
            "form": request.POST,
            "today": timezone.localdate(),
        },
    )


@login_required
def award_document(request, pk):
    return _serve_document(request, selectors.award_queryset(), pk)


@login_required
def sanction_list(request):
    access = manager_access(request)
    rows = list(selectors.sanctions(access).order_by("-start", "-pk")[:500])
    return render(
        request,
        "followup/sanctions.html",
        {
            "rows": rows,
            "is_admin": access.is_admin,
            "statuses": Sanction.Status.choices,
            "kinds": Sanction.Kind.choices,
        },
    )


@login_required
def sanction_create(request):
    admin_access(request)
    saved, candidate, employee = _record_for_employee(
        request,
        form_class=SanctionForm,
        service=services.sanction_create,
        success=_("Sanksi dicatat."),
        fields=("kind", "legal_basis", "start", "end", "status", "note"),
    )
    if saved:
        return redirect("followup:sanctions")
    return render(
        request,
        "followup/sanction_form.html",
        {
            "candidate": candidate,
            "employee": employee,
            "kinds": Sanction.Kind.choices,
            "statuses": Sanction.Status.choices,
            "form": request.POST,
        },
    )


@login_required
@require_POST
def sanction_status(request, pk):
    sanction = _record_or_404(request, selectors.sanction_queryset(), pk, "change")
    form = SanctionStatusForm(request.POST)
    if form.is_valid():
        call_service(
            request,
            services.sanction_set_status,
            success=_("Status sanksi disimpan."),
            sanction=sanction,
            **form.cleaned_data,
        )
    else:
        form_errors(request, form)
    return redirect("followup:sanctions")


@login_required
def sanction_document(request, pk):
    return _serve_document(request, selectors.sanction_queryset(), pk)


# --- training -------------------------------------------------------------------------------


@login_required
def course_list(request):
    access = get_access(request)
    if request.method == "POST":
        admin_access(request)
        form = CourseForm(request.POST, active_unless_sent=True)
        form.is_valid()  # free text: course_save checks the values
        saved, _course = call_service(
            request,
            services.course_save,
            success=_("Pelatihan ditambahkan ke katalog."),
            agency=request.user.agency,
            **form.cleaned_data,
        )
        if saved:
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
        request, selectors.course_queryset(), access_filter=_agency_q(access), pk=pk
    )
    if request.method == "POST":
        form = CourseForm(request.POST)
        form.is_valid()  # free text: course_save checks the values
        saved, _course = call_service(
            request,
            services.course_save,
            success=_("Pelatihan disimpan."),
            agency=request.user.agency,
            course=course,
            **form.cleaned_data,
        )
        if saved:
            return redirect("followup:courses")
    return render(
        request, "followup/course_edit.html", {"course": course, "kinds": TrainingKind.choices}
    )


@login_required
def record_create(request):
    access = get_access(request)
    target = EmployeeForm(request.POST if request.method == "POST" else request.GET)
    target.is_valid()
    employee = _employee_from(request, target.cleaned_data["pegawai"]) or access.employee
    if employee is None:
        raise Http404
    if request.method == "POST":
        form = TrainingRecordForm(request.POST, request.FILES)
        if not form.is_valid():
            form_errors(request, form)
        else:
            data = form.cleaned_data
            saved, _record = call_service(
                request,
                services.training_record_create,
                success=_("Pelatihan dicatat."),
                employee=employee,
                course=selectors.agency_course(access.agency_id, data["course"]),
                title=data["title"],
                kind=data["kind"] or None,
                start=data["start"],
                end=data["end"],
                hours_jp=data["hours_jp"],
                upload=data["document"],
            )
            if saved:
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
    return _serve_document(request, selectors.training_record_queryset(), pk)


@login_required
def jp_report(request):
    access = manager_access(request)
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
    if not selectors.can_manage(access, employee):
        raise PermissionDenied(_("Anda tidak dapat menyusun rencana pengembangan pegawai ini."))
    year = _calendar_year(request)
    if request.method == "POST":
        form = DevelopmentPlanForm(request.POST)
        form.is_valid()
        saved, _plan = call_service(
            request,
            services.development_plan_save,
            success=_("Rencana pengembangan disimpan."),
            employee=employee,
            year=year,
            goals=form.cleaned_data["goals"],
            course_ids=form.cleaned_data["courses"],
        )
        if saved:
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
            "suggested": selectors.suggested_areas(evaluation),
            "courses": selectors.courses(access.agency_id, active_only=True),
            "selected": {c.pk for c in plan.planned_courses.all()} if plan else set(),
        },
    )


def _pair_mentor(request: HttpRequest, access: Access) -> bool:
    """POST of the mentors page: both people first, then the dates, then the service."""
    posted, error = pickers.with_typed_choice(request.POST, access, "pegawai", "mentee")
    if not error:
        posted, error = pickers.with_typed_choice(posted, access, "pegawai-instansi", "mentor")
    if error:
        messages.error(request, error)
        return False
    form = MentorPairingForm(posted)
    form.is_valid()
    data = form.cleaned_data
    mentee = _employee_from(request, data.get("mentee"))
    mentor = selectors.agency_employee(access.agency_id, data.get("mentor"))
    if mentee is None or mentor is None:
        messages.error(request, _("Pilih mentor dan pegawai yang dibimbing."))
        return False
    if form.errors:
        form_errors(request, form)
        return False
    saved, _pairing = call_service(
        request,
        services.mentor_pairing_create,
        success=_("Pendampingan mentor dicatat."),
        mentor=mentor,
        mentee=mentee,
        goals=data["goals"],
        notes=data["notes"],
        start=data["start"],
        end=data["end"],
    )
    return saved


MENTEES_PER_PAGE = 20


@login_required
def mentors(request):
    access = manager_access(request)
    year = _calendar_year(request)
    if request.method == "POST" and _pair_mentor(request, access):
        return redirect(reverse("followup:mentors") + f"?tahun={year}")
    return render(
        request,
        "followup/mentors.html",
        {
            "year": year,
            "suggestions": Paginator(
                selectors.mentor_suggestions(access, year), MENTEES_PER_PAGE
            ).get_page(request.GET.get("page", 1)),
            "pairings": list(selectors.pairings(access)),
            "today": timezone.localdate(),
        },
    )


# --- credit points and reports --------------------------------------------------------------


def _record_credit_points(request: HttpRequest) -> bool:
    """POST of the credit points page: the employee first, then the year, then the service."""
    form = CreditPointsForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    employee = _picked_employee(request, "employee")
    if employee is None:
        return False
    if form.errors:
        form_errors(request, form)
        return False
    saved, _row = call_service(
        request,
        services.credit_points_record,
        success=_("Angka kredit dicatat."),
        employee=employee,
        year=data["year"],
        months=data["months"],
        predikat=data["predikat"] or None,
    )
    return saved


@login_required
def credit_points(request):
    access = admin_access(request)
    if request.method == "POST" and _record_credit_points(request):
        return redirect("followup:credit_points")
    page = selectors.credit_points_page(access, page=request.GET.get("page", 1))
    return render(
        request,
        "followup/credit_points.html",
        {
            "page": page,
            "rows": page.object_list,
            "predikat_choices": PREDIKAT_CHOICES,
            "year": timezone.localdate().year - 1,
        },
    )


@login_required
def report(request):
    """Follow-up report of a unit (subtree) or the agency, as PDF or Excel."""
    access = manager_access(request)
    years = selectors.performance_years(access.agency_id)
    year = _selected_year(request.GET.get("tahun", ""), years)
    calendar_year = year.year if year else timezone.localdate().year
    unit = None
    query, error = pickers.with_typed_choice(request.GET, access, "unit", "unit")
    if error:
        messages.error(request, error)
        query = request.GET.copy()
        query["format"] = ""  # back to the form, with the message
    unit_id = query.get("unit", "")
    if unit_id.isdigit():
        unit = get_visible_or_404(
            request, selectors.unit_queryset(), access_filter=access.unit_filter(), pk=unit_id
        )
    elif not access.is_admin:
        unit = selectors.head_unit(access)
    fmt = query.get("format", "")
    if fmt not in ("pdf", "xlsx"):
        return render(request, "followup/report.html", {"years": years, "year": year})
    settings = selectors.settings_for(access.agency_id)
    scope = {"employee__unit__path__startswith": unit.path} if unit else {}
    context = {
        "agency": request.user.agency,
        "unit": unit,
        "year": calendar_year,
        "min_jp": settings.min_jp,
        "printed_at": timezone.localtime(),
        "candidates": list(selectors.candidates(access, year=year).filter(**scope)),
        # Withdrawn records stay on the pages, struck through; the report leaves them out.
        "awards": list(
            selectors.awards(access).filter(
                date__year=calendar_year, withdrawn_at__isnull=True, **scope
            )
        ),
        "sanctions": list(
            selectors.sanctions(access).filter(
                start__year=calendar_year, withdrawn_at__isnull=True, **scope
            )
        ),
        "shortfall": list(
            selectors.jp_shortfall(access, calendar_year, min_jp=settings.min_jp, unit=unit)
        ),
        "credit_points": list(
            selectors.credit_points(access).filter(
                year=calendar_year, withdrawn_at__isnull=True, **scope
            )
        ),
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
        content_type = "application/pdf"
    else:
        data = documents.report_xlsx(context)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# --- corrections and withdrawals (with a reason; never a deletion) ---------------------------


def _posted_change(request: HttpRequest, form_class, service, *, success: str, **kwargs) -> None:
    """Read the posted correction or withdrawal and call its service (which checks who may,
    refuses with a message, and records the change with its reason)."""
    form = form_class(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return
    call_service(request, service, success=success, **kwargs, **form.cleaned_data)


def _pairing_or_404(request: HttpRequest, pk: int):
    access = get_access(request)
    return get_visible_or_404(
        request,
        selectors.pairing_queryset(),
        access_filter=access.employee_filter("mentee__") | access.employee_filter("mentor__"),
        pk=pk,
        action="change",
    )


@login_required
@require_POST
def award_correct(request, pk):
    award = _record_or_404(request, selectors.award_queryset(), pk, "change")
    _posted_change(
        request,
        AwardCorrectForm,
        services.award_correct,
        success=_("Penghargaan dikoreksi."),
        award=award,
    )
    return redirect("followup:awards")


@login_required
@require_POST
def award_withdraw(request, pk):
    award = _record_or_404(request, selectors.award_queryset(), pk, "change")
    _posted_change(
        request,
        WithdrawForm,
        services.award_withdraw,
        success=_("Penghargaan ditarik."),
        award=award,
    )
    return redirect("followup:awards")


@login_required
@require_POST
def sanction_correct(request, pk):
    sanction = _record_or_404(request, selectors.sanction_queryset(), pk, "change")
    _posted_change(
        request,
        SanctionCorrectForm,
        services.sanction_correct,
        success=_("Sanksi dikoreksi."),
        sanction=sanction,
    )
    return redirect("followup:sanctions")


@login_required
@require_POST
def sanction_withdraw(request, pk):
    sanction = _record_or_404(request, selectors.sanction_queryset(), pk, "change")
    _posted_change(
        request,
        WithdrawForm,
        services.sanction_withdraw,
        success=_("Sanksi ditarik."),
        sanction=sanction,
    )
    return redirect("followup:sanctions")


@login_required
@require_POST
def credit_points_correct(request, pk):
    row = _record_or_404(request, selectors.credit_points_queryset(), pk, "change")
    _posted_change(
        request,
        CreditPointsCorrectForm,
        services.credit_points_correct,
        success=_("Angka kredit dikoreksi."),
        row=row,
    )
    return redirect("followup:credit_points")


@login_required
@require_POST
def credit_points_withdraw(request, pk):
    row = _record_or_404(request, selectors.credit_points_queryset(), pk, "change")
    _posted_change(
        request,
        WithdrawForm,
        services.credit_points_withdraw,
        success=_("Angka kredit ditarik."),
        row=row,
    )
    return redirect("followup:credit_points")


@login_required
@require_POST
def pairing_correct(request, pk):
    pairing = _pairing_or_404(request, pk)
    _posted_change(
        request,
        PairingCorrectForm,
        services.mentor_pairing_correct,
        success=_("Pendampingan mentor dikoreksi."),
        pairing=pairing,
    )
    return redirect("followup:mentors")


@login_required
@require_POST
def pairing_withdraw(request, pk):
    pairing = _pairing_or_404(request, pk)
    _posted_change(
        request,
        WithdrawForm,
        services.mentor_pairing_withdraw,
        success=_("Pendampingan mentor ditarik."),
        pairing=pairing,
    )
    return redirect("followup:mentors")


@login_required
@require_POST
def plan_withdraw(request, pk):
    plan = _record_or_404(request, selectors.development_plan_queryset(), pk, "change")
    _posted_change(
        request,
        WithdrawForm,
        services.development_plan_withdraw,
        success=_("Rencana pengembangan ditarik."),
        plan=plan,
    )
    return redirect("followup:employee", pk=plan.employee_id)
