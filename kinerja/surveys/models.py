"""Survei Kepuasan Masyarakat (PermenPANRB 14/2017; docs/domain.md §7).

A unit delivers public *services*; citizens answer the nine elements (unsur) of a service's
survey during an open *period*, anonymously. Responses carry no personal identifier: the
device and the network address are kept only as salted hashes, for rate limiting.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from kinerja.lib.models import AgencyOwned, Created
from kinerja.org.models import OrgUnit
from kinerja.rules.ikm import ELEMENTS

#: Database field of each element code: "U1" -> "u1".
ELEMENT_FIELDS = tuple(code.lower() for code, _name in ELEMENTS)
COMMENT_MAX_LENGTH = 2000
CODE_LENGTH = 8


def new_token():
    # 16 random bytes: unguessable, short enough for a QR code a cheap phone reads.
    return secrets.token_urlsafe(16)


class Service(AgencyOwned, Created):
    """A service (layanan) a unit delivers to the public, e.g. KTP issuance."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="survey_services", verbose_name=_("unit")
    )
    name = models.CharField(_("nama layanan"), max_length=200)
    description = models.TextField(_("keterangan"), blank=True, max_length=2000)
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    served_population = models.PositiveIntegerField(
        _("jumlah penerima layanan per tahun"),
        null=True,
        blank=True,
        help_text=_("Dipakai untuk menghitung jumlah sampel minimum (Krejcie-Morgan)."),
    )
    requires_code = models.BooleanField(
        _("wajib kode sekali pakai"),
        default=False,
        help_text=_("Responden harus memasukkan kode yang tercetak pada tanda terima layanan."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["unit__path", "name"]
        verbose_name = _("layanan")
        verbose_name_plural = _("layanan")

    def __str__(self):
        return self.name


class SurveyPeriod(AgencyOwned, Created):
    """When a survey runs. Scope: one service, a unit (and every service below it), or the
    whole agency when both are empty."""

    unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="periods"
    )
    name = models.CharField(_("nama periode"), max_length=120)
    start = models.DateField(_("mulai"))
    end = models.DateField(_("selesai"))
    is_closed = models.BooleanField(_("ditutup"), default=False)

    class Meta:
        ordering = ["-start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")),
                name="surveyperiod_end_after_start",
                violation_error_message=_("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            ),
            models.CheckConstraint(
                condition=Q(unit__isnull=True) | Q(service__isnull=True),
                name="surveyperiod_one_scope",
                violation_error_message=_("Pilih unit atau layanan, tidak keduanya."),
            ),
        ]
        verbose_name = _("periode survei")
        verbose_name_plural = _("periode survei")

    def __str__(self):
        return self.name

    def covers(self, service: Service) -> bool:
        """Whether this period applies to `service` (its unit must carry `path`)."""
        if self.service_id is not None:
            return self.service_id == service.pk
        if self.unit is not None:
            return service.unit.path.startswith(self.unit.path)
        return self.agency_id == service.agency_id


class OneTimeCode(AgencyOwned, Created):
    """A code printed on a service receipt; one survey response may use it, once."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=16)
    batch = models.CharField(max_length=40)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "code"]
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="onetimecode_unique"),
        ]

    def __str__(self):
        return self.code


class Kiosk(AgencyOwned, Created):
    """A device at a service counter (a tablet) where many citizens answer in turn.
    Its key, shown once when issued, is kept only as a hash; a browser that opened
    the kiosk link carries the key in a cookie, and its answers are not held to the
    per-address and per-device limits (one counter, one network address), only to
    the kiosk's own hourly limit."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="kiosks")
    name = models.CharField(_("nama perangkat"), max_length=80)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["service", "-created_at"]
        verbose_name = _("perangkat kios")

    def __str__(self):
        return self.name


