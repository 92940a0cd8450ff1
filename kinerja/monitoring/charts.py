"""Small server-rendered charts (inline SVG / CSS grid, no JavaScript library).

Functions return plain data the templates draw: coordinates already computed,
plus a text alternative for screen readers."""

import datetime as dt
from typing import Any

WIDTH, HEIGHT, PAD = 320, 120, 24


def line_chart(labels, values, *, ceiling=120):
    """Progress (capaian %) per period: points of a polyline on a 0..ceiling scale,
    a 100% reference line, and a text summary."""
    n = len(labels)
    top = max([ceiling] + [float(v) for v in values if v is not None])
    step = (WIDTH - 2 * PAD) / max(n - 1, 1)

    def y(v):
        return round(HEIGHT - PAD - (float(v) / top) * (HEIGHT - 2 * PAD), 1)

    points = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = round(PAD + i * step, 1)
        points.append(
            {"x": x, "y": y(value) if value is not None else None, "label": label, "value": value}
        )
    drawn = [p for p in points if p["y"] is not None]
    summary = "; ".join(
        f"{p['label']}: {p['value']:.0f}%" if p["value"] is not None else f"{p['label']}: -"
        for p in points
    )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in drawn),
        "target_y": y(100),
        "base_y": HEIGHT - PAD,
        "label_y": HEIGHT - 6,
        "has_data": bool(drawn),
        "summary": summary,
    }


def _level(n):
    if n <= 0:
        return 0
    if n == 1:
        return 1
    if n <= 3:
        return 2
    return 3


def heatmap(
    counts_by_day: dict[dt.date, int], first_day: dt.date, last_day: dt.date
) -> dict[str, Any]:
    """Weeks (columns) × weekdays (rows) from `first_day` (a Monday) to `last_day`:
    each cell {date, n, level 0..3}; days after last_day are None."""
    weeks = []
    day = first_day
    while day <= last_day:
        week: list[dict[str, Any] | None] = []
        for _i in range(7):
            if day > last_day:
                week.append(None)
            else:
                n = counts_by_day.get(day, 0)
                week.append({"date": day, "n": n, "level": _level(n)})
            day += dt.timedelta(days=1)
        weeks.append(week)
    return {"weeks": weeks, "total": sum(counts_by_day.values())}
