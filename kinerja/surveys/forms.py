"""Input shapes of the survey pages. The public questionnaire is parsed by
services.response_submit (the API posts the same fields); the forms here check the shape of
what staff post, the services check the values."""

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


# --- Posted actions (no page renders these forms: they read what a button sends) ----------


def _text() -> forms.CharField:
    """Free text, passed on as posted (the service trims and checks it)."""
    return forms.CharField(required=False, strip=False)


class IkiLinkForm(forms.Form):
    """An IKI to link to (or unlink from) a service's IKM. A missing or unreadable id leaves
    `iki` out of cleaned_data (the page then asks to pick one)."""

    iki = forms.IntegerField(required=False)
    action = _text()


class SyncForm(forms.Form):
    """The performance period whose realisasi the linked IKM fill."""

    period = forms.IntegerField(required=False)


class ResponseActionForm(forms.Form):
    """A staff action on one response (services.response_apply_action) and where to return."""

    action = _text()
    reason = _text()
    status = _text()
    answer = _text()
    next = _text()


class CodesForm(forms.Form):
    count = _text()


class KioskForm(forms.Form):
    name = _text()


class LanguageForm(forms.Form):
    """The language of the public questionnaire."""

    lang = forms.ChoiceField(choices=[("id", "Bahasa Indonesia"), ("en", "English")])
