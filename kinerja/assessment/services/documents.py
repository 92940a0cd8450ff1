"""The printed evaluation documents, frozen: each version keeps its content and
hash, which the QR verification page shows (kinerja.assessment.documents
renders them)."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.audit.services import record
from kinerja.lib.hashing import content_hash, plain
from kinerja.org.models import User

from ..models import Evaluation, EvaluationDocument


@transaction.atomic
def document_issue(
    *, actor: User, evaluation: Evaluation, kind: str, content: Mapping[str, object]
) -> EvaluationDocument:
    """Freeze the printed content of a document (a new version when it changed)."""
    if not evaluation.is_locked:
        raise ValidationError(_("Dokumen hanya dapat dicetak setelah evaluasi difinalkan."))
    digest = content_hash(content)
    latest = (
        EvaluationDocument.objects.filter(evaluation=evaluation, kind=kind)
        .order_by("-version")
        .first()
    )
    if latest is not None and latest.content_hash == digest:
        return latest
    doc = EvaluationDocument.objects.create(
        agency_id=evaluation.agency_id,
        evaluation=evaluation,
        kind=kind,
        version=(latest.version + 1) if latest else 1,
        content=plain(content),
        content_hash=digest,
    )
    record(
        "assessment.document.issue",
        actor=actor,
        target=doc,
        subject=evaluation.employee,
        after={"kind": kind, "hash": digest},
    )
    return doc
