from django import template
from django.utils.translation import gettext as _

from kinerja.followup.labels import PREDIKAT_LABELS

register = template.Library()


@register.filter
def predikat_label(code):
    return _(PREDIKAT_LABELS.get(code, code or "—"))


@register.filter
def history_text(rows):
    """[[year, predikat], ...] as "2026: Sangat Baik; 2025: Baik"."""
    return "; ".join(f"{year}: {_(PREDIKAT_LABELS.get(p, p))}" for year, p in rows or [])
