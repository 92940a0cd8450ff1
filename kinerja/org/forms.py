"""Forms for the admin BKD actions on an employee's page. They check the
shape of the input; the services in `services.py` do the work and the
business checks."""

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kinerja.lib.forms import DateInput

from .models import RoleGrant
from .pickers import PickerField


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Peran"), choices=RoleGrant.Role.choices)
    unit = PickerField(scope="unit-instansi", label=_("Unit (untuk pimpinan unit)"), required=False)

    def __init__(self, *args, access, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].access = access

    def clean(self):
        data = super().clean()
        role, unit = data.get("role"), data.get("unit")
        if role == RoleGrant.Role.PIMPINAN_UNIT:
            if unit is None:
                self.add_error("unit", _("Pilih unit untuk peran pimpinan unit."))
                return data
        else:
            data["unit"] = None
        if role and RoleGrant.objects.filter(user=self.user, role=role, unit=data["unit"]).exists():
            raise forms.ValidationError(_("Pegawai ini sudah memiliki peran tersebut."))
        return data


class PasswordSetForm(SetPasswordForm):
    """Admin BKD sets or resets an employee's password; the password
    validators (length from settings.PASSWORD_MIN_LENGTH) apply."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].widget.attrs["autocomplete"] = "new-password"
        self.fields["new_password2"].widget.attrs["autocomplete"] = "new-password"


class DeactivateForm(forms.Form):
    until = forms.DateField(label=_("Aktif sampai tanggal"), widget=DateInput)
    reason = forms.CharField(
        label=_("Alasan"),
        max_length=200,
        help_text=_("Misalnya: pensiun, pindah instansi, meninggal dunia."),
    )

    def __init__(self, *args, employee, latest_start=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.employee = employee
        self.latest_start = latest_start
        self.fields["until"].initial = timezone.localdate()

    def clean_until(self):
        until = self.cleaned_data["until"]
        bounds = [d for d in (self.employee.active_from, self.latest_start) if d is not None]
        if bounds and until < max(bounds):
            raise forms.ValidationError(
                _("Tanggal tidak boleh sebelum %(date)s (awal jabatan atau masa aktif sekarang).")
                % {"date": date_format(max(bounds), "j F Y")}
            )
        return until


class MoveForm(forms.Form):
    position = PickerField(scope="jabatan", label=_("Jabatan baru"))
    start = forms.DateField(label=_("Mulai tanggal"), widget=DateInput)
    note = forms.CharField(label=_("Keterangan (nomor SK)"), max_length=200, required=False)

    def __init__(self, *args, access, employee, **kwargs):
        super().__init__(*args, **kwargs)
        self.employee = employee
        self.fields["position"].access = access
        self.fields["start"].initial = timezone.localdate()

    def clean_position(self):
        position = self.cleaned_data["position"]
        if position.pk == self.employee.position_id:
            raise forms.ValidationError(_("Pegawai sudah menduduki jabatan ini."))
        return position


class MfaCodeForm(forms.Form):
    """A code from the authenticator app (or, at sign-in, a backup code)."""

    code = forms.CharField(
        label=_("Kode"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class MfaRemoveForm(forms.Form):
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
