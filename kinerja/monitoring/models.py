"""Execution, monitoring and coaching (PermenPANRB 6/2022 art. 16-21, forms B.1.1-B.1.10).

Every row carries `agency` and every query is scoped by it. The planning objects
(SKP, RHK, IKI, periods) belong to kinerja.planning; this app records what
happens during the year on top of them.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kinerja.lib.models import AgencyOwned, Created, Updated
from kinerja.planning import berakhlak

VALUE_CHOICES = [(code, name) for code, name in berakhlak.NAMES.items()]


class Realisasi(AgencyOwned, Created, Updated):
    """What was achieved on one IKI in one period (B.1.2): a number, a narrative, or both."""

    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    iki = models.ForeignKey("planning.Iki", on_delete=models.CASCADE, related_name="realisasi")
    period = models.ForeignKey("planning.Period", on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(
        _("realisasi (angka)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    narrative = models.TextField(_("realisasi (uraian)"), blank=True)
    submitted_by = models.ForeignKey(
        "org.Employee", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["period", "iki"]
        constraints = [
            models.UniqueConstraint(fields=["iki", "period"], name="realisasi_unique"),
        ]
        indexes = [models.Index(fields=["agency", "period", "employee"])]
        verbose_name = _("realisasi")
        verbose_name_plural = _("realisasi")

    def __str__(self):
        return f"Realisasi {self.iki_id}/{self.period_id}"


class DailyLog(AgencyOwned, Created, Updated):
    """Catatan harian: what the employee did on a day, towards one of their RHK."""

    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("tanggal"))
    rhk = models.ForeignKey("planning.Rhk", on_delete=models.PROTECT, related_name="logs")
    text = models.TextField(_("kegiatan dan hasil"))
    duration_minutes = models.PositiveIntegerField(_("durasi (menit)"), null=True, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["employee", "date"]),
            models.Index(fields=["agency", "date"]),
        ]
        verbose_name = _("catatan harian")
        verbose_name_plural = _("catatan harian")

    def __str__(self):
        return f"{self.date:%d-%m-%Y}: {self.text[:60]}"


class Evidence(AgencyOwned, Created):
    """Bukti dukung of a realisasi or a log entry: a private file or a link."""

    class Kind(models.TextChoices):
        FILE = "file", _("Berkas")
        LINK = "link", _("Tautan")

    class Status(models.TextChoices):
        OK = "ok", _("Diterima")
        INSUFFICIENT = "insufficient", _("Kurang memadai")

    owner = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    realisasi = models.ForeignKey(
        Realisasi, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    log = models.ForeignKey(
        DailyLog, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(max_length=4, choices=Kind.choices)
    url = models.URLField(_("tautan"), max_length=1000, blank=True)
    stored_name = models.CharField(max_length=200, blank=True)
    original_name = models.CharField(_("nama berkas"), max_length=120, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OK)
    review_note = models.TextField(_("catatan pemeriksa"), blank=True)
    reviewed_by = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(realisasi__isnull=False) | Q(log__isnull=False),
                name="evidence_has_parent",
            ),
        ]
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")

    def __str__(self):
        return self.original_name or self.url

    def parent_url(self):
        """The page of the realisasi or the daily log the evidence belongs to."""
        if self.realisasi_id:
            return reverse("monitoring:realisasi_detail", args=[self.realisasi_id])
        return reverse("monitoring:log_detail", args=[self.log_id])


class FeedbackRequest(AgencyOwned, Created):
    """The employee asks someone for feedback (art. 18: asked for or offered)."""

    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    asked = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    rhk = models.ForeignKey(
        "planning.Rhk", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("pesan"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Permintaan umpan balik {self.employee_id}→{self.asked_id}"


class Feedback(AgencyOwned, Created):
    """Umpan balik berkelanjutan on a result (RHK, realisasi, log) or on a core value."""

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", _("Terjadwal")
        INCIDENTAL = "incidental", _("Insidental")

    class Source(models.TextChoices):
        SUPERIOR = "superior", _("Atasan")
        PEER = "peer", _("Rekan kerja")
        SUBORDINATE = "subordinate", _("Bawahan")
        OTHER = "other", _("Pihak lain")
        SELF = "self", _("Pegawai yang bersangkutan")

    employee = models.ForeignKey(
        "org.Employee",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pegawai"),
    )
    author = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    rhk = models.ForeignKey(
        "planning.Rhk", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    realisasi = models.ForeignKey(
        Realisasi, null=True, blank=True, on_delete=models.CASCADE, related_name="feedback"
    )
    log = models.ForeignKey(
        DailyLog, null=True, blank=True, on_delete=models.CASCADE, related_name="feedback"
    )
    value = models.PositiveSmallIntegerField(
        _("nilai dasar BerAKHLAK"), null=True, blank=True, choices=VALUE_CHOICES
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.INCIDENTAL)
    source = models.CharField(max_length=12, choices=Source.choices)
    text = models.TextField(_("umpan balik"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    request = models.ForeignKey(
        FeedbackRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="answers"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["employee", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=1, value__lte=7),
                name="feedback_value_1_7",
            ),
        ]
        verbose_name = _("umpan balik")
        verbose_name_plural = _("umpan balik")

    def __str__(self):
        return self.text[:60]

    @property
    def target_label(self):
        if self.value:
            return berakhlak.NAMES.get(self.value, "")
        if self.log_id:
            return _("Catatan harian")
        if self.realisasi_id:
            return _("Realisasi")
        if self.rhk_id:
            return _("RHK")
        return ""


class ActionPlanStep(AgencyOwned, Created):
    """Rencana aksi (B.1.1): an optional breakdown of an RHK into dated steps."""

    rhk = models.ForeignKey("planning.Rhk", on_delete=models.CASCADE, related_name="steps")
    text = models.TextField(_("langkah"))
    due = models.DateField(_("target waktu"))
    done_at = models.DateField(_("selesai"), null=True, blank=True)
    created_by = models.ForeignKey(
        "org.Employee", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["rhk", "due", "pk"]

    def __str__(self):
        return self.text[:60]


class RhkTakeover(AgencyOwned, Created):
    """Art. 20: the employee could not complete the RHK even after adjustment and
    coaching; the superior took it over. The note counts in the evaluation."""

    rhk = models.OneToOneField("planning.Rhk", on_delete=models.CASCADE, related_name="takeover")
    by = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("catatan pengambilalihan"))
    date = models.DateField(_("tanggal"))

    def __str__(self):
        return f"Pengambilalihan RHK {self.rhk_id}"


class CoachingSession(AgencyOwned, Created):
    """Bimbingan kinerja (coaching B.1.6, mentoring B.1.7) or konseling kinerja
    (B.1.10). The form-specific sections live in `details` (keys:
    `forms_text.RECORD_HEADINGS`)."""

    class Kind(models.TextChoices):
        COACHING = "coaching", _("Coaching (B.1.6)")
        MENTORING = "mentoring", _("Mentoring (B.1.7)")
        COUNSELLING = "counselling", _("Konseling kinerja (B.1.10)")

    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    coach = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("tanggal"))
    place = models.CharField(_("tempat"), max_length=200, blank=True)
    topic = models.CharField(_("topik"), max_length=300)
    value = models.PositiveSmallIntegerField(
        _("nilai dasar BerAKHLAK"), null=True, blank=True, choices=VALUE_CHOICES
    )
    details = models.JSONField(default=dict, blank=True)
    follow_up = models.TextField(_("tindak lanjut yang disepakati"), blank=True)
    # B.1.8: the employee's feedback on the session, nine agree/disagree items.
    employee_answers = models.JSONField(null=True, blank=True)
    employee_comment = models.TextField(blank=True)
    employee_answered_at = models.DateTimeField(null=True, blank=True)
    # B.1.9: competency follow-up, rows {"name", "score" 1..5, "reason"}.
    competency_scores = models.JSONField(null=True, blank=True)
    competency_recommendation = models.TextField(blank=True)
    competency_evaluated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%d-%m-%Y}"


class Dialogue(AgencyOwned, Created):
    """Dialog kinerja: a one-to-one or team progress meeting led by the superior."""

    superior = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    participants = models.ManyToManyField("org.Employee", related_name="dialogues")
    scheduled_at = models.DateTimeField(_("jadwal"))
    agenda = models.TextField(_("agenda"))
    notes = models.TextField(_("catatan"), blank=True)
    held_at = models.DateTimeField(_("dilaksanakan"), null=True, blank=True)

    class Meta:
        ordering = ["-scheduled_at", "-pk"]

    def __str__(self):
        return f"Dialog kinerja {self.scheduled_at:%d-%m-%Y}"


class AgreedAction(AgencyOwned):
    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="actions")
    owner = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("tindakan yang disepakati"))
    due = models.DateField(_("batas waktu"))
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due", "pk"]
        indexes = [models.Index(fields=["owner", "done_at", "due"])]

    def __str__(self):
        return self.text[:60]


class ProjectReport(AgencyOwned, Created, Updated):
    """A team member's report when a team RHK finishes: achievements and challenges."""

    rhk = models.ForeignKey("planning.Rhk", on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    achievements = models.TextField(_("capaian"))
    challenges = models.TextField(_("tantangan"))

    class Meta:
        ordering = ["rhk", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["rhk", "author"], name="projectreport_unique"),
        ]

    def __str__(self):
        return f"Laporan RHK {self.rhk_id}"


