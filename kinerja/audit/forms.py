from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.lib.forms import DateInput

from .labels import action_choices
from .models import AuditEvent


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Tindakan"), required=False)
    actor = forms.CharField(label=_("Pelaku (nama atau NIP)"), required=False, max_length=100)
    date_from = forms.DateField(label=_("Dari tanggal"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("Sampai tanggal"), required=False, widget=DateInput)
    outcome = forms.ChoiceField(
        label=_("Hasil"),
        required=False,
        choices=[("", _("Semua")), *AuditEvent.Outcome.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [("", _("Semua tindakan")), *action_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data
