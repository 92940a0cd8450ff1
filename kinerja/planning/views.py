"""Planning pages. Thin: objects are fetched through the user's access (a
foreign id is a 404), writes go through services, reads through selectors."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.jobs.models import Job
from kinerja.jobs.services import enqueue
from kinerja.jobs.views import job_filter
from kinerja.org.access import get_access, get_visible_or_404
from kinerja.org.models import OrgUnit
from kinerja.rules import planning as rules

from . import berakhlak, pdf, selectors, services
from .models import Iki, OrgGoal, PerformanceYear, Rhk, Skp, SkpVersion


def _fail(request, exc):
    for message in exc.messages:
        messages.error(request, message)


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
    if admin and not access.is_admin:
        raise Http404
    from django.db.models import Q

    return get_visible_or_404(
        request,
        PerformanceYear.objects.all(),
        access_filter=Q(agency_id=access.agency_id) if access.agency_id else Q(pk__in=[]),
        pk=pk,
    )


def _parent_rhk(skp, pk):
    """The superior's RHK chosen in a form: looked up within the agency only;
    the service checks it is the rater's, same year."""
    if not pk:
        return None
    parent = Rhk.objects.select_related("skp").filter(agency_id=skp.agency_id, pk=pk).first()
    if parent is None:
        raise ValidationError(_("RHK atasan tidak ditemukan."))
    return parent


def _decimal(value):
    value = (value or "").strip().replace(",", ".")
    if not value:
        return None
    try:
        return Decimal(value)
    except InvalidOperation as exc:
        raise ValidationError(_("Angka target tidak valid: %(v)s") % {"v": value}) from exc


def _back(skp):
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
    can_decide = False
    if skp.status == Skp.Status.DIAJUKAN and not is_owner:
        try:
            services._can_decide(request.user, skp)
            can_decide = True
        except ValidationError:
            pass
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
        "goals": list(OrgGoal.objects.filter(year_id=skp.year_id)) if skp.is_jpt else [],
        "expectations": [
            (code, name, guides, texts.get(code, ""))
            for texts in [{e.value: e.ekspektasi_khusus for e in skp.expectations.all()}]
            for code, name, guides in berakhlak.VALUES
        ],
        "notes": list(skp.notes.all()),
        "versions": list(
            skp.versions.only(
                "pk", "number", "approved_at", "approved_by_name", "content_hash", "reason"
            )
        ),
        "problems": services.submit_problems(skp) if is_owner and skp.is_editable else [],
        "kinds": Rhk.Kind.choices,
        "sources": Rhk.Source.choices,
        "aspects": Iki.Aspect.choices,
        "perspektifs": Iki.Perspektif.choices,
        "approaches": Skp.Approach.choices,
    }


@login_required
def skp_detail(request, pk):
    skp = _get_skp(request, pk)
    context = _skp_context(request, skp)
    if request.htmx and request.GET.get("part") == "rhk":
        return render(request, "planning/_rhk_list.html", context)
    return render(request, "planning/skp_detail.html", context)


def _after_edit(request, skp):
    """htmx requests get the RHK section back; plain posts a redirect."""
    if request.htmx:
        context = _skp_context(request, skp)
        return render(request, "planning/_rhk_list.html", context)
    return _back(skp)


