from django import template
from django.utils.functional import Promise

from kinerja.audit.labels import action_label as _action_label

register = template.Library()


@register.filter
def action_label(action: str) -> Promise | str:
    """{{ event.action|action_label }}: the readable Indonesian name."""
    return _action_label(action)
