"""Input shapes for the staff pages (the public form is parsed by services.response_submit)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Service, SurveyPeriod


class ServiceForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = ["unit", "name", "description", "served_population", "requires_code", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: "— " * u.depth + u.name


class PeriodForm(forms.ModelForm):
    class Meta:
        model = SurveyPeriod
        fields = ["name", "start", "end", "unit", "service"]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}),
            "end": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {"unit": _("Unit (kosongkan untuk seluruh instansi)"), "service": _("Layanan")}

    def __init__(self, *args, units, services, is_admin, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: "— " * u.depth + u.name
        self.fields["service"].queryset = services
        self.is_admin = is_admin

    def clean(self):
        data = super().clean()
        if data.get("unit") and data.get("service"):
            raise forms.ValidationError(_("Pilih unit atau layanan, tidak keduanya."))
        if not self.is_admin and not data.get("unit") and not data.get("service"):
            raise forms.ValidationError(
                _("Periode untuk seluruh instansi hanya dapat dibuat oleh admin BKD.")
            )
        return data
