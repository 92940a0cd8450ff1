"""One date format (issue 12): the |tanggal filter in both languages."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from kinerja.lib.dates import tanggal

D = date(2026, 12, 2)
# 2026-12-02 07:05 UTC is 14:05 in Asia/Jakarta.
DT = datetime(2026, 12, 2, 7, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("lang", "value", "style", "expected"),
    [
        ("id", D, "", "2 Desember 2026"),
        ("en", D, "", "2 December 2026"),
        ("id", D, "pendek", "02-12-2026"),
        ("en", D, "pendek", "02-12-2026"),
        ("id", date(2026, 1, 1), "", "1 Januari 2026"),
        ("en", date(2026, 8, 17), "", "17 August 2026"),
        ("id", date(2026, 8, 17), "", "17 Agustus 2026"),
        ("id", DT, "", "2 Desember 2026"),
        ("id", DT, "jam", "2 Desember 2026 14:05"),
        ("en", DT, "jam", "2 December 2026 14:05"),
        ("en", DT, "pendek,jam", "02-12-2026 14:05"),
        ("en", D, "id", "2 Desember 2026"),
        ("id", "2026-12-31", "", "31 Desember 2026"),
        ("en", "2026-12-31", "pendek", "31-12-2026"),
        ("id", "2026-12-02T07:05:00+00:00", "jam", "2 Desember 2026 14:05"),
        ("id", None, "", ""),
        ("id", "", "", ""),
        ("id", "bukan tanggal", "", "bukan tanggal"),
    ],
)
def test_tanggal(lang, value, style, expected):
    with translation.override(lang):
        assert tanggal(value, style) == expected


@pytest.mark.parametrize(
    ("lang", "source", "expected"),
    [
        ("id", "{{ d|tanggal }}", "2 Desember 2026"),
        ("en", "{{ d|tanggal }}", "2 December 2026"),
        ("id", '{{ d|tanggal:"pendek" }}', "02-12-2026"),
        ("en", '{{ d|tanggal:"pendek" }}', "02-12-2026"),
        ("en", '{{ d|tanggal:"id"|upper }}', "2 DESEMBER 2026"),
        ("id", '{{ none|tanggal|default:"-" }}', "-"),
    ],
)
def test_template_filter(lang, source, expected):
    template = Template("{% load kinerja %}" + source)
    with translation.override(lang):
        assert template.render(Context({"d": D, "none": None})) == expected


@pytest.mark.parametrize("lang", ["id", "en"])
def test_evaluation_pdf_prints_indonesian_dates_not_iso(lang):
    """The official forms said "PERIODE PENILAIAN: 2026-01-01 SD 2026-12-31" and
    "(tempat), 2026-12-02"; they print the Indonesian long date in any language."""
    from django.template.loader import render_to_string

    c = {
        "period": "TAHUNAN",
        "year": 2026,
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "signed_at": "2026-12-02T07:05:00+00:00",
        "employee": {},
        "rhk": [],
        "perilaku_rows": [],
    }
    with translation.override(lang):
        html = render_to_string(
            "assessment/pdf/document.html",
            {"c": c, "doc": {"kind": "D.1.1"}, "place": "Tebingtinggi", "printed_on": D},
        )
    assert "PERIODE PENILAIAN: 1 JANUARI 2026 SD 31 DESEMBER 2026 TAHUN 2026" in html
    assert "Tebingtinggi, 2 Desember 2026" in html
    assert "2026-01-01" not in html and "2026-12-02" not in html
