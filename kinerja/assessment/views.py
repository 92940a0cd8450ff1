"""Assessment pages. Thin: objects are fetched through the user's access (a
foreign id is a 404), input is read by the forms of forms.py, writes go through
services (kinerja.web.call_service), reads through selectors."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from kinerja.authz import admin_access, forum_access
from kinerja.files import private_file_response
from kinerja.monitoring import uploads
from kinerja.org import pickers
from kinerja.org.access import get_access, get_visible_or_404
from kinerja.org.models import OrgUnit
from kinerja.planning import berakhlak
from kinerja.planning import selectors as planning_selectors
from kinerja.planning.models import Skp
from kinerja.web import call_service, form_errors, show_error, with_object

from . import documents, forms, grades_import, labels, selectors, services
from .models import (
    Appeal,
    AssessmentSettings,
    Calibration,
    OrgGradeChoice,
    OrgPerformance,
    PredikatChoice,
    RatingChoice,
)


def _get_evaluation(request, pk):
    return get_visible_or_404(
        request,
        selectors.evaluation_detail_queryset(),
        access_filter=selectors.evaluation_filter(get_access(request)),
        pk=pk,
    )


def _year(access, request=None):
    year = planning_selectors.current_year(access.agency_id) if access.agency_id else None
    if request is not None and request.GET.get("tahun"):
        chosen = planning_selectors.years(access.agency_id).filter(pk=request.GET["tahun"]).first()
        year = chosen or year
    return year


def _to_evaluation(evaluation):
    return redirect("assessment:evaluation", pk=evaluation.pk)


def _post_to(fetch):
    """A POST-only action on one object, fetched through the user's access first
    (a foreign id is a 404 whatever the method); anything but POST is a 405."""

    def decorator(view):
        return login_required(with_object(fetch)(require_POST(view)))

    return decorator


def _post_files_to(fetch):
    """`_post_to` for a form with files: the size-limiting upload handler is
    installed before anything reads the body (so the view is csrf_exempt outside
    and checks CSRF inside, as Django documents), then the object is fetched."""

    def decorator(view):
        protected = csrf_protect(view)

        @wraps(view)
        def limited(request, obj):
            uploads.install_limit(request)
            return protected(request, obj)

        return csrf_exempt(login_required(with_object(fetch)(require_POST(limited))))

    return decorator


def _too_large(request):
    """The page's refusal when a posted file was over the limit (it was skipped)."""
    if getattr(request, "upload_too_large", False):
        show_error(request, uploads.too_large_error())
        return True
    return False


# --- employee ----------------------------------------------------------------------


@login_required
def home(request):
    """My evaluations per period and year, with the reasons behind them."""
    access = get_access(request)
    me = access.employee
    settings = selectors.settings_for(access.agency_id) if access.agency_id else None
    evaluations = selectors.employee_evaluations(me) if me is not None else []
    year = _year(access)
    self_open = (
        selectors.self_assessment_openable(me, year)
        if me is not None and year is not None and settings and settings.self_assessment_open
        else []
    )
    for evaluation in evaluations:
        evaluation.view = labels.evaluation_view(
            evaluation,
            settings,
            for_employee=True,
            appeal_blocked=selectors.appeal_blocked_reason(evaluation),
        )
    return render(
        request,
        "assessment/home.html",
        {
            "access": access,
            "evaluations": evaluations,
            "notices": selectors.notices_for(me) if me is not None else [],
            "appeals_to_decide": selectors.decider_appeals(me) if me else [],
            "peer_requests": selectors.open_peer_requests(me) if me else [],
            "self_open": self_open,
        },
    )


def _get_skp(request, pk):
    return get_visible_or_404(
        request,
        Skp.objects.select_related("year", "position", "rater_position", "rater"),
        access_filter=planning_selectors.skp_filter(get_access(request)),
        pk=pk,
    )


