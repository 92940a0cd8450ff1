"""Monitoring pages. Thin: objects are fetched through the user's access (a
foreign id is a 404), input is read through forms (forms.py), writes go through
services (`kinerja.web.call_service`), reads through selectors.

Views that accept evidence files are csrf_exempt on the outside so that the
size-limiting upload handler can be installed before the body is parsed, and
csrf_protect on the inside (Django's documented pattern)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from kinerja.authz import manager_access
from kinerja.files import private_file_response
from kinerja.org import pickers
from kinerja.org.access import get_access, get_visible_or_404
from kinerja.planning import berakhlak
from kinerja.planning.selectors import skp_filter
from kinerja.web import call_service

from . import forms, selectors, services, uploads
from .forms_text import COMPETENCIES, COMPETENCY_SCALE, RECORD_HEADINGS, SESSION_FEEDBACK_ITEMS
from .models import CoachingSession

VALUES = list(berakhlak.NAMES.items())


# --- helpers --------------------------------------------------------------------------


def _get(request, queryset, access_filter, pk):
    return get_visible_or_404(request, queryset, access_filter=access_filter, pk=pk)


def _max_mb():
    return uploads.max_bytes() // (1024 * 1024)


def _valid(request, form):
    """Whether the form is valid; if not, its first error is the page's message."""
    if form.is_valid():
        return True
    messages.error(request, forms.first_error(form))
    return False


def _submit(request, form, service, /, *, success=None, **kwargs):
    """`call_service` with the form's data (and `kwargs`) once the form is valid."""
    if not _valid(request, form):
        return False, None
    return call_service(request, service, success=success, **form.cleaned_data, **kwargs)


def _posted_action(request):
    """Which of the page's forms was posted."""
    form = forms.PageActionForm(request.POST)
    form.is_valid()
    return form.cleaned_data["action"]


def _safe_next(request, posted, fallback):
    target = posted or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return fallback


def with_upload_limit(view):
    """Install the size-limiting upload handler before anything reads the body,
    then check CSRF as usual."""
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        uploads.install_limit(request)
        return protected(request, *args, **kwargs)

    return csrf_exempt(login_required(wrapper))


def _attach_evidence(*, actor, too_large, link, file, realisasi=None, log=None):
    """The file and/or link of a page's evidence fields, if any."""
    if too_large:
        raise uploads.too_large_error()
    return services.evidence_attach(
        actor=actor, upload=file, link=link, realisasi=realisasi, log=log
    )


def _too_large(request):
    return getattr(request, "upload_too_large", False)


def _keep_input_note(request, form):
    """A browser cannot refill a file field: say so when a posted form comes back."""
    if form.files.get("file") is not None:
        messages.info(request, _("Isian Anda tetap; pilih kembali berkas bukti dukung."))


# --- employee dashboard ---------------------------------------------------------------


@login_required
def home(request):
    access = get_access(request)
    context = {"access": access}
    if access.employee is None:
        context["reason"] = _("Akun Anda tidak terhubung dengan data pegawai.")
    else:
        context.update(selectors.employee_dashboard(access.employee))
        context["is_superior"] = access.is_superior
    context["unread"] = selectors.unread_count(request.user)
    return render(request, "monitoring/home.html", context)


# --- realisasi ------------------------------------------------------------------------


def _realisasi_form_context(request, iki, periods, period, form):
    rows = selectors.realisasi_by_period(iki)
    today = timezone.localdate()
    for p in periods:
        p.realisasi = rows.get(p.pk)
        p.is_open = selectors.period_open(p, today)
    return {
        "iki": iki,
        "rhk": iki.rhk,
        "periods": periods,
        "period": period,
        "form": form,
        "max_mb": _max_mb(),
        "is_owner": iki.rhk.skp.employee_id == getattr(get_access(request).employee, "pk", None),
    }


