import datetime as dt
from decimal import Decimal

import pytest

from kinerja.lib.exports import csv_text, safe_cell


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("=1+1", "'=1+1"),
        ("+62 812", "'+62 812"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Dewi", "Dewi"),
        ("a=b", "a=b"),
        ("", ""),
        (None, None),
        (-5, -5),
        (1.5, 1.5),
        (Decimal("-2.08"), Decimal("-2.08")),
        (dt.date(2026, 1, 2), dt.date(2026, 1, 2)),
        (True, True),
    ],
)
def test_safe_cell(value, stored):
    assert safe_cell(value) == stored


def test_csv_text_opens_in_excel_and_has_no_formula():
    text = csv_text(["Nama", "Dasar"], [["=cmd|' /C calc'!A0", 3]])
    assert text == "\ufeffNama;Dasar\r\n'=cmd|' /C calc'!A0;3\r\n"
