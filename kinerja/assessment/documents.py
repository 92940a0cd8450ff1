"""Printed evaluation documents (WeasyPrint): the evaluation form C.1.1-C.1.3 by
SKP format and the Dokumen Evaluasi Kinerja Pegawai D.1.1-D.1.3, each frozen
as an EvaluationDocument (content + sha256) whose QR code points to the public
verification page. The QR helper is the planning app's (kinerja/planning/pdf.py)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from kinerja.org.access import superior_of
from kinerja.planning import berakhlak
from kinerja.planning.models import BehaviourExpectation
from kinerja.planning.pdf import qr_data_uri, write_pdf
from kinerja.rules import distribution
from kinerja.rules.planning import target_shown

from . import selectors, services
from .models import Appeal, Evaluation, OrgGradeChoice, PredikatChoice, RatingChoice

TITLES = {
    "C.1.1": ("PENDEKATAN HASIL KERJA KUALITATIF", ""),
    "C.1.2": (
        "PENDEKATAN HASIL KERJA KUANTITATIF",
        "BAGI PEJABAT PIMPINAN TINGGI DAN PIMPINAN UNIT KERJA MANDIRI",
    ),
    "C.1.3": (
        "PENDEKATAN HASIL KERJA KUANTITATIF",
        "BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL",
    ),
}


def _person(employee):
    if employee is None:
        return None
    position = employee.position
    return {
        "name": employee.full_name,
        "nip": employee.nip,
        "pangkat": " / ".join(x for x in (employee.pangkat, employee.golongan) if x),
        "jabatan": position.name if position else "",
        "unit": employee.unit.name if employee.unit_id else "",
    }


def _label(choices, value):
    return str(choices(value).label).upper() if value else "-"


def content(evaluation, kind):
    """The document as plain data: what is printed and what the hash covers."""
    e = evaluation
    ctx = selectors.rating_context(e)
    expectations = dict(
        BehaviourExpectation.objects.filter(skp_id=e.skp_id).values_list(
            "value", "ekspektasi_khusus"
        )
    )
    rater = e.rater or e.rated_by
    if e.final_reason == Evaluation.FINAL_BY_SUPERIOR:
        rater_superior = e.rated_by  # D.1.2: the superior rated and signs
    else:
        rater_superior = superior_of(e.rater, on=timezone.localdate()) if e.rater_id else None
    appeal = Appeal.objects.filter(evaluation=e).select_related("decider").first()
    state_bars = []
    if e.org_grade:
        policy = selectors.policy_for(e.agency_id)
        state_bars = [
            {
                "predikat": ", ".join(
                    str(PredikatChoice(p.value).label) for p in sorted(rule.predikat)
                ),
                "min": low,
                "max": high,
                # The allowed band out of 10 employees, for the printed picture.
                "band_from": low or 0,
                "band_width": (10 if high is None else high) - (low or 0),
            }
            for rule, low, high in distribution.quota_table(e.org_grade, 10, policy)
        ]
    return {
        "document": kind,
        "evaluation_id": e.pk,
        "agency": e.agency.name if hasattr(e, "agency") else "",
        "year": e.year.year,
        "period": e.period.label if e.period_id else "TAHUNAN",
        "period_start": (e.period.start if e.period_id else e.year.start).isoformat(),
        "period_end": (e.period.end if e.period_id else e.year.end).isoformat(),
        "employee": _person(e.employee),
        "rater": _person(rater),
        "rater_superior": _person(rater_superior),
        "org_grade": _label(OrgGradeChoice, e.org_grade),
        "pola": state_bars,
        "rhk": [
            {
                "kind": r.rhk.kind,
                "text": r.rhk.text,
                "parent": r.rhk.parent.text if r.rhk.parent_id else "",
                "iki": [
                    {
                        "text": i.text,
                        "aspect": i.aspect,
                        "perspektif": i.perspektif,
                        "target": target_shown(i.target_text, i.unit),
                    }
                    for i in r.rhk.ikis.all()
                ],
                "realisasi": _realisasi(r),
                "rating": _label(RatingChoice, r.rating),
                "feedback": r.feedback,
            }
            for r in ctx["rows"]
        ],
        "hasil": _label(RatingChoice, e.hasil),
        "hasil_feedback": e.hasil_feedback,
        "perilaku_rows": [
            {
                "value": b.value,
                "name": berakhlak.NAMES[b.value],
                "guides": list(berakhlak.GUIDES[b.value]),
                "ekspektasi_khusus": expectations.get(b.value, ""),
                "rating": _label(RatingChoice, b.rating),
                "feedback": b.feedback,
            }
            for b in ctx["behaviour"]
        ],
        "perilaku": _label(RatingChoice, e.perilaku),
        "predikat": _label(PredikatChoice, selectors.current_predikat(e)),
        "notes": e.notes,
        "signed_at": e.signed_at.isoformat() if e.signed_at else "",
        "appeal": (
            {
                "reasons": appeal.reasons,
                "rater_explanation": appeal.rater_explanation,
                "employee_explanation": appeal.employee_explanation,
                "decision": str(Appeal.Decision(appeal.decision).label) if appeal.decision else "",
                "decision_reason": appeal.decision_reason,
                "recommendation": appeal.recommendation,
                "before": _label(PredikatChoice, appeal.predikat_before),
                "after": _label(PredikatChoice, appeal.new_predikat),
                "decider": _person(appeal.decider),
                "decided_on": appeal.decided_on.isoformat() if appeal.decided_on else "",
            }
            if appeal is not None and appeal.status == Appeal.Status.DECIDED
            else None
        ),
    }


def _realisasi(row):
    data = getattr(row, "monitoring", None)
    if not data:
        return ""
    return "; ".join(str(v) for v in (data.get("realisasi") or []) + (data.get("evidence") or []))


def render_pdf(evaluation, *, which, actor, base_url):
    """(pdf bytes, EvaluationDocument) for the form ("form") or the D.1.x ("document")."""
    evaluation = (
        type(evaluation)
        .objects.select_related(*selectors.EVALUATION_RELATED, "agency", "employee__unit")
        .get(pk=evaluation.pk)
    )
    form_kind, doc_kind = selectors.document_kinds(evaluation)
    kind = form_kind if which == "form" else doc_kind
    data = content(evaluation, kind)
    doc = services.document_issue(actor=actor, evaluation=evaluation, kind=kind, content=data)
    verify_url = f"{base_url}{reverse('assessment:verify', args=[doc.token])}"
    template = "assessment/pdf/form.html" if which == "form" else "assessment/pdf/document.html"
    html = render_to_string(
        template,
        {
            "c": doc.content,
            "doc": doc,
            "title": TITLES.get(kind, ("", "")),
            "verify_url": verify_url,
            "qr": qr_data_uri(verify_url),
            "place": getattr(settings, "KINERJA_PLACE", "") or "",
            "printed_on": timezone.localdate(),
        },
    )
    return write_pdf([html]), doc
