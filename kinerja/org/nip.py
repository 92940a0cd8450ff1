"""NIP (Nomor Induk Pegawai) structure, 18 digits:

    YYYYMMDD  birth date
    YYYYMM    TMT: year and month of appointment (PNS: month 01-12; PPPK: "21")
    G         gender: 1 male, 2 female
    NNN       sequence, 001-999

A NIP that breaks this structure is refused with a message that says which part
is wrong, so that an HR officer can find the typo in the source spreadsheet.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PPPK_MONTH_CODE = 21
MIN_AGE_AT_APPOINTMENT = 18


@dataclass(frozen=True)
class NipInfo:
    nip: str
    birth_date: dt.date
    appointment_year: int
    appointment_month: int | None  # None for PPPK ("21")
    gender: str  # "L" or "P"
    sequence: int
    is_pppk: bool


def parse_nip(value, *, today=None) -> NipInfo:
    today = today or dt.date.today()
    nip = (value or "").strip().replace(" ", "")
    if not nip.isdigit() or len(nip) != 18:
        raise ValidationError(
            _("NIP harus 18 angka (tertulis %(n)d karakter).") % {"n": len(nip)}, code="nip_length"
        )
    try:
        birth = dt.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise ValidationError(
            _("NIP: 8 angka pertama (%(part)s) bukan tanggal lahir yang sah.") % {"part": nip[0:8]},
            code="nip_birth_date",
        ) from None
    if birth.year < 1940 or birth > today:
        raise ValidationError(
            _("NIP: tahun lahir %(year)d tidak masuk akal.") % {"year": birth.year},
            code="nip_birth_date",
        )
    year, month = int(nip[8:12]), int(nip[12:14])
    is_pppk = month == PPPK_MONTH_CODE
    if not is_pppk and not 1 <= month <= 12:
        raise ValidationError(
            _("NIP: bulan TMT %(month)s tidak sah (01-12, atau 21 untuk PPPK).")
            % {"month": nip[12:14]},
            code="nip_tmt",
        )
    if year < birth.year + MIN_AGE_AT_APPOINTMENT or year > today.year + 1:
        raise ValidationError(
            _("NIP: tahun TMT %(year)d tidak cocok dengan tahun lahir %(birth)d.")
            % {"year": year, "birth": birth.year},
            code="nip_tmt",
        )
    gender_digit = nip[14]
    if gender_digit not in "12":
        raise ValidationError(
            _("NIP: angka ke-15 (jenis kelamin) harus 1 atau 2, tertulis %(d)s.")
            % {"d": gender_digit},
            code="nip_gender",
        )
    sequence = int(nip[15:18])
    if sequence == 0:
        raise ValidationError(
            _("NIP: nomor urut (3 angka terakhir) tidak boleh 000."), code="nip_seq"
        )
    return NipInfo(
        nip=nip,
        birth_date=birth,
        appointment_year=year,
        appointment_month=None if is_pppk else month,
        gender="L" if gender_digit == "1" else "P",
        sequence=sequence,
        is_pppk=is_pppk,
    )


def validate_nip(value):
    parse_nip(value)