class Response(AgencyOwned):
    class AgeGroup(models.TextChoices):
        UNDER_20 = "lt20", _("di bawah 20 tahun")
        AGE_20_29 = "20_29", _("20–29 tahun")
        AGE_30_39 = "30_39", _("30–39 tahun")
        AGE_40_49 = "40_49", _("40–49 tahun")
        AGE_50_59 = "50_59", _("50–59 tahun")
        AGE_60_PLUS = "60plus", _("60 tahun ke atas")

    class Sex(models.TextChoices):
        MALE = "L", _("Laki-laki")
        FEMALE = "P", _("Perempuan")

    class Education(models.TextChoices):
        SD = "sd", _("SD atau di bawahnya")
        SMP = "smp", _("SMP")
        SMA = "sma", _("SMA/SMK")
        D123 = "d123", _("D1/D2/D3")
        S1 = "s1", _("D4/S1")
        S2 = "s2", _("S2 atau di atasnya")

    class Occupation(models.TextChoices):
        ASN = "asn", _("PNS/PPPK/TNI/Polri")
        PRIVATE = "swasta", _("Pegawai swasta")
        SELF = "wirausaha", _("Wiraswasta/usahawan")
        STUDENT = "pelajar", _("Pelajar/mahasiswa")
        FARMER = "petani", _("Petani/nelayan")
        HOME = "rumah_tangga", _("Mengurus rumah tangga")
        OTHER = "lainnya", _("Lainnya")

    class Moderation(models.TextChoices):
        VISIBLE = "visible", _("ditampilkan")
        HIDDEN = "hidden", _("disembunyikan")

    class Flag(models.TextChoices):
        NONE = "", _("tidak ditandai")
        PENDING = "pending", _("ditandai, menunggu tinjauan")
        ACCEPTED = "accepted", _("ditandai, diterima")
        REJECTED = "rejected", _("ditandai, ditolak")

    class ComplaintStatus(models.TextChoices):
        NONE = "", _("bukan pengaduan")
        OPEN = "open", _("terbuka")
        IN_PROGRESS = "in_progress", _("sedang ditangani")
        ANSWERED = "answered", _("sudah dijawab")

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="responses")
    period = models.ForeignKey(SurveyPeriod, on_delete=models.PROTECT, related_name="responses")
    submitted_at = models.DateTimeField(db_index=True)
    u1 = models.PositiveSmallIntegerField()
    u2 = models.PositiveSmallIntegerField()
    u3 = models.PositiveSmallIntegerField()
    u4 = models.PositiveSmallIntegerField()
    u5 = models.PositiveSmallIntegerField()
    u6 = models.PositiveSmallIntegerField()
    u7 = models.PositiveSmallIntegerField()
    u8 = models.PositiveSmallIntegerField()
    u9 = models.PositiveSmallIntegerField()
    age_group = models.CharField(_("usia"), max_length=8, choices=AgeGroup.choices, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    education = models.CharField(
        _("pendidikan"), max_length=8, choices=Education.choices, blank=True
    )
    occupation = models.CharField(
        _("pekerjaan"), max_length=16, choices=Occupation.choices, blank=True
    )
    comment = models.TextField(_("saran dan masukan"), blank=True, max_length=COMMENT_MAX_LENGTH)
    moderation = models.CharField(
        max_length=8, choices=Moderation.choices, default=Moderation.VISIBLE
    )
    moderation_reason = models.CharField(max_length=300, blank=True)
    flag = models.CharField(max_length=8, choices=Flag.choices, default=Flag.NONE, blank=True)
    flag_reason = models.CharField(max_length=300, blank=True)
    is_complaint = models.BooleanField(_("pengaduan"), default=False)
    complaint_status = models.CharField(
        max_length=12, choices=ComplaintStatus.choices, default=ComplaintStatus.NONE, blank=True
    )
    complaint_answer = models.TextField(_("tindak lanjut"), blank=True, max_length=4000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    device_hash = models.CharField(max_length=64, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    one_time_code = models.OneToOneField(
        OneTimeCode, null=True, blank=True, on_delete=models.PROTECT, related_name="response"
    )
    kiosk = models.ForeignKey(
        Kiosk, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["service", "period"]),
            models.Index(fields=["agency", "flag"]),
            models.Index(fields=["agency", "complaint_status"]),
        ]
        constraints = [
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 4}),
                    name=f"response_{name}_1_4",
                )
                for name in ELEMENT_FIELDS
            ],
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("comment"), COMMENT_MAX_LENGTH),
                name="response_comment_length",
            ),
            models.CheckConstraint(
                condition=Q(is_complaint=False, complaint_status="")
                | Q(is_complaint=True, complaint_status__in=["open", "in_progress", "answered"]),
                name="response_complaint_status",
            ),
        ]
        verbose_name = _("jawaban survei")
        verbose_name_plural = _("jawaban survei")

    def __str__(self):
        return f"{self.service_id}/{self.pk}"

    @property
    def answers(self):
        return [getattr(self, name) for name in ELEMENT_FIELDS]

    @property
    def is_counted(self):
        return self.moderation == self.Moderation.VISIBLE and self.flag in ("", "accepted")


#: The respondent profile fields of a response and their choices (all optional).
PROFILE_FIELDS = (
    ("age_group", Response.AgeGroup),
    ("sex", Response.Sex),
    ("education", Response.Education),
    ("occupation", Response.Occupation),
)


class IkiIkmSource(AgencyOwned, Created):
    """An IKI whose realisasi is the IKM of a service or of a unit (its services pooled):
    ``services.ikm_realisasi_sync`` writes the number into monitoring's Realisasi."""

    iki = models.OneToOneField("planning.Iki", on_delete=models.CASCADE, related_name="ikm_source")
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="iki_sources"
    )
    unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(service__isnull=False, unit__isnull=True)
                | Q(service__isnull=True, unit__isnull=False),
                name="ikiikmsource_one_source",
                violation_error_message=_("Pilih layanan atau unit, tepat salah satu."),
            ),
        ]
        verbose_name = _("sumber IKM untuk IKI")
        verbose_name_plural = _("sumber IKM untuk IKI")

    def __str__(self):
        return f"IKI {self.iki_id} <- {'layanan ' if self.service_id else 'unit '}" + str(
            self.service_id or self.unit_id
        )
