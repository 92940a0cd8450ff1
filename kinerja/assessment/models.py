"""Penilaian kinerja: periodic and annual evaluations, self-assessment, peers'
input, organisation grades, calibration by the tim penilai kinerja, appeals
(keberatan) and the printed evaluation documents.

Every row carries `agency`; every query is scoped by it. Ratings, predikat and
organisation grades are stored as the machine codes of kinerja.rules.predikat
(the rules decide, these models only keep the outcome and its reasons).
"""

import uuid
from fractions import Fraction

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.lib.models import AgencyOwned, Created, Updated
from kinerja.rules.predikat import OrgGrade, Predikat, Rating


class RatingChoice(models.TextChoices):
    DI_ATAS = Rating.DI_ATAS.value, _("Di Atas Ekspektasi")
    SESUAI = Rating.SESUAI.value, _("Sesuai Ekspektasi")
    DI_BAWAH = Rating.DI_BAWAH.value, _("Di Bawah Ekspektasi")


class PredikatChoice(models.TextChoices):
    SANGAT_BAIK = Predikat.SANGAT_BAIK.value, _("Sangat Baik")
    BAIK = Predikat.BAIK.value, _("Baik")
    BUTUH_PERBAIKAN = Predikat.BUTUH_PERBAIKAN.value, _("Butuh Perbaikan")
    KURANG = Predikat.KURANG.value, _("Kurang/Misconduct")
    SANGAT_KURANG = Predikat.SANGAT_KURANG.value, _("Sangat Kurang")


class OrgGradeChoice(models.TextChoices):
    ISTIMEWA = OrgGrade.ISTIMEWA.value, _("Istimewa")
    BAIK = OrgGrade.BAIK.value, _("Baik")
    BUTUH_PERBAIKAN = OrgGrade.BUTUH_PERBAIKAN.value, _("Butuh Perbaikan")
    KURANG = OrgGrade.KURANG.value, _("Kurang")
    SANGAT_KURANG = OrgGrade.SANGAT_KURANG.value, _("Sangat Kurang")


class AssessmentSettings(Updated):
    """Per-agency settings of docs/domain.md §1 and §4; defaults are the regulation's."""

    class Enforcement(models.TextChoices):
        ADVISORY = "advisory", _("Anjuran (boleh ditutup dengan alasan)")
        STRICT = "strict", _("Wajib (tidak dapat ditutup bila kuota dilanggar)")

    agency = models.OneToOneField(
        "org.Agency", on_delete=models.CASCADE, related_name="assessment_settings"
    )
    self_assessment_required = models.BooleanField(_("penilaian diri wajib"), default=False)
    self_assessment_open = models.BooleanField(
        _("pegawai dapat membuka penilaian diri atas prakarsa sendiri"), default=False
    )
    peer_names_visible = models.BooleanField(
        _("nama rekan kerja terlihat oleh pegawai"), default=False
    )
    small_part_numerator = models.PositiveSmallIntegerField(default=1)
    small_part_denominator = models.PositiveSmallIntegerField(default=4)
    min_unit_size = models.PositiveSmallIntegerField(_("ukuran unit minimum"), default=5)
    quota_enforcement = models.CharField(
        _("penerapan kurva distribusi"),
        max_length=10,
        choices=Enforcement.choices,
        default=Enforcement.ADVISORY,
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(small_part_denominator__gt=0)
                & Q(small_part_numerator__lte=models.F("small_part_denominator")),
                name="assessment_small_part_valid",
            )
        ]

    def __str__(self):
        return f"Pengaturan penilaian {self.agency_id}"

    @property
    def small_part(self):
        return Fraction(self.small_part_numerator, self.small_part_denominator)


class AgencyDayOff(models.Model):
    """The agency's own days off (cuti bersama, regional holidays), added to the
    national holidays when counting working days."""

    agency = models.ForeignKey("org.Agency", on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("tanggal"))
    reason = models.CharField(_("keterangan"), max_length=200)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["agency", "date"], name="dayoff_unique")]

    def __str__(self):
        return f"{self.date}: {self.reason}"


