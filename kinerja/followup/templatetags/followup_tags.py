from django import template
from django.utils.translation import gettext as _

from kinerja.assessment.selectors.predikat import current_predikat
from kinerja.followup.labels import PREDIKAT_LABELS
from kinerja.followup.selectors import candidate_history_now

register = template.Library()


@register.filter
def predikat_label(code):
    return _(PREDIKAT_LABELS.get(code, code or "—"))


@register.filter
def current_predikat_label(evaluation):
    """The evaluation's current predikat (after calibration or an appeal decision)."""
    return predikat_label(current_predikat(evaluation)) if evaluation is not None else "—"


@register.filter
def history_text(rows):
    """[[year, predikat], ...] as "2026: Sangat Baik; 2025: Baik"."""
    return "; ".join(f"{year}: {_(PREDIKAT_LABELS.get(p, p))}" for year, p in rows or [])


@register.filter
def candidate_history(candidate):
    """The candidate's predikat history, the evaluated year as it holds now."""
    return history_text(candidate_history_now(candidate))
