"""Assessment pages. Thin: objects are fetched through the user's access (a
foreign id is a 404), writes go through services, reads through selectors."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kinerja.jobs.services import enqueue
from kinerja.org.access import get_access, get_visible_or_404
from kinerja.org.models import Employee, OrgUnit
from kinerja.planning import berakhlak
from kinerja.planning import selectors as planning_selectors
from kinerja.planning.models import Period, Skp

from . import documents, labels, selectors, services
from .models import (
    AgencyDayOff,
    Appeal,
    AssessmentSettings,
    Calibration,
    DistributionRule,
    Evaluation,
    EvaluationDocument,
    OrgGradeChoice,
    OrgPerformance,
    PeerInput,
    PredikatChoice,
    RatingChoice,
)


def _fail(request, exc):
    for message in exc.messages:
        messages.error(request, message)


def _get_evaluation(request, pk):
    access = get_access(request)
    return get_visible_or_404(
        request,
        Evaluation.objects.select_related(*selectors.EVALUATION_RELATED).distinct(),
        access_filter=selectors.evaluation_filter(access),
        pk=pk,
    )


def _year(access, request=None):
    year = planning_selectors.current_year(access.agency_id) if access.agency_id else None
    if request is not None and request.GET.get("tahun"):
        chosen = planning_selectors.years(access.agency_id).filter(pk=request.GET["tahun"]).first()
        year = chosen or year
    return year


def _back(evaluation):
    return redirect("assessment:evaluation", pk=evaluation.pk)


def _act(request, fn, **kw):
    try:
        fn(actor=request.user, **kw)
    except ValidationError as exc:
        _fail(request, exc)
        return False
    return True


# --- employee ----------------------------------------------------------------------


@login_required
def home(request):
    """My evaluations per period and year, with the reasons behind them."""
    access = get_access(request)
    settings = services.settings_for(access.agency_id) if access.agency_id else None
    evaluations = (
        selectors.employee_evaluations(access.employee) if access.employee is not None else []
    )
    for evaluation in evaluations:
        evaluation.view = labels.evaluation_view(evaluation, settings, for_employee=True)
    notices = []
    if access.employee is not None:
        from .models import Notice

        notices = list(Notice.objects.filter(employee=access.employee)[:10])
    return render(
        request,
        "assessment/home.html",
        {
            "access": access,
            "evaluations": evaluations,
            "notices": notices,
            "appeals_to_decide": (
                selectors.decider_appeals(access.employee) if access.employee else []
            ),
            "peer_requests": (
                list(
                    PeerInput.objects.filter(
                        peer=access.employee, submitted_at__isnull=True
                    ).select_related("evaluation__employee", "evaluation__period")
                )
                if access.employee
                else []
            ),
        },
    )


# --- superior --------------------------------------------------------------------


@login_required
def team(request):
    """Who is due from me, status and deadlines: a fixed number of queries."""
    access = get_access(request)
    year = _year(access, request)
    period = None
    periods = list(Period.objects.filter(year=year).order_by("number")) if year else []
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
        period = get_object_or_404(Period, year_id=skp.year_id, pk=request.GET["periode"])
    try:
        evaluation = services.evaluation_for(skp=skp, period=period)
    except ValidationError as exc:
        _fail(request, exc)
        return redirect("assessment:team")
    return _back(evaluation)


@login_required
def evaluation(request, pk):
    """The rating page for the rater; a read-only view for everyone else who may see it."""
    obj = _get_evaluation(request, pk)
    access = get_access(request)
    if request.method == "POST":
        rhk, behaviour = {}, {}
        for key, value in request.POST.items():
            if key.startswith("rating_"):
                rhk_id = key.removeprefix("rating_")
                rhk[rhk_id] = {
                    "rating": value,
                    "feedback": request.POST.get(f"feedback_{rhk_id}", ""),
                }
            elif key.startswith("value_"):
                code = key.removeprefix("value_")
                behaviour[code] = {
                    "rating": value,
                    "feedback": request.POST.get(f"vfeedback_{code}", ""),
                }
        try:
            services.rate(
                actor=request.user,
                evaluation=obj,
                rhk=rhk,
                behaviour=behaviour,
                hasil=request.POST.get("hasil", ""),
                hasil_differ_reason=request.POST.get("hasil_differ_reason", ""),
                hasil_feedback=request.POST.get("hasil_feedback", ""),
                perilaku=request.POST.get("perilaku", ""),
                perilaku_feedback=request.POST.get("perilaku_feedback", ""),
                notes=request.POST.get("notes", ""),
            )
            if request.POST.get("action") == "finalise":
                services.finalise(actor=request.user, evaluation=obj)
                messages.success(request, _("Evaluasi difinalkan dan dikunci."))
            else:
                messages.success(request, _("Penilaian disimpan."))
        except ValidationError as exc:
            _fail(request, exc)
        return _back(obj)
    can_rate = True
    why_not = ""
    try:
        services.check_can_rate(request.user, obj)
    except ValidationError as exc:
        can_rate, why_not = False, exc.messages[0]
    context = selectors.rating_context(obj)
    settings = services.settings_for(obj.agency_id)
    proposed, reasons, counts = services.proposal(obj, context["rows"], settings=settings)
    me = access.employee
    is_employee = me is not None and me.pk == obj.employee_id
    show_peer_names = not is_employee or settings.peer_names_visible
    if is_employee and not obj.published:
        # The employee sees their ratings once finalised; an annual predikat after calibration.
        context["hide_predikat"] = True
    form_code, doc_code = services.document_kinds(obj)
    context.update(
        {
            "e": obj,
            "access": access,
            "can_rate": can_rate,
            "why_not": why_not,
            "proposed": proposed,
            "proposed_label": RatingChoice(proposed).label if proposed else "",
            "reason_texts": labels.reason_texts(reasons, counts),
            "ratings": RatingChoice.choices,
            "values": berakhlak.NAMES,
            "is_employee": is_employee,
            "is_rater": me is not None and me.pk in (obj.rater_id, obj.rated_by_id),
            "show_peer_names": show_peer_names,
            "appeal_blocked": services.appeal_blocked_reason(obj) if is_employee else "",
            "appeal": Appeal.objects.filter(evaluation=obj).first(),
            "changes": list(obj.calibration_changes.select_related("by")),
            "form_code": form_code,
            "doc_code": doc_code,
            "peer_choices": (
                Employee.objects.filter(
                    agency_id=obj.agency_id, unit_id=obj.unit_id, is_active=True
                )
                .exclude(pk__in=[obj.employee_id, obj.rater_id or 0])
                .order_by("name")[:50]
                if can_rate
                else []
            ),
            "window": services.window(obj),
        }
    )
    return render(request, "assessment/evaluation.html", context)


def _workflow_action(fn, success):
    @login_required
    def view(request, pk):
        obj = _get_evaluation(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if _act(request, fn, evaluation=obj):
            messages.success(request, success)
        return _back(obj)

    return view


sign = _workflow_action(services.sign, gettext_lazy("Dokumen evaluasi ditandatangani."))
deliver = _workflow_action(
    services.deliver, gettext_lazy("Dokumen evaluasi disampaikan kepada pegawai.")
)
acknowledge = _workflow_action(services.acknowledge, gettext_lazy("Dokumen evaluasi diterima."))
report = _workflow_action(services.report, gettext_lazy("Evaluasi dilaporkan ke PyB."))


@login_required
def self_assess(request, pk):
    obj = _get_evaluation(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    rhk, behaviour = {}, {}
    for key, value in request.POST.items():
        if key.startswith("self_rating_") and value:
            rhk_id = key.removeprefix("self_rating_")
            rhk[rhk_id] = {
                "rating": value,
                "comment": request.POST.get(f"self_comment_{rhk_id}", ""),
                "evidence": request.POST.get(f"self_evidence_{rhk_id}", ""),
            }
        elif key.startswith("self_value_") and value:
            code = key.removeprefix("self_value_")
            behaviour[code] = {
                "rating": value,
                "comment": request.POST.get(f"self_vcomment_{code}", ""),
            }
    if _act(
        request,
        services.self_assess,
        evaluation=obj,
        rhk=rhk,
        behaviour=behaviour,
        note=request.POST.get("note", ""),
    ):
        messages.success(request, _("Penilaian diri disimpan."))
    return _back(obj)


@login_required
def peers(request, pk):
    obj = _get_evaluation(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    ids = [int(x) for x in request.POST.getlist("peer") if x.isdigit()]
    chosen = list(Employee.objects.filter(agency_id=obj.agency_id, pk__in=ids))
    if _act(request, services.peer_request, evaluation=obj, peers=chosen):
        messages.success(request, _("Permintaan masukan rekan kerja dikirim."))
    return _back(obj)


@login_required
def peer_input(request, pk):
    access = get_access(request)
    me = access.employee.pk if access.employee else 0
    visible = Q(agency_id=access.agency_id)
    if not access.is_admin:
        visible &= Q(peer_id=me)
    obj = get_visible_or_404(
        request,
        PeerInput.objects.select_related("evaluation", "evaluation__employee", "peer"),
        access_filter=visible if access.agency_id else Q(pk__in=[]),
        pk=pk,
    )
    if request.method == "POST":
        ratings = {v: request.POST.get(f"value_{v}", "") for v in berakhlak.CODES}
        if _act(
            request,
            services.peer_submit,
            peer_input=obj,
            ratings=ratings,
            comment=request.POST.get("comment", ""),
        ):
            messages.success(request, _("Masukan Anda disimpan. Terima kasih."))
            return redirect("assessment:home")
    return render(
        request,
        "assessment/peer.html",
        {"p": obj, "values": berakhlak.VALUES, "ratings": RatingChoice.choices},
    )


# --- appeals ----------------------------------------------------------------------------


@login_required
def appeal_file(request, pk):
    obj = _get_evaluation(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if _act(
        request,
        services.appeal_file,
        evaluation=obj,
        reasons=request.POST.get("reasons", ""),
        evidence=request.POST.get("evidence", ""),
    ):
        messages.success(request, _("Keberatan diajukan."))
    return _back(obj)


def _appeal_filter(access):
    if access.agency_id is None:
        return Q(pk__in=[])
    scope = Q(agency_id=access.agency_id)
    if access.is_admin:
        return scope
    me = access.employee.pk if access.employee else 0
    return scope & (Q(decider_id=me) | Q(evaluation__employee_id=me) | Q(evaluation__rater_id=me))


@login_required
def appeal(request, pk):
    access = get_access(request)
    obj = get_visible_or_404(
        request,
        Appeal.objects.select_related(
            "evaluation",
            "evaluation__employee",
            "evaluation__rater",
            "evaluation__year",
            "evaluation__period",
            "decider",
        ),
        access_filter=_appeal_filter(access),
        pk=pk,
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "explain_request":
            ok = _act(request, services.appeal_request_explanations, appeal=obj)
        elif action == "explain":
            ok = _act(
                request, services.appeal_explain, appeal=obj, text=request.POST.get("text", "")
            )
        else:
            ok = _act(
                request,
                services.appeal_decide,
                appeal=obj,
                decision=request.POST.get("decision", ""),
                new_predikat=request.POST.get("new_predikat", ""),
                reason=request.POST.get("reason", ""),
                recommendation=request.POST.get("recommendation", ""),
            )
        if ok:
            messages.success(request, _("Tersimpan."))
        return redirect("assessment:appeal", pk=obj.pk)
    me = access.employee.pk if access.employee else None
    return render(
        request,
        "assessment/appeal.html",
        {
            "a": obj,
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


def _forum_scope(access):
    if access.agency_id is None or not (access.is_tim_penilai or access.is_admin):
        return Q(pk__in=[])
    return Q(agency_id=access.agency_id)


@login_required
def calibration_list(request):
    access = get_access(request)
    if not (access.is_tim_penilai or access.is_admin):
        raise Http404
    year = _year(access, request)
    rows = selectors.calibration_units(year=year) if year else []
    return render(request, "assessment/calibration_list.html", {"year": year, "rows": rows})


@login_required
def calibration_open(request, pk):
    access = get_access(request)
    unit = get_visible_or_404(
        request, OrgUnit.objects.all(), access_filter=_forum_scope(access), pk=pk
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    year = _year(access, request)
    try:
        calibration = services.calibration_open(actor=request.user, year=year, unit=unit)
    except ValidationError as exc:
        _fail(request, exc)
        return redirect("assessment:calibration_list")
    return redirect("assessment:calibration", pk=calibration.pk)


def _get_calibration(request, pk):
    access = get_access(request)
    return get_visible_or_404(
        request,
        Calibration.objects.select_related("unit", "year"),
        access_filter=_forum_scope(access),
        pk=pk,
    )


@login_required
def calibration(request, pk):
    obj = _get_calibration(request, pk)
    if request.method == "POST":
        evaluation = Evaluation.objects.filter(
            agency_id=obj.agency_id, pk=request.POST.get("evaluation") or 0
        ).first()
        if evaluation is None:
            messages.error(request, _("Evaluasi ini tidak termasuk kalibrasi unit ini."))
        elif _act(
            request,
            services.calibration_change,
            calibration=obj,
            evaluation=evaluation,
            predikat=request.POST.get("predikat", ""),
            reason=request.POST.get("reason", ""),
        ):
            messages.success(request, _("Predikat diubah."))
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
        },
    )


@login_required
def calibration_close(request, pk):
    obj = _get_calibration(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if _act(
        request,
        services.calibration_close,
        calibration=obj,
        override_reason=request.POST.get("override_reason", ""),
    ):
        messages.success(request, _("Kalibrasi ditutup; pegawai dapat melihat predikat akhirnya."))
    return redirect("assessment:calibration", pk=obj.pk)


# --- admin BKD ----------------------------------------------------------------------


def _require_admin(request):
    access = get_access(request)
    if not access.is_admin:
        raise Http404
    return access


def _pct(value):
    value = (value or "").strip().replace(",", ".")
    if not value:
        return None
    try:
        return Decimal(value) / 100
    except InvalidOperation as exc:
        raise ValidationError(_("Persentase tidak valid: %(v)s") % {"v": value}) from exc


@login_required
def admin(request):
    access = _require_admin(request)
    agency = request.user.agency
    settings = services.settings_for(access.agency_id)
    services.policy_for(access.agency_id)  # seeds the default policy on first use
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "settings":
                services.settings_update(
                    actor=request.user,
                    agency=agency,
                    self_assessment_required=bool(request.POST.get("self_assessment_required")),
                    peer_names_visible=bool(request.POST.get("peer_names_visible")),
                    small_part_numerator=int(request.POST.get("small_part_numerator") or 1),
                    small_part_denominator=int(request.POST.get("small_part_denominator") or 4),
                    min_unit_size=int(request.POST.get("min_unit_size") or 5),
                    quota_enforcement=request.POST.get("quota_enforcement", "advisory"),
                )
            elif action == "dayoff":
                date = parse_date(request.POST.get("date", "") or "")
                if date is None:
                    raise ValidationError(_("Tanggal tidak valid."))
                services.day_off_add(
                    actor=request.user,
                    agency=agency,
                    date=date,
                    reason=request.POST.get("reason", ""),
                )
            elif action == "policy":
                rule = get_object_or_404(
                    DistributionRule, agency_id=access.agency_id, pk=request.POST.get("rule") or 0
                )
                services.policy_rule_update(
                    actor=request.user,
                    rule=rule,
                    min_pct=_pct(request.POST.get("min_pct")),
                    max_pct=_pct(request.POST.get("max_pct")),
                    at_least_one=bool(request.POST.get("at_least_one")),
                )
            messages.success(request, _("Tersimpan."))
        except (ValidationError, ValueError) as exc:
            if isinstance(exc, ValidationError):
                _fail(request, exc)
            else:
                messages.error(request, _("Isian tidak valid."))
        return redirect("assessment:admin")
    year = _year(access, request)
    return render(
        request,
        "assessment/admin.html",
        {
            "settings": settings,
            "enforcement": AssessmentSettings.Enforcement.choices,
            "rules": [
                (r, labels.rule_names(r.predikat))
                for r in DistributionRule.objects.filter(agency_id=access.agency_id).order_by(
                    "order", "pk"
                )
            ],
            "grade_labels": dict(OrgGradeChoice.choices),
            "days_off": AgencyDayOff.objects.filter(agency_id=access.agency_id),
            "year": year,
            "escalated": selectors.escalated_appeals(access.agency_id),
        },
    )


@login_required
def org_performance(request):
    access = _require_admin(request)
    year = _year(access, request)
    if year is None:
        raise Http404
    periods = list(Period.objects.filter(year=year).order_by("number"))
    if request.method == "POST":
        unit = get_object_or_404(
            OrgUnit, agency_id=access.agency_id, pk=request.POST.get("unit") or 0
        )
        period = None
        if request.POST.get("period"):
            period = get_object_or_404(Period, year=year, pk=request.POST["period"])
        if _act(
            request,
            services.org_performance_set,
            unit=unit,
            year=year,
            period=period,
            grade=request.POST.get("grade", ""),
            note=request.POST.get("note", ""),
            from_head=bool(request.POST.get("from_head")),
        ):
            messages.success(request, _("Predikat kinerja organisasi disimpan."))
        return redirect(reverse("assessment:org_performance") + f"?tahun={year.pk}")
    units = list(OrgUnit.objects.filter(agency_id=access.agency_id).order_by("path"))
    grades = {(o.unit_id, o.period_id): o for o in OrgPerformance.objects.filter(year=year)}
    for unit in units:
        unit.annual = grades.get((unit.pk, None))
    return render(
        request,
        "assessment/org_performance.html",
        {"year": year, "units": units, "periods": periods, "grades": OrgGradeChoice.choices},
    )


@login_required
@require_POST
def annual_close(request):
    access = _require_admin(request)
    year = _year(access, request)
    if year is None:
        raise Http404
    job = enqueue(
        "assessment.annual_close",
        agency=request.user.agency,
        user=request.user,
        params={"year": year.pk},
    )
    return redirect("jobs:detail", pk=job.pk)


# --- documents -------------------------------------------------------------------------


def _pdf(request, pk, which):
    obj = _get_evaluation(request, pk)
    if not obj.is_locked:
        messages.error(request, _("Dokumen hanya dapat dicetak setelah evaluasi difinalkan."))
        return _back(obj)
    base = request.build_absolute_uri("/").rstrip("/")
    try:
        data, doc = documents.render_pdf(obj, which=which, actor=request.user, base_url=base)
    except ValidationError as exc:
        _fail(request, exc)
        return _back(obj)
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
    doc = get_object_or_404(EvaluationDocument.objects.select_related("evaluation"), token=token)
    latest = (
        EvaluationDocument.objects.filter(evaluation=doc.evaluation, kind=doc.kind)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    return render(
        request,
        "assessment/verify.html",
        {"doc": doc, "c": doc.content, "is_latest": latest == doc.version},
    )
