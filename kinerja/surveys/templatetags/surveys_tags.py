from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """mapping[key] or "" (dicts and QueryDicts: a QueryDict gives its last value)."""
    if not mapping:
        return ""
    return mapping.get(key, "")
