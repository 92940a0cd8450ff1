"""Input shapes of the follow-up pages. The forms read what a page posts (ids, dates, text)
and check its shape only; the services in `services/` check the values and refuse with the
messages the pages show. Fields carry no label, so `kinerja.web.form_errors` shows their
messages as they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.lib.forms import DateInput

from .labels import PREDIKAT_LABELS
from .models import Sanction

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class IsoDateField(forms.Field):
    """A date as the date picker sends it (YYYY-MM-DD). A missing (when required) or
    unreadable date is refused with "<label> tidak valid."."""

    widget = DateInput

    def __init__(self, *, error_label: StrOrPromise, required: bool = True, **kwargs: Any) -> None:
        super().__init__(required=required, **kwargs)
        self.error_label = error_label

    def clean(self, value: Any) -> dt.date | None:
        text = (value or "").strip()
        if not text and not self.required:
            return None
        try:
            parsed = parse_date(text) if text else None
        except ValueError:  # well formed but no such day
            parsed = None
        if parsed is None:
            raise ValidationError(_("%(label)s tidak valid.") % {"label": self.error_label})
        return parsed


class IdField(forms.CharField):
    """An object id from a hidden input or a select: its digits as a number, else None."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, strip=False, **kwargs)

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value) or ""
        return int(text) if text.isdigit() else None


class IdListField(forms.Field):
    """Ids from checkboxes of one name: the values that are digits, as numbers."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> list[int]:
        return [int(x) for x in value or [] if str(x).isdigit()]


class TextListField(forms.Field):
    """Every value posted under one name (checkboxes), as sent."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> list[str]:
        return list(value or [])


def text(**kwargs: Any) -> forms.CharField:
    """Free text, passed on as posted (the service trims and checks it)."""
    return forms.CharField(required=False, strip=False, **kwargs)


class CheckedUnlessSent(forms.CheckboxInput):
    """A checkbox that counts as ticked when the page does not send it at all (the form to
    add a course has no "active" box: a new course is active)."""

    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> bool:
        if name not in data:
            return True
        return bool(super().value_from_datadict(data, files, name))


# --- rules and allowance ---------------------------------------------------------------------


class RuleForm(forms.Form):
    outcome = text()
    years = text()
    predikat = TextListField()
    consecutive = forms.BooleanField(required=False)
    legal_basis = text()
    active = forms.BooleanField(required=False)


class AllowanceForm(forms.Form):
    """One "cut_<predikat>" field per predikat."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code in PREDIKAT_LABELS:
            self.fields[f"cut_{code}"] = text()

    def cuts(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"cut_{code}"] for code in PREDIKAT_LABELS}


# --- candidates, awards and sanctions --------------------------------------------------------


class PerformanceYearForm(forms.Form):
    tahun = text()


class DecisionForm(forms.Form):
    decision = text()
    note = text()

    @property
    def accept(self) -> bool:
        return self.cleaned_data["decision"] == "accept"


class RecordTargetForm(forms.Form):
    """Whom an award or sanction is for: a candidate, or an employee."""

    kandidat = IdField()
    pegawai = IdField()


class AwardForm(forms.Form):
    kind = text()
    basis = text()
    date = IsoDateField(error_label=gettext_lazy("Tanggal"))
    document = forms.Field(required=False, widget=forms.FileInput)


class SanctionForm(forms.Form):
    kind = text()
    legal_basis = text()
    start = IsoDateField(error_label=gettext_lazy("Tanggal mulai"))
    end = IsoDateField(error_label=gettext_lazy("Tanggal selesai"), required=False)
    status = text()
    note = text()
    document = forms.Field(required=False, widget=forms.FileInput)

    def clean_status(self) -> str:
        # A form without a status field proposes the sanction.
        if "status" not in self.data:
            return Sanction.Status.PROPOSED
        return self.cleaned_data["status"]


class SanctionStatusForm(forms.Form):
    status = text()
    end = IsoDateField(error_label=gettext_lazy("Tanggal selesai"), required=False)


# --- training, plans and mentors -------------------------------------------------------------


class CourseForm(forms.Form):
    title = text()
    kind = text()
    hours_jp = text()
    provider = text()
    active = forms.BooleanField(required=False)

    def __init__(self, *args: Any, active_unless_sent: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if active_unless_sent:
            self.fields["active"].widget = CheckedUnlessSent()


class TrainingRecordForm(forms.Form):
    course = IdField()
    title = text()
    kind = text()
    start = IsoDateField(error_label=gettext_lazy("Tanggal mulai"))
    end = IsoDateField(error_label=gettext_lazy("Tanggal selesai"))
    hours_jp = text()
    document = forms.Field(required=False, widget=forms.FileInput)


class EmployeeForm(forms.Form):
    """The employee a page acts for ("pegawai")."""

    pegawai = IdField()


class DevelopmentPlanForm(forms.Form):
    goals = text()
    courses = IdListField()


class MentorPairingForm(forms.Form):
    mentee = IdField()
    mentor = IdField()
    goals = text()
    notes = text()
    start = IsoDateField(error_label=gettext_lazy("Tanggal mulai"))
    end = IsoDateField(error_label=gettext_lazy("Tanggal selesai"), required=False)


class YearField(forms.CharField):
    """A calendar year as digits."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, strip=False, **kwargs)

    def clean(self, value: Any) -> int:
        value = value or ""
        if not value.isdigit():
            raise ValidationError(_("Tahun tidak valid."))
        return int(value)


class CreditPointsForm(forms.Form):
    employee = IdField()
    year = YearField()
    months = text()
    predikat = text()

    def clean_months(self) -> str:
        # Twelve months unless the page says otherwise.
        if "months" not in self.data:
            return "12"
        return self.cleaned_data["months"]


# --- corrections and withdrawals -------------------------------------------------------------


class WithdrawForm(forms.Form):
    reason = text()


class AwardCorrectForm(forms.Form):
    reason = text()
    kind = text()
    basis = text()
    date = IsoDateField(error_label=gettext_lazy("Tanggal"))


class SanctionCorrectForm(forms.Form):
    reason = text()
    kind = text()
    legal_basis = text()
    start = IsoDateField(error_label=gettext_lazy("Tanggal mulai"))
    end = IsoDateField(error_label=gettext_lazy("Tanggal selesai"), required=False)
    note = text()


class PairingCorrectForm(forms.Form):
    reason = text()
    goals = text()
    notes = text()
    start = IsoDateField(error_label=gettext_lazy("Tanggal mulai"))
    end = IsoDateField(error_label=gettext_lazy("Tanggal selesai"), required=False)


class CreditPointsCorrectForm(forms.Form):
    reason = text()
    months = text()
    predikat = text()