def _save_realisasi(*, actor, too_large, iki, period, value, narrative, link, file):
    """The realisasi and its evidence, together or not at all."""
    with transaction.atomic():
        realisasi = services.realisasi_save(
            actor=actor, iki=iki, period=period, value=value, narrative=narrative
        )
        _attach_evidence(
            actor=actor, too_large=too_large, link=link, file=file, realisasi=realisasi
        )
    return realisasi


@with_upload_limit
def realisasi_edit(request, pk):
    access = get_access(request)
    iki = _get(request, selectors.iki_queryset(), skp_filter(access, "rhk__skp__"), pk)
    periods = selectors.periods_of_year(iki.rhk.skp.year_id)
    today = timezone.localdate()
    posted = None
    if request.method == "POST":
        posted = forms.RealisasiForm(request.POST, request.FILES, periods=periods)
        ok, realisasi = _submit(
            request,
            posted,
            _save_realisasi,
            too_large=_too_large(request),
            iki=iki,
            success=_("Realisasi disimpan."),
        )
        if ok:
            return redirect("monitoring:realisasi_detail", pk=realisasi.pk)
        _keep_input_note(request, posted)
    chosen = posted.cleaned_data.get("period") if posted is not None else None
    linked = request.GET.get("period")
    period = (
        chosen
        or next((p for p in periods if str(p.pk) == linked), None)
        or next((p for p in periods if selectors.period_open(p, today)), None)
    )
    if posted is not None:
        context = _realisasi_form_context(request, iki, periods, period, request.POST)
        return render(request, "monitoring/realisasi_edit.html", context, status=400)
    form = {}
    existing = selectors.realisasi_of(iki, period) if period else None
    if existing is not None:
        form = {
            "value": existing.value if existing.value is not None else "",
            "narrative": existing.narrative,
        }
    return render(
        request,
        "monitoring/realisasi_edit.html",
        _realisasi_form_context(request, iki, periods, period, form),
    )


def _add_evidence(*, actor, too_large, link, file, **parent):
    """The evidence form of a realisasi's or a daily log's page."""
    with transaction.atomic():
        if not _attach_evidence(actor=actor, too_large=too_large, link=link, file=file, **parent):
            raise ValidationError(_("Pilih berkas atau isi tautan."))


def _evidence_or_feedback(request, *, employee, **parent):
    """The two forms of a realisasi's and a daily log's page: evidence by the
    owner, feedback by the others."""
    if _posted_action(request) == "evidence":
        _submit(
            request,
            forms.EvidenceFields(request.POST, request.FILES),
            _add_evidence,
            too_large=_too_large(request),
            success=_("Bukti dukung ditambahkan."),
            **parent,
        )
    else:
        _submit(
            request,
            forms.FeedbackForm(request.POST),
            services.feedback_give,
            employee=employee,
            success=_("Umpan balik dikirim."),
            **parent,
        )


def _evidence_page_context(me, parent):
    """A realisasi's or a daily log's page: who may add evidence (the owner) or
    review it (the rater), and the feedback on it."""
    return {
        "is_owner": me is not None and me.pk == parent.employee_id,
        "is_rater": selectors.is_rater(me, parent.employee),
        "thread": selectors.thread(list(parent.feedback.all())),
        "max_mb": _max_mb(),
    }


@with_upload_limit
def realisasi_detail(request, pk):
    access = get_access(request)
    r = _get(request, selectors.realisasi_queryset(), selectors.employee_q(access), pk)
    if request.method == "POST":
        _evidence_or_feedback(request, employee=r.employee, realisasi=r)
        return redirect("monitoring:realisasi_detail", pk=r.pk)
    return render(
        request,
        "monitoring/realisasi_detail.html",
        {
            "r": r,
            **_evidence_page_context(access.employee, r),
            "capaian": selectors.capaian(r.iki, r.value),
        },
    )


@login_required
def evidence_download(request, pk):
    access = get_access(request)
    ev = _get(request, selectors.evidence_file_queryset(), selectors.evidence_q(access), pk)
    response = private_file_response(
        lambda: uploads.stored_path(ev), filename=ev.original_name, content_type=ev.content_type
    )
    services.evidence_record_download(actor=request.user, evidence=ev)
    return response