class Notification(AgencyOwned, Created):
    class Kind(models.TextChoices):
        FEEDBACK = "feedback", _("Umpan balik baru")
        FEEDBACK_REQUEST = "feedback_request", _("Permintaan umpan balik")
        EVIDENCE = "evidence", _("Bukti dukung dikembalikan")
        ACTION = "action", _("Tindakan yang disepakati")
        DIALOGUE = "dialogue", _("Dialog kinerja")
        REALISASI = "realisasi", _("Batas pengisian realisasi")
        SKP = "skp", _("Batas penetapan SKP")
        SKP_RETURNED = "skp_returned", _("SKP dikembalikan")
        SKP_APPROVED = "skp_approved", _("SKP disetujui")
        COACHING = "coaching", _("Pembinaan kinerja")
        CALENDAR = "calendar", _("Jadwal penilaian")
        EVALUATION = "evaluation", _("Evaluasi kinerja")
        APPEAL = "appeal", _("Keberatan")
        ORG_GRADE = "org_grade", _("Predikat kinerja organisasi")
        FOLLOWUP = "followup", _("Tindak lanjut hasil evaluasi")

    recipient = models.ForeignKey("org.User", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=300, blank=True)
    dedupe_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.text[:60]


class NotificationPreference(models.Model):
    """Which notifications a user also wants by e-mail (default: all)."""

    user = models.ForeignKey("org.User", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Notification.Kind.choices)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notificationpref_unique"),
        ]

    def __str__(self):
        return f"{self.user_id}:{self.kind}={self.email}"


class DailyDigest(models.Model):
    """The user chose one e-mail a day with all their unsent notifications instead of one
    e-mail per notification (the per-kind choices still say which kinds are e-mailed)."""

    user = models.OneToOneField("org.User", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_on = models.DateField(null=True, blank=True)

    def __str__(self):
        return f"digest:{self.user_id}"
