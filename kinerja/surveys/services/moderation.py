"""Staff actions on stored responses: reviewing flagged ones, hiding comments, and routing
comments as complaints to the unit head until answered."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import audited_update
from kinerja.org.models import User

from ..models import Response

#: The longest answer to a complaint (the model's field holds as much).
ANSWER_MAX_LENGTH = 4000


@transaction.atomic
def response_review(*, actor: User, response: Response, accept: bool) -> Response:
    """Accept a flagged response into the index, or reject it (kept, never counted)."""
    if response.flag not in (Response.Flag.PENDING, Response.Flag.ACCEPTED, Response.Flag.REJECTED):
        raise ValidationError(_("Jawaban ini tidak ditandai."))
    audited_update(
        response,
        "surveys.response.accept" if accept else "surveys.response.reject",
        actor=actor,
        agency=response.agency,
        changes={"flag": Response.Flag.ACCEPTED if accept else Response.Flag.REJECTED},
    )
    return response


@transaction.atomic
def response_moderate(
    *, actor: User, response: Response, hidden: bool, reason: str | None = ""
) -> Response:
    """Hide a response (its comment is not shown and its answers leave the index) or show it
    again. Hiding needs a reason."""
    reason = (reason or "").strip()
    if hidden and not reason:
        raise ValidationError({"reason": _("Tuliskan alasan menyembunyikan jawaban ini.")})
    audited_update(
        response,
        "surveys.response.hide" if hidden else "surveys.response.show",
        actor=actor,
        agency=response.agency,
        changes={
            "moderation": Response.Moderation.HIDDEN if hidden else Response.Moderation.VISIBLE,
            "moderation_reason": reason[:300] if hidden else "",
        },
        note=reason,
    )
    return response


@transaction.atomic
def complaint_mark(*, actor: User, response: Response, is_complaint: bool) -> Response:
    """Mark a comment as a complaint (routed to the unit head, status open) or unmark it."""
    if is_complaint and not response.comment:
        raise ValidationError(_("Jawaban tanpa saran/masukan tidak dapat dijadikan pengaduan."))
    if is_complaint == response.is_complaint:
        return response
    audited_update(
        response,
        "surveys.complaint.mark" if is_complaint else "surveys.complaint.unmark",
        actor=actor,
        agency=response.agency,
        changes={
            "is_complaint": is_complaint,
            "complaint_status": (
                Response.ComplaintStatus.OPEN if is_complaint else Response.ComplaintStatus.NONE
            ),
        },
    )
    return response


@transaction.atomic
def complaint_update(
    *, actor: User, response: Response, status: str, answer: str | None = ""
) -> Response:
    """Move a complaint on (open, in progress, answered); answering needs the answer."""
    if not response.is_complaint:
        raise ValidationError(_("Jawaban ini bukan pengaduan."))
    valid = {
        Response.ComplaintStatus.OPEN,
        Response.ComplaintStatus.IN_PROGRESS,
        Response.ComplaintStatus.ANSWERED,
    }
    if status not in valid:
        raise ValidationError({"status": _("Status pengaduan tidak dikenal.")})
    answer = (answer or "").strip()
    if status == Response.ComplaintStatus.ANSWERED and not answer:
        raise ValidationError({"answer": _("Tuliskan jawaban atau tindak lanjut pengaduan.")})
    if len(answer) > ANSWER_MAX_LENGTH:
        raise ValidationError({"answer": _("Tindak lanjut paling banyak 4000 karakter.")})
    changes: dict[str, object] = {"complaint_status": status}
    if answer:
        changes.update(complaint_answer=answer, answered_by=actor, answered_at=timezone.now())
    audited_update(
        response,
        "surveys.complaint.update",
        actor=actor,
        agency=response.agency,
        changes=changes,
    )
    return response


#: The staff actions on one response, as the comment page and the API name them.
RESPONSE_ACTIONS = ("hide", "show", "complaint", "uncomplaint", "status", "accept", "reject")


def response_apply_action(
    *,
    actor: User,
    response: Response,
    action: str,
    reason: str | None = "",
    status: str = "",
    answer: str | None = "",
) -> Response:
    """One staff action on a response by its name (RESPONSE_ACTIONS): moderation, complaint
    routing or review; the comment page and the API both act through this."""
    if action in ("hide", "show"):
        return response_moderate(
            actor=actor, response=response, hidden=action == "hide", reason=reason
        )
    if action in ("complaint", "uncomplaint"):
        return complaint_mark(actor=actor, response=response, is_complaint=action == "complaint")
    if action == "status":
        return complaint_update(actor=actor, response=response, status=status, answer=answer)
    if action in ("accept", "reject"):
        return response_review(actor=actor, response=response, accept=action == "accept")
    raise ValidationError(_("Tindakan tidak dikenal."))