@require_POST
@login_required
def evidence_review(request, pk):
    access = get_access(request)
    ev = _get(request, selectors.evidence_queryset(), selectors.evidence_q(access), pk)
    _submit(
        request,
        forms.EvidenceReviewForm(request.POST),
        services.evidence_review,
        evidence=ev,
        success=_("Pemeriksaan bukti dukung disimpan."),
    )
    return redirect(ev.parent_url())


# --- daily log ------------------------------------------------------------------------


def _create_daily_log(*, actor, too_large, rhk, date, text, duration, link, file):
    """The log and its evidence, together or not at all."""
    with transaction.atomic():
        log = services.daily_log_create(
            actor=actor, rhk=rhk, date=date, text=text, duration_minutes=duration or None
        )
        _attach_evidence(actor=actor, too_large=too_large, link=link, file=file, log=log)
    return log


@with_upload_limit
def log_list(request):
    access = get_access(request)
    me = access.employee
    if me is None:
        return render(request, "monitoring/log_list.html", {"reason": True})
    form = {"date": timezone.localdate().isoformat()}
    status = 200
    if request.method == "POST":
        posted = forms.DailyLogForm(
            request.POST, request.FILES, rhks=selectors.agency_rhks(me.agency_id)
        )
        ok, _log = _submit(
            request,
            posted,
            _create_daily_log,
            too_large=_too_large(request),
            success=_("Catatan harian disimpan."),
        )
        if ok:
            return redirect("monitoring:log_list")
        _keep_input_note(request, posted)
        form = request.POST
        status = 400
    return render(
        request,
        "monitoring/log_list.html",
        {
            "logs": selectors.daily_logs_of(me),
            "rhks": selectors.current_rhks(me),
            "form": form,
            "max_mb": _max_mb(),
        },
        status=status,
    )


@with_upload_limit
def log_detail(request, pk):
    access = get_access(request)
    log = _get(request, selectors.daily_log_detail_queryset(), selectors.employee_q(access), pk)
    if request.method == "POST":
        _evidence_or_feedback(request, employee=log.employee, log=log)
        return redirect("monitoring:log_detail", pk=log.pk)
    context = {"log": log, **_evidence_page_context(access.employee, log)}
    if context["is_owner"]:
        context["rhks"] = selectors.current_rhks(access.employee)
    return render(request, "monitoring/log_detail.html", context)


@require_POST
@login_required
def log_edit(request, pk):
    """The author corrects their log while its period is open."""
    access = get_access(request)
    log = _get(request, selectors.daily_log_queryset(), selectors.employee_q(access), pk)
    posted = forms.DailyLogEditForm(request.POST, rhks=selectors.agency_rhks(log.agency_id))
    if _valid(request, posted):
        data = posted.cleaned_data
        call_service(
            request,
            services.daily_log_update,
            log=log,
            rhk=data["rhk"],
            date=data["date"],
            text=data["text"],
            duration_minutes=data["duration"] or None,
            success=_("Catatan harian dikoreksi."),
        )
    return redirect("monitoring:log_detail", pk=log.pk)


@require_POST
@login_required
def log_delete(request, pk):
    access = get_access(request)
    log = _get(request, selectors.daily_log_queryset(), selectors.employee_q(access), pk)
    ok, _result = call_service(
        request, services.daily_log_delete, log=log, success=_("Catatan dihapus.")
    )
    if ok:
        return redirect("monitoring:log_list")
    return redirect("monitoring:log_detail", pk=log.pk)


# --- feedback -------------------------------------------------------------------------


@login_required
def feedback_list(request):
    access = get_access(request)
    me = access.employee
    data, error = pickers.with_typed_choice(request.GET, access, "pegawai-instansi", "who")
    who = data.get("who", "")
    if who.isdigit():
        return redirect("monitoring:feedback_new", pk=int(who))
    if error:
        messages.error(request, error)
    context = {"reason": me is None}
    if me is not None:
        context.update(selectors.feedback_overview(me))
        context["rhks"] = selectors.current_rhks(me)
    return render(request, "monitoring/feedback_list.html", context)


