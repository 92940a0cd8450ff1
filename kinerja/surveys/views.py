"""Pages of the survey app.

Public (no login): the questionnaire of a service by its unguessable token, and the thanks.
Staff (admin BKD: every unit; unit heads: their unit subtree): services, periods, dashboards,
comments and complaints, flagged responses, one-time codes, poster, report PDF and Excel
export. An object outside the user's scope is a 404 (recorded); a staff page without an
object refuses everybody else with a 403 (`kinerja.authz.manager_access`).
"""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinerja.authz import manager_access
from kinerja.jobs.services import enqueue
from kinerja.lib.exports import csv_text
from kinerja.org.access import get_access, get_visible_or_404
from kinerja.web import call_service

from . import documents, selectors, services
from .elements import KINERJA_LABELS, QUESTIONNAIRE
from .forms import (
    CodesForm,
    IkiLinkForm,
    KioskForm,
    LanguageForm,
    PeriodForm,
    ResponseActionForm,
    ServiceForm,
    SyncForm,
)
from .hashing import client_address
from .models import Kiosk, Response, Service, SurveyPeriod
from .services.rate_limits import KIOSK_LIMIT_PER_HOUR

DEVICE_COOKIE = "skm_device"
DEVICE_COOKIE_AGE = 365 * 24 * 3600
KIOSK_COOKIE = "skm_kiosk"
PAGE_SIZE = 50


# --- Public ------------------------------------------------------------------------------


def _public_language(request: HttpRequest) -> str:
    """The questionnaire's language: ?lang= of the link, else the posted one, else Indonesian."""
    form = LanguageForm(request.GET if request.GET.get("lang") else request.POST)
    return form.cleaned_data["lang"] if form.is_valid() else "id"


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


def _public_survey(request: HttpRequest, service: Service, token: str) -> HttpResponse:
    lang = _public_language(request)
    with translation.override(lang):
        errors, data = {}, {}
        if request.method == "POST":
            # The questionnaire is parsed by the service (the API posts the same fields).
            data = request.POST
            device_id = request.COOKIES.get(DEVICE_COOKIE, "")
            try:
                services.response_submit(
                    service=service,
                    data=data,
                    device_id=device_id,
                    address=client_address(request),
                    kiosk_key=request.COOKIES.get(KIOSK_COOKIE, ""),
                )
            except ValidationError as exc:
                errors = exc.message_dict
            else:
                url = reverse("surveys:public_thanks", args=[token])
                return redirect(f"{url}?lang={lang}")
        period = selectors.open_period_for(service, on=timezone.localdate())
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


def kiosk_activate(request, token, key):
    """Opened once on a counter's tablet (the link shown when the kiosk was issued): the
    device keeps the key in a cookie and goes to the service's form. A revoked or
    unknown key is a 404."""
    service = selectors.public_service_or_404(token)
    if services.kiosk_for_key(service, key) is None:
        raise Http404
    response = redirect("surveys:public_survey", token=token)
    response.set_cookie(
        KIOSK_COOKIE,
        key,
        max_age=DEVICE_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
        path=reverse("surveys:public_survey", args=[token]),
    )
    return response


def public_thanks(request, token):
    service = selectors.public_service_or_404(token)
    lang = _public_language(request)
    with translation.override(lang):
        return render(request, "surveys/public_thanks.html", {"service": service, "lang": lang})


# --- Staff helpers -----------------------------------------------------------------------


def _service_or_404(request: HttpRequest, pk: int, action: str = "view") -> Service:
    """A service in the user's scope (nothing is in scope without a survey role)."""
    return get_visible_or_404(
        request,
        selectors.service_detail_queryset(),
        access_filter=selectors.service_filter(get_access(request)),
        pk=pk,
        action=action,
    )


def _pdf(request: HttpRequest, template: str, context: dict) -> bytes:
    return documents.pdf_response_bytes(template, context, base_url=request.build_absolute_uri("/"))


def _attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _selected_period(request: HttpRequest, periods: list[SurveyPeriod]) -> SurveyPeriod | None:
    wanted = request.GET.get("period", "")
    if wanted == "all":
        return None
    for p in periods:
        if str(p.pk) == wanted:
            return p
    today = timezone.localdate()
    current = [p for p in periods if p.start <= today <= p.end]
    return current[0] if current else (periods[0] if periods else None)


# --- Staff pages -------------------------------------------------------------------------


@login_required
def home(request):
    """Services in the user's scope with their index over all counted responses. Employees
    without a survey role (the menu shows the link to everyone) get an explanation."""
    try:
        access = manager_access(request)
    except (PermissionDenied, Http404):
        return render(request, "surveys/no_access.html")
    service_list = list(selectors.service_queryset(access).order_by("unit__path", "name"))
    by_service = selectors.index_by(
        selectors.counted_responses(services=service_list), "service_id"
    )
    rows = [(s, by_service.get(s.pk)) for s in service_list]
    context = {
        "rows": rows,
        "counts": selectors.staff_counts(access),
        "access": access,
        "kinerja_labels": KINERJA_LABELS,
    }
    return render(request, "surveys/home.html", context)