@_post_to(_get_skp)
def self_open(request, skp):
    """The employee opens their own evaluation of a period (or the year) to assess themselves."""
    period = None
    if request.POST.get("periode"):
        period = selectors.period_of_year(skp.year_id, request.POST["periode"])
        if period is None:
            raise Http404
    opened, evaluation = call_service(
        request, services.self_assessment_open, skp=skp, period=period
    )
    if not opened:
        return redirect("assessment:home")
    return _to_evaluation(evaluation)


# --- superior --------------------------------------------------------------------


@login_required
def team(request):
    """Who is due from me, status and deadlines: a fixed number of queries."""
    access = get_access(request)
    year = _year(access, request)
    period = None
    periods = selectors.periods_of(year) if year else []
    choice = request.GET.get("periode", "")
    if choice == "tahunan":
        period = None
    elif choice:
        period = next((p for p in periods if str(p.pk) == choice), None)
    elif year is not None:
        period = selectors.current_period(year)
    rows = (
        selectors.team(employee=access.employee, year=year, period=period)
        if access.employee is not None and year is not None
        else []
    )
    return render(
        request,
        "assessment/team.html",
        {
            "year": year,
            "period": period,
            "periods": periods,
            "annual": choice == "tahunan",
            "rows": rows,
            "grade_notice": (
                selectors.grade_notice(access.employee, year, period) if rows else None
            ),
        },
    )


@login_required
def start(request, pk):
    """Open (create on first use) the evaluation of an SKP for a period."""
    access = get_access(request)
    skp = get_visible_or_404(
        request,
        Skp.objects.select_related("year", "position", "rater_position", "rater"),
        access_filter=planning_selectors.skp_filter(access),
        pk=pk,
    )
    period = None
    if request.GET.get("periode"):
        period = selectors.period_of_year(skp.year_id, request.GET["periode"])
        if period is None:
            raise Http404
    try:
        evaluation = services.evaluation_for(skp=skp, period=period)
    except ValidationError as error:
        show_error(request, error)
        return redirect("assessment:team")
    return _to_evaluation(evaluation)


def _refusal(error):
    """The first message of a service's refusal."""
    return error.messages[0] if isinstance(error, ValidationError) else str(error)


@login_required
def evaluation(request, pk):
    """The rating page for the rater; a read-only view for everyone else who may see it."""
    obj = _get_evaluation(request, pk)
    access = get_access(request)
    if request.method == "POST":
        form = forms.RateForm(request.POST)
        if not form.is_valid():
            form_errors(request, form)
            return _to_evaluation(obj)
        rated, _saved = call_service(
            request, services.evaluation_rate, evaluation=obj, **form.ratings()
        )
        if rated and form.finalise:
            call_service(
                request,
                services.evaluation_finalise,
                evaluation=obj,
                success=_("Evaluasi difinalkan dan dikunci."),
            )
        elif rated:
            messages.success(request, _("Penilaian disimpan."))
        return _to_evaluation(obj)
    can_rate = True
    why_not = ""
    try:
        services.check_can_rate(request.user, obj)
    except (ValidationError, PermissionDenied) as error:
        can_rate, why_not = False, _refusal(error)
    context = selectors.rating_context(obj)
    settings = selectors.settings_for(obj.agency_id)
    proposed = selectors.proposal(obj, context["rows"], settings=settings)
    me = access.employee
    is_employee = me is not None and me.pk == obj.employee_id
    show_peer_names = not is_employee or settings.peer_names_visible
    if is_employee and not obj.published:
        # The employee sees their ratings once finalised; an annual predikat after calibration.
        context["hide_predikat"] = True
    form_code, doc_code = selectors.document_kinds(obj)
    context.update(
        {
            "e": obj,
            "access": access,
            "can_rate": can_rate,
            "why_not": why_not,
            "proposed": proposed.rating,
            "proposed_label": RatingChoice(proposed.rating).label if proposed.rating else "",
            "reason_texts": labels.reason_texts(proposed.reasons, proposed.counts),
            "ratings": RatingChoice.choices,
            "values": berakhlak.NAMES,
            "is_employee": is_employee,
            "is_rater": me is not None and me.pk in (obj.rater_id, obj.rated_by_id),
            "show_peer_names": show_peer_names,
            "appeal_blocked": selectors.appeal_blocked_reason(obj) if is_employee else "",
            "appeal": selectors.appeal_of(obj),
            "predikat_now": selectors.predikat_label(selectors.current_predikat(obj)),
            "awaiting_calibration": obj.is_annual and not obj.predikat_final,
            "history": selectors.predikat_history(obj),
            "form_code": form_code,
            "doc_code": doc_code,
            "peer_choices": selectors.peer_choices(obj) if can_rate else [],
            "window": selectors.window(obj),
            # Locked: the grade the evaluation recorded; a draft: the one finalising would
            # use now (own or inherited), so the rater sees before rating whether it is there.
            "org_grade": (
                None
                if obj.is_locked
                else selectors.effective_grade(obj.rater_unit_id, obj.year, obj.period)
            ),
            "max_mb": uploads.max_bytes() // (1024 * 1024),
        }
    )
    return render(request, "assessment/evaluation.html", context)


