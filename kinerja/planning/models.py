"""Performance planning: the performance year, organisation goals, the SKP with
its RHK, IKI, behaviour expectations and lampiran, and approved versions.

Every row carries `agency` (`AgencyOwned`); every query is scoped by it. An `Skp` row is the
living document; each approval freezes its content in an `SkpVersion` (JSON
snapshot + sha256), so earlier versions stay readable and printable.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.lib.models import AgencyOwned, Created, Updated
from kinerja.rules import calendar as calendar_rules
from kinerja.rules import planning as rules

_WORKDAYS = calendar_rules.DEFAULT_WORKDAY_RULES


class PerformanceYear(AgencyOwned, Created):
    class Frequency(models.TextChoices):
        MONTHLY = rules.MONTHLY, _("Bulanan")
        QUARTERLY = rules.QUARTERLY, _("Triwulanan")

    class AnnualSource(models.TextChoices):
        LAST_PERIOD = rules.LAST_PERIOD, _("Periode terakhir")
        ANNUAL = rules.ANNUAL, _("Penilaian tahunan")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Konsep")
        OPEN = "open", _("Dibuka")
        CLOSED = "closed", _("Ditutup")

    year = models.PositiveSmallIntegerField(_("tahun"))
    start = models.DateField(_("mulai"))
    end = models.DateField(_("selesai"))
    frequency = models.CharField(
        _("frekuensi evaluasi periodik"), max_length=12, choices=Frequency.choices
    )
    skp_deadline = models.DateField(_("batas penetapan SKP"))
    annual_deadline = models.DateField(_("batas evaluasi tahunan"))
    # Blank: the annual window opens with the last period's evaluation window.
    annual_start = models.DateField(_("evaluasi tahunan mulai"), null=True, blank=True)
    # The working-day rules of the year (kinerja/rules/calendar.py, WorkdayRules).
    deliver_days = models.PositiveSmallIntegerField(
        _("penyampaian dokumen (hari kerja)"), default=_WORKDAYS.deliver_days
    )
    deliver_days_by_superior = models.PositiveSmallIntegerField(
        _("penyampaian dokumen oleh atasan pejabat penilai (hari kerja)"),
        default=_WORKDAYS.deliver_days_by_superior,
    )
    acknowledge_days = models.PositiveSmallIntegerField(
        _("tanda terima pegawai (hari kerja)"), default=_WORKDAYS.acknowledge_days
    )
    acknowledge_days_by_superior = models.PositiveSmallIntegerField(
        _("tanda terima pegawai, dinilai atasan pejabat penilai (hari kerja)"),
        default=_WORKDAYS.acknowledge_days_by_superior,
    )
    appeal_file_days = models.PositiveSmallIntegerField(
        _("pengajuan keberatan (hari kerja)"), default=_WORKDAYS.appeal_file_days
    )
    appeal_decide_days = models.PositiveSmallIntegerField(
        _("keputusan keberatan (hari kerja)"), default=_WORKDAYS.appeal_decide_days
    )
    report_days = models.PositiveSmallIntegerField(
        _("laporan ke PyB (hari kerja)"), default=_WORKDAYS.report_days
    )
    superior_rates_days = models.PositiveSmallIntegerField(
        _("penilaian oleh atasan pejabat penilai (hari kerja)"),
        default=_WORKDAYS.superior_rates_days,
    )
    annual_source = models.CharField(
        _("dasar predikat tahunan"), max_length=12, choices=AnnualSource.choices
    )
    default_approach = models.CharField(
        _("pendekatan hasil kerja"),
        max_length=12,
        choices=[(rules.KUANTITATIF, _("Kuantitatif")), (rules.KUALITATIF, _("Kualitatif"))],
        default=rules.KUANTITATIF,
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="performanceyear_unique"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="year_end_after"),
        ]
        verbose_name = _("periode penilaian")
        verbose_name_plural = _("periode penilaian")

    def __str__(self):
        return str(self.year)

    @property
    def workday_rules(self) -> calendar_rules.WorkdayRules:
        return calendar_rules.WorkdayRules(
            **{name: getattr(self, name) for name in calendar_rules.WorkdayRules.names()}
        )


class Period(AgencyOwned):
    year = models.ForeignKey(PerformanceYear, on_delete=models.CASCADE, related_name="periods")
    number = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=40)
    start = models.DateField()
    end = models.DateField()
    window_start = models.DateField(_("evaluasi mulai"))
    window_end = models.DateField(_("evaluasi selesai"))
    # Blank: realisasi is accepted from the period's first day (start) until its
    # evaluation window closes (end), docs/domain.md §3.
    realisasi_start = models.DateField(_("realisasi mulai"), null=True, blank=True)
    realisasi_end = models.DateField(_("realisasi selesai"), null=True, blank=True)

    class Meta:
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="period_unique"),
        ]

    def __str__(self):
        return self.label


class CalendarOverride(AgencyOwned, Created):
    """A unit's own dates for one window of the year (a unit whose head changed, a
    puskesmas under accreditation): it applies to the unit's subtree, and the override
    of the nearest unit wins over the agency's calendar (planning/selectors/calendar.py)."""

    class Window(models.TextChoices):
        SKP = calendar_rules.WINDOW_SKP, _("Penetapan SKP")
        REALISASI = calendar_rules.WINDOW_REALISASI, _("Pengisian realisasi")
        EVALUATION = calendar_rules.WINDOW_EVALUATION, _("Evaluasi periodik")
        ANNUAL = calendar_rules.WINDOW_ANNUAL, _("Evaluasi tahunan")

    PERIOD_WINDOWS = (Window.REALISASI, Window.EVALUATION)

    year = models.ForeignKey(
        PerformanceYear, on_delete=models.CASCADE, related_name="calendar_overrides"
    )
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    window = models.CharField(_("jendela"), max_length=12, choices=Window.choices)
    period = models.ForeignKey(
        Period, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    start = models.DateField(_("mulai"))
    end = models.DateField(_("selesai"))
    reason = models.TextField(_("alasan"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["year", "unit", "window", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "window"],
                condition=Q(period__isnull=True),
                name="calendaroverride_unique_year_window",
            ),
            models.UniqueConstraint(
                fields=["unit", "window", "period"],
                condition=Q(period__isnull=False),
                name="calendaroverride_unique_period_window",
            ),
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="calendaroverride_end_after"
            ),
        ]
        verbose_name = _("kalender unit")
        verbose_name_plural = _("kalender unit")

    def __str__(self):
        return f"{self.unit_id} {self.window} {self.start}..{self.end}"


