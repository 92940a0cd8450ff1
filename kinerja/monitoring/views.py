"""Monitoring pages. Thin: objects are fetched through the user's access (a
foreign id is a 404), writes go through services, reads through selectors.

Views that accept evidence files are csrf_exempt on the outside so that the
size-limiting upload handler can be installed before the body is parsed, and
csrf_protect on the inside (Django's documented pattern)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from kinerja.files import private_file_response
from kinerja.org.access import get_access, get_visible_or_404
from kinerja.org.models import Employee
from kinerja.planning import berakhlak
from kinerja.planning.models import Iki, Period, Rhk
from kinerja.planning.selectors import skp_filter

from . import notify, selectors, services, uploads
from .models import (
    ActionPlanStep,
    AgreedAction,
    CoachingSession,
    DailyLog,
    Dialogue,
    Evidence,
    Feedback,
    FeedbackRequest,
    Realisasi,
    RhkTakeover,
)

VALUES = list(berakhlak.NAMES.items())


# --- helpers --------------------------------------------------------------------------


def _fail(request, exc):
    for message in exc.messages:
        messages.error(request, message)


def _date(value, label):
    parsed = parse_date((value or "").strip()) if value else None
    if parsed is None:
        raise ValidationError(_("%(label)s tidak valid.") % {"label": label})
    return parsed


def _safe_next(request, fallback):
    target = request.POST.get("next") or request.GET.get("next")
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


def _add_evidence(request, *, realisasi=None, log=None):
    """The file and/or link of a form, if any."""
    if getattr(request, "upload_too_large", False):
        raise uploads.too_large_error()
    link = (request.POST.get("link") or "").strip()
    if link:
        services.check_link(link)  # before a file is stored, so a bad link leaves no file
    upload = request.FILES.get("file")
    if upload is not None:
        services.evidence_add_file(actor=request.user, upload=upload, realisasi=realisasi, log=log)
    if link:
        services.evidence_add_link(actor=request.user, url=link, realisasi=realisasi, log=log)
    return upload is not None or bool(link)


def _get(request, model_qs, q, pk):
    return get_visible_or_404(request, model_qs, access_filter=q, pk=pk)


def _same_agency_employee(request, pk):
    access = get_access(request)
    return _get(
        request,
        Employee.objects.select_related("user", "position", "unit"),
        selectors.same_agency_q(access),
        pk,
    )


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


def _realisasi_form_context(request, iki, period, form):
    rows = {r.period_id: r for r in Realisasi.objects.filter(iki=iki).prefetch_related("evidence")}
    periods = list(Period.objects.filter(year=iki.rhk.skp.year_id).select_related("year"))
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
        "max_mb": uploads.max_bytes() // (1024 * 1024),
        "is_owner": iki.rhk.skp.employee_id == getattr(get_access(request).employee, "pk", None),
    }


@with_upload_limit
def realisasi_edit(request, pk):
    access = get_access(request)
    iki = _get(request, selectors.iki_queryset(), skp_filter(access, "rhk__skp__"), pk)
    periods = Period.objects.filter(year=iki.rhk.skp.year_id).select_related("year")
    today = timezone.localdate()
    form = request.POST if request.method == "POST" else {}
    period_id = (form.get("period") if form else None) or request.GET.get("period")
    period = periods.filter(pk=period_id).first() if period_id else None
    if period is None:
        period = next((p for p in periods if selectors.period_open(p, today)), None)
    if request.method == "POST":
        try:
            if period is None or str(period.pk) != str(form.get("period")):
                raise ValidationError(_("Pilih periode."))
            with transaction.atomic():
                r = services.realisasi_save(
                    actor=request.user,
                    iki=iki,
                    period=period,
                    value=form.get("value"),
                    narrative=form.get("narrative", ""),
                )
                _add_evidence(request, realisasi=r)
        except ValidationError as exc:
            _fail(request, exc)
            if request.FILES.get("file") is not None:
                messages.info(request, _("Isian Anda tetap; pilih kembali berkas bukti dukung."))
            context = _realisasi_form_context(request, iki, period, form)
            return render(request, "monitoring/realisasi_edit.html", context, status=400)
        messages.success(request, _("Realisasi disimpan."))
        return redirect("monitoring:realisasi_detail", pk=r.pk)
    existing = Realisasi.objects.filter(iki=iki, period=period).first() if period else None
    if existing is not None:
        form = {
            "value": existing.value if existing.value is not None else "",
            "narrative": existing.narrative,
        }
    return render(
        request,
        "monitoring/realisasi_edit.html",
        _realisasi_form_context(request, iki, period, form),
    )


def _feedback_post(request, *, employee, **target):
    services.feedback_give(
        actor=request.user,
        employee=employee,
        text=request.POST.get("text", ""),
        kind=request.POST.get("kind") or Feedback.Kind.INCIDENTAL,
        **target,
    )
    messages.success(request, _("Umpan balik dikirim."))


def _thread_for(obj):
    return selectors.thread(list(obj.feedback.all()))


@with_upload_limit
def realisasi_detail(request, pk):
    access = get_access(request)
    r = _get(request, selectors.realisasi_queryset(), selectors.employee_q(access), pk)
    if request.method == "POST":
        try:
            with transaction.atomic():
                if request.POST.get("action") == "evidence":
                    if not _add_evidence(request, realisasi=r):
                        raise ValidationError(_("Pilih berkas atau isi tautan."))
                    messages.success(request, _("Bukti dukung ditambahkan."))
                else:
                    _feedback_post(request, employee=r.employee, realisasi=r)
        except ValidationError as exc:
            _fail(request, exc)
        return redirect("monitoring:realisasi_detail", pk=r.pk)
    me = access.employee
    return render(
        request,
        "monitoring/realisasi_detail.html",
        {
            "r": r,
            "is_owner": me is not None and me.pk == r.employee_id,
            "is_rater": selectors.is_rater(me, r.employee),
            "thread": _thread_for(r),
            "capaian": selectors.capaian(r.iki, r.value),
            "max_mb": uploads.max_bytes() // (1024 * 1024),
        },
    )


@login_required
def evidence_download(request, pk):
    access = get_access(request)
    ev = _get(
        request,
        Evidence.objects.select_related("owner", "agency").filter(kind=Evidence.Kind.FILE),
        selectors.evidence_q(access),
        pk,
    )
    response = private_file_response(
        lambda: uploads.stored_path(ev), filename=ev.original_name, content_type=ev.content_type
    )
    services.record_download(actor=request.user, evidence=ev)
    return response


@login_required
def evidence_review(request, pk):
    access = get_access(request)
    ev = _get(
        request,
        Evidence.objects.select_related("owner", "realisasi", "log"),
        selectors.evidence_q(access),
        pk,
    )
    back = reverse(
        "monitoring:realisasi_detail" if ev.realisasi_id else "monitoring:log_detail",
        args=[ev.realisasi_id or ev.log_id],
    )
    if request.method != "POST":
        return redirect(back)
    try:
        services.evidence_review(
            actor=request.user,
            evidence=ev,
            insufficient=request.POST.get("status") == Evidence.Status.INSUFFICIENT,
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("Pemeriksaan bukti dukung disimpan."))
    except ValidationError as exc:
        _fail(request, exc)
    return redirect(back)


# --- daily log ------------------------------------------------------------------------


def _my_rhks(employee):
    skp = selectors.current_skp(employee)
    if skp is None:
        return []
    return list(Rhk.objects.filter(skp=skp).order_by("kind", "order", "pk"))


@with_upload_limit
def log_list(request):
    access = get_access(request)
    me = access.employee
    if me is None:
        return render(request, "monitoring/log_list.html", {"reason": True})
    form = {"date": timezone.localdate().isoformat()}
    status = 200
    if request.method == "POST":
        form = request.POST
        try:
            rhk = (
                Rhk.objects.select_related("skp")
                .filter(agency_id=me.agency_id, pk=form.get("rhk") or 0)
                .first()
            )
            if rhk is None:
                raise ValidationError(_("Pilih RHK."))
            with transaction.atomic():
                log = services.log_create(
                    actor=request.user,
                    rhk=rhk,
                    date=_date(form.get("date"), _("Tanggal")),
                    text=form.get("text", ""),
                    duration_minutes=form.get("duration") or None,
                )
                _add_evidence(request, log=log)
            messages.success(request, _("Catatan harian disimpan."))
            return redirect("monitoring:log_list")
        except ValidationError as exc:
            _fail(request, exc)
            if request.FILES.get("file") is not None:
                messages.info(request, _("Isian Anda tetap; pilih kembali berkas bukti dukung."))
            status = 400
    logs = list(selectors.log_queryset().filter(employee=me).order_by("-date", "-pk")[:60])
    return render(
        request,
        "monitoring/log_list.html",
        {
            "logs": logs,
            "rhks": _my_rhks(me),
            "form": form,
            "max_mb": uploads.max_bytes() // (1024 * 1024),
        },
        status=status,
    )


@with_upload_limit
def log_detail(request, pk):
    access = get_access(request)
    log = _get(request, selectors.log_queryset(), selectors.employee_q(access), pk)
    me = access.employee
    if request.method == "POST":
        try:
            with transaction.atomic():
                if request.POST.get("action") == "evidence":
                    if not _add_evidence(request, log=log):
                        raise ValidationError(_("Pilih berkas atau isi tautan."))
                    messages.success(request, _("Bukti dukung ditambahkan."))
                else:
                    _feedback_post(request, employee=log.employee, log=log)
        except ValidationError as exc:
            _fail(request, exc)
        return redirect("monitoring:log_detail", pk=log.pk)
    return render(
        request,
        "monitoring/log_detail.html",
        {
            "log": log,
            "is_owner": me is not None and me.pk == log.employee_id,
            "is_rater": selectors.is_rater(me, log.employee),
            "thread": _thread_for(log),
            "max_mb": uploads.max_bytes() // (1024 * 1024),
        },
    )


@login_required
def log_delete(request, pk):
    access = get_access(request)
    log = _get(request, DailyLog.objects.all(), selectors.employee_q(access), pk)
    if request.method != "POST":
        return redirect("monitoring:log_detail", pk=log.pk)
    try:
        services.log_delete(actor=request.user, log=log)
        messages.success(request, _("Catatan dihapus."))
        return redirect("monitoring:log_list")
    except ValidationError as exc:
        _fail(request, exc)
        return redirect("monitoring:log_detail", pk=log.pk)


# --- feedback -------------------------------------------------------------------------


@login_required
def feedback_list(request):
    access = get_access(request)
    me = access.employee
    who = request.GET.get("who", "")
    if who.isdigit():
        return redirect("monitoring:feedback_new", pk=int(who))
    context = {"reason": me is None}
    if me is not None:
        about_me = list(
            Feedback.objects.filter(employee=me)
            .select_related("author", "rhk", "log", "realisasi__iki")
            .order_by("created_at", "pk")
        )
        context.update(
            {
                "thread": list(reversed(selectors.thread(about_me))),
                "given": list(
                    Feedback.objects.filter(author=me, parent__isnull=True)
                    .select_related("employee")
                    .order_by("-created_at", "-pk")[:30]
                ),
                "requests": list(
                    FeedbackRequest.objects.filter(asked=me, answered_at=None).select_related(
                        "employee"
                    )
                ),
                "colleagues": list(
                    Employee.objects.filter(agency_id=me.agency_id, is_active=True)
                    .exclude(pk=me.pk)
                    .only("pk", "name", "front_title", "back_title")
                    .order_by("name")[:500]
                ),
                "rhks": _my_rhks(me),
            }
        )
    return render(request, "monitoring/feedback_list.html", context)


@login_required
def feedback_new(request, pk):
    employee = _same_agency_employee(request, pk)
    access = get_access(request)
    me = access.employee
    skp = selectors.current_skp(employee)
    rhks = list(Rhk.objects.filter(skp=skp).order_by("kind", "order", "pk")) if skp else []
    req = None
    req_id = request.POST.get("request") or request.GET.get("request")
    if req_id and me is not None:
        req = FeedbackRequest.objects.filter(agency_id=me.agency_id, pk=req_id, asked=me).first()
    form = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            target = form.get("target", "")
            kwargs = {}
            if target.startswith("rhk:"):
                kwargs["rhk"] = next((r for r in rhks if str(r.pk) == target[4:]), None)
                if kwargs["rhk"] is None:
                    raise ValidationError(_("RHK tidak ditemukan."))
            elif target.startswith("value:"):
                kwargs["value"] = target[6:]
            services.feedback_give(
                actor=request.user,
                employee=employee,
                text=form.get("text", ""),
                kind=form.get("kind") or Feedback.Kind.INCIDENTAL,
                request=req,
                **kwargs,
            )
            messages.success(request, _("Umpan balik dikirim."))
            return redirect("monitoring:feedback_list")
        except (ValidationError, ValueError) as exc:
            _fail(request, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
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


@login_required
def feedback_reply(request, pk):
    access = get_access(request)
    parent = _get(
        request, Feedback.objects.select_related("employee"), selectors.feedback_q(access), pk
    )
    if request.method == "POST":
        try:
            services.feedback_reply(
                actor=request.user, parent=parent, text=request.POST.get("text")
            )
            messages.success(request, _("Balasan dikirim."))
        except ValidationError as exc:
            _fail(request, exc)
    return redirect(_safe_next(request, reverse("monitoring:feedback_list")))


@require_POST
@login_required
def feedback_ask(request):
    access = get_access(request)
    me = access.employee
    try:
        asked = Employee.objects.filter(
            agency_id=access.agency_id, pk=request.POST.get("asked") or 0
        ).first()
        if asked is None or me is None:
            raise ValidationError(_("Pilih pegawai yang dimintai umpan balik."))
        rhk_id = request.POST.get("rhk")
        rhk = (
            Rhk.objects.select_related("skp").filter(agency_id=me.agency_id, pk=rhk_id).first()
            if rhk_id
            else None
        )
        services.feedback_ask(
            actor=request.user, asked=asked, rhk=rhk, message=request.POST.get("message", "")
        )
        messages.success(request, _("Permintaan umpan balik dikirim."))
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("monitoring:feedback_list")


# --- RHK: action plan, takeover, project report ---------------------------------------


@login_required
def rhk_detail(request, pk):
    access = get_access(request)
    rhk = _get(
        request,
        Rhk.objects.select_related("skp", "skp__employee", "skp__year", "parent").prefetch_related(
            Prefetch("ikis", queryset=Iki.objects.order_by("order", "pk"))
        ),
        selectors.rhk_q(access),
        pk,
    )
    me = access.employee
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "step":
                services.step_add(
                    actor=request.user,
                    rhk=rhk,
                    text=request.POST.get("text", ""),
                    due=_date(request.POST.get("due"), _("Target waktu")),
                )
                messages.success(request, _("Langkah rencana aksi ditambahkan."))
            elif action == "takeover":
                services.rhk_takeover(actor=request.user, rhk=rhk, note=request.POST.get("note"))
                messages.success(request, _("RHK diambil alih."))
            elif action == "report":
                services.report_save(
                    actor=request.user,
                    rhk=rhk,
                    achievements=request.POST.get("achievements", ""),
                    challenges=request.POST.get("challenges", ""),
                )
                messages.success(request, _("Laporan disimpan."))
            else:
                _feedback_post(request, employee=rhk.skp.employee, rhk=rhk)
        except ValidationError as exc:
            _fail(request, exc)
        return redirect("monitoring:rhk_detail", pk=rhk.pk)
    periods = list(Period.objects.filter(year=rhk.skp.year_id).select_related("year"))
    realisasi = list(Realisasi.objects.filter(iki__rhk=rhk))
    selectors.progress_table([rhk], periods, realisasi)
    owner = rhk.skp.employee
    return render(
        request,
        "monitoring/rhk_detail.html",
        {
            "rhk": rhk,
            "periods": periods,
            "steps": list(ActionPlanStep.objects.filter(rhk=rhk).order_by("due", "pk")),
            "takeover": RhkTakeover.objects.filter(rhk=rhk).select_related("by").first(),
            "reports": list(rhk.reports.select_related("author")),
            "thread": selectors.thread(
                list(
                    Feedback.objects.filter(rhk=rhk, realisasi=None, log=None)
                    .select_related("author")
                    .order_by("created_at", "pk")
                )
            ),
            "is_owner": me is not None and me.pk == owner.pk,
            "is_rater": selectors.is_rater(me, owner),
        },
    )


@login_required
def step_done(request, pk):
    access = get_access(request)
    step = _get(
        request,
        ActionPlanStep.objects.select_related("rhk__skp__employee"),
        selectors.rhk_q(access, "rhk__"),
        pk,
    )
    if request.method == "POST":
        try:
            services.step_done(actor=request.user, step=step, done=request.POST.get("done") != "0")
        except ValidationError as exc:
            _fail(request, exc)
    return redirect("monitoring:rhk_detail", pk=step.rhk_id)


# --- superior and unit head -----------------------------------------------------------


@login_required
def team(request):
    access = get_access(request)
    if access.employee is None:
        raise Http404
    context = selectors.team_dashboard(access.employee)
    return render(request, "monitoring/team.html", context)


@login_required
def unit(request):
    access = get_access(request)
    context = selectors.unit_dashboard(access)
    if not context["allowed"]:
        raise Http404
    return render(request, "monitoring/unit.html", context)


# --- dialogue -------------------------------------------------------------------------


def _reports_of(me):
    if me is None:
        return []
    skp_year = selectors.current_year(me.agency_id)
    return [s.employee for s in selectors.direct_reports(me, skp_year)]


@login_required
def dialogue_list(request):
    access = get_access(request)
    me = access.employee
    form = {}
    if request.method == "POST" and me is not None:
        form = request.POST
        try:
            ids = request.POST.getlist("participants")
            participants = list(Employee.objects.filter(agency_id=me.agency_id, pk__in=ids or [0]))
            when = parse_datetime(request.POST.get("scheduled_at") or "")
            if when is None:
                raise ValidationError(_("Jadwal tidak valid."))
            if timezone.is_naive(when):
                when = timezone.make_aware(when)
            d = services.dialogue_create(
                actor=request.user,
                participants=participants,
                scheduled_at=when,
                agenda=request.POST.get("agenda", ""),
            )
            messages.success(request, _("Dialog kinerja dijadwalkan."))
            return redirect("monitoring:dialogue_detail", pk=d.pk)
        except ValidationError as exc:
            _fail(request, exc)
    return render(
        request,
        "monitoring/dialogue_list.html",
        {"dialogues": selectors.dialogue_list(access), "reports": _reports_of(me), "form": form},
    )


@login_required
def dialogue_detail(request, pk):
    access = get_access(request)
    d = _get(
        request,
        Dialogue.objects.select_related("superior").prefetch_related("participants"),
        selectors.dialogue_q(access),
        pk,
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "notes":
                services.dialogue_record(
                    actor=request.user, dialogue=d, notes=request.POST.get("notes")
                )
                messages.success(request, _("Catatan dialog disimpan."))
            else:
                owner = Employee.objects.filter(
                    agency_id=d.agency_id, pk=request.POST.get("owner") or 0
                ).first()
                if owner is None:
                    raise ValidationError(_("Pilih penanggung jawab."))
                services.action_add(
                    actor=request.user,
                    dialogue=d,
                    owner=owner,
                    text=request.POST.get("text", ""),
                    due=_date(request.POST.get("due"), _("Batas waktu")),
                )
                messages.success(request, _("Tindakan yang disepakati ditambahkan."))
        except ValidationError as exc:
            _fail(request, exc)
        return redirect("monitoring:dialogue_detail", pk=d.pk)
    me = access.employee
    actions = list(d.actions.select_related("owner"))
    today = timezone.localdate()
    for a in actions:
        a.is_overdue = a.done_at is None and a.due < today
    return render(
        request,
        "monitoring/dialogue_detail.html",
        {"d": d, "actions": actions, "is_leader": me is not None and me.pk == d.superior_id},
    )


@login_required
def action_done(request, pk):
    access = get_access(request)
    q = access.employee_filter("owner__")
    if access.employee is not None:
        q |= Q(agency_id=access.agency_id, dialogue__superior_id=access.employee.pk)
    action = _get(request, AgreedAction.objects.select_related("dialogue", "owner"), q, pk)
    if request.method == "POST":
        try:
            services.action_done(
                actor=request.user, action=action, done=request.POST.get("done") != "0"
            )
            messages.success(request, _("Tindakan ditandai selesai."))
        except ValidationError as exc:
            _fail(request, exc)
    return redirect(
        _safe_next(request, reverse("monitoring:dialogue_detail", args=[action.dialogue_id]))
    )


# --- coaching -------------------------------------------------------------------------


@login_required
def coaching_list(request):
    access = get_access(request)
    me = access.employee
    form = request.POST if request.method == "POST" else {}
    kind = form.get("kind") or request.GET.get("kind") or CoachingSession.Kind.COACHING
    if kind not in CoachingSession.Kind.values:
        kind = CoachingSession.Kind.COACHING
    if request.method == "POST" and me is not None:
        try:
            employee = (
                Employee.objects.filter(agency_id=me.agency_id, pk=form.get("employee") or 0)
                .select_related("position")
                .first()
            )
            if employee is None:
                raise ValidationError(_("Pilih pegawai."))
            session = services.coaching_create(
                actor=request.user,
                employee=employee,
                kind=kind,
                date=_date(form.get("date"), _("Tanggal")),
                topic=form.get("topic", ""),
                place=form.get("place", ""),
                value=form.get("value") or None,
                follow_up=form.get("follow_up", ""),
                details={key: form.get(key, "") for key, _label in services.FORM_FIELDS[kind]},
            )
            messages.success(request, _("Pembinaan kinerja dicatat."))
            return redirect("monitoring:coaching_detail", pk=session.pk)
        except ValidationError as exc:
            _fail(request, exc)
    return render(
        request,
        "monitoring/coaching_list.html",
        {
            "sessions": selectors.coaching_list(access),
            "reports": _reports_of(me),
            "kinds": CoachingSession.Kind.choices,
            "kind": kind,
            "fields": services.FORM_FIELDS[kind],
            "values": VALUES,
            "form": form,
            "today": timezone.localdate().isoformat(),
        },
    )


@login_required
def coaching_detail(request, pk):
    access = get_access(request)
    s = _get(
        request,
        CoachingSession.objects.select_related("employee", "coach"),
        selectors.coaching_q(access),
        pk,
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "feedback":
                answers = []
                for i in range(len(services.SESSION_FEEDBACK_ITEMS)):
                    value = request.POST.get(f"q{i}")
                    answers.append(value == "1" if value in ("0", "1") else None)
                services.coaching_employee_feedback(
                    actor=request.user,
                    session=s,
                    answers=answers,
                    comment=request.POST.get("comment", ""),
                )
                messages.success(request, _("Umpan balik sesi disimpan."))
            else:
                scores = []
                for i, (_group, name) in enumerate(services.COMPETENCIES):
                    if request.POST.get(f"score{i}"):
                        scores.append(
                            {
                                "name": name,
                                "score": request.POST.get(f"score{i}"),
                                "reason": request.POST.get(f"reason{i}", ""),
                            }
                        )
                if request.POST.get("technical_name"):
                    scores.append(
                        {
                            "name": request.POST.get("technical_name"),
                            "score": request.POST.get("technical_score"),
                            "reason": request.POST.get("technical_reason", ""),
                        }
                    )
                services.coaching_competency(
                    actor=request.user,
                    session=s,
                    scores=scores,
                    recommendation=request.POST.get("recommendation", ""),
                )
                messages.success(request, _("Evaluasi kompetensi disimpan."))
        except ValidationError as exc:
            _fail(request, exc)
        return redirect("monitoring:coaching_detail", pk=s.pk)
    me = access.employee
    labels = dict(services.FORM_FIELDS[s.kind])
    answers = s.employee_answers or []
    return render(
        request,
        "monitoring/coaching_detail.html",
        {
            "s": s,
            "details": [(labels.get(k, k), v) for k, v in s.details.items() if v],
            "items": [
                (i, group, text, answers[i] if i < len(answers) else None)
                for i, (group, text) in enumerate(services.SESSION_FEEDBACK_ITEMS)
            ],
            "competencies": list(enumerate(services.COMPETENCIES)),
            "scale": services.COMPETENCY_SCALE.items(),
            "is_employee": me is not None and me.pk == s.employee_id,
            "is_coach": me is not None and me.pk == s.coach_id,
            "value_name": berakhlak.NAMES.get(s.value, ""),
        },
    )


# --- notifications --------------------------------------------------------------------


@login_required
def notification_list(request):
    if request.method == "POST":
        if request.POST.get("action") == "preferences":
            notify.set_preferences(
                user=request.user, email_kinds=set(request.POST.getlist("email"))
            )
            messages.success(request, _("Pilihan e-mail disimpan."))
        else:
            services.notifications_read(actor=request.user)
        return redirect("monitoring:notifications")
    return render(
        request,
        "monitoring/notifications.html",
        {
            "notifications": selectors.notifications(request.user),
            "preferences": notify.preferences(request.user),
        },
    )
