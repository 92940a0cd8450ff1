"""The questionnaire: the nine unsur of PermenPANRB 14/2017 as citizens read them.

Codes and names come from kinerja.rules.ikm.ELEMENTS; the question and the four answer labels
(value 1..4, worst first) follow the regulation's sample questionnaire, worded per element.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from kinerja.rules.ikm import ELEMENTS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Element:
    code: str  # "U1"
    field: str  # "u1"
    name: StrOrPromise
    question: StrOrPromise
    labels: tuple[StrOrPromise, ...]  # four labels for the values 1, 2, 3, 4

    @property
    def choices(self) -> list[tuple[int, StrOrPromise]]:
        return list(zip(range(1, 5), self.labels, strict=True))


_WORDING = {
    "U1": (
        _("Persyaratan"),
        _(
            "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan "
            "jenis pelayanannya?"
        ),
        (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai")),
    ),
    "U2": (
        _("Sistem, mekanisme, dan prosedur"),
        _("Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?"),
        (_("Tidak mudah"), _("Kurang mudah"), _("Mudah"), _("Sangat mudah")),
    ),
    "U3": (
        _("Waktu penyelesaian"),
        _("Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?"),
        (_("Tidak cepat"), _("Kurang cepat"), _("Cepat"), _("Sangat cepat")),
    ),
    "U4": (
        _("Biaya/tarif"),
        _("Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?"),
        (_("Sangat mahal"), _("Cukup mahal"), _("Murah"), _("Gratis")),
    ),
    "U5": (
        _("Produk spesifikasi jenis pelayanan"),
        _(
            "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang "
            "tercantum dalam standar pelayanan dengan hasil yang diberikan?"
        ),
        (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai")),
    ),
    "U6": (
        _("Kompetensi pelaksana"),
        _("Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?"),
        (_("Tidak kompeten"), _("Kurang kompeten"), _("Kompeten"), _("Sangat kompeten")),
    ),
    "U7": (
        _("Perilaku pelaksana"),
        _(
            "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait "
            "kesopanan dan keramahan?"
        ),
        (
            _("Tidak sopan dan ramah"),
            _("Kurang sopan dan ramah"),
            _("Sopan dan ramah"),
            _("Sangat sopan dan ramah"),
        ),
    ),
    "U8": (
        _("Penanganan pengaduan, saran dan masukan"),
        _("Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?"),
        (
            _("Tidak ada"),
            _("Ada tetapi tidak berfungsi"),
            _("Berfungsi kurang maksimal"),
            _("Dikelola dengan baik"),
        ),
    ),
    "U9": (
        _("Sarana dan prasarana"),
        _("Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?"),
        (_("Buruk"), _("Cukup"), _("Baik"), _("Sangat baik")),
    ),
}

assert set(_WORDING) == {code for code, _name in ELEMENTS}

QUESTIONNAIRE: tuple[Element, ...] = tuple(
    Element(code, code.lower(), *_WORDING[code]) for code, _name in ELEMENTS
)
BY_CODE = {e.code: e for e in QUESTIONNAIRE}

#: Kinerja unit pelayanan codes of kinerja.rules.ikm -> label.
KINERJA_LABELS = {
    "sangat_baik": _("Sangat Baik"),
    "baik": _("Baik"),
    "kurang_baik": _("Kurang Baik"),
    "tidak_baik": _("Tidak Baik"),
}
