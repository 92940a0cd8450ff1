"""The IKI target entered once and shown once (kinerja.rules.planning)."""

from decimal import Decimal as D

import pytest

from kinerja.rules import planning as rules


@pytest.mark.parametrize(
    ("minimum", "maximum", "kind"),
    [
        (None, None, "qualitative"),
        (D("12"), None, "number"),
        (None, D("12"), "number"),
        (D("12"), D("12.00"), "number"),
        (D("80"), D("90"), "range"),
    ],
)
def test_target_kind(minimum, maximum, kind):
    assert rules.target_kind(minimum, maximum) == kind


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (D("12.00"), "12"),
        (D("99.50"), "99,5"),
        (D("0.25"), "0,25"),
        (D("100"), "100"),
        (D("1000"), "1.000"),
        (D("1250000.5"), "1.250.000,5"),
        (D("-3"), "-3"),
    ],
)
def test_format_number(value, shown):
    assert rules.format_number(value) == shown


@pytest.mark.parametrize(
    ("text", "minimum", "maximum", "unit", "label"),
    [
        ("", D("12"), D("12"), "dokumen", "12 dokumen"),
        ("12 dokumen", D("12"), D("12"), "dokumen", "12 dokumen"),  # the text is not added
        ("100 persen", D("100"), None, "persen", "100 persen"),
        ("", D("80"), D("90.5"), "persen", "80–90,5 persen"),
        ("", D("3"), None, "", "3"),
        ("  laporan  diterima tanpa revisi ", None, None, "", "laporan diterima tanpa revisi"),
        ("laporan diterima", None, None, "laporan", "laporan diterima"),
    ],
)
def test_target_label(text, minimum, maximum, unit, label):
    assert rules.target_label(text=text, minimum=minimum, maximum=maximum, unit=unit) == label


@pytest.mark.parametrize(
    ("text", "unit", "shown"),
    [
        ("100 persen persen", "persen", "100 persen"),
        ("100 persen", "persen", "100 persen"),
        ("100", "persen", "100 persen"),
        ("80-90", "persen", "80-90 persen"),
        ("80–90 persen", "persen", "80–90 persen"),
        ("12 Dokumen dokumen", "dokumen", "12 Dokumen"),
        ("12 dokumen", "", "12 dokumen"),
        ("paling lama 3 hari kerja", "hari kerja", "paling lama 3 hari kerja"),
        ("laporan tanpa revisi", "laporan", "laporan tanpa revisi"),
        ("", "persen", ""),
    ],
)
def test_target_shown_writes_the_unit_once(text, unit, shown):
    assert rules.target_shown(text, unit) == shown
