from django import template

from kinerja.audit.labels import action_label as _action_label

register = template.Library()


@register.filter
def action_label(action):
    """{{ event.action|action_label }}: the readable Indonesian name."""
    return _action_label(action)
