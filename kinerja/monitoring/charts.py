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


IKI_W, IKI_H, IKI_TOP, IKI_BOTTOM, IKI_LEFT = 320, 150, 22, 34, 38


def iki_chart(labels, values, *, target_text="", ceiling=120):
    """One IKI's capaian (% of its target) per period as columns against the
    100% target line. Periods without realisasi keep an outlined empty slot so
    the year reads at a glance. Labels are the period names in full when they
    fit (up to 6 periods), their numbers otherwise (names in each column's
    tooltip and in the text summary for screen readers)."""
    n = max(len(labels), 1)
    top = max([ceiling] + [float(v) for v in values if v is not None])
    plot_h = IKI_H - IKI_TOP - IKI_BOTTOM
    slot = (IKI_W - IKI_LEFT) / n
    bar_w = round(min(slot * 0.6, 44), 1)

    def y(v):
        return round(IKI_TOP + plot_h - (min(float(v), top) / top) * plot_h, 1)

    full = len(labels) <= 6
    columns = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = round(IKI_LEFT + i * slot + (slot - bar_w) / 2, 1)
        column = {
            "x": x,
            "cx": round(x + bar_w / 2, 1),
            "label": label,
            "axis_label": label if full else str(i + 1),
            "value": value,
        }
        if value is not None:
            column.update(
                y=y(value),
                h=round(IKI_TOP + plot_h - y(value), 1),
                reached=float(value) >= 100,
                text_y=max(y(value) - 4, 10),
            )
        columns.append(column)
    summary = "; ".join(
        f"{c['label']}: {float(c['value']):.0f}%" if c["value"] is not None else f"{c['label']}: -"
        for c in columns
    )
    return {
        "width": IKI_W,
        "height": IKI_H,
        "left": IKI_LEFT,
        "bar_w": bar_w,
        "base_y": IKI_TOP + plot_h,
        "top_y": IKI_TOP,
        "plot_h": plot_h,
        "target_y": y(100),
        "label_y": IKI_H - 12,
        "columns": columns,
        "has_data": any(v is not None for v in values),
        "target_text": target_text,
        "summary": summary,
    }
