"""Pages of the survey app.

Public (no login): the questionnaire of a service by its unguessable token, and the thanks.
Staff (admin BKD: every unit; unit heads: their unit subtree; everybody else 404): services,
periods, dashboards, comments and complaints, flagged responses, one-time codes, poster,
report PDF and Excel export.
"""

import csv
import io
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kinerja.org.access import get_access

from . import documents, selectors, services
from .elements import KINERJA_LABELS, QUESTIONNAIRE
from .forms import PeriodForm, ServiceForm
from .models import OneTimeCode, Response, Service, SurveyPeriod

DEVICE_COOKIE = "skm_device"
DEVICE_COOKIE_AGE = 365 * 24 * 3600
PAGE_SIZE = 50


# --- Public ------------------------------------------------------------------------------


def _public_language(request):
    lang = request.GET.get("lang") or request.POST.get("lang") or "id"
    return lang if lang in ("id", "en") else "id"


def _client_address(request):
    # Behind the production proxy REMOTE_ADDR is the proxy; the proxy sets X-Real-IP.
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR", "")


def public_survey(request, token):
    service = selectors.public_service_or_404(token)
    response = _public_survey(request, service, token)
    if DEVICE_COOKIE not in request.COOKIES:
        # A random id, only ever stored hashed: it tells repeated answers from one phone.
        response.set_cookie(
            DEVICE_COOKIE,
            secrets.token_urlsafe(16),
            max_age=DEVICE_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def _public_survey(request, service, token):
    lang = _public_language(request)
    with translation.override(lang):
        errors, data = {}, {}
        if request.method == "POST":
            data = request.POST
            device_id = request.COOKIES.get(DEVICE_COOKIE, "")
            try:
                services.response_submit(
                    service=service,
                    data=data,
                    device_id=device_id,
                    address=_client_address(request),
                )
            except ValidationError as exc:
                errors = exc.message_dict
            else:
                url = reverse("surveys:public_thanks", args=[token])
                return redirect(f"{url}?lang={lang}")
        period = services.open_period_for(service, on=timezone.localdate())
        context = {
            "service": service,
            "period": period,
            "questionnaire": QUESTIONNAIRE,
            "data": data,
            "errors": errors,
            "general_errors": errors.get("__all__", []),
            "lang": lang,
            "profile": [
                ("age_group", _("Usia"), Response.AgeGroup.choices),
                ("sex", _("Jenis kelamin"), Response.Sex.choices),
                ("education", _("Pendidikan terakhir"), Response.Education.choices),
                ("occupation", _("Pekerjaan utama"), Response.Occupation.choices),
            ],
        }
        return render(request, "surveys/public_form.html", context, status=400 if errors else 200)


def public_thanks(request, token):
    service = selectors.public_service_or_404(token)
    lang = _public_language(request)
    with translation.override(lang):
        return render(request, "surveys/public_thanks.html", {"service": service, "lang": lang})


# --- Staff helpers -----------------------------------------------------------------------


def _access_or_404(request):
    access = get_access(request)
    if not selectors.can_manage(access):
        raise Http404
    return access


def _service_or_404(request, pk, action="view"):
    access = _access_or_404(request)
    return selectors.get_or_404(
        request,
        Service.objects.select_related("unit", "agency"),
        access_filter=selectors.service_filter(access),
        pk=pk,
        action=action,
    )


def _response_or_404(request, pk, action="change"):
    access = _access_or_404(request)
    return selectors.get_or_404(
        request,
        Response.objects.select_related("service", "agency"),
        access_filter=selectors.response_filter(access),
        pk=pk,
        action=action,
    )


def _selected_period(request, periods):
    wanted = request.GET.get("period", "")
    if wanted == "all":
        return None
    for p in periods:
        if str(p.pk) == wanted:
            return p
    today = timezone.localdate()
    current = [p for p in periods if p.start <= today <= p.end]
    return current[0] if current else (periods[0] if periods else None)


def _error_text(exc):
    return " ".join(exc.messages)


# --- Staff pages -------------------------------------------------------------------------


@login_required
def home(request):
    """Services in the user's scope with their index over all counted responses. Employees
    without a survey role (the menu shows the link to everyone) get an explanation."""
    access = get_access(request)
    if not selectors.can_manage(access):
        return render(request, "surveys/no_access.html")
    service_list = list(selectors.service_queryset(access).order_by("unit__path", "name"))
    by_service = selectors.index_by(
        selectors.counted_responses(services=service_list), "service_id"
    )
    rows = [(s, by_service.get(s.pk)) for s in service_list]
    counts = selectors.response_queryset(access).aggregate(
        flagged=Count("pk", filter=Q(flag=Response.Flag.PENDING)),
        complaints=Count(
            "pk",
            filter=Q(
                complaint_status__in=[
                    Response.ComplaintStatus.OPEN,
                    Response.ComplaintStatus.IN_PROGRESS,
                ]
            ),
        ),
    )
    context = {
        "rows": rows,
        "counts": counts,
        "access": access,
        "kinerja_labels": KINERJA_LABELS,
    }
    return render(request, "surveys/home.html", context)


@login_required
def service_new(request):
    access = _access_or_404(request)
    form = ServiceForm(request.POST or None, units=selectors.visible_units(access))
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_create(
                actor=request.user, agency=request.user.agency, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Layanan disimpan."))
            return redirect("surveys:service_detail", pk=service.pk)
    return render(request, "surveys/service_form.html", {"form": form, "service": None})


@login_required
def service_edit(request, pk):
    service = _service_or_404(request, pk, "change")
    access = get_access(request)
    form = ServiceForm(
        request.POST or None, instance=service, units=selectors.visible_units(access)
    )
    if request.method == "POST" and form.is_valid():
        service.refresh_from_db()
        try:
            services.service_update(actor=request.user, service=service, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Layanan disimpan."))
            return redirect("surveys:service_detail", pk=service.pk)
    return render(request, "surveys/service_form.html", {"form": form, "service": service})


@login_required
def service_detail(request, pk):
    """The dashboard of a service: index per element for a period, trend, links."""
    service = _service_or_404(request, pk)
    periods = selectors.periods_for_service(service)
    period = _selected_period(request, periods)
    summary = selectors.service_index(service=service, period=period)
    points = selectors.trend(selectors.counted_responses(services=[service]), periods)
    pending = Response.objects.filter(service=service, flag=Response.Flag.PENDING).count()
    access = get_access(request)
    year = selectors.open_year(service.agency_id)
    context = {
        "year": year,
        "iki_choices": selectors.linkable_ikis(access=access, year=year, unit=service.unit),
        "iki_links": selectors.service_links(service),
        "year_periods": selectors.year_periods(year),
        "service": service,
        "periods": periods,
        "period": period,
        "summary": summary,
        "chart": documents.element_chart(summary),
        "trend": points,
        "trend_chart": documents.trend_chart(points),
        "pending": pending,
        "public_url": request.build_absolute_uri(
            reverse("surveys:public_survey", args=[service.token])
        ),
        "kinerja_labels": KINERJA_LABELS,
    }
    return render(request, "surveys/service_detail.html", context)


@login_required
def unit_detail(request, pk):
    """A unit's IKM: its services pooled, per service and over periods."""
    access = _access_or_404(request)
    unit = selectors.get_or_404(
        request,
        selectors.visible_units(access),
        access_filter=selectors.unit_scope(access),
        pk=pk,
    )
    periods = selectors.periods_for_unit(unit)
    period = _selected_period(request, periods)
    summary = selectors.unit_index(unit=unit, period=period)
    service_list = list(
        Service.objects.filter(unit__path__startswith=unit.path).select_related("unit")
    )
    by_service = selectors.index_by(
        selectors.counted_responses(unit=unit, period=period),
        "service_id",
        populations={s.pk: s.served_population for s in service_list},
    )
    points = selectors.trend(selectors.counted_responses(unit=unit), periods)
    context = {
        "unit": unit,
        "periods": periods,
        "period": period,
        "summary": summary,
        "chart": documents.element_chart(summary),
        "rows": [(s, by_service.get(s.pk)) for s in service_list],
        "trend": points,
        "trend_chart": documents.trend_chart(points),
        "kinerja_labels": KINERJA_LABELS,
        "org_performance": selectors.latest_org_performance(unit),
    }
    return render(request, "surveys/unit_detail.html", context)


@login_required
def service_iki(request, pk):
    """Link an IKI to this service's IKM (its realisasi then comes from the survey), or
    unlink one."""
    service = _service_or_404(request, pk, "iki_link")
    if request.method != "POST":  # after the lookup: a foreign id is a 404 whatever the method
        return HttpResponseNotAllowed(["POST"])
    from kinerja.planning.models import Iki

    raw = request.POST.get("iki", "")
    iki = Iki.objects.filter(agency_id=service.agency_id, pk=raw).first() if raw.isdigit() else None
    try:
        if iki is None:
            raise ValidationError(_("Pilih IKI."))
        if request.POST.get("action") == "unlink":
            services.iki_ikm_unlink(actor=request.user, iki=iki)
        else:
            services.iki_ikm_link(actor=request.user, iki=iki, service=service)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Sumber realisasi IKI disimpan."))
    return redirect("surveys:service_detail", pk=service.pk)


@login_required
def service_sync(request, pk):
    """Copy the linked IKM into the realisasi of one performance period (a background job)."""
    from kinerja.jobs.services import enqueue
    from kinerja.planning.models import Period

    service = _service_or_404(request, pk, "sync")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    raw = request.POST.get("period", "")
    period = (
        Period.objects.filter(agency_id=service.agency_id, pk=raw).first()
        if raw.isdigit()
        else None
    )
    if period is None:
        messages.error(request, _("Pilih periode kinerja."))
        return redirect("surveys:service_detail", pk=service.pk)
    job = enqueue(
        "surveys.sync_realisasi",
        agency=service.agency,
        user=request.user,
        params={"period": period.pk},
        total=1,
    )
    return redirect("jobs:detail", pk=job.pk)


@login_required
def period_list(request):
    access = _access_or_404(request)
    form = PeriodForm(
        request.POST or None,
        units=selectors.visible_units(access),
        services=selectors.service_queryset(access),
        is_admin=access.is_admin,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.period_create(
                actor=request.user, agency=request.user.agency, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Periode survei disimpan."))
            return redirect("surveys:period_list")
    periods = (
        SurveyPeriod.objects.filter(selectors.period_filter(access))
        .select_related("unit", "service")
        .annotate(n=Count("responses"))
    )
    return render(
        request,
        "surveys/period_list.html",
        {"form": form, "periods": periods, "access": access},
    )


@login_required
def period_toggle(request, pk):
    access = _access_or_404(request)
    period = selectors.get_or_404(
        request,
        SurveyPeriod.objects.select_related("agency", "unit", "service"),
        access_filter=selectors.period_filter(access),
        pk=pk,
        action="change",
    )
    if request.method != "POST":  # after the lookup: a foreign id is a 404 whatever the method
        return HttpResponseNotAllowed(["POST"])
    if period.unit_id is None and period.service_id is None and not access.is_admin:
        raise Http404
    services.period_set_closed(actor=request.user, period=period, closed=not period.is_closed)
    messages.success(request, _("Status periode diubah."))
    return redirect("surveys:period_list")


@login_required
def comment_list(request):
    access = _access_or_404(request)
    params = {
        "service_id": request.GET.get("service", ""),
        "complaint": request.GET.get("complaint", ""),
        "moderation": request.GET.get("moderation", ""),
        "search": request.GET.get("q", "").strip()[:100],
    }
    if not params["service_id"].isdigit():
        params["service_id"] = ""
    qs = selectors.comment_list(access=access, **params)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "params": params,
        "services": Service.objects.filter(selectors.service_filter(access)).only("pk", "name"),
        "complaint_choices": Response.ComplaintStatus.choices[1:],
    }
    return render(request, "surveys/comment_list.html", context)


@login_required
def response_action(request, pk):
    """Moderation and complaint routing of one response."""
    response = _response_or_404(request, pk)
    if request.method != "POST":  # after the lookup: a foreign id is a 404 whatever the method
        return HttpResponseNotAllowed(["POST"])
    action = request.POST.get("action", "")
    try:
        if action in ("hide", "show"):
            services.response_moderate(
                actor=request.user,
                response=response,
                hidden=action == "hide",
                reason=request.POST.get("reason", ""),
            )
        elif action in ("complaint", "uncomplaint"):
            services.complaint_mark(
                actor=request.user, response=response, is_complaint=action == "complaint"
            )
        elif action == "status":
            services.complaint_update(
                actor=request.user,
                response=response,
                status=request.POST.get("status", ""),
                answer=request.POST.get("answer", ""),
            )
        elif action in ("accept", "reject"):
            services.response_review(
                actor=request.user, response=response, accept=action == "accept"
            )
        else:
            raise ValidationError(_("Tindakan tidak dikenal."))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Perubahan disimpan."))
    next_url = request.POST.get("next", "")
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = reverse("surveys:comment_list")
    return redirect(next_url)


@login_required
def flagged_list(request):
    access = _access_or_404(request)
    page = Paginator(selectors.flagged_list(access=access), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "surveys/flagged_list.html", {"page": page})


@login_required
def codes(request, pk):
    service = _service_or_404(request, pk, "codes")
    if request.method == "POST":
        try:
            batch, rows = services.codes_generate(
                actor=request.user, service=service, count=request.POST.get("count")
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(
                request,
                _("%(n)s kode dibuat (kelompok %(batch)s).") % {"n": len(rows), "batch": batch},
            )
        return redirect("surveys:codes", pk=service.pk)
    batches = (
        OneTimeCode.objects.filter(service=service)
        .values("batch")
        .annotate(total=Count("pk"), used=Count("pk", filter=Q(used_at__isnull=False)))
        .order_by("-batch")
    )
    return render(request, "surveys/codes.html", {"service": service, "batches": batches})


@login_required
def codes_download(request, pk):
    service = _service_or_404(request, pk, "codes")
    batch = request.GET.get("batch", "")
    rows = list(
        OneTimeCode.objects.filter(service=service, batch=batch, used_at__isnull=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    services.record_export(
        "surveys.codes.export", actor=request.user, service=service, rows=len(rows)
    )
    if request.GET.get("format") == "pdf":
        pdf = documents.pdf_response_bytes(
            "surveys/codes_pdf.html",
            {"service": service, "codes": rows, "batch": batch},
            base_url=request.build_absolute_uri("/"),
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="kode-{service.pk}-{batch}.pdf"'
        return response
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["kode", "layanan"])
    for code in rows:
        writer.writerow([code, service.name])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kode-{service.pk}-{batch}.csv"'
    return response


@login_required
def poster(request, pk):
    service = _service_or_404(request, pk, "poster")
    url = request.build_absolute_uri(reverse("surveys:public_survey", args=[service.token]))
    pdf = documents.pdf_response_bytes(
        "surveys/poster_pdf.html",
        {"service": service, "url": url, "qr": documents.qr_data_uri(url)},
        base_url=request.build_absolute_uri("/"),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="poster-survei-{service.pk}.pdf"'
    return response


@login_required
def report(request, pk):
    """The regulation's report of a service for one period, as PDF."""
    service = _service_or_404(request, pk, "report")
    periods = selectors.periods_for_service(service)
    period = _selected_period(request, periods)
    summary = selectors.service_index(service=service, period=period)
    counted = selectors.counted_responses(services=[service], period=period)
    complaints = list(
        Response.objects.filter(service=service, is_complaint=True)
        .filter(Q(period=period) if period else Q())
        .order_by("submitted_at")
    )
    context = {
        "service": service,
        "period": period,
        "summary": summary,
        "profile": selectors.profile_summary(counted),
        "complaints": complaints,
        "kinerja_labels": KINERJA_LABELS,
        "printed_at": timezone.localtime(),
        "chart": documents.element_chart(summary),
    }
    pdf = documents.pdf_response_bytes(
        "surveys/report_pdf.html", context, base_url=request.build_absolute_uri("/")
    )
    services.record_export("surveys.report.export", actor=request.user, service=service)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="laporan-skm-{service.pk}.pdf"'
    return response


@login_required
def export(request, pk):
    """Raw responses of a service (every response, flags included) as Excel."""
    service = _service_or_404(request, pk, "export")
    qs = Response.objects.filter(service=service).select_related("period").order_by("pk")
    period_id = request.GET.get("period", "")
    if period_id.isdigit():
        qs = qs.filter(period_id=period_id)
    data, n = documents.responses_workbook(qs.iterator(chunk_size=2000), service=service)
    services.record_export("surveys.responses.export", actor=request.user, service=service, rows=n)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="jawaban-skm-{service.pk}.xlsx"'
    return response
