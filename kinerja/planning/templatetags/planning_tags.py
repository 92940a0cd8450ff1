from decimal import Decimal

from django import template

from kinerja.rules.planning import target_shown

register = template.Library()


@register.filter
def with_unit(target, unit):
    """An IKI's target with its unit written once ("100 persen", never "100 persen
    persen"), for live IKI and for the frozen content of approved versions."""
    return target_shown(target or "", unit or "")


@register.filter
def number_input(value):
    """A target bound as typed in a form: 12,5 (no thousands separator, which the
    form would read as a decimal point)."""
    if value is None or value == "":
        return ""
    return format(Decimal(str(value)).normalize(), "f").replace(".", ",")
