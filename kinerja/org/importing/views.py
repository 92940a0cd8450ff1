"""Admin BKD's import pages: upload, dry-run preview with errors, apply, and
the template download. Only admin BKD of the agency sees them; anyone else
gets 404 (recorded). See the package's docstring for the layout and rules."""

import io
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_htmx.middleware import HtmxDetails

from kinerja.audit.services import record, record_denied
from kinerja.lib.exports import append, csv_text

from .. import selectors
from ..access import get_access, get_visible_or_404
from ..models import ImportRun, User
from . import apply
from .layout import COLUMNS, KINDS, SHEET_NAMES, template_workbook

LAYOUT = [(SHEET_NAMES[k], COLUMNS[k]) for k in KINDS]
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas (.xlsx atau .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    csv_kind = forms.ChoiceField(
        label=gettext_lazy("Isi berkas .csv"),
        choices=[("", gettext_lazy("— hanya untuk .csv —")), *ImportRun.CsvKind.choices],
        required=False,
    )


class SignedInRequest(HttpRequest):
    """A request behind login_required (django-htmx adds `htmx`)."""

    user: User
    htmx: HtmxDetails


def _import_agency_id(request: HttpRequest, action: str = "org.import.view") -> int:
    """The admin BKD's agency. Import runs are admin BKD's alone: for anyone
    else none of them exists, so every import page is a 404 (recorded), never
    a 403."""
    access = get_access(request)
    if not access.is_admin or access.agency_id is None:
        record_denied(action, actor=request.user, target_type="org.importrun")
        raise Http404
    return access.agency_id


def _get_run(request: HttpRequest, agency_id: int, pk: int) -> ImportRun:
    return get_visible_or_404(
        request,
        ImportRun.objects.select_related("job", "created_by", "created_by__employee"),
        access_filter=Q(agency_id=agency_id),
        pk=pk,
    )


@login_required
def import_home(request: SignedInRequest) -> HttpResponse:
    agency_id = _import_agency_id(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        agency = request.user.agency
        assert agency is not None  # an admin BKD of this agency
        try:
            run = apply.import_start(
                actor=request.user,
                agency=agency,
                upload=form.cleaned_data["file"],
                csv_kind=form.cleaned_data["csv_kind"],
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages[0])
        else:
            return redirect("org:import_detail", pk=run.pk)
    if form.errors:
        status = 400
    runs = ImportRun.objects.filter(agency_id=agency_id).select_related(
        "created_by", "created_by__employee"
    )[:20]
    return render(
        request,
        "org/import_home.html",
        {"form": form, "runs": runs, "layout": LAYOUT},
        status=status,
    )


def _preview_rows(run: ImportRun) -> list[dict[str, Any]]:
    counts = (run.preview or {}).get("counts", {})
    samples = (run.preview or {}).get("samples", {})
    return [
        {
            "kind": kind,
            "sheet": SHEET_NAMES[kind],
            "counts": counts.get(kind, {"baru": 0, "berubah": 0, "tetap": 0}),
            "samples": samples.get(kind, []),
        }
        for kind in KINDS
    ]


@login_required
def import_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    run = _get_run(request, _import_agency_id(request), pk)
    context = {"run": run, "kinds": _preview_rows(run), "job": run.job}
    template = "org/_import_status.html" if request.htmx else "org/import_detail.html"
    return render(request, template, context)


@login_required
def import_apply(request: SignedInRequest, pk: int) -> HttpResponse:
    run = _get_run(request, _import_agency_id(request, "org.import.apply"), pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        apply.import_apply(actor=request.user, run=run)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("org:import_detail", pk=run.pk)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    _import_agency_id(request)
    buffer = io.BytesIO()
    template_workbook().save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_MIME)
    response["Content-Disposition"] = 'attachment; filename="templat-impor-kinerja.xlsx"'
    return response


@login_required
def import_errors_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The error report as a CSV (semicolon, UTF-8 with BOM: opens in Excel)."""
    run = _get_run(request, _import_agency_id(request), pk)
    text = csv_text(
        [_("Lembar"), _("Baris"), _("Kolom"), _("Kesalahan")],
        ([e["sheet"], e["row"] or "", e["column"], e["message"]] for e in run.errors),
    )
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kesalahan-impor-{run.pk}.csv"'
    return response


CODE_KINDS = {"unit": SHEET_NAMES["unit"], "jabatan": SHEET_NAMES["jabatan"]}


def _code_rows(agency_id: int, kind: str) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    if kind == "unit":
        return selectors.UNIT_CODE_COLUMNS, selectors.unit_code_rows(agency_id)
    return selectors.POSITION_CODE_COLUMNS, selectors.position_code_rows(agency_id)


def _codes_export(request: SignedInRequest, agency_id: int, fmt: str, kind: str) -> HttpResponse:
    """Every unit and position code as the import's own sheets (xlsx: both; csv:
    the kind asked), formula-safe, and recorded in the audit trail."""
    record(
        "org.import.codes_export",
        actor=request.user,
        agency=request.user.agency,
        after={"format": fmt, "kind": kind if fmt == "csv" else "unit+jabatan"},
    )
    if fmt == "csv":
        head, rows = _code_rows(agency_id, kind)
        response = HttpResponse(csv_text(head, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="kode-{kind}.csv"'
        return response
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for code_kind, title in CODE_KINDS.items():
        sheet = wb.create_sheet(title)
        head, rows = _code_rows(agency_id, code_kind)
        append(sheet, head)
        for row in rows:
            append(sheet, row)
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_MIME)
    response["Content-Disposition"] = 'attachment; filename="kode-unit-jabatan.xlsx"'
    return response


@login_required
def import_codes(request: SignedInRequest) -> HttpResponse:
    """The unit and position codes an import refers to (kode_induk, kode_unit,
    kode_atasan, kode_jabatan): searchable, 50 per page, and exported whole as
    .xlsx (the import's own Unit and Jabatan sheets) or .csv."""
    agency_id = _import_agency_id(request)
    kind = request.GET.get("jenis", "unit")
    if kind not in CODE_KINDS:
        kind = "unit"
    fmt = request.GET.get("format", "")
    if fmt in ("xlsx", "csv"):
        return _codes_export(request, agency_id, fmt, kind)
    search = request.GET.get("q", "").strip()[:100]
    page = selectors.import_codes_page(
        agency_id, kind=kind, search=search, page=request.GET.get("page", 1)
    )
    context = {
        "kind": kind,
        "kinds": CODE_KINDS,
        "sheet_name": CODE_KINDS[kind],
        "search": search,
        "page": page,
        "columns": selectors.UNIT_CODE_COLUMNS
        if kind == "unit"
        else selectors.POSITION_CODE_COLUMNS,
    }
    return render(request, "org/import_codes.html", context)
