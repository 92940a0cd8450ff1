"""Bukti dukung: evidence of results, not of activity (form B.1.2; docs/domain.md
§3), as a private file or a link, on a realisasi or a daily log."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import audited, audited_update, record
from kinerja.authz import require_employee
from kinerja.org.models import Employee, User

from .. import uploads
from ..models import DailyLog, Evidence, Notification, Realisasi
from ..notify import notify_employee
from ._checks import (
    clean_text,
    require_log_date_open,
    require_period_open,
    require_rater,
    require_same_agency,
)

LINK_MAX = 1000


def _evidence_parent(
    me: Employee, realisasi: Realisasi | None, log: DailyLog | None, today: dt.date
) -> Realisasi | DailyLog:
    """The one realisasi or log the evidence is for: the actor's own, still open."""
    parents = [p for p in (realisasi, log) if p is not None]
    if len(parents) != 1:
        raise ValidationError(_("Bukti dukung harus melekat pada satu realisasi atau catatan."))
    parent = parents[0]
    if parent.employee_id != me.pk:
        raise PermissionDenied(_("Anda hanya dapat menambah bukti dukung milik Anda sendiri."))
    if isinstance(parent, Realisasi):
        require_period_open(parent.period, today, me.unit)
    else:
        require_log_date_open(parent.agency_id, parent.date, today)
    return parent


def _evidence_save(
    *,
    actor: User,
    owner: Employee,
    parent: Realisasi | DailyLog,
    audit_fields: list[str],
    **values: object,
) -> Evidence:
    """New evidence of the owner on the realisasi or log, recorded with `audit_fields`."""
    on: dict[str, Realisasi | DailyLog] = (
        {"realisasi": parent} if isinstance(parent, Realisasi) else {"log": parent}
    )
    evidence = Evidence(agency_id=parent.agency_id, owner=owner, **on, **values)
    with audited(
        evidence, "monitoring.evidence.add", actor=actor, fields=audit_fields, subject=owner
    ):
        evidence.save()
    return evidence


def evidence_link_check(url: str | None) -> str:
    """A link the pages may show: http(s) only, at most LINK_MAX characters."""
    url = (url or "").strip()
    if len(url) > LINK_MAX:
        raise ValidationError(_("Tautan terlalu panjang."))
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise ValidationError(
            _("Tautan tidak valid; gunakan alamat http:// atau https://.")
        ) from exc
    return url


@transaction.atomic
def evidence_add_file(
    *,
    actor: User,
    upload: UploadedFile,
    realisasi: Realisasi | None = None,
    log: DailyLog | None = None,
    today: dt.date | None = None,
) -> Evidence:
    """Check the file by its content, store it under a random name, and record it."""
    me = require_employee(actor)
    parent = _evidence_parent(me, realisasi, log, today or timezone.localdate())
    checked = uploads.check_upload(upload)
    stored_name, digest = uploads.store(upload, parent.agency_id)
    return _evidence_save(
        actor=actor,
        owner=me,
        parent=parent,
        audit_fields=["kind", "original_name", "content_type", "size", "sha256"],
        kind=Evidence.Kind.FILE,
        stored_name=stored_name,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=digest,
    )


@transaction.atomic
def evidence_add_link(
    *,
    actor: User,
    url: str,
    realisasi: Realisasi | None = None,
    log: DailyLog | None = None,
    today: dt.date | None = None,
) -> Evidence:
    me = require_employee(actor)
    parent = _evidence_parent(me, realisasi, log, today or timezone.localdate())
    return _evidence_save(
        actor=actor,
        owner=me,
        parent=parent,
        audit_fields=["kind", "url"],
        kind=Evidence.Kind.LINK,
        url=evidence_link_check(url),
    )


@transaction.atomic(savepoint=False)  # the services it calls keep their own savepoints
def evidence_attach(
    *,
    actor: User,
    upload: UploadedFile | None = None,
    link: str = "",
    realisasi: Realisasi | None = None,
    log: DailyLog | None = None,
) -> bool:
    """A page's evidence fields: a file, a link, both or neither. The link is
    checked before the file is stored, so a bad link leaves no file behind.
    Returns whether anything was attached."""
    link = (link or "").strip()
    if link:
        evidence_link_check(link)
    if upload is not None:
        evidence_add_file(actor=actor, upload=upload, realisasi=realisasi, log=log)
    if link:
        evidence_add_link(actor=actor, url=link, realisasi=realisasi, log=log)
    return upload is not None or bool(link)


@transaction.atomic
def evidence_review(
    *,
    actor: User,
    evidence: Evidence,
    insufficient: bool,
    note: str = "",
    today: dt.date | None = None,
) -> Evidence:
    """The rater marks evidence insufficient (results, not activity) and asks for
    another, or accepts it again. The owner is notified."""
    today = today or timezone.localdate()
    me = require_employee(actor)
    require_same_agency(actor, evidence)
    owner = evidence.owner
    require_rater(
        me, owner, today, _("Hanya pejabat penilai yang dapat memeriksa bukti dukung ini.")
    )
    note = clean_text(note, _("Catatan"), required=insufficient)
    audited_update(
        evidence,
        "monitoring.evidence.review",
        actor=actor,
        changes={
            "status": Evidence.Status.INSUFFICIENT if insufficient else Evidence.Status.OK,
            "review_note": note,
            "reviewed_by": me,
            "reviewed_at": timezone.now(),
        },
        fields=["status", "review_note"],
        subject=owner,
    )
    if insufficient:
        notify_employee(
            owner,
            kind=Notification.Kind.EVIDENCE,
            text=_("%(name)s menandai bukti dukung “%(file)s” kurang memadai: %(note)s")
            % {"name": me.full_name, "file": str(evidence), "note": note},
            url=evidence.parent_url(),
            agency_id=evidence.agency_id,
        )
    return evidence


def evidence_record_download(*, actor: User, evidence: Evidence) -> None:
    """Every download of a private file is kept in the audit trail."""
    record(
        "monitoring.evidence.download",
        actor=actor,
        agency=evidence.agency,
        target=evidence,
        subject=evidence.owner,
    )
