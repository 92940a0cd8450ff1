"""Realisasi and IKI, capaian and progress per period, and what the evaluation
(kinerja.assessment) reads of an RHK."""

from collections.abc import Iterable
from decimal import Decimal
from typing import TypedDict

from django.db.models import Prefetch, Q, QuerySet

from kinerja.planning.models import Iki, Period, Rhk
from kinerja.rules.planning import target_shown

from .. import charts
from ..models import Evidence, Feedback, Realisasi, RhkTakeover
from ._common import _attach, _mean


def realisasi_queryset() -> QuerySet[Realisasi]:
    return Realisasi.objects.select_related(
        "employee", "iki", "iki__rhk", "iki__rhk__skp", "period", "period__year"
    ).prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.select_related("reviewed_by")),
        Prefetch("feedback", queryset=Feedback.objects.select_related("author")),
    )


def realisasi_by_period(iki: Iki) -> dict[int, Realisasi]:
    """The IKI's realisasi by period id, with their evidence (two queries)."""
    rows = Realisasi.objects.filter(iki=iki).prefetch_related("evidence")
    return {r.period_id: r for r in rows}


def realisasi_of(iki: Iki, period: Period) -> Realisasi | None:
    return Realisasi.objects.filter(iki=iki, period=period).first()


def iki_queryset() -> QuerySet[Iki]:
    return Iki.objects.select_related("rhk", "rhk__skp", "rhk__skp__year", "rhk__skp__employee")


def capaian(iki: Iki, value: Decimal | None) -> Decimal | None:
    """Percentage of the target reached (None when not computable)."""
    if value is None:
        return None
    target = iki.target_max if iki.target_max is not None else iki.target_min
    if target is None or target == 0:
        return None
    if iki.lower_is_better:
        if value == 0:
            return Decimal(100)
        return (target / value * 100).quantize(Decimal("0.1"))
    return (value / target * 100).quantize(Decimal("0.1"))


def progress_table(
    rhks: list[Rhk], periods: list[Period], realisasi: Iterable[Realisasi]
) -> list[Rhk]:
    """Attach to each IKI its per-period cells and to each RHK a chart."""
    by_key = {(r.iki_id, r.period_id): r for r in realisasi}
    for rhk in rhks:
        series: list[list[Decimal | None]] = []
        for iki in rhk.ikis.all():
            cells, reached_by_period = [], []
            for period in periods:
                r = by_key.get((iki.pk, period.pk))
                reached = capaian(iki, r.value if r is not None else None)
                cells.append({"period": period, "realisasi": r, "capaian": reached})
                reached_by_period.append(reached)
            _attach(
                iki,
                cells=cells,
                chart=charts.iki_chart(
                    [p.label for p in periods],
                    reached_by_period,
                    target_text=target_shown(iki.target_text or "", iki.unit or ""),
                ),
            )
            series.append(reached_by_period)
        # RHK progress: the mean capaian of its IKI per period.
        points: list[Decimal | None] = []
        for i, _period in enumerate(periods):
            values = [v for s in series if (v := s[i]) is not None]
            points.append(_mean(values))
        _attach(rhk, chart=charts.line_chart([p.label for p in periods], points))
    return rhks


class RhkSummary(TypedDict):
    realisasi: list[Realisasi]
    evidence: list[Evidence]
    feedback: list[Feedback]
    capaian: Decimal | None
    takeover: RhkTakeover | None


def rhk_summary(rhk: Rhk, period: Period | None = None) -> RhkSummary:
    """For the evaluation (kinerja.assessment): the realisasi of the RHK's IKI in
    `period` (None: every period of the year), their evidence, the feedback on
    the RHK and its results, the mean capaian, and the takeover note if the
    superior took the RHK over (art. 20). Four queries."""
    realisasi_qs = Realisasi.objects.filter(iki__rhk=rhk).select_related("iki", "period")
    if period is not None:
        realisasi_qs = realisasi_qs.filter(period=period)
    realisasi = list(realisasi_qs.order_by("period__number", "iki__order", "iki_id"))
    evidence = list(Evidence.objects.filter(realisasi__in=[r.pk for r in realisasi]).order_by("pk"))
    feedback = list(
        Feedback.objects.filter(
            Q(rhk=rhk) | Q(realisasi__iki__rhk=rhk) | Q(log__rhk=rhk), parent__isnull=True
        )
        .select_related("author")
        .order_by("created_at", "pk")
    )
    values = [c for c in (capaian(r.iki, r.value) for r in realisasi) if c is not None]
    takeover = RhkTakeover.objects.filter(rhk=rhk).select_related("by").first()
    return {
        "realisasi": realisasi,
        "evidence": evidence,
        "feedback": feedback,
        "capaian": mean.quantize(Decimal("0.1")) if (mean := _mean(values)) is not None else None,
        "takeover": takeover,
    }