def _evaluation_step(request, obj, service, success, form_class=None):
    """One action posted from an evaluation's page: its form (if any) read, the
    service called, back to the page."""
    posted = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            form_errors(request, form)
            return _to_evaluation(obj)
        posted = form.cleaned_data
    call_service(request, service, evaluation=obj, success=success, **posted)
    return _to_evaluation(obj)


@_post_to(_get_evaluation)
def sign(request, obj):
    return _evaluation_step(
        request, obj, services.evaluation_sign, _("Dokumen evaluasi ditandatangani.")
    )


@_post_to(_get_evaluation)
def deliver(request, obj):
    return _evaluation_step(
        request,
        obj,
        services.evaluation_deliver,
        _("Dokumen evaluasi disampaikan kepada pegawai."),
    )


@_post_to(_get_evaluation)
def acknowledge(request, obj):
    return _evaluation_step(
        request, obj, services.evaluation_acknowledge, _("Dokumen evaluasi diterima.")
    )


@_post_to(_get_evaluation)
def report(request, obj):
    return _evaluation_step(
        request, obj, services.evaluation_report, _("Evaluasi dilaporkan ke PyB.")
    )


@_post_to(_get_evaluation)
def self_assess(request, obj):
    return _evaluation_step(
        request,
        obj,
        services.self_assessment_submit,
        _("Penilaian diri disimpan."),
        forms.SelfAssessmentForm,
    )


@_post_to(_get_evaluation)
def peers(request, obj):
    data, error = pickers.with_typed_choice(
        request.POST, get_access(request), "pegawai-instansi", "peer_lain"
    )
    if error:
        messages.error(request, error)
        return _to_evaluation(obj)
    form = forms.PeerRequestForm(data)
    if not form.is_valid():
        form_errors(request, form)
        return _to_evaluation(obj)
    chosen = form.cleaned_data["peer"] + form.cleaned_data["peer_lain"]
    call_service(
        request,
        services.peer_input_request,
        evaluation=obj,
        peers=selectors.employees_in_agency(obj.agency_id, chosen),
        success=_("Permintaan masukan rekan kerja dikirim."),
    )
    return _to_evaluation(obj)


@login_required
def peer_input(request, pk):
    obj = get_visible_or_404(
        request,
        selectors.peer_input_detail_queryset(),
        access_filter=selectors.peer_input_filter(get_access(request)),
        pk=pk,
    )
    if request.method == "POST":
        form = forms.PeerInputForm(request.POST)
        if not form.is_valid():
            form_errors(request, form)
        else:
            done, _submitted = call_service(
                request,
                services.peer_input_submit,
                peer_input=obj,
                ratings=form.ratings(),
                comment=form.cleaned_data["comment"],
                success=_("Masukan Anda disimpan. Terima kasih."),
            )
            if done:
                return redirect("assessment:home")
    return render(
        request,
        "assessment/peer.html",
        {"p": obj, "values": berakhlak.VALUES, "ratings": RatingChoice.choices},
    )


