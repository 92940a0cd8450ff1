"""`{% picker "pegawai" "pegawai" field_id="f-emp" %}`: a search-as-you-type picker
(org/_picker.html) in a template that writes its form by hand."""

from typing import Any

from django import template

from kinerja.org.pickers import picker_context

register = template.Library()


@register.inclusion_tag("org/_picker.html")
def picker(
    name: str,
    scope: str,
    *,
    field_id: str = "",
    value: Any = "",
    label: str = "",
    required: bool = False,
    suffix: Any = "",
) -> dict[str, Any]:
    """`suffix` is appended to `field_id` (one picker per row: field_id="m-" suffix=row.pk)."""
    return picker_context(
        name, scope, field_id=f"{field_id}{suffix}", value=value, label=label, required=required
    )