def _service_form(request: HttpRequest, service: Service | None) -> HttpResponse:
    """The form of a new service (`service` None) or of an existing one."""
    form = ServiceForm(
        request.POST or None,
        instance=service,
        units=selectors.visible_units(get_access(request)),
    )
    if request.method == "POST" and form.is_valid():
        if service is None:
            saved, result = call_service(
                request,
                services.service_create,
                form=form,
                success=_("Layanan disimpan."),
                agency=request.user.agency,
                **form.cleaned_data,
            )
        else:
            service.refresh_from_db()
            saved, result = call_service(
                request,
                services.service_update,
                form=form,
                success=_("Layanan disimpan."),
                service=service,
                **form.cleaned_data,
            )
        if saved:
            return redirect("surveys:service_detail", pk=result.pk)
    return render(request, "surveys/service_form.html", {"form": form, "service": service})


@login_required
def service_new(request):
    manager_access(request)
    return _service_form(request, None)


@login_required
def service_edit(request, pk):
    return _service_form(request, _service_or_404(request, pk, "change"))


@login_required
def service_detail(request, pk):
    """The dashboard of a service: index per element for a period, trend, links."""
    service = _service_or_404(request, pk)
    periods = selectors.periods_for_service(service)
    period = _selected_period(request, periods)
    summary = selectors.service_index(service=service, period=period)
    points = selectors.trend(selectors.counted_responses(services=[service]), periods)
    pending = selectors.pending_count(service)
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
    access = get_access(request)
    unit = get_visible_or_404(
        request,
        selectors.visible_units(access),
        access_filter=selectors.unit_scope(access),
        pk=pk,
    )
    periods = selectors.periods_for_unit(unit)
    period = _selected_period(request, periods)
    summary = selectors.unit_index(unit=unit, period=period)
    service_list = selectors.services_below(unit)
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
@require_POST
def service_iki(request, pk):
    """Link an IKI to this service's IKM (its realisasi then comes from the survey), or
    unlink one."""
    service = _service_or_404(request, pk, "iki_link")
    form = IkiLinkForm(request.POST)
    form.is_valid()
    iki = selectors.agency_iki(service.agency_id, form.cleaned_data.get("iki"))
    success = _("Sumber realisasi IKI disimpan.")
    if iki is None:
        messages.error(request, _("Pilih IKI."))
    elif form.cleaned_data["action"] == "unlink":
        call_service(request, services.iki_ikm_unlink, success=success, iki=iki)
    else:
        call_service(request, services.iki_ikm_link, success=success, iki=iki, service=service)
    return redirect("surveys:service_detail", pk=service.pk)


@login_required
@require_POST
def service_sync(request, pk):
    """Copy the linked IKM into the realisasi of one performance period (a background job)."""
    service = _service_or_404(request, pk, "sync")
    form = SyncForm(request.POST)
    form.is_valid()
    period = selectors.performance_period(service.agency_id, form.cleaned_data.get("period"))
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
    access = manager_access(request)
    form = PeriodForm(
        request.POST or None,
        units=selectors.visible_units(access),
        services=selectors.service_queryset(access),
        is_admin=access.is_admin,
    )
    if request.method == "POST" and form.is_valid():
        saved, _period = call_service(
            request,
            services.period_create,
            form=form,
            success=_("Periode survei disimpan."),
            agency=request.user.agency,
            **form.cleaned_data,
        )
        if saved:
            return redirect("surveys:period_list")
    return render(
        request,
        "surveys/period_list.html",
        {"form": form, "periods": selectors.period_list(access), "access": access},
    )


@login_required
@require_POST
def period_toggle(request, pk):
    access = get_access(request)
    period = get_visible_or_404(
        request,
        selectors.period_detail_queryset(),
        access_filter=selectors.period_filter(access),
        pk=pk,
        action="change",
    )
    call_service(
        request,
        services.period_set_closed,
        success=_("Status periode diubah."),
        period=period,
        closed=not period.is_closed,
    )
    return redirect("surveys:period_list")


@login_required
def comment_list(request):
    access = manager_access(request)
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
        "services": selectors.service_choices(access),
        "complaint_choices": Response.ComplaintStatus.choices[1:],
    }
    return render(request, "surveys/comment_list.html", context)


@login_required
@require_POST
def response_action(request, pk):
    """Moderation and complaint routing of one response."""
    response = get_visible_or_404(
        request,
        selectors.response_detail_queryset(),
        access_filter=selectors.response_filter(get_access(request)),
        pk=pk,
        action="change",
    )
    form = ResponseActionForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    call_service(
        request,
        services.response_apply_action,
        success=_("Perubahan disimpan."),
        response=response,
        action=data["action"],
        reason=data["reason"],
        status=data["status"],
        answer=data["answer"],
    )
    next_url = data["next"]
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = reverse("surveys:comment_list")
    return redirect(next_url)