# --- appeals ----------------------------------------------------------------------------


@_post_files_to(_get_evaluation)
def appeal_file(request, obj):
    """The employee files an appeal: reasons, a note on the evidence, and evidence files."""
    form = forms.AppealFileForm(request.POST)
    if _too_large(request):
        return _to_evaluation(obj)
    if not form.is_valid():
        form_errors(request, form)
        return _to_evaluation(obj)
    call_service(
        request,
        services.appeal_file,
        evaluation=obj,
        files=request.FILES.getlist("files"),
        success=_("Keberatan diajukan."),
        **form.cleaned_data,
    )
    return _to_evaluation(obj)


def _get_appeal(request, pk):
    return get_visible_or_404(
        request,
        selectors.appeal_detail_queryset(),
        access_filter=selectors.appeal_filter(get_access(request)),
        pk=pk,
    )


@_post_files_to(_get_appeal)
def appeal_evidence_add(request, obj):
    """The employee adds evidence files to their open appeal."""
    if not _too_large(request):
        call_service(
            request,
            services.appeal_evidence_add,
            appeal=obj,
            files=request.FILES.getlist("files"),
            success=_("Bukti keberatan dilampirkan."),
        )
    return redirect("assessment:appeal", pk=obj.pk)


@login_required
def appeal_evidence(request, pk):
    """An appeal's evidence file, as a download: for the employee and the decider only
    (anyone else gets 404); each download is recorded."""
    evidence = get_visible_or_404(
        request,
        selectors.appeal_evidence_queryset(),
        access_filter=selectors.appeal_evidence_filter(get_access(request)),
        pk=pk,
    )
    response = private_file_response(
        lambda: services.appeal_evidence_path(evidence),
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    services.appeal_evidence_record_download(actor=request.user, evidence=evidence)
    return response


@login_required
def appeal(request, pk):
    access = get_access(request)
    obj = get_visible_or_404(
        request,
        selectors.appeal_detail_queryset(),
        access_filter=selectors.appeal_filter(access),
        pk=pk,
    )
    if request.method == "POST":
        form = forms.AppealActionForm(request.POST)
        posted = form.cleaned_data if form.is_valid() else {}
        saved = _("Tersimpan.")
        if not posted:
            form_errors(request, form)
        elif posted["action"] == "explain_request":
            call_service(request, services.appeal_request_explanations, appeal=obj, success=saved)
        elif posted["action"] == "explain":
            call_service(
                request, services.appeal_explain, appeal=obj, text=posted["text"], success=saved
            )
        else:
            call_service(
                request,
                services.appeal_decide,
                appeal=obj,
                decision=posted["decision"],
                new_predikat=posted["new_predikat"],
                reason=posted["reason"],
                recommendation=posted["recommendation"],
                success=saved,
            )
        return redirect("assessment:appeal", pk=obj.pk)
    me = access.employee.pk if access.employee else None
    sees_files = selectors.may_see_appeal_evidence(access, obj)
    return render(
        request,
        "assessment/appeal.html",
        {
            "a": obj,
            "files": selectors.appeal_evidence_of(obj) if sees_files else [],
            "sees_files": sees_files,
            "max_mb": uploads.max_bytes() // (1024 * 1024),
            "e": obj.evaluation,
            "is_decider": me == obj.decider_id,
            "is_rater": me == obj.evaluation.rater_id,
            "is_employee": me == obj.evaluation.employee_id,
            "predikat_choices": PredikatChoice.choices,
            "decisions": Appeal.Decision.choices,
            "late": obj.status == Appeal.Status.FILED and timezone.localdate() > obj.decide_due,
        },
    )


# --- tim penilai kinerja: calibration ------------------------------------------------


@login_required
def calibration_list(request):
    access = forum_access(request)
    year = _year(access, request)
    rows = selectors.calibration_units(year=year) if year else []
    return render(request, "assessment/calibration_list.html", {"year": year, "rows": rows})


def _get_unit_to_calibrate(request, pk):
    access = forum_access(request)
    return get_visible_or_404(
        request, OrgUnit.objects.all(), access_filter=access.unit_filter(), pk=pk
    )


@_post_to(_get_unit_to_calibrate)
def calibration_open(request, unit):
    year = _year(get_access(request), request)
    opened, calibration = call_service(request, services.calibration_open, year=year, unit=unit)
    if not opened:
        return redirect("assessment:calibration_list")
    return redirect("assessment:calibration", pk=calibration.pk)


def _get_calibration(request, pk):
    return get_visible_or_404(
        request,
        selectors.calibration_detail_queryset(),
        access_filter=selectors.calibration_filter(get_access(request)),
        pk=pk,
    )


@login_required
def calibration(request, pk):
    obj = _get_calibration(request, pk)
    if request.method == "POST":
        form = forms.CalibrationChangeForm(request.POST)
        found = form.is_valid() and selectors.evaluation_in_agency(
            obj.agency_id, form.cleaned_data["evaluation"]
        )
        if not found:
            messages.error(request, _("Evaluasi ini tidak termasuk kalibrasi unit ini."))
        else:
            call_service(
                request,
                services.calibration_change,
                calibration=obj,
                evaluation=found,
                predikat=form.cleaned_data["predikat"],
                reason=form.cleaned_data["reason"],
                success=_("Predikat diubah."),
            )
        return redirect("assessment:calibration", pk=obj.pk)
    state = selectors.calibration_state(obj)
    editing = None
    if obj.status == Calibration.Status.OPEN and request.GET.get("ubah", "").isdigit():
        wanted = int(request.GET["ubah"])
        editing = next((e for e in state.evaluations if e.pk == wanted and e.predikat), None)
    template = "assessment/calibration.html"
    if request.htmx and editing is not None:
        template = "assessment/_calibration_change.html"
    return render(
        request,
        template,
        {
            "c": obj,
            "s": state,
            "chart": labels.chart(state),
            "rows_html": labels.calibration_rows(
                state, editable=obj.status == Calibration.Status.OPEN
            ),
            "predikat_choices": PredikatChoice.choices,
            "editing": editing,
            "grade_changes": selectors.calibration_grade_changes(obj),
        },
    )


@_post_to(_get_calibration)
def calibration_close(request, obj):
    form = forms.CalibrationCloseForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        call_service(
            request,
            services.calibration_close,
            calibration=obj,
            success=_("Kalibrasi ditutup; pegawai dapat melihat predikat akhirnya."),
            **form.cleaned_data,
        )
    return redirect("assessment:calibration", pk=obj.pk)


@_post_to(_get_calibration)
def calibration_reapply(request, obj):
    """The organisation grade changed while the calibration is open: the tim penilai
    re-applies it to the affected proposals (audited) before closing."""
    call_service(
        request,
        services.calibration_reapply_grades,
        calibration=obj,
        success=_("Predikat kinerja organisasi yang baru telah diterapkan pada usulan."),
    )
    return redirect("assessment:calibration", pk=obj.pk)


# --- admin BKD ----------------------------------------------------------------------


def _admin_post(request, access):
    """One of the admin page's forms: settings, a day off, a rule of the policy."""
    action = request.POST.get("action")
    agency = request.user.agency
    if action == "settings":
        form = forms.SettingsForm(request.POST)
        if not form.is_valid():
            messages.error(request, forms.INVALID_INPUT)
            return
        service, kwargs = services.settings_update, {"agency": agency, **form.cleaned_data}
    elif action == "dayoff":
        form = forms.DayOffForm(request.POST)
        if not form.is_valid():
            form_errors(request, form)
            return
        service, kwargs = services.day_off_add, {"agency": agency, **form.cleaned_data}
    elif action == "policy":
        form = forms.PolicyRuleForm(request.POST)
        valid = form.is_valid()
        wanted = form.cleaned_data.get("rule")
        rule = next(
            (r for r in selectors.policy_rules(access.agency_id) if r.order == wanted), None
        )
        if rule is None:
            raise Http404
        if not valid:
            form_errors(request, form)
            return
        service = services.policy_rule_update
        kwargs = {
            "rule": rule,
            "min_pct": form.cleaned_data["min_pct"],
            "max_pct": form.cleaned_data["max_pct"],
            "at_least_one": form.cleaned_data["at_least_one"],
        }
    else:
        messages.success(request, _("Tersimpan."))
        return
    call_service(request, service, success=_("Tersimpan."), **kwargs)


@login_required
def admin(request):
    access = admin_access(request)
    if request.method == "POST":
        _admin_post(request, access)
        return redirect("assessment:admin")
    year = _year(access, request)
    return render(
        request,
        "assessment/admin.html",
        {
            "settings": selectors.settings_for(access.agency_id),
            "enforcement": AssessmentSettings.Enforcement.choices,
            "rules": [
                (r, labels.predikat_names(r.predikat))
                for r in selectors.policy_rules(access.agency_id)
            ],
            "grade_labels": dict(OrgGradeChoice.choices),
            "days_off": selectors.agency_days_off(access.agency_id),
            "year": year,
            "gaps": selectors.close_gaps(year) if year else None,
            "close_opens": selectors.last_window_opens(year) if year else None,
            "today": timezone.localdate(),
            "escalated": selectors.escalated_appeals(access.agency_id),
        },
    )


def _grades_scope(request, access):
    """(year, period) of the grades page: ?tahun= and ?periode= (blank: the year)."""
    year = _year(access, request)
    if year is None:
        raise Http404
    period = None
    if request.GET.get("periode"):
        period = selectors.period_of_year(year.pk, request.GET["periode"])
        if period is None:
            raise Http404
    return year, period


def _grades_url(year, period, unit=None):
    query = f"?tahun={year.pk}"
    if period is not None:
        query += f"&periode={period.pk}"
    if unit is not None:
        query += f"&buka={unit.pk}#unit-{unit.pk}"
    return reverse("assessment:org_performance") + query


def _grades_context(year, period):
    return {
        "year": year,
        "period": period,
        "grades": OrgGradeChoice.choices,
        "sources": OrgPerformance.Source.choices,
        "scope": f"tahun={year.pk}" + (f"&periode={period.pk}" if period else ""),
    }


@login_required
def org_performance(request):
    """The chart as a tree with each unit's grade for the year or a period: own
    or inherited, its source, who set it and when. Bounded: the top units and
    the way to ?buka=<unit>; deeper levels load on demand (org_grade_children)."""
    access = admin_access(request)
    year, period = _grades_scope(request, access)
    open_unit = selectors.unit_in_agency(access.agency_id, request.GET.get("buka") or None)
    return render(
        request,
        "assessment/org_grades.html",
        _grades_context(year, period)
        | {
            "nodes": selectors.grade_tree(access.agency_id, year, period, open_unit),
            "periods": selectors.periods_of(year),
            "ungraded": selectors.ungraded_units(access.agency_id, year, period),
        },
    )


@login_required
def org_grade_import(request):
    """Import grades from .xlsx/.csv: a dry run lists every error of every row;
    applying sets all rows at once, or nothing when any row is wrong."""
    access = admin_access(request)
    year, _period = _grades_scope(request, access)
    form = forms.OrgGradeImportForm(request.POST or None, request.FILES or None)
    plan = None
    if request.method == "POST":
        if not form.is_valid():
            form_errors(request, form)
        else:
            upload = form.cleaned_data["file"]
            done, plan = call_service(request, services.org_grades_import, year=year, upload=upload)
            if done and plan.ok and form.cleaned_data["apply"]:
                applied, result = call_service(
                    request, services.org_grades_import, year=year, upload=upload, apply=True
                )
                if applied:
                    messages.success(
                        request,
                        _("Impor diterapkan: %(n)s predikat organisasi berubah.")
                        % {"n": result.applied},
                    )
                    return redirect(_grades_url(year, None))
    return render(
        request,
        "assessment/org_grade_import.html",
        {
            "year": year,
            "form": form,
            "plan": plan,
            "columns": grades_import.COLUMNS,
            "preview": plan.rows[:200] if plan else [],
        },
    )


def _get_unit_to_grade(request, pk):
    access = admin_access(request)
    return get_visible_or_404(
        request, OrgUnit.objects.all(), access_filter=access.unit_filter(), pk=pk
    )


@login_required
@with_object(_get_unit_to_grade)
def org_grade_children(request, unit):
    """A page of a unit's children on the grades page (htmx)."""
    year, period = _grades_scope(request, get_access(request))
    try:
        offset = max(0, int(request.GET.get("mulai") or 0))
    except ValueError:
        offset = 0
    nodes, more = selectors.grade_children(unit, year, period, offset)
    return render(
        request,
        "assessment/_grade_nodes.html",
        _grades_context(year, period) | {"nodes": nodes, "parent": unit, "more": more},
    )


@_post_to(_get_unit_to_grade)
def org_grade_set(request, unit):
    """Set the unit's own grade, or its whole subtree's."""
    year, period = _grades_scope(request, get_access(request))
    form = forms.OrgGradeForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect(_grades_url(year, period, unit))
    posted = form.cleaned_data
    call_service(
        request,
        services.org_grade_set,
        unit=unit,
        year=year,
        period=period,
        grade=posted["grade"],
        source=posted["source"] or OrgPerformance.Source.ENTERED,
        note=posted["note"],
        subtree=posted["subtree"],
        success=_("Predikat kinerja organisasi disimpan."),
    )
    return redirect(_grades_url(year, period, unit))


@login_required
@require_POST
def annual_close(request):
    """Starts the annual close (refused before the last period's evaluation window opens,
    unless a reason is given); the admin page shows first who will have no result."""
    access = admin_access(request)
    year = _year(access, request)
    if year is None:
        raise Http404
    ok, job = call_service(
        request,
        services.annual_close_start,
        year=year,
        reason=request.POST.get("reason", ""),
    )
    if ok:
        return redirect("jobs:detail", pk=job.pk)
    return redirect(reverse("assessment:admin") + f"?tahun={year.pk}")


# --- documents -------------------------------------------------------------------------


def _pdf(request, pk, which):
    obj = _get_evaluation(request, pk)
    if not obj.is_locked:
        messages.error(request, _("Dokumen hanya dapat dicetak setelah evaluasi difinalkan."))
        return _to_evaluation(obj)
    base = request.build_absolute_uri("/").rstrip("/")
    try:
        data, doc = documents.render_pdf(obj, which=which, actor=request.user, base_url=base)
    except ValidationError as error:
        show_error(request, error)
        return _to_evaluation(obj)
    response = HttpResponse(data, content_type="application/pdf")
    name = doc.kind.replace(".", "")
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{obj.employee.nip}-{obj.year.year}-{obj.pk}.pdf"'
    )
    return response


@login_required
def form_pdf(request, pk):
    return _pdf(request, pk, "form")


@login_required
def document_pdf(request, pk):
    return _pdf(request, pk, "document")


def verify(request, token):
    """Public: proves a printed evaluation document is the issued one (kind,
    version, content hash, time). No personal data beyond what is printed."""
    doc = selectors.document_by_token(token)
    if doc is None:
        raise Http404
    return render(
        request,
        "assessment/verify.html",
        {
            "doc": doc,
            "c": doc.content,
            "is_latest": selectors.latest_document_version(doc) == doc.version,
        },
    )
