"""The rule modules stay pure: standard library, ``holidays`` and each other, never Django.

Why: other layers (models, services, API, batch jobs) import these rules, and the rules must be
testable and reusable without settings or a database.
"""

import ast
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from kinerja.rules._rounding import round_half_up

RULES_DIR = Path(__file__).resolve().parent.parent
MODULES = sorted(path for path in RULES_DIR.glob("*.py"))
ALLOWED_THIRD_PARTY = {"holidays"}


def imported_roots(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module


def test_the_expected_modules_exist():
    assert {path.name for path in MODULES} >= {
        "__init__.py",
        "_rounding.py",
        "predikat.py",
        "distribution.py",
        "ikm.py",
        "angka_kredit.py",
        "workdays.py",
        "planning.py",
        "followup.py",
    }


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_module_imports_only_stdlib_holidays_and_rules(path):
    for name in imported_roots(path):
        root = name.split(".")[0]
        allowed = (
            root in sys.stdlib_module_names
            or root in ALLOWED_THIRD_PARTY
            or name == "kinerja.rules"
            or name.startswith("kinerja.rules.")
        )
        assert allowed, f"{path.name} imports {name}"


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Fraction(25, 12), 2, "2.08"),
        (Fraction(1, 8), 2, "0.13"),  # 0.125: half up (half even would give 0.12)
        (Fraction(-1, 8), 2, "-0.13"),  # halves go away from zero, like ROUND_HALF_UP
        (Fraction(3, 8), 2, "0.38"),
        (Fraction(1, 3), 4, "0.3333"),
        (Decimal("7.5"), 2, "7.50"),
        (0, 2, "0.00"),
        (Fraction(5, 2), 0, "3"),
    ],
)
def test_round_half_up(value, places, expected):
    assert str(round_half_up(value, places)) == expected


def test_round_half_up_rejects_negative_places():
    with pytest.raises(ValueError):
        round_half_up(Fraction(1, 3), -1)
