"""Exact rounding shared by the rule modules.

Why a helper: the rules compute with :class:`fractions.Fraction` so that no float error (and no
Decimal context precision limit) can move a value across a boundary, and they round once, at the
end, with ROUND_HALF_UP (the rounding of the worked examples in BKN's angka kredit guide and of
the IKM tables: 2.0833 -> 2.08, 9.375 -> 9.38).
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction


def round_half_up(value: Fraction | int | Decimal, places: int) -> Decimal:
    """Round ``value`` exactly to ``places`` decimals, halves away from zero (ROUND_HALF_UP).

    The result always carries exactly ``places`` decimals (``Decimal("7.50")``), so it displays
    the same way whatever the value.
    """
    if places < 0:
        raise ValueError("places must be >= 0")
    scaled = Fraction(value) * 10**places
    magnitude = math.floor(abs(scaled) + Fraction(1, 2))
    return Decimal(magnitude if scaled >= 0 else -magnitude).scaleb(-places)
