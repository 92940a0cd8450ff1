"""What informs the rater without being the rating: the employee's own view
(penilaian diri) and the input of rekan kerja on behaviour (docs/domain.md §4)."""

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import record
from kinerja.authz import actor_employee, is_admin
from kinerja.org.models import Employee, User
from kinerja.planning.models import Period, Skp

from .. import selectors
from ..models import Evaluation, PeerInput, SelfAssessment, SelfAssessmentItem
from ._shared import VALUES, RatingInput, check_rating, day_of, load_evaluation
from .rating import evaluation_for


@transaction.atomic
def self_assessment_open(
    *, actor: User, skp: Skp, period: Period | None = None, today: dt.date | None = None
) -> Evaluation:
    """The employee opens their own evaluation of `skp` for `period` (None: the
    year) to assess themselves, where the agency allows it, as soon as the
    evaluation window opens: the evaluation is created on demand, without
    waiting for the rater to open it."""
    today = day_of(today)
    me = actor_employee(actor)
    if me is None or me.pk != skp.employee_id:
        raise PermissionDenied(_("Hanya pegawai pemilik SKP yang dapat membuka penilaian dirinya."))
    if not selectors.settings_for(skp.agency_id).self_assessment_open:
        raise ValidationError(
            _(
                "Instansi Anda belum mengizinkan pegawai membuka penilaian diri sendiri; "
                "penilaian diri diisi setelah pejabat penilai membuka evaluasi."
            )
        )
    if skp.status not in (Skp.Status.DISETUJUI, Skp.Status.DITUTUP):
        raise ValidationError(_("SKP Anda belum ditetapkan; penilaian diri belum dapat dibuka."))
    if period is not None and period.year_id != skp.year_id:
        raise ValidationError(_("Periode tidak termasuk tahun SKP ini."))
    start, _end = selectors.window(Evaluation(year=skp.year, period=period, unit=skp.unit))
    if today < start:
        raise ValidationError(
            _("Penilaian diri dapat dibuka mulai %(d)s, saat jangka waktu penilaian dibuka.")
            % {"d": start.strftime("%d-%m-%Y")}
        )
    if period is None:
        existing = Evaluation.objects.filter(
            employee_id=skp.employee_id, year_id=skp.year_id, period__isnull=True
        ).exists()
    else:
        existing = Evaluation.objects.filter(skp=skp, period=period).exists()
    evaluation = evaluation_for(skp=skp, period=period)
    if not existing:
        record(
            "assessment.self.open",
            actor=actor,
            target=evaluation,
            subject=evaluation.employee,
            after={"period": period.pk if period is not None else None},
        )
    return evaluation


@transaction.atomic
def self_assessment_submit(
    *,
    actor: User,
    evaluation: Evaluation,
    rhk: Mapping[int | str, RatingInput] | None = None,
    behaviour: Mapping[int | str, RatingInput] | None = None,
    note: str = "",
) -> SelfAssessment:
    """The employee's own view per RHK and per core value, with evidence references."""
    evaluation = load_evaluation(evaluation)
    me = actor_employee(actor)
    if me is None or me.pk != evaluation.employee_id:
        raise PermissionDenied(_("Penilaian diri hanya dapat diisi oleh pegawai yang dinilai."))
    if evaluation.is_locked:
        raise ValidationError(_("Evaluasi sudah difinalkan; penilaian diri tidak dapat diubah."))
    rhk_ids = set(selectors.rhk_ids_for(evaluation))
    items: list[tuple[int | None, int | None, RatingInput]] = []
    for rhk_id, data in (rhk or {}).items():
        if int(rhk_id) not in rhk_ids:
            raise ValidationError(_("RHK tersebut tidak termasuk evaluasi ini."))
        check_rating(data.get("rating", ""), _("RHK"))
        items.append((int(rhk_id), None, data))
    for value, data in (behaviour or {}).items():
        if int(value) not in VALUES:
            raise ValidationError(_("Nilai perilaku tidak dikenal."))
        check_rating(data.get("rating", ""), _("perilaku"))
        items.append((None, int(value), data))
    submitted, _created = SelfAssessment.objects.get_or_create(
        evaluation=evaluation, defaults={"agency_id": evaluation.agency_id}
    )
    submitted.items.all().delete()
    SelfAssessmentItem.objects.bulk_create(
        [
            SelfAssessmentItem(
                agency_id=evaluation.agency_id,
                self_assessment=submitted,
                rhk_id=rhk_id,
                value=value,
                rating=data["rating"],
                comment=(data.get("comment") or "").strip(),
                evidence=(data.get("evidence") or "").strip(),
            )
            for rhk_id, value, data in items
        ]
    )
    submitted.note = note.strip()
    submitted.submitted_at = timezone.now()
    submitted.save()
    record(
        "assessment.self.submit",
        actor=actor,
        target=submitted,
        subject=evaluation.employee,
        after={"items": len(items)},
    )
    return submitted


@transaction.atomic
def peer_input_request(
    *, actor: User, evaluation: Evaluation, peers: Iterable[Employee]
) -> list[PeerInput]:
    """The rater (or admin BKD) picks rekan kerja to give behaviour input."""
    evaluation = load_evaluation(evaluation)
    me = actor_employee(actor)
    if not (
        (me is not None and me.pk == evaluation.rater_id) or is_admin(actor, evaluation.agency_id)
    ):
        raise PermissionDenied(_("Hanya pejabat penilai atau admin BKD yang memilih rekan kerja."))
    peers = list(peers)
    if not peers:
        raise ValidationError(_("Pilih rekan kerja yang dimintai masukan."))
    made = []
    for peer in peers:
        if peer.agency_id != evaluation.agency_id:
            raise ValidationError(_("Rekan kerja berasal dari instansi lain."))
        if peer.pk in (evaluation.employee_id, evaluation.rater_id):
            raise ValidationError(_("Rekan kerja tidak boleh pegawai itu sendiri atau penilainya."))
        requested, created = PeerInput.objects.get_or_create(
            evaluation=evaluation,
            peer=peer,
            defaults={"agency_id": evaluation.agency_id, "requested_by": actor},
        )
        if created:
            made.append(requested)
    if made:
        record(
            "assessment.peer.request",
            actor=actor,
            target=evaluation,
            subject=evaluation.employee,
            after={"peers": len(made)},
        )
    return made


@transaction.atomic
def peer_input_submit(
    *, actor: User, peer_input: PeerInput, ratings: Mapping[int | str, str], comment: str = ""
) -> PeerInput:
    """The rekan kerja's ratings per core value (at least one) and comment."""
    me = actor_employee(actor)
    if me is None or me.pk != peer_input.peer_id:
        raise PermissionDenied(_("Masukan ini diminta dari rekan kerja lain."))
    if peer_input.evaluation.is_locked:
        raise ValidationError(_("Evaluasi sudah difinalkan; masukan tidak dapat diubah."))
    given = {}
    for value, rating in ratings.items():
        if int(value) not in VALUES:
            raise ValidationError(_("Nilai perilaku tidak dikenal."))
        if rating:
            check_rating(rating, _("perilaku"))
            given[str(int(value))] = rating
    if not given:
        raise ValidationError(_("Isi setidaknya satu rating perilaku."))
    peer_input.ratings = given
    peer_input.comment = comment.strip()
    peer_input.submitted_at = timezone.now()
    peer_input.save()
    record(
        "assessment.peer.submit",
        actor=actor,
        target=peer_input,
        subject=peer_input.evaluation.employee,
        after={"values": len(given)},
    )
    return peer_input