@login_required
def flagged_list(request):
    access = manager_access(request)
    page = Paginator(selectors.flagged_list(access=access), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "surveys/flagged_list.html", {"page": page})


@login_required
def codes(request, pk):
    service = _service_or_404(request, pk, "codes")
    if request.method == "POST":
        form = CodesForm(request.POST)
        form.is_valid()
        made, result = call_service(
            request, services.codes_generate, service=service, count=form.cleaned_data["count"]
        )
        if made:
            batch, rows = result
            messages.success(
                request,
                _("%(n)s kode dibuat (kelompok %(batch)s).") % {"n": len(rows), "batch": batch},
            )
        return redirect("surveys:codes", pk=service.pk)
    batches = selectors.code_batches(service)
    return render(request, "surveys/codes.html", {"service": service, "batches": batches})


@login_required
def kiosks(request, pk):
    """A service's kiosks (counter tablets): issue one (its link is shown once), revoke."""
    service = _service_or_404(request, pk, "kiosks")
    issued_url = ""
    if request.method == "POST":
        form = KioskForm(request.POST)
        form.is_valid()
        made, result = call_service(
            request,
            services.kiosk_issue,
            success=_("Perangkat kios dibuat. Buka tautan di bawah sekali pada perangkat itu."),
            service=service,
            name=form.cleaned_data["name"],
        )
        if made:
            _kiosk, key = result
            issued_url = request.build_absolute_uri(
                reverse("surveys:kiosk_activate", args=[service.token, key])
            )
    context = {
        "service": service,
        "kiosks": selectors.service_kiosks(service),
        "issued_url": issued_url,
        "limit": KIOSK_LIMIT_PER_HOUR,
    }
    return render(request, "surveys/kiosks.html", context)


@login_required
@require_POST
def kiosk_revoke(request, pk):
    kiosk = get_visible_or_404(
        request,
        Kiosk.objects.select_related("service"),
        access_filter=selectors.kiosk_filter(get_access(request)),
        pk=pk,
        action="revoke",
    )
    call_service(request, services.kiosk_revoke, success=_("Perangkat kios dicabut."), kiosk=kiosk)
    return redirect("surveys:kiosks", pk=kiosk.service_id)


@login_required
def codes_download(request, pk):
    service = _service_or_404(request, pk, "codes")
    batch = request.GET.get("batch", "")
    rows = selectors.unused_codes(service, batch)
    services.record_export(
        "surveys.codes.export", actor=request.user, service=service, rows=len(rows)
    )
    if request.GET.get("format") == "pdf":
        pdf = _pdf(
            request,
            "surveys/codes_pdf.html",
            {"service": service, "codes": rows, "batch": batch},
        )
        return _attachment(pdf, "application/pdf", f"kode-{service.pk}-{batch}.pdf")
    text = csv_text(["kode", "layanan"], ([code, service.name] for code in rows), delimiter=",")
    return _attachment(text, "text/csv; charset=utf-8", f"kode-{service.pk}-{batch}.csv")


@login_required
def poster(request, pk):
    service = _service_or_404(request, pk, "poster")
    url = request.build_absolute_uri(reverse("surveys:public_survey", args=[service.token]))
    pdf = _pdf(
        request,
        "surveys/poster_pdf.html",
        {"service": service, "url": url, "qr": documents.qr_data_uri(url)},
    )
    return _attachment(pdf, "application/pdf", f"poster-survei-{service.pk}.pdf")


@login_required
def report(request, pk):
    """The regulation's report of a service for one period, as PDF."""
    service = _service_or_404(request, pk, "report")
    periods = selectors.periods_for_service(service)
    period = _selected_period(request, periods)
    summary = selectors.service_index(service=service, period=period)
    counted = selectors.counted_responses(services=[service], period=period)
    context = {
        "service": service,
        "period": period,
        "summary": summary,
        "profile": selectors.profile_summary(counted),
        "complaints": selectors.complaints(service, period),
        "kinerja_labels": KINERJA_LABELS,
        "printed_at": timezone.localtime(),
        "chart": documents.element_chart(summary),
    }
    pdf = _pdf(request, "surveys/report_pdf.html", context)
    services.record_export("surveys.report.export", actor=request.user, service=service)
    return _attachment(pdf, "application/pdf", f"laporan-skm-{service.pk}.pdf")


@login_required
def export(request, pk):
    """Raw responses of a service (every response, flags included) as Excel."""
    service = _service_or_404(request, pk, "export")
    period_id = request.GET.get("period", "")
    qs = selectors.export_responses(service, int(period_id) if period_id.isdigit() else None)
    data, n = documents.responses_workbook(qs.iterator(chunk_size=2000), service=service)
    services.record_export("surveys.responses.export", actor=request.user, service=service, rows=n)
    return _attachment(
        data,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"jawaban-skm-{service.pk}.xlsx",
    )
