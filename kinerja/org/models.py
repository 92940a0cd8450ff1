"""Agencies (tenants), the org chart, positions, employees, accounts and roles.

Every row belongs to exactly one agency. Units and positions carry a
materialised path ("/12/57/") so that "everything below" is one indexed
`startswith` filter instead of a recursive walk.
"""

import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.lib.models import AgencyOwned, Created, Updated


class Agency(Created):
    class Kind(models.TextChoices):
        PROVINSI = "provinsi", _("Provinsi")
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")
        PUSAT = "pusat", _("Instansi pusat")

    name = models.CharField(_("nama"), max_length=200)
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    # The place printed above signatures on SKP and evaluation documents.
    place = models.CharField(_("tempat penandatanganan"), max_length=100, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")

    def __str__(self):
        return self.name

    @property
    def signature_place(self):
        """`place`, or the region taken from the agency's name
        ("Pemerintah Kota Tebingtinggi" → "Tebingtinggi")."""
        if self.place:
            return self.place
        for prefix in ("Pemerintah Kabupaten ", "Pemerintah Kota ", "Pemerintah Provinsi "):
            if self.name.startswith(prefix):
                return self.name[len(prefix) :]
        return self.name


class OrgUnit(models.Model):
    class Kind(models.TextChoices):
        SEKRETARIAT = "sekretariat", _("Sekretariat")
        DINAS = "dinas", _("Dinas")
        BADAN = "badan", _("Badan")
        KANTOR = "kantor", _("Kantor")
        INSPEKTORAT = "inspektorat", _("Inspektorat")
        KECAMATAN = "kecamatan", _("Kecamatan")
        KELURAHAN = "kelurahan", _("Kelurahan")
        BAGIAN = "bagian", _("Bagian")
        BIDANG = "bidang", _("Bidang")
        SEKSI = "seksi", _("Seksi")
        SUBBAGIAN = "subbagian", _("Subbagian")
        UPT = "upt", _("UPT")
        SEKOLAH = "sekolah", _("Sekolah")
        PUSKESMAS = "puskesmas", _("Puskesmas")
        RSUD = "rsud", _("Rumah sakit")
        LAINNYA = "lainnya", _("Lainnya")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.CharField(_("kode"), max_length=40)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    # A unit that reports straight to the agency head (OPD, independent UPT): its
    # head uses the JPT / head-of-independent-unit SKP formats.
    is_independent = models.BooleanField(_("unit mandiri"), default=False)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="orgunit_code_unique"),
        ]
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")

    def __str__(self):
        return self.name


class Position(models.Model):
    class Kind(models.TextChoices):
        JPT_UTAMA = "jpt_utama", _("JPT Utama")
        JPT_MADYA = "jpt_madya", _("JPT Madya")
        JPT_PRATAMA = "jpt_pratama", _("JPT Pratama")
        ADMINISTRATOR = "administrator", _("Administrator")
        PENGAWAS = "pengawas", _("Pengawas")
        FUNGSIONAL = "fungsional", _("Fungsional")
        PELAKSANA = "pelaksana", _("Pelaksana")

    class Jenjang(models.TextChoices):
        AHLI_UTAMA = "ahli_utama", _("Ahli Utama")
        AHLI_MADYA = "ahli_madya", _("Ahli Madya")
        AHLI_MUDA = "ahli_muda", _("Ahli Muda")
        AHLI_PERTAMA = "ahli_pertama", _("Ahli Pertama")
        PENYELIA = "penyelia", _("Penyelia")
        MAHIR = "mahir", _("Mahir")
        TERAMPIL = "terampil", _("Terampil")
        PEMULA = "pemula", _("Pemula")

    JPT_KINDS = (Kind.JPT_UTAMA, Kind.JPT_MADYA, Kind.JPT_PRATAMA)

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="positions")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="positions")
    code = models.CharField(_("kode"), max_length=40)
    name = models.CharField(_("nama jabatan"), max_length=200)
    kind = models.CharField(_("jenis jabatan"), max_length=20, choices=Kind.choices)
    jenjang = models.CharField(_("jenjang"), max_length=20, choices=Jenjang.choices, blank=True)
    superior = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subordinates",
        verbose_name=_("jabatan atasan"),
    )
    is_unit_head = models.BooleanField(_("kepala unit"), default=False)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="position_code_unique"),
            models.CheckConstraint(
                condition=Q(kind="fungsional") | Q(jenjang=""), name="position_jenjang_fungsional"
            ),
        ]
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan")

    def __str__(self):
        return self.name

    @property
    def is_jpt(self):
        return self.kind in self.JPT_KINDS


class User(AbstractUser):
    """An account. Employees log in with their NIP as username; platform
    superusers have no agency."""

    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )

    class Meta:
        verbose_name = _("akun")
        verbose_name_plural = _("akun")


