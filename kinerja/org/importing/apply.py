"""The import's actions and background jobs (see the package's docstring for
the file layout and the rules).

Flow: `import_start` stores the upload under a random name in
PRIVATE_ROOT/imports/ and queues "org.import.check", the dry run: it parses and
validates everything and stores a preview (counts of new/changed/unchanged per
kind, the first changes) and every error with its row and column; nothing is
written to the org tables. `import_apply` queues "org.import.apply", which
parses and validates the file AGAIN (the data may have changed meanwhile) and
then writes everything in one transaction, set-based (bulk_create/bulk_update
in batches), or nothing at all. The stored file is deleted once the run is
applied or found invalid.
"""

import datetime as dt
import json
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.models import AuditEvent
from kinerja.audit.services import bulk_record, record
from kinerja.jobs.models import Job
from kinerja.jobs.services import ATOMIC, JobError, enqueue, progress, register

from .. import signals
from ..models import Agency, Employee, ImportRun, OrgUnit, Position, PositionAssignment, User
from ..services import rebuild_paths
from .files import (
    FileRejected,
    check_file,
    delete_stored_file,
    estimate_rows,
    imports_dir,
    rows_cache_path,
    stored_path,
)
from .layout import EMPLOYEE_FIELDS, KINDS, POSITION_FIELDS, UNIT_FIELDS
from .parsing import Parsed, parse_file
from .plan import Change, Plan, build_plan, errors_json, preview

BATCH = 1000


def import_start(
    *, actor: User, agency: Agency, upload: UploadedFile, csv_kind: str = ""
) -> ImportRun:
    """Check and store an uploaded file, then queue its dry run. A refused file
    (wrong type, too big, empty, zip bomb...) raises FileRejected and leaves
    nothing behind."""
    size = upload.size or 0
    if size > settings.IMPORT_MAX_BYTES:
        raise FileRejected(
            _("Berkas terlalu besar: maksimal %(max)s MB.")
            % {"max": round(settings.IMPORT_MAX_BYTES / 1048576, 1)},
            code="too_big",
        )
    suffix = Path(upload.name or "").suffix.lower()
    stored_name = secrets.token_hex(16) + (suffix if suffix in (".xlsx", ".csv") else ".bin")
    path = imports_dir() / stored_name
    with path.open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    try:
        file_format = check_file(path, upload.name)
        if file_format == "csv" and csv_kind not in KINDS:
            raise ValidationError(
                _("Untuk berkas .csv, pilih isinya: unit kerja, jabatan, atau pegawai."),
                code="csv_kind",
            )
    except ValidationError:
        path.unlink(missing_ok=True)
        raise
    run = ImportRun.objects.create(
        agency=agency,
        created_by=actor,
        original_name=(upload.name or "")[:255],
        stored_name=stored_name,
        file_format=file_format,
        csv_kind=csv_kind if file_format == "csv" else "",
        size=size,
    )
    record(
        "org.import.upload",
        actor=actor,
        agency=agency,
        target=run,
        after={"name": run.original_name, "size": run.size, "format": file_format},
    )
    job = enqueue("org.import.check", agency=agency, user=actor, params={"run": run.pk})
    ImportRun.objects.filter(pk=run.pk).update(job=job)
    run.refresh_from_db()
    return run


def import_apply(*, actor: User, run: ImportRun) -> ImportRun:
    """Queue the real import of a run whose dry run found no errors."""
    claimed = ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.READY).update(
        status=ImportRun.Status.APPLYING
    )
    if not claimed:
        raise ValidationError(_("Impor ini tidak dalam keadaan siap diterapkan."))
    job = enqueue("org.import.apply", agency=run.agency, user=actor, params={"run": run.pk})
    ImportRun.objects.filter(pk=run.pk).update(job=job)
    run.refresh_from_db()
    return run


def _result(run: ImportRun) -> dict[str, Any]:
    return {
        "redirect": reverse("org:import_detail", args=[run.pk]),
        "status": run.status,
        "errors": run.error_count,
    }


def _load_plan(run: ImportRun, job: Job) -> tuple[Plan, int]:
    """Parse (or, after a clean dry run, reload the parsed rows) and validate."""
    total = max(estimate_rows(stored_path(run), run.file_format), 1)
    progress(job, 0, total * 2, _("Membaca berkas"))

    def on_rows(n: int) -> None:
        progress(job, min(n, total), None, _("Membaca berkas: %(n)d baris") % {"n": n})

    cache = rows_cache_path(run)
    if cache.exists():
        # The file cannot change after upload: only the validation against the
        # database is repeated, not the (slow) spreadsheet parsing.
        parsed = Parsed(rows=json.loads(cache.read_text("utf-8")))
    else:
        parsed = parse_file(stored_path(run), run.file_format, run.csv_kind, on_rows)
    progress(job, total, None, _("Memeriksa %(n)d baris") % {"n": parsed.row_count})
    plan = build_plan(run.agency, parsed)
    if plan.ok and not cache.exists():
        # Only a clean parse is cached (no NIP typed as a number, whose marker
        # a JSON round trip would lose). Dates become ISO text, which parses.
        cache.write_text(json.dumps(parsed.rows, default=str), "utf-8")
    return plan, total