@login_required
def rhk_add(request, pk):
    skp = _get_skp(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    parent = org_goal = None
    try:
        parent = _parent_rhk(skp, request.POST.get("parent"))
        if request.POST.get("org_goal"):
            org_goal = get_object_or_404(
                OrgGoal, pk=request.POST["org_goal"], agency_id=skp.agency_id
            )
        services.rhk_add(
            actor=request.user,
            skp=skp,
            text=request.POST.get("text", ""),
            kind=request.POST.get("kind", Rhk.Kind.UTAMA),
            source=request.POST.get("source") or Rhk.Source.INTERVENSI,
            parent=parent,
            org_goal=org_goal,
        )
    except ValidationError as exc:
        _fail(request, exc)
    return _after_edit(request, skp)


@login_required
def rhk_edit(request, pk):
    rhk = _get_rhk(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    skp = rhk.skp
    try:
        services.rhk_update(
            actor=request.user,
            rhk=rhk,
            text=request.POST.get("text", rhk.text),
            kind=request.POST.get("kind", rhk.kind),
            source=request.POST.get("source", rhk.source),
        )
        if "parent" in request.POST or "org_goal" in request.POST:
            parent = (
                _get_rhk(request, request.POST["parent"]) if request.POST.get("parent") else None
            )
            goal = (
                get_object_or_404(OrgGoal, pk=request.POST["org_goal"], agency_id=skp.agency_id)
                if request.POST.get("org_goal")
                else None
            )
            services.rhk_link(actor=request.user, rhk=rhk, parent=parent, org_goal=goal)
    except ValidationError as exc:
        _fail(request, exc)
    return _after_edit(request, skp)


@login_required
def rhk_delete(request, pk):
    rhk = _get_rhk(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.rhk_delete(actor=request.user, rhk=rhk)
    except ValidationError as exc:
        _fail(request, exc)
    return _after_edit(request, rhk.skp)


@login_required
def iki_add(request, pk):
    rhk = _get_rhk(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        iki = services.iki_add(
            actor=request.user,
            rhk=rhk,
            text=request.POST.get("text", ""),
            target_text=request.POST.get("target_text", ""),
            aspect=request.POST.get("aspect", ""),
            perspektif=request.POST.get("perspektif", ""),
            target_min=_decimal(request.POST.get("target_min")),
            target_max=_decimal(request.POST.get("target_max")),
            unit=request.POST.get("unit", ""),
            lower_is_better=bool(request.POST.get("lower_is_better")),
        )
        if iki.warnings:
            messages.warning(
                request,
                _(
                    "Target memuat kata mutlak (%(w)s); hindari kecuali menyangkut keselamatan, "
                    "keamanan, atau uang negara dalam jumlah besar."
                )
                % {"w": ", ".join(iki.warnings)},
            )
    except ValidationError as exc:
        _fail(request, exc)
    return _after_edit(request, rhk.skp)


@login_required
def iki_delete(request, pk):
    iki = _get_iki(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.iki_delete(actor=request.user, iki=iki)
    except ValidationError as exc:
        _fail(request, exc)
    return _after_edit(request, iki.rhk.skp)


@login_required
def iki_manual(request, pk):
    iki = _get_iki(request, pk)
    skp = iki.rhk.skp
    if request.method == "POST":
        try:
            services.manual_iki_set(
                actor=request.user,
                iki=iki,
                **{
                    f: request.POST.get(f, "")
                    for f in ("definition", "formula", "unit", "data_source", "reporting_period")
                },
            )
            messages.success(request, _("Manual IKI disimpan."))
            return _back(skp)
        except ValidationError as exc:
            _fail(request, exc)
    manual = getattr(iki, "manual", None) if hasattr(iki, "manual") else None
    return render(request, "planning/iki_manual.html", {"iki": iki, "skp": skp, "manual": manual})


@login_required
def skp_expectations(request, pk):
    skp = _get_skp(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    values = {code: request.POST.get(f"value_{code}", "") for code in berakhlak.CODES}
    try:
        services.expectations_set(actor=request.user, skp=skp, values=values)
        messages.success(request, _("Ekspektasi khusus pimpinan disimpan."))
    except ValidationError as exc:
        _fail(request, exc)
    return _back(skp)


@login_required
def skp_lampiran(request, pk):
    skp = _get_skp(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.lampiran_set(
            actor=request.user,
            skp=skp,
            dukungan_sumber_daya=request.POST.get("dukungan_sumber_daya", ""),
            skema_pertanggungjawaban=request.POST.get("skema_pertanggungjawaban", ""),
            konsekuensi=request.POST.get("konsekuensi", ""),
        )
        messages.success(request, _("Lampiran SKP disimpan."))
    except ValidationError as exc:
        _fail(request, exc)
    return _back(skp)


@login_required
def skp_approach(request, pk):
    skp = _get_skp(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.skp_set_approach(
            actor=request.user, skp=skp, approach=request.POST.get("approach")
        )
    except ValidationError as exc:
        _fail(request, exc)
    return _back(skp)


@login_required
def skp_submit(request, pk):
    skp = _get_skp(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.skp_submit(actor=request.user, skp=skp)
        messages.success(request, _("SKP diajukan kepada pejabat penilai."))
    except ValidationError as exc:
        _fail(request, exc)
    return _back(skp)


@login_required
def skp_review(request, pk):
    """Side by side: the subordinate's SKP and the rater's own RHK."""
    skp = _get_skp(request, pk)
    context = _skp_context(request, skp)
    own = selectors.rater_skp(skp)
    context["rater_skp"] = own
    context["rater_rhks"] = selectors.skp_rhks(own) if own else []
    return render(request, "planning/skp_review.html", context)


@login_required
def skp_approve(request, pk):
    skp = _get_skp(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.skp_approve(actor=request.user, skp=skp, note=request.POST.get("note", ""))
        messages.success(request, _("SKP disetujui dan ditetapkan."))
    except ValidationError as exc:
        _fail(request, exc)
        return redirect("planning:skp_review", pk=skp.pk)
    return redirect("planning:team")


@login_required
def skp_return(request, pk):
    skp = _get_skp(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.skp_return(actor=request.user, skp=skp, note=request.POST.get("note", ""))
        messages.success(request, _("SKP dikembalikan dengan catatan."))
    except ValidationError as exc:
        _fail(request, exc)
        return redirect("planning:skp_review", pk=skp.pk)
    return redirect("planning:team")


@login_required
def skp_revise(request, pk):
    skp = _get_skp(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.skp_revise(actor=request.user, skp=skp, reason=request.POST.get("reason", ""))
        messages.success(request, _("Revisi SKP dimulai; ajukan kembali setelah selesai."))
    except ValidationError as exc:
        _fail(request, exc)
    return _back(skp)


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


def _verify_url(request, version):
    return request.build_absolute_uri(reverse("planning:verify", args=[version.token]))


def skp_pdf_parts(skp, *, base_url, version=None):
    """The HTML of an SKP: the approved version when there is one (so the
    printed hash is the stored one), else the live draft marked KONSEP."""
    if version is None and skp.status == Skp.Status.DISETUJUI:
        version = skp.versions.order_by("-number").first()
    content = version.content if version else services.skp_content(skp)
    verify = f"{base_url}{reverse('planning:verify', args=[version.token])}" if version else ""
    return pdf.render_html(
        content,
        version=version,
        verify_url=verify,
        place=skp.agency.signature_place,
        printed_on=timezone.localdate(),
    )


def skp_pdf_bytes(skp, *, base_url, version=None):
    return pdf.write_pdf([skp_pdf_parts(skp, base_url=base_url, version=version)])


@login_required
def skp_pdf(request, pk):
    skp = _get_skp(request, pk)
    version = None
    if request.GET.get("versi"):
        version = get_object_or_404(SkpVersion, skp=skp, number=request.GET["versi"])
    data = skp_pdf_bytes(skp, base_url=request.build_absolute_uri("/").rstrip("/"), version=version)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="SKP-{skp.employee.nip}-{skp.year.year}-v{skp.version}.pdf"'
    )
    return response


def verify(request, token):
    """Public: proves a printed SKP is the approved one (document id, version,
    content hash, approver, time). No personal data beyond the names and NIP
    already printed on the document."""
    version = get_object_or_404(SkpVersion.objects.select_related("skp", "skp__year"), token=token)
    latest = version.skp.versions.order_by("-number").values_list("number", flat=True).first()
    return render(
        request,
        "planning/verify.html",
        {"version": version, "c": version.content, "is_latest": latest == version.number},
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
        parent = _get_rhk(request, request.POST.get("rhk") or 0)
        try:
            result = services.matrix_assign(
                actor=request.user,
                parent_rhk=parent,
                skp_ids=request.POST.getlist("skp"),
                text=request.POST.get("text", ""),
                kind=request.POST.get("kind", Rhk.Kind.UTAMA),
            )
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
        except ValidationError as exc:
            _fail(request, exc)
        return redirect("planning:matrix")
    data = selectors.matrix(employee=access.employee, year=year)
    return render(request, "planning/matrix.html", {"year": year, "m": data})


# --- agency (admin BKD) ----------------------------------------------------------


@login_required
def year_list(request):
    access = get_access(request)
    if not access.is_admin:
        raise Http404
    if request.method == "POST":
        try:
            year = services.year_create(
                actor=request.user,
                agency=request.user.agency,
                year=int(request.POST.get("year") or 0),
                frequency=request.POST.get("frequency", ""),
                annual_source=request.POST.get("annual_source", ""),
                default_approach=request.POST.get("default_approach") or rules.KUANTITATIF,
            )
            messages.success(request, _("Periode penilaian dibuat."))
            return redirect("planning:year_detail", pk=year.pk)
        except (ValidationError, ValueError) as exc:
            _fail(
                request,
                exc
                if isinstance(exc, ValidationError)
                else ValidationError(_("Tahun tidak valid.")),
            )
    context = {
        "years": selectors.years(access.agency_id),
        "frequencies": PerformanceYear.Frequency.choices,
        "sources": PerformanceYear.AnnualSource.choices,
        "next_year": timezone.localdate().year,
    }
    return render(request, "planning/year_list.html", context)


@login_required
def year_detail(request, pk):
    year = _get_year(request, pk)
    counts = selectors.year_summary(year)
    today = timezone.localdate()
    late = today > year.skp_deadline
    context = {
        "year": year,
        "periods": list(year.periods.all()),
        "counts": [(label, counts.get(value, 0)) for value, label in Skp.Status.choices],
        "total": sum(counts.values()),
        "not_approved": sum(n for s, n in counts.items() if s not in ("disetujui", "ditutup")),
        "late": late,
        "jobs": Job.objects.filter(
            agency_id=year.agency_id, kind__startswith="planning.", params__year=year.pk
        )[:5],
        "units": OrgUnit.objects.filter(agency_id=year.agency_id).only("pk", "name", "depth"),
    }
    return render(request, "planning/year_detail.html", context)


@login_required
def year_open(request, pk):
    year = _get_year(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        job = services.year_open(actor=request.user, year=year)
        return redirect("jobs:detail", pk=job.pk)
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("planning:year_detail", pk=year.pk)


@login_required
def goal_list(request, pk):
    year = _get_year(request, pk, admin=False)
    access = get_access(request)
    can_add = access.is_admin or bool(
        access.employee and access.employee.position_id and access.employee.position.is_jpt
    )
    if request.method == "POST":
        unit = None
        if request.POST.get("unit"):
            unit = get_object_or_404(OrgUnit, pk=request.POST["unit"], agency_id=year.agency_id)
        try:
            services.org_goal_create(
                actor=request.user,
                year=year,
                text=request.POST.get("text", ""),
                source=request.POST.get("source", ""),
                indicator=request.POST.get("indicator", ""),
                target=request.POST.get("target", ""),
                unit=unit,
            )
            messages.success(request, _("Sasaran strategis disimpan."))
        except ValidationError as exc:
            _fail(request, exc)
        return redirect("planning:goal_list", pk=year.pk)
    context = {
        "year": year,
        "goals": year.goals.select_related("unit"),
        "can_add": can_add,
        "sources": OrgGoal.Source.choices,
        "units": OrgUnit.objects.filter(agency_id=year.agency_id).only("pk", "name", "depth"),
    }
    return render(request, "planning/goal_list.html", context)


@login_required
def tree(request, pk):
    """Pohon kinerja: admin BKD sees the agency, a unit head their unit."""
    access = get_access(request)
    if not (access.is_admin or access.is_tim_penilai or access.head_unit_paths):
        raise Http404
    year = _get_year(request, pk, admin=False)
    unit_path = "" if (access.is_admin or access.is_tim_penilai) else access.head_unit_paths[0]
    units = OrgUnit.objects.filter(agency_id=year.agency_id, path__startswith=unit_path or "/")
    unit_id = request.GET.get("unit", "")
    chosen = units.filter(pk=unit_id).only("path").first() if unit_id.isdigit() else None
    if chosen is not None:
        unit_path = chosen.path
    data = selectors.performance_tree(year=year, unit_path=unit_path)
    context = {
        "year": year,
        "t": data,
        "unit_choices": units.only("pk", "name").order_by("path"),
        "unit_id": chosen.pk if chosen else None,
    }
    return render(request, "planning/tree.html", context)


@login_required
def unit_pdf(request, pk):
    year = _get_year(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    unit = get_object_or_404(OrgUnit, pk=request.POST.get("unit") or 0, agency_id=year.agency_id)
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
