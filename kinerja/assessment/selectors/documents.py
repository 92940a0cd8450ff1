"""The evaluation documents: which forms apply, one by its token, its latest version."""

import uuid

from ..models import Appeal, Evaluation, EvaluationDocument


def document_kinds(evaluation: Evaluation) -> tuple[str, str]:
    """The evaluation form (C.1.x by SKP format) and the D.1.x document that apply."""
    skp = evaluation.skp
    if skp.approach == "kualitatif":
        form = EvaluationDocument.Kind.C11
    elif skp.form == "jpt":
        form = EvaluationDocument.Kind.C12
    else:
        form = EvaluationDocument.Kind.C13
    if Appeal.objects.filter(evaluation=evaluation, status=Appeal.Status.DECIDED).exists():
        doc = EvaluationDocument.Kind.D13
    elif evaluation.final_reason == Evaluation.FINAL_BY_SUPERIOR:
        doc = EvaluationDocument.Kind.D12
    else:
        doc = EvaluationDocument.Kind.D11
    return form, doc


def document_by_token(token: uuid.UUID) -> EvaluationDocument | None:
    return EvaluationDocument.objects.select_related("evaluation").filter(token=token).first()


def latest_document_version(doc: EvaluationDocument) -> int | None:
    return (
        EvaluationDocument.objects.filter(evaluation_id=doc.evaluation_id, kind=doc.kind)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
