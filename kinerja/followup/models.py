"""Tindak lanjut hasil evaluasi kinerja: per-agency rules and allowance factors, candidates
after each annual close, awards and sanctions, competence development (catalogue,
participation, development plans), mentor pairings and credit points.

Every row carries `agency`; every query is scoped by it. Predikat are stored as the machine
codes of kinerja.rules.predikat; the rules live in `kinerja.rules.followup` (pure) and decide.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.assessment.models import PredikatChoice
from kinerja.lib.models import AgencyOwned, Created, Updated
from kinerja.rules import followup as rules


class Outcome(models.TextChoices):
    AWARD = rules.Outcome.AWARD.value, _("Kandidat penghargaan")
    PROMOTION_PRIORITY = rules.Outcome.PROMOTION_PRIORITY.value, _("Prioritas kenaikan pangkat")
    TRAINING_PRIORITY = (
        rules.Outcome.TRAINING_PRIORITY.value,
        _("Prioritas pengembangan kompetensi"),
    )
    COACHING = rules.Outcome.COACHING.value, _("Perlu pembinaan")
    SANCTION_PROCESS = rules.Outcome.SANCTION_PROCESS.value, _("Proses sanksi")


class FollowupSettings(models.Model):
    """Per-agency settings; created with the defaults the first time they are needed."""

    agency = models.OneToOneField(
        "org.Agency", on_delete=models.CASCADE, related_name="followup_settings"
    )
    min_jp = models.PositiveSmallIntegerField(
        _("JP minimal per tahun"), default=rules.MIN_JP_PER_YEAR
    )
    defaults_created = models.BooleanField(default=False)

    def __str__(self):
        return f"Pengaturan tindak lanjut {self.agency_id}"


class FollowupRule(AgencyOwned, Updated):
    outcome = models.CharField(_("hasil"), max_length=20, choices=Outcome.choices)
    years = models.PositiveSmallIntegerField(_("jumlah tahun terakhir"), default=1)
    predikat = models.JSONField(_("predikat"))
    consecutive = models.BooleanField(_("tahun berturut-turut"), default=True)
    legal_basis = models.TextField(_("dasar hukum"), blank=True)
    active = models.BooleanField(_("aktif"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["agency", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(years__gte=1, years__lte=10), name="followuprule_years_1_10"
            )
        ]

    def __str__(self):
        return f"{self.get_outcome_display()}: {self.years} th"

    def as_rule(self):
        return rules.Rule(
            rules.Outcome(self.outcome),
            self.years,
            frozenset(self.predikat),
            self.consecutive,
            key=self.pk,
        )


class AllowanceFactor(AgencyOwned):
    """Cut of the performance allowance (tunjangan kinerja / TPP) per predikat, in percent."""

    predikat = models.CharField(max_length=16, choices=PredikatChoice.choices)
    cut_percent = models.DecimalField(_("potongan (%)"), max_digits=5, decimal_places=2, default=0)

    class Meta:
        ordering = ["agency", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "predikat"], name="allowance_unique"),
            models.CheckConstraint(
                condition=Q(cut_percent__gte=0, cut_percent__lte=100), name="allowance_cut_0_100"
            ),
        ]

    def __str__(self):
        return f"{self.predikat}: {self.cut_percent}%"


class Candidate(AgencyOwned, Created):
    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu keputusan")
        ACCEPTED = "accepted", _("Disetujui")
        REJECTED = "rejected", _("Ditolak")

    year = models.ForeignKey("planning.PerformanceYear", on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, related_name="followup_candidates"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    rule = models.ForeignKey(
        FollowupRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evaluation = models.ForeignKey(
        "assessment.Evaluation", null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = models.JSONField(_("riwayat predikat"), default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        "org.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        ordering = ["year", "outcome", "employee__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "employee", "outcome"], name="candidate_unique"
            )
        ]
        indexes = [models.Index(fields=["agency", "year", "outcome", "status"])]

    def __str__(self):
        return f"{self.get_outcome_display()} {self.employee_id}/{self.year_id}"


class DocumentMixin(models.Model):
    """An optional document (PDF or image), stored under a random name in PRIVATE_ROOT."""

    document_name = models.CharField(_("nama berkas"), max_length=255, blank=True)
    document_stored = models.CharField(max_length=64, blank=True)
    document_type = models.CharField(max_length=100, blank=True)
    document_size = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    @property
    def has_document(self):
        return bool(self.document_stored)


class Withdrawable(models.Model):
    """A record that the people allowed to may correct or withdraw, with a reason, and
    never delete: a withdrawn row stays (shown struck through) with who, when and why.
    Corrections are in the audit trail with their reason."""

    withdrawn_at = models.DateTimeField(_("ditarik pada"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        "org.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_reason = models.TextField(_("alasan penarikan"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class Award(Withdrawable, DocumentMixin, AgencyOwned, Created):
    class Kind(models.TextChoices):
        BONUS = "bonus", _("Bonus/insentif finansial")
        PROMOTION = "promotion_recommendation", _("Rekomendasi promosi")
        RECOGNITION = "recognition", _("Penghargaan resmi")
        OTHER = "other", _("Lainnya")

    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="awards")
    kind = models.CharField(_("jenis"), max_length=24, choices=Kind.choices)
    basis = models.TextField(_("dasar pemberian"))
    date = models.DateField(_("tanggal"))
    evaluation = models.ForeignKey(
        "assessment.Evaluation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    candidate = models.ForeignKey(
        Candidate, null=True, blank=True, on_delete=models.SET_NULL, related_name="awards"
    )
    created_by = models.ForeignKey(
        "org.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.employee_id} {self.date}"


class Sanction(Withdrawable, DocumentMixin, AgencyOwned, Created):
    class Kind(models.TextChoices):
        WARNING = "warning", _("Teguran/peringatan tertulis")
        TRANSFER = "transfer", _("Pemindahan ke jabatan lain yang sesuai")
        DEMOTION = "demotion", _("Penurunan jabatan")
        PLACEMENT = "placement", _("Penempatan tanpa jabatan (paling lama 1 tahun)")
        DISCHARGE = "discharge", _("Pemberhentian dengan hormat")
        OTHER = "other", _("Lainnya")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Diusulkan")
        ACTIVE = "active", _("Berlaku")
        ENDED = "ended", _("Selesai")
        CANCELLED = "cancelled", _("Dibatalkan")

    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="sanctions")
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    legal_basis = models.TextField(_("dasar hukum"))
    start = models.DateField(_("mulai"))
    end = models.DateField(_("selesai"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    evaluation = models.ForeignKey(
        "assessment.Evaluation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    candidate = models.ForeignKey(
        Candidate, null=True, blank=True, on_delete=models.SET_NULL, related_name="sanctions"
    )
    note = models.TextField(_("catatan"), blank=True)
    created_by = models.ForeignKey(
        "org.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="sanction_end_after_start",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.employee_id} {self.start}"


class TrainingKind(models.TextChoices):
    COURSE = "course", _("Pelatihan/kursus")
    WORKSHOP = "workshop", _("Lokakarya/workshop")
    ELEARNING = "elearning", _("E-learning")
    OTHER = "other", _("Lainnya")


class TrainingCourse(AgencyOwned):
    title = models.CharField(_("judul"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=10, choices=TrainingKind.choices)
    hours_jp = models.PositiveSmallIntegerField(_("jumlah JP"))
    provider = models.CharField(_("penyelenggara"), max_length=200, blank=True)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self):
        return f"{self.title} ({self.hours_jp} JP)"


class TrainingRecord(DocumentMixin, AgencyOwned, Created):
    employee = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, related_name="training_records"
    )
    course = models.ForeignKey(
        TrainingCourse, null=True, blank=True, on_delete=models.PROTECT, related_name="records"
    )
    title = models.CharField(_("judul"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=10, choices=TrainingKind.choices)
    start = models.DateField(_("mulai"))
    end = models.DateField(_("selesai"))
    hours_jp = models.PositiveSmallIntegerField(_("jumlah JP"))
    created_by = models.ForeignKey(
        "org.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-end", "-pk"]
        indexes = [models.Index(fields=["agency", "end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="training_end_after_start"
            ),
            models.CheckConstraint(condition=Q(hours_jp__gt=0), name="training_jp_positive"),
        ]

    def __str__(self):
        return f"{self.title} {self.employee_id} ({self.hours_jp} JP)"


class DevelopmentPlan(Withdrawable, AgencyOwned, Updated):
    employee = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, related_name="development_plans"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    evaluation = models.ForeignKey(
        "assessment.Evaluation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # [{"source": "perilaku"|"rhk", "ref": value number or RHK id, "label": text}]
    areas = models.JSONField(_("area pengembangan"), default=list, blank=True)
    goals = models.TextField(_("sasaran pengembangan"), blank=True)
    planned_courses = models.ManyToManyField(TrainingCourse, blank=True, related_name="+")
    updated_by = models.ForeignKey(
        "org.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "pk"]
        constraints = [models.UniqueConstraint(fields=["employee", "year"], name="devplan_unique")]

    def __str__(self):
        return f"Rencana pengembangan {self.employee_id}/{self.year}"


class MentorPairing(Withdrawable, AgencyOwned, Created):
    mentor = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    mentee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    goals = models.TextField(_("sasaran"))
    notes = models.TextField(_("catatan"), blank=True)
    start = models.DateField(_("mulai"))
    end = models.DateField(_("selesai"), null=True, blank=True)
    created_by = models.ForeignKey(
        "org.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(mentor=models.F("mentee")), name="mentor_not_self"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="mentor_end_after_start",
            ),
        ]

    def __str__(self):
        return f"Mentor {self.mentor_id} -> {self.mentee_id}"


class CreditPoints(Withdrawable, AgencyOwned, Created):
    """Angka kredit of one functional employee for one year (and jenjang)."""

    employee = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, related_name="credit_points"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    position_name = models.CharField(max_length=200, blank=True)
    jenjang = models.CharField(_("jenjang"), max_length=20)
    predikat = models.CharField(max_length=16, choices=PredikatChoice.choices)
    months = models.PositiveSmallIntegerField(_("jumlah bulan"), default=12)
    points = models.DecimalField(_("angka kredit"), max_digits=7, decimal_places=2)
    evaluation = models.ForeignKey(
        "assessment.Evaluation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        "org.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "year", "jenjang"], name="creditpoints_unique"
            ),
            models.CheckConstraint(
                condition=Q(months__gte=1, months__lte=12), name="creditpoints_months_1_12"
            ),
        ]

    def __str__(self):
        return f"AK {self.employee_id}/{self.year}: {self.points}"