def _mark_invalid(run: ImportRun, errors: list[dict[str, Any]]) -> None:
    run.status = ImportRun.Status.INVALID
    run.errors = errors
    run.error_count = len(errors)
    run.save(update_fields=["status", "errors", "error_count"])
    delete_stored_file(run)


@register("org.import.check")
def check_job(job: Job) -> dict[str, Any]:
    run = ImportRun.objects.select_related("agency").get(pk=job.params["run"], agency=job.agency)
    if run.status not in (ImportRun.Status.QUEUED, ImportRun.Status.CHECKING):
        return _result(run)  # already checked: idempotent
    run.status = ImportRun.Status.CHECKING
    run.save(update_fields=["status"])
    try:
        plan, total = _load_plan(run, job)
    except FileRejected as exc:
        _mark_invalid(run, [{"sheet": "", "row": 0, "column": "", "message": exc.messages[0]}])
        return _result(run)
    except Exception:
        # A crash must not leave the page polling a run that never finishes.
        ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.FAILED)
        delete_stored_file(run)
        raise
    run.preview = preview(plan)
    if plan.ok:
        run.status = ImportRun.Status.READY
        run.errors, run.error_count = [], 0
        run.save(update_fields=["status", "preview", "errors", "error_count"])
    else:
        run.save(update_fields=["preview"])
        _mark_invalid(run, errors_json(plan.errors))
        run.error_count = len(plan.errors)
        ImportRun.objects.filter(pk=run.pk).update(error_count=run.error_count)
    progress(job, total * 2, None, _("Pemeriksaan selesai"))
    return _result(run)


@register("org.import.apply", mode=ATOMIC)
def apply_job(job: Job) -> dict[str, Any]:
    run = ImportRun.objects.select_related("agency").get(pk=job.params["run"], agency=job.agency)
    if run.status == ImportRun.Status.APPLIED:
        return _result(run)  # already applied: idempotent
    if run.status != ImportRun.Status.APPLYING:
        raise JobError(_("Impor ini tidak dalam keadaan siap diterapkan."))
    try:
        try:
            plan, total = _load_plan(run, job)
        except FileRejected as exc:
            _mark_invalid(run, [{"sheet": "", "row": 0, "column": "", "message": exc.messages[0]}])
            raise JobError(exc.messages[0]) from None
        if not plan.ok:
            _mark_invalid(run, errors_json(plan.errors))
            ImportRun.objects.filter(pk=run.pk).update(error_count=len(plan.errors))
            raise JobError(
                _(
                    "Data berubah sejak uji coba dan kini ada %(n)d kesalahan. "
                    "Tidak ada yang disimpan."
                )
                % {"n": len(plan.errors)}
            )
        with transaction.atomic():
            summary = write_plan(
                plan,
                actor=job.created_by,
                run=run,
                on_step=lambda message: progress(job, total, None, message),
            )
            run.status = ImportRun.Status.APPLIED
            run.applied_at = timezone.now()
            run.preview = preview(plan)
            run.save(update_fields=["status", "applied_at", "preview"])
    except JobError:
        raise
    except Exception:
        ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.FAILED)
        raise
    delete_stored_file(run)
    progress(job, total * 2, None, _("Selesai"))
    return {**_result(run), **summary}