class Employee(Updated):
    class Status(models.TextChoices):
        PNS = "pns", _("PNS")
        PPPK = "pppk", _("PPPK")

    class Gender(models.TextChoices):
        MALE = "L", _("Laki-laki")
        FEMALE = "P", _("Perempuan")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="employees")
    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="employee"
    )
    nip = models.CharField(_("NIP"), max_length=18, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    front_title = models.CharField(_("gelar depan"), max_length=40, blank=True)
    back_title = models.CharField(_("gelar belakang"), max_length=60, blank=True)
    status = models.CharField(_("status kepegawaian"), max_length=4, choices=Status.choices)
    golongan = models.CharField(_("golongan"), max_length=10, blank=True)
    pangkat = models.CharField(_("pangkat"), max_length=60, blank=True)
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("tanggal lahir"))
    position = models.ForeignKey(
        Position,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="holders",
        verbose_name=_("jabatan"),
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="employees", verbose_name=_("unit kerja")
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    active_from = models.DateField(_("aktif sejak"), null=True, blank=True)
    active_until = models.DateField(_("aktif sampai"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["agency", "name"]),
            models.Index(fields=["agency", "unit"]),
        ]
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        name = f"{self.front_title} {self.name}".strip()
        return f"{name}, {self.back_title}" if self.back_title else name


class PositionAssignment(AgencyOwned):
    """Who held which position when. Definitive rows are the employee's career;
    Plt/Plh rows are acting assignments that, while they run, make the acting
    person the superior of the position's subordinates."""

    class Kind(models.TextChoices):
        DEFINITIF = "definitif", _("Definitif")
        PLT = "plt", _("Pelaksana Tugas (Plt)")
        PLH = "plh", _("Pelaksana Harian (Plh)")

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="assignments")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="assignments")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    start = models.DateField(_("mulai"))
    end = models.DateField(_("selesai"), null=True, blank=True)
    note = models.CharField(_("keterangan"), max_length=200, blank=True)

    class Meta:
        ordering = ["employee", "-start"]
        indexes = [models.Index(fields=["agency", "kind", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="assignment_end_after_start",
            )
        ]
        verbose_name = _("riwayat jabatan")
        verbose_name_plural = _("riwayat jabatan")

    def __str__(self):
        return f"{self.employee_id} {self.kind} {self.position_id} {self.start}–{self.end or ''}"


class RoleGrant(models.Model):
    """Roles assigned by hand. "Atasan" is not one: it follows from the chart.
    A unit head is also whoever holds the unit's head position."""

    class Role(models.TextChoices):
        ADMIN_BKD = "admin_bkd", _("Admin BKD")
        PIMPINAN_UNIT = "pimpinan_unit", _("Pimpinan unit")
        TIM_PENILAI = "tim_penilai", _("Tim penilai kinerja")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="role_grants")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="rolegrant_unique"),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(unit__isnull=True),
                name="rolegrant_unique_agencywide",
            ),
            models.CheckConstraint(
                condition=~Q(role="pimpinan_unit") | Q(unit__isnull=False),
                name="rolegrant_unit_head_has_unit",
            ),
        ]
        verbose_name = _("peran")
        verbose_name_plural = _("peran")

    def __str__(self):
        return f"{self.user} {self.role}"


class ImportRun(Created):
    """One upload of the import (units, positions, employees): the stored file,
    the dry run's preview and errors, and whether it was applied. The logic
    lives in `kinerja.org.importing`."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu pemeriksaan")
        CHECKING = "checking", _("Sedang diperiksa")
        INVALID = "invalid", _("Ada kesalahan")
        READY = "ready", _("Siap diterapkan")
        APPLYING = "applying", _("Sedang diterapkan")
        APPLIED = "applied", _("Sudah diterapkan")
        FAILED = "failed", _("Gagal")

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel (.xlsx)"
        CSV = "csv", "CSV"

    class CsvKind(models.TextChoices):
        UNIT = "unit", _("Unit kerja")
        JABATAN = "jabatan", _("Jabatan")
        PEGAWAI = "pegawai", _("Pegawai")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="import_runs")
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    original_name = models.CharField(_("nama berkas"), max_length=255)
    # Random name under PRIVATE_ROOT/imports/; emptied when the file is deleted.
    stored_name = models.CharField(max_length=100, blank=True)
    file_format = models.CharField(max_length=4, choices=Format.choices)
    csv_kind = models.CharField(max_length=10, choices=CsvKind.choices, blank=True)
    size = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    preview = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("impor data")
        verbose_name_plural = _("impor data")

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_busy(self):
        return self.status in (self.Status.QUEUED, self.Status.CHECKING, self.Status.APPLYING)


class ApiToken(models.Model):
    """An API token of one person. Only the key's SHA-256 is stored (the key is
    shown once, when it is made); it ends after API_TOKEN_IDLE_DAYS without use,
    at API_TOKEN_MAX_AGE_DAYS in any case, and when revoked: by its owner, or by
    a password change or reset, a deactivation or a change of roles."""

    # Filled by kinerja.org.tokens.live_tokens for the profile page.
    expires: "datetime.datetime"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("awalan"), max_length=8)
    name = models.CharField(_("nama"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self):
        return f"{self.prefix}… ({self.user_id})"