class OrgGoal(AgencyOwned):
    """Sasaran strategis (from the Renstra / Perjanjian Kinerja / RKT), the root
    of the performance tree; JPT RHK are taken from these."""

    class Source(models.TextChoices):
        PK = "pk", _("Perjanjian Kinerja")
        RENSTRA = "renstra", _("Renstra")
        RKT = "rkt", _("Rencana Kerja Tahunan")

    year = models.ForeignKey(PerformanceYear, on_delete=models.PROTECT, related_name="goals")
    unit = models.ForeignKey(
        "org.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("sasaran strategis"))
    indicator = models.TextField(_("indikator kinerja"), blank=True)
    target = models.CharField(_("target"), max_length=200, blank=True)
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices)
    order = models.PositiveSmallIntegerField(default=0)

    # Set by the selectors for the pohon kinerja, not stored.
    tree_children: list["Rhk"]

    class Meta:
        ordering = ["year", "order", "pk"]
        verbose_name = _("sasaran strategis")
        verbose_name_plural = _("sasaran strategis")

    def __str__(self):
        return self.text[:80]


class Skp(AgencyOwned, Created, Updated):
    class Form(models.TextChoices):
        JPT = rules.FORM_JPT, _("JPT / pimpinan unit kerja mandiri")
        NON_JPT = rules.FORM_NON_JPT, _("Administrasi dan fungsional")

    class Approach(models.TextChoices):
        KUANTITATIF = rules.KUANTITATIF, _("Kuantitatif")
        KUALITATIF = rules.KUALITATIF, _("Kualitatif")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Konsep")
        DIAJUKAN = "diajukan", _("Diajukan")
        DISETUJUI = "disetujui", _("Disetujui")
        DIKEMBALIKAN = "dikembalikan", _("Dikembalikan")
        DITUTUP = "ditutup", _("Ditutup")

    EDITABLE = (Status.DRAFT, Status.DIKEMBALIKAN)

    year = models.ForeignKey(PerformanceYear, on_delete=models.PROTECT, related_name="skps")
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="skps")
    position = models.ForeignKey(
        "org.Position", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    rater = models.ForeignKey(
        "org.Employee",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rated_skps",
        verbose_name=_("pejabat penilai"),
    )
    rater_position = models.ForeignKey(
        "org.Position", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    form = models.CharField(_("bentuk"), max_length=10, choices=Form.choices)
    approach = models.CharField(_("pendekatan"), max_length=12, choices=Approach.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    closed_status = models.CharField(max_length=12, blank=True)
    valid_from = models.DateField(_("berlaku mulai"))
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    version = models.PositiveSmallIntegerField(default=1)
    revision_reason = models.TextField(blank=True)
    dukungan_sumber_daya = models.TextField(_("dukungan sumber daya"), blank=True)
    skema_pertanggungjawaban = models.TextField(_("skema pertanggungjawaban"), blank=True)
    konsekuensi = models.TextField(_("konsekuensi"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    # Set by the selectors for the pages, not stored.
    is_late: bool
    can_review: bool
    cells: list[list["Rhk"]]
    level: int

    class Meta:
        ordering = ["year", "employee", "valid_from"]
        indexes = [
            models.Index(fields=["agency", "year", "status"]),
            models.Index(fields=["rater", "year"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "year", "valid_from"], name="skp_unique_start"
            ),
            models.UniqueConstraint(
                fields=["employee", "year"],
                condition=~Q(status="ditutup"),
                name="skp_one_open_per_year",
            ),
        ]
        verbose_name = _("SKP")
        verbose_name_plural = _("SKP")

    def __str__(self):
        return f"SKP {self.year_id}/{self.employee_id} v{self.version}"

    @property
    def format_code(self):
        return rules.format_code(self.form, self.approach)

    @property
    def is_jpt(self):
        return self.form == rules.FORM_JPT

    @property
    def is_editable(self):
        return self.status in self.EDITABLE


class SkpVersion(AgencyOwned):
    """An approved (ditetapkan) state of an SKP, frozen. The QR code of the
    printed SKP points to its token."""

    skp = models.ForeignKey(Skp, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    reason = models.TextField(blank=True)
    approved_by = models.ForeignKey(
        "org.Employee", null=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by_name = models.CharField(max_length=250)
    approved_at = models.DateTimeField()

    class Meta:
        ordering = ["skp", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["skp", "number"], name="skpversion_unique"),
        ]

    def __str__(self):
        return f"SKP {self.skp_id} v{self.number}"


class Rhk(AgencyOwned):
    class Kind(models.TextChoices):
        UTAMA = "utama", _("Utama")
        TAMBAHAN = "tambahan", _("Tambahan")

    class Source(models.TextChoices):
        INTERVENSI = "intervensi", _("Intervensi RHK atasan")
        TUGAS_JABATAN = "tugas_jabatan", _("Tugas jabatan")
        PK = "pk", _("Perjanjian Kinerja")
        RENSTRA = "renstra", _("Renstra")
        RKT = "rkt", _("Rencana Kerja Tahunan")
        DIREKTIF = "direktif", _("Direktif")
        RENCANA_AKSI = "rencana_aksi", _("Rencana aksi")

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="rhks")
    text = models.TextField(_("rencana hasil kerja"))
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.UTAMA)
    source = models.CharField(
        _("sumber"), max_length=14, choices=Source.choices, default=Source.INTERVENSI
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interventions",
        verbose_name=_("RHK atasan yang diintervensi"),
    )
    org_goal = models.ForeignKey(
        OrgGoal, null=True, blank=True, on_delete=models.SET_NULL, related_name="rhks"
    )
    assigned_by = models.CharField(_("penugasan dari"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    # Set by the selectors for the pohon kinerja, not stored.
    owner: Skp
    tree_children: list["Rhk"]
    is_unlinked: bool

    class Meta:
        ordering = ["skp", "kind", "order", "pk"]
        indexes = [models.Index(fields=["agency", "parent"])]
        verbose_name = _("RHK")
        verbose_name_plural = _("RHK")

    def __str__(self):
        return self.text[:80]


class Iki(AgencyOwned):
    class Aspect(models.TextChoices):
        KUANTITAS = "kuantitas", _("Kuantitas")
        KUALITAS = "kualitas", _("Kualitas")
        WAKTU = "waktu", _("Waktu")
        BIAYA = "biaya", _("Biaya")

    class Perspektif(models.TextChoices):
        PENERIMA_LAYANAN = "penerima_layanan", _("Penerima Layanan")
        PROSES_BISNIS = "proses_bisnis", _("Proses Bisnis")
        PENGUATAN_INTERNAL = "penguatan_internal", _("Penguatan Internal")
        ANGGARAN = "anggaran", _("Anggaran")

    rhk = models.ForeignKey(Rhk, on_delete=models.CASCADE, related_name="ikis")
    text = models.TextField(_("indikator kinerja individu"))
    aspect = models.CharField(_("aspek"), max_length=10, choices=Aspect.choices, blank=True)
    perspektif = models.CharField(
        _("perspektif"), max_length=20, choices=Perspektif.choices, blank=True
    )
    target_text = models.CharField(_("target"), max_length=300)
    target_min = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    target_max = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("satuan"), max_length=60, blank=True)
    lower_is_better = models.BooleanField(_("makin kecil makin baik"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    # Absolute words in the target, set by the services for a warning; not stored.
    warnings: list[str]

    class Meta:
        ordering = ["rhk", "order", "pk"]
        verbose_name = _("IKI")
        verbose_name_plural = _("IKI")

    def __str__(self):
        return self.text[:80]


class ManualIki(AgencyOwned):
    """Format A.1.3: defines an indicator that needs explaining."""

    iki = models.OneToOneField(Iki, on_delete=models.CASCADE, related_name="manual")
    definition = models.TextField(_("definisi"))
    formula = models.TextField(_("formula"), blank=True)
    unit = models.CharField(_("satuan"), max_length=60, blank=True)
    data_source = models.TextField(_("sumber data"), blank=True)
    reporting_period = models.CharField(_("periode pelaporan"), max_length=60, blank=True)

    def __str__(self):
        return f"Manual IKI {self.iki_id}"


class BehaviourExpectation(AgencyOwned):
    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="expectations")
    value = models.PositiveSmallIntegerField()
    ekspektasi_khusus = models.TextField(_("ekspektasi khusus pimpinan"), blank=True)

    class Meta:
        ordering = ["skp", "value"]
        constraints = [
            models.UniqueConstraint(fields=["skp", "value"], name="expectation_unique"),
            models.CheckConstraint(
                condition=Q(value__gte=1, value__lte=7), name="expectation_value_1_7"
            ),
        ]

    def __str__(self):
        return f"{self.skp_id}:{self.value}"


class ReviewNote(AgencyOwned, Created):
    class Kind(models.TextChoices):
        RETURN = "return", _("Dikembalikan")
        APPROVE = "approve", _("Disetujui")
        REVISE = "revise", _("Revisi")
        COMMENT = "comment", _("Catatan")

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        "org.Employee", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=250)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField(_("catatan"))

    class Meta:
        ordering = ["skp", "-created_at", "-pk"]

    def __str__(self):
        return f"{self.kind}: {self.text[:60]}"