def _event(
    action: str,
    *,
    actor: User | None,
    agency: Agency,
    target_type: str,
    target_id: int,
    label: object,
    subject_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent(
        agency=agency,
        actor=actor,
        actor_label=actor.get_username() if actor is not None else "sistem",
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        target_label=str(label)[:300],
        subject_id=subject_id,
        before=before,
        after=after,
    )


def _password(raw: str | None) -> str:
    """The configured hasher when an initial password is given (argon2 is slow:
    ~40 ms each, so only then); otherwise an unusable password, random like
    Django's own but from one urandom call instead of 40 choices."""
    if raw:
        return make_password(raw)
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def write_plan(
    plan: Plan,
    *,
    actor: User | None,
    run: ImportRun,
    on_step: Callable[[str], None] = lambda message: None,
) -> dict[str, Any]:
    """Write a validated plan. Must run inside transaction.atomic (the caller's):
    set-based, a fixed number of statements per batch whatever the size."""
    agency = plan.agency
    now = timezone.now()
    events = []

    def audit(
        kind: str,
        changes: list[Change],
        target_type: str,
        *,
        created_action: str,
        updated_action: str,
    ) -> None:
        for change in changes:
            events.append(
                _event(
                    created_action if change.before is None else updated_action,
                    actor=actor,
                    agency=agency,
                    target_type=target_type,
                    target_id=change.instance.pk,
                    label=change.instance,
                    subject_id=change.instance.pk if kind == "employee" else None,
                    before=change.before,
                    after={"kode" if kind != "employee" else "nip": change.key, **change.after},
                )
            )

    # Units: create, then link parents (new parents now have ids).
    on_step(_("Menyimpan unit kerja"))
    OrgUnit.objects.bulk_create(
        [c.instance for c in plan.units if c.before is None], batch_size=BATCH
    )
    unit_ids = dict(OrgUnit.objects.filter(agency=agency).values_list("code", "pk"))
    for change in plan.units:
        parent = change.refs["parent"]
        change.instance.parent_id = unit_ids[parent] if parent else None
    OrgUnit.objects.bulk_update([c.instance for c in plan.units], UNIT_FIELDS, batch_size=BATCH)
    # Positions: the same, superiors second.
    on_step(_("Menyimpan jabatan"))
    for change in plan.positions:
        change.instance.unit_id = unit_ids[change.code("unit")]
    Position.objects.bulk_create(
        [c.instance for c in plan.positions if c.before is None], batch_size=BATCH
    )
    position_ids = dict(Position.objects.filter(agency=agency).values_list("code", "pk"))
    for change in plan.positions:
        superior = change.refs["superior"]
        change.instance.superior_id = position_ids[superior] if superior else None
    Position.objects.bulk_update(
        [c.instance for c in plan.positions], POSITION_FIELDS, batch_size=BATCH
    )
    if plan.units or plan.positions:
        rebuild_paths(agency)
    # Employees: accounts first (username = NIP), then the employees.
    on_step(_("Menyimpan pegawai"))
    new = [c for c in plan.employees if c.before is None]
    users = [
        User(
            username=c.key,
            agency=agency,
            email=c.instance.email,
            password=_password(plan.passwords.get(c.key)),
        )
        for c in new
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    for change, user in zip(new, users, strict=True):
        change.instance.user_id = user.pk
    for change in plan.employees:
        change.instance.position_id = position_ids[change.code("position")]
        change.instance.unit_id = unit_ids[change.code("unit")]
        change.instance.updated_at = now
    Employee.objects.bulk_create([c.instance for c in new], batch_size=BATCH)
    Employee.objects.bulk_update(
        [c.instance for c in plan.employees if c.before is not None],
        [*EMPLOYEE_FIELDS, "updated_at"],
        batch_size=BATCH,
    )
    # Definitive assignments: new employees and moves; a move closes the
    # current assignment the day before, so history is kept.
    on_step(_("Menyimpan riwayat jabatan"))
    by_nip = {c.key: c.instance for c in plan.employees}
    closed, opened = [], []
    by_id = {c.instance.pk: c.instance for c in plan.employees}
    for nip, (start, current) in plan.moves.items():
        employee = by_nip[nip]
        if current is not None:
            current.end = start - dt.timedelta(days=1)
            closed.append(current)
        opened.append(
            PositionAssignment(
                agency=agency,
                employee_id=employee.pk,
                position_id=employee.position_id,
                unit_id=employee.unit_id,
                kind=PositionAssignment.Kind.DEFINITIF,
                start=start,
                note=_("Impor data"),
            )
        )
    PositionAssignment.objects.bulk_update(closed, ["end"], batch_size=BATCH)
    PositionAssignment.objects.bulk_create(opened, batch_size=BATCH)
    # Later stages (planning's SKP per position) follow the placements.
    if opened:
        signals.employees_placed.send(
            sender=Employee,
            agency=agency,
            placements=[(by_id[a.employee_id], a.start) for a in opened],
            actor=actor,
        )
    # Audit: one event per created/changed record, then one summary.
    on_step(_("Mencatat jejak audit"))
    audit(
        "unit",
        plan.units,
        "org.orgunit",
        created_action="org.unit.import_create",
        updated_action="org.unit.import_update",
    )
    audit(
        "position",
        plan.positions,
        "org.position",
        created_action="org.position.import_create",
        updated_action="org.position.import_update",
    )
    audit(
        "employee",
        plan.employees,
        "org.employee",
        created_action="org.employee.import_create",
        updated_action="org.employee.import_update",
    )
    bulk_record(events)
    summary = {
        "counts": {k: plan.counts.get(k) for k in KINDS},
        "moves": len(closed),
        "passwords": len(plan.passwords),
    }
    record(
        "org.import.apply",
        actor=actor,
        agency=agency,
        target=run,
        after={"name": run.original_name, **summary},
    )
    return summary
