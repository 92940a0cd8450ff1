"""Form widgets shared by every app's pages."""

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """A native date picker; it needs ISO dates whatever the UI language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str = "%Y-%m-%d") -> None:  # noqa: A002 - Django's name
        super().__init__(attrs=attrs, format=format)