class DistributionRule(models.Model):
    """One row of the agency's distribution policy (kurva distribusi)."""

    agency = models.ForeignKey("org.Agency", on_delete=models.CASCADE, related_name="+")
    org_grade = models.CharField(
        _("predikat organisasi"), max_length=16, choices=OrgGradeChoice.choices
    )
    predikat = models.JSONField(_("predikat"))
    min_pct = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    max_pct = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    at_least_one = models.BooleanField(_("minimal satu"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["agency", "order", "pk"]

    def __str__(self):
        return f"{self.org_grade}: {','.join(self.predikat)}"


class OrgPerformance(AgencyOwned, Updated):
    """Predikat kinerja organisasi of a unit: for a period, or for the year (period null)."""

    class Source(models.TextChoices):
        ENTERED = "entered", _("Hasil evaluasi SAKIP/LKjIP unit")
        FROM_HEAD = "from_head", _("Hasil kinerja pimpinan unit")

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey("planning.PerformanceYear", on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(
        "planning.Period", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    grade = models.CharField(
        _("predikat organisasi"), max_length=16, choices=OrgGradeChoice.choices
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ENTERED)
    entered_by = models.ForeignKey(
        "org.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                condition=Q(period__isnull=True),
                name="orgperf_annual_unique",
            ),
            models.UniqueConstraint(
                fields=["unit", "period"],
                condition=Q(period__isnull=False),
                name="orgperf_period_unique",
            ),
        ]

    def __str__(self):
        return f"{self.unit_id}/{self.year_id}/{self.period_id}: {self.grade}"


class Evaluation(AgencyOwned, Created, Updated):
    """One evaluation of one employee: periodic (period set) or annual (period null).

    `predikat` is the matrix's result of the rater's ratings; `predikat_final` is
    what holds after calibration (annual) or appeal. Locked once finalised: only
    calibration and the appeal decision change it afterwards.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Konsep")
        FINALISED = "finalised", _("Difinalkan")
        SIGNED = "signed", _("Ditandatangani")
        DELIVERED = "delivered", _("Disampaikan")
        ACKNOWLEDGED = "acknowledged", _("Diterima pegawai")
        APPEALED = "appealed", _("Keberatan diajukan")
        DECIDED = "decided", _("Keberatan diputus")
        REPORTED = "reported", _("Dilaporkan ke PyB")

    LOCKED = (
        Status.FINALISED,
        Status.SIGNED,
        Status.DELIVERED,
        Status.ACKNOWLEDGED,
        Status.APPEALED,
        Status.DECIDED,
        Status.REPORTED,
    )
    # `final_reason` of a result that is final and cannot be appealed.
    FINAL_BY_SUPERIOR = "rated_by_superior"
    FINAL_JPT = "jpt_by_kepala_daerah"

    # Filled by selectors.employee_evaluations for the employee's page.
    appeal_obj: "Appeal | None"

    year = models.ForeignKey("planning.PerformanceYear", on_delete=models.PROTECT, related_name="+")
    skp = models.ForeignKey("planning.Skp", on_delete=models.PROTECT, related_name="evaluations")
    period = models.ForeignKey(
        "planning.Period", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    rater = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rater_unit = models.ForeignKey(
        "org.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    org_grade = models.CharField(max_length=16, choices=OrgGradeChoice.choices, blank=True)
    hasil = models.CharField(max_length=10, choices=RatingChoice.choices, blank=True)
    hasil_proposed = models.CharField(max_length=10, choices=RatingChoice.choices, blank=True)
    hasil_reasons = models.JSONField(default=list, blank=True)
    hasil_differ_reason = models.TextField(blank=True)
    hasil_feedback = models.TextField(blank=True)
    perilaku = models.CharField(max_length=10, choices=RatingChoice.choices, blank=True)
    perilaku_feedback = models.TextField(blank=True)
    predikat = models.CharField(max_length=16, choices=PredikatChoice.choices, blank=True)
    predikat_final = models.CharField(max_length=16, choices=PredikatChoice.choices, blank=True)
    published = models.BooleanField(default=False)
    # The calibration round that decided this annual predikat (null until one closes).
    calibrated_in = models.ForeignKey(
        "Calibration", null=True, blank=True, on_delete=models.PROTECT, related_name="decided"
    )
    notes = models.TextField(_("catatan dan rekomendasi"), blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    is_final_no_appeal = models.BooleanField(default=False)
    final_reason = models.CharField(max_length=200, blank=True)
    rated_by = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finalised_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateField(null=True, blank=True)
    delivered_at = models.DateField(null=True, blank=True)
    acknowledged_at = models.DateField(null=True, blank=True)
    reported_at = models.DateField(null=True, blank=True)
    deliver_due = models.DateField(null=True, blank=True)
    acknowledge_due = models.DateField(null=True, blank=True)
    appeal_due = models.DateField(null=True, blank=True)
    report_due = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["year", "employee", "period"]
        indexes = [
            models.Index(fields=["agency", "year", "period"]),
            models.Index(fields=["rater", "year"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["skp", "period"],
                condition=Q(period__isnull=False),
                name="evaluation_period_unique",
            ),
            models.UniqueConstraint(
                fields=["employee", "year"],
                condition=Q(period__isnull=True),
                name="evaluation_annual_unique",
            ),
        ]

    def __str__(self):
        return f"Evaluasi {self.employee_id}/{self.year_id}/{self.period_id or 'tahunan'}"

    @property
    def is_annual(self):
        return self.period_id is None

    @property
    def is_locked(self):
        return self.status in self.LOCKED


class RhkAssessment(AgencyOwned):
    # Filled by selectors.rating_context for the rating page.
    self_item: "SelfAssessmentItem | None"
    monitoring: dict[str, list[str]] | None

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="rhk_rows")
    rhk = models.ForeignKey("planning.Rhk", on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=10, choices=RatingChoice.choices, blank=True)
    feedback = models.TextField(_("umpan balik"), blank=True)

    class Meta:
        ordering = ["evaluation", "rhk__skp__valid_from", "rhk__kind", "rhk__order", "rhk"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "rhk"], name="rhkassessment_unique")
        ]

    def __str__(self):
        return f"{self.evaluation_id}:{self.rhk_id}={self.rating}"


class BehaviourAssessment(AgencyOwned):
    # Filled by selectors.rating_context for the rating page.
    self_item: "SelfAssessmentItem | None"
    peer_ratings: list[str | None]

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="behaviour_rows"
    )
    value = models.PositiveSmallIntegerField()
    rating = models.CharField(max_length=10, choices=RatingChoice.choices, blank=True)
    feedback = models.TextField(_("umpan balik"), blank=True)

    class Meta:
        ordering = ["evaluation", "value"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "value"], name="behaviour_unique"),
            models.CheckConstraint(
                condition=Q(value__gte=1, value__lte=7), name="behaviour_value_1_7"
            ),
        ]

    def __str__(self):
        return f"{self.evaluation_id}:{self.value}={self.rating}"


class SelfAssessment(AgencyOwned):
    """Penilaian diri: the employee's own view per RHK and per core value."""

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.CASCADE, related_name="self_assessment"
    )
    note = models.TextField(_("catatan"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Penilaian diri {self.evaluation_id}"


class SelfAssessmentItem(AgencyOwned):
    self_assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="items"
    )
    rhk = models.ForeignKey(
        "planning.Rhk", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    rating = models.CharField(max_length=10, choices=RatingChoice.choices)
    comment = models.TextField(_("penjelasan"), blank=True)
    evidence = models.TextField(_("rujukan bukti dukung"), blank=True)

    class Meta:
        ordering = ["self_assessment", "value", "rhk"]

    def __str__(self):
        return f"{self.self_assessment_id}:{self.rhk_id or self.value}={self.rating}"


class PeerInput(AgencyOwned):
    """Input of a rekan kerja on the employee's behaviour: informs the rater,
    never becomes the rating by itself."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="peers")
    peer = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        "org.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    ratings = models.JSONField(default=dict, blank=True)
    comment = models.TextField(_("komentar"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["evaluation", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "peer"], name="peerinput_unique")
        ]

    def __str__(self):
        return f"Masukan {self.peer_id} untuk {self.evaluation_id}"


class Calibration(AgencyOwned):
    """Calibration of a unit's annual predikat by the tim penilai kinerja, in rounds.

    Round 1 decides the pool's annual evaluations. An evaluation finalised (or created by
    the annual close) after its pool's round closed is decided by a follow-up round over
    only such evaluations, with the same organisation grade and the quotas checked over
    the whole pool; nothing a closed round decided changes (`Evaluation.calibrated_in`).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Dibuka")
        CLOSED = "closed", _("Ditutup")

    year = models.ForeignKey("planning.PerformanceYear", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    member_unit_ids = models.JSONField(default=list)
    org_grade = models.CharField(max_length=16, choices=OrgGradeChoice.choices, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    round = models.PositiveSmallIntegerField(_("putaran"), default=1)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    violations_at_close = models.JSONField(default=list, blank=True)
    override_reason = models.TextField(blank=True)
    opened_by = models.ForeignKey(
        "org.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        "org.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["year", "unit", "round"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit", "round"], name="calibration_round_unique"
            )
        ]

    def __str__(self):
        return f"Kalibrasi {self.unit_id}/{self.year_id} putaran {self.round}"


class CalibrationChange(AgencyOwned):
    calibration = models.ForeignKey(Calibration, on_delete=models.CASCADE, related_name="changes")
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, related_name="calibration_changes"
    )
    before = models.CharField(max_length=16, choices=PredikatChoice.choices)
    after = models.CharField(max_length=16, choices=PredikatChoice.choices)
    reason = models.TextField(_("alasan"))
    by = models.ForeignKey("org.User", null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["calibration", "at", "pk"]

    def __str__(self):
        return f"{self.evaluation_id}: {self.before} -> {self.after}"


class Appeal(AgencyOwned):
    """Keberatan against an evaluation, decided by the atasan pejabat penilai."""

    class Status(models.TextChoices):
        FILED = "filed", _("Diajukan")
        DECIDED = "decided", _("Diputus")

    class Decision(models.TextChoices):
        CONFIRM = "confirm", _("Menguatkan hasil penilaian")
        CHANGE = "change", _("Mengubah hasil penilaian")

    evaluation = models.OneToOneField(Evaluation, on_delete=models.PROTECT, related_name="appeal")
    filed_by = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    filed_on = models.DateField()
    reasons = models.TextField(_("alasan keberatan"))
    evidence = models.TextField(_("bukti pendukung"), blank=True)
    decider = models.ForeignKey(
        "org.Employee", null=True, on_delete=models.PROTECT, related_name="+"
    )
    decide_due = models.DateField()
    rater_explanation = models.TextField(_("penjelasan pejabat penilai"), blank=True)
    employee_explanation = models.TextField(_("penjelasan pegawai"), blank=True)
    explanation_requested_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.FILED)
    decision = models.CharField(max_length=8, choices=Decision.choices, blank=True)
    predikat_before = models.CharField(max_length=16, choices=PredikatChoice.choices)
    new_predikat = models.CharField(max_length=16, choices=PredikatChoice.choices, blank=True)
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)
    recommendation = models.TextField(_("rekomendasi"), blank=True)
    decided_on = models.DateField(null=True, blank=True)
    escalated = models.BooleanField(default=False)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-filed_on", "-pk"]

    def __str__(self):
        return f"Keberatan {self.evaluation_id}"


class AppealEvidence(AgencyOwned, Created):
    """A file the employee attaches to their appeal (bukti pendukung), checked by its
    content like realisasi evidence (kinerja.monitoring.uploads) and stored privately
    under a random name; only the employee and the decider may download it."""

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="files")
    uploaded_by = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    stored_name = models.CharField(max_length=200)
    original_name = models.CharField(_("nama berkas"), max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["appeal", "created_at", "pk"]
        verbose_name = _("bukti keberatan")

    def __str__(self):
        return f"Bukti keberatan {self.appeal_id}: {self.original_name}"


class EvaluationDocument(AgencyOwned, Created):
    """A printed evaluation document (C.1.x or D.1.x), frozen for QR verification."""

    class Kind(models.TextChoices):
        C11 = "C.1.1", _("Evaluasi kinerja (kualitatif)")
        C12 = "C.1.2", _("Evaluasi kinerja JPT (kuantitatif)")
        C13 = "C.1.3", _("Evaluasi kinerja JA/JF (kuantitatif)")
        D11 = "D.1.1", _("Dokumen evaluasi kinerja pegawai")
        D12 = "D.1.2", _("Dokumen evaluasi (ditandatangani atasan pejabat penilai)")
        D13 = "D.1.3", _("Dokumen evaluasi dengan keberatan")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=6, choices=Kind.choices)
    version = models.PositiveSmallIntegerField(default=1)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["evaluation", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "kind", "version"], name="evaldoc_unique")
        ]

    def __str__(self):
        return f"{self.kind} {self.evaluation_id} v{self.version}"


class Notice(AgencyOwned, Created):
    """A message to an employee about their evaluation or appeal (shown on their page)."""

    employee = models.ForeignKey("org.Employee", on_delete=models.CASCADE, related_name="+")
    evaluation = models.ForeignKey(
        Evaluation, null=True, on_delete=models.CASCADE, related_name="notices"
    )
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.text[:60]