def _request_id(data):
    """The id of the request for feedback a page answers, if any."""
    form = forms.FeedbackRequestRefForm(data)
    return form.cleaned_data.get("request") if form.is_valid() else None


@login_required
def feedback_new(request, pk):
    access = get_access(request)
    employee = _get(request, selectors.employee_queryset(), selectors.same_agency_q(access), pk)
    me = access.employee
    rhks = selectors.current_rhks(employee)
    req = None
    req_id = _request_id(request.POST) or _request_id(request.GET)
    if req_id and me is not None:
        req = selectors.feedback_request_for(me, req_id)
    form = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        ok, _feedback = _submit(
            request,
            forms.EmployeeFeedbackForm(request.POST, rhks=rhks),
            services.feedback_give,
            employee=employee,
            request=req,
            success=_("Umpan balik dikirim."),
        )
        if ok:
            return redirect("monitoring:feedback_list")
    return render(
        request,
        "monitoring/feedback_new.html",
        {
            "employee": employee,
            "rhks": rhks,
            "values": VALUES,
            "form": form,
            "req": req,
            "can_schedule": selectors.is_rater(me, employee),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def feedback_reply(request, pk):
    access = get_access(request)
    parent = _get(request, selectors.feedback_queryset(), selectors.feedback_q(access), pk)
    form = forms.ReplyForm(request.POST)
    form.is_valid()
    call_service(
        request,
        services.feedback_reply,
        parent=parent,
        text=form.cleaned_data["text"],
        success=_("Balasan dikirim."),
    )
    return redirect(
        _safe_next(request, form.cleaned_data["next"], reverse("monitoring:feedback_list"))
    )


@require_POST
@login_required
def feedback_ask(request):
    me = get_access(request).employee
    if me is None:
        messages.error(request, _("Pilih pegawai yang dimintai umpan balik."))
        return redirect("monitoring:feedback_list")
    data, error = pickers.with_typed_choice(
        request.POST, get_access(request), "pegawai-instansi", "asked"
    )
    if error:
        messages.error(request, error)
        return redirect("monitoring:feedback_list")
    _submit(
        request,
        forms.FeedbackAskForm(
            data,
            employees=selectors.agency_employees(me.agency_id),
            rhks=selectors.agency_rhks(me.agency_id),
        ),
        services.feedback_ask,
        success=_("Permintaan umpan balik dikirim."),
    )
    return redirect("monitoring:feedback_list")


# --- RHK: action plan, takeover, project report ---------------------------------------


def _rhk_post(request, rhk):
    action = _posted_action(request)
    if action == "step":
        _submit(
            request,
            forms.ActionPlanStepForm(request.POST),
            services.action_plan_step_add,
            rhk=rhk,
            success=_("Langkah rencana aksi ditambahkan."),
        )
    elif action == "takeover":
        _submit(
            request,
            forms.TakeoverForm(request.POST),
            services.rhk_take_over,
            rhk=rhk,
            success=_("RHK diambil alih."),
        )
    elif action == "report":
        _submit(
            request,
            forms.ProjectReportForm(request.POST),
            services.project_report_save,
            rhk=rhk,
            success=_("Laporan disimpan."),
        )
    else:
        _submit(
            request,
            forms.FeedbackForm(request.POST),
            services.feedback_give,
            employee=rhk.skp.employee,
            rhk=rhk,
            success=_("Umpan balik dikirim."),
        )


@login_required
def rhk_detail(request, pk):
    access = get_access(request)
    rhk = _get(request, selectors.rhk_detail_queryset(), selectors.rhk_q(access), pk)
    if request.method == "POST":
        _rhk_post(request, rhk)
        return redirect("monitoring:rhk_detail", pk=rhk.pk)
    me = access.employee
    page = selectors.rhk_page(rhk)
    owner = rhk.skp.employee
    return render(
        request,
        "monitoring/rhk_detail.html",
        {
            "rhk": rhk,
            **page,
            "is_owner": me is not None and me.pk == owner.pk,
            "is_rater": selectors.is_rater(me, owner),
        },
    )


@require_POST
@login_required
def step_done(request, pk):
    access = get_access(request)
    step = _get(
        request, selectors.action_plan_step_queryset(), selectors.rhk_q(access, "rhk__"), pk
    )
    form = forms.DoneForm(request.POST)
    form.is_valid()
    call_service(
        request, services.action_plan_step_set_done, step=step, done=form.cleaned_data["done"]
    )
    return redirect("monitoring:rhk_detail", pk=step.rhk_id)


# --- superior and unit head -----------------------------------------------------------


@login_required
def team(request):
    me = get_access(request).employee
    if me is None:
        raise PermissionDenied(_("Akun Anda tidak terhubung dengan data pegawai."))
    return render(request, "monitoring/team.html", selectors.team_dashboard(me))


@login_required
def unit(request):
    access = manager_access(request)
    return render(request, "monitoring/unit.html", selectors.unit_dashboard(access))


# --- dialogue -------------------------------------------------------------------------


@login_required
def dialogue_list(request):
    access = get_access(request)
    me = access.employee
    form = {}
    if request.method == "POST" and me is not None:
        form = request.POST
        posted = forms.DialogueForm(request.POST)
        if _valid(request, posted):
            ok, dialogue = call_service(
                request,
                services.dialogue_create,
                participants=selectors.employees_by_ids(
                    me.agency_id, posted.cleaned_data["participants"]
                ),
                scheduled_at=posted.cleaned_data["scheduled_at"],
                agenda=posted.cleaned_data["agenda"],
                success=_("Dialog kinerja dijadwalkan."),
            )
            if ok:
                return redirect("monitoring:dialogue_detail", pk=dialogue.pk)
    return render(
        request,
        "monitoring/dialogue_list.html",
        {
            "dialogues": selectors.dialogue_list(access),
            "reports": selectors.direct_report_employees(me),
            "form": form,
        },
    )


@login_required
def dialogue_detail(request, pk):
    access = get_access(request)
    d = _get(request, selectors.dialogue_queryset(), selectors.dialogue_q(access), pk)
    if request.method == "POST":
        if _posted_action(request) == "notes":
            _submit(
                request,
                forms.DialogueNotesForm(request.POST),
                services.dialogue_notes_save,
                dialogue=d,
                success=_("Catatan dialog disimpan."),
            )
        else:
            _submit(
                request,
                forms.AgreedActionForm(
                    request.POST, employees=selectors.agency_employees(d.agency_id)
                ),
                services.agreed_action_add,
                dialogue=d,
                success=_("Tindakan yang disepakati ditambahkan."),
            )
        return redirect("monitoring:dialogue_detail", pk=d.pk)
    me = access.employee
    return render(
        request,
        "monitoring/dialogue_detail.html",
        {
            "d": d,
            "actions": selectors.dialogue_actions(d),
            "is_leader": me is not None and me.pk == d.superior_id,
        },
    )


@require_POST
@login_required
def action_done(request, pk):
    access = get_access(request)
    action = _get(
        request, selectors.agreed_action_queryset(), selectors.agreed_action_q(access), pk
    )
    form = forms.DoneForm(request.POST)
    form.is_valid()
    call_service(
        request,
        services.agreed_action_set_done,
        action=action,
        done=form.cleaned_data["done"],
        success=_("Tindakan ditandai selesai."),
    )
    return redirect(
        _safe_next(
            request,
            form.cleaned_data["next"],
            reverse("monitoring:dialogue_detail", args=[action.dialogue_id]),
        )
    )


# --- coaching -------------------------------------------------------------------------


def _coaching_kind(data):
    form = forms.CoachingKindForm(data)
    return form.cleaned_data["kind"] if form.is_valid() else ""


@login_required
def coaching_list(request):
    access = get_access(request)
    me = access.employee
    kind = (
        _coaching_kind(request.POST) or _coaching_kind(request.GET) or CoachingSession.Kind.COACHING
    )
    form = request.POST if request.method == "POST" else {}
    if request.method == "POST" and me is not None:
        ok, session = _submit(
            request,
            forms.CoachingSessionForm(
                request.POST, kind=kind, employees=selectors.agency_employees(me.agency_id)
            ),
            services.coaching_session_create,
            success=_("Pembinaan kinerja dicatat."),
        )
        if ok:
            return redirect("monitoring:coaching_detail", pk=session.pk)
    return render(
        request,
        "monitoring/coaching_list.html",
        {
            "sessions": selectors.coaching_list(access),
            "reports": selectors.direct_report_employees(me),
            "kinds": CoachingSession.Kind.choices,
            "kind": kind,
            "fields": RECORD_HEADINGS[kind],
            "values": VALUES,
            "form": form,
            "today": timezone.localdate().isoformat(),
        },
    )


@login_required
def coaching_detail(request, pk):
    access = get_access(request)
    s = _get(request, selectors.coaching_session_queryset(), selectors.coaching_q(access), pk)
    if request.method == "POST":
        if _posted_action(request) == "feedback":
            _submit(
                request,
                forms.SessionFeedbackForm(request.POST),
                services.coaching_session_feedback_save,
                session=s,
                success=_("Umpan balik sesi disimpan."),
            )
        else:
            _submit(
                request,
                forms.CompetencyForm(request.POST),
                services.coaching_session_competency_save,
                session=s,
                success=_("Evaluasi kompetensi disimpan."),
            )
        return redirect("monitoring:coaching_detail", pk=s.pk)
    me = access.employee
    headings = dict(RECORD_HEADINGS[s.kind])
    answers = s.employee_answers or []
    return render(
        request,
        "monitoring/coaching_detail.html",
        {
            "s": s,
            "details": [(headings.get(k, k), v) for k, v in s.details.items() if v],
            "items": [
                (i, group, text, answers[i] if i < len(answers) else None)
                for i, (group, text) in enumerate(SESSION_FEEDBACK_ITEMS)
            ],
            "competencies": list(enumerate(COMPETENCIES)),
            "scale": COMPETENCY_SCALE.items(),
            "is_employee": me is not None and me.pk == s.employee_id,
            "is_coach": me is not None and me.pk == s.coach_id,
            "value_name": berakhlak.NAMES.get(s.value, ""),
        },
    )


# --- notifications --------------------------------------------------------------------


@login_required
def notification_list(request):
    if request.method == "POST":
        action = _posted_action(request)
        if action == "preferences":
            form = forms.NotificationPreferencesForm(request.POST)
            form.is_valid()
            call_service(
                request,
                services.notification_preferences_save,
                email_kinds=set(form.cleaned_data["email"]),
                daily_digest=form.cleaned_data["digest"],
                success=_("Pilihan e-mail disimpan."),
            )
        elif action == "read":
            read = forms.NotificationReadForm(request.POST)
            read.is_valid()
            pk = read.cleaned_data.get("id")
            call_service(request, services.notifications_mark_read, ids=[pk] if pk else [])
            return redirect(
                _safe_next(
                    request, read.cleaned_data.get("next"), reverse("monitoring:notifications")
                )
            )
        else:
            call_service(request, services.notifications_mark_read)
            read = forms.NotificationReadForm(request.POST)
            read.is_valid()
            return redirect(
                _safe_next(
                    request, read.cleaned_data.get("next"), reverse("monitoring:notifications")
                )
            )
        return redirect("monitoring:notifications")
    return render(
        request,
        "monitoring/notifications.html",
        {
            "notifications": selectors.notifications(request.user),
            "preferences": selectors.notification_preferences(request.user),
            "daily_digest": selectors.daily_digest_on(request.user),
        },
    )
