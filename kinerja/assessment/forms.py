"""What the assessment pages post, read and checked for shape only: the
services (kinerja.assessment.services) decide what is allowed. Texts are taken
as posted; the services strip what they keep."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.planning import berakhlak

INVALID_INPUT = gettext_lazy("Isian tidak valid.")


def _text():
    return forms.CharField(required=False, strip=False)


def _rows(data, prefix, *, skip_empty=False, **texts):
    """{key: {"rating": value, name: posted text}} for every posted `<prefix><key>`:
    the rows of a table of ratings (RHK id or core value as key), each with the
    texts posted beside it as `<text prefix><key>`."""
    rows = {}
    for name, value in data.items():
        if name.startswith(prefix) and (value or not skip_empty):
            key = name.removeprefix(prefix)
            rows[key] = {"rating": value} | {
                text: data.get(f"{text_prefix}{key}", "") for text, text_prefix in texts.items()
            }
    return rows


class IdListField(forms.Field):
    """Several ids posted under one name (checkboxes); what is not a number is left out."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        return [int(x) for x in value or [] if str(x).isdecimal()]


class RateForm(forms.Form):
    """The rater's page: `rating_<RHK id>` / `feedback_<RHK id>`, `value_<n>` /
    `vfeedback_<n>` per core value, the overall ratings and texts, and which
    button was pressed (save or finalise)."""

    hasil = _text()
    hasil_differ_reason = _text()
    hasil_feedback = _text()
    perilaku = _text()
    perilaku_feedback = _text()
    notes = _text()
    action = _text()

    def clean(self):
        data = super().clean()
        data["rhk"] = _rows(self.data, "rating_", feedback="feedback_")
        data["behaviour"] = _rows(self.data, "value_", feedback="vfeedback_")
        return data

    @property
    def finalise(self):
        return self.cleaned_data["action"] == "finalise"

    def ratings(self):
        """The keyword arguments of services.evaluation_rate."""
        return {name: value for name, value in self.cleaned_data.items() if name != "action"}


class SelfAssessmentForm(forms.Form):
    """The employee's own view: `self_rating_<RHK id>` with `self_comment_` and
    `self_evidence_`, `self_value_<n>` with `self_vcomment_`; unrated rows are left out."""

    note = _text()

    def clean(self):
        data = super().clean()
        data["rhk"] = _rows(
            self.data,
            "self_rating_",
            skip_empty=True,
            comment="self_comment_",
            evidence="self_evidence_",
        )
        data["behaviour"] = _rows(
            self.data, "self_value_", skip_empty=True, comment="self_vcomment_"
        )
        return data


class PeerRequestForm(forms.Form):
    peer = IdListField(required=False)  # the unit's colleagues, ticked
    peer_lain = IdListField(required=False)  # anyone of the agency, chosen with a picker


class PeerInputForm(forms.Form):
    """A rekan kerja's input: `value_<n>` per core value and a comment."""

    comment = _text()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code in berakhlak.CODES:
            self.fields[f"value_{code}"] = _text()

    def ratings(self):
        return {code: self.cleaned_data[f"value_{code}"] for code in berakhlak.CODES}


class AppealFileForm(forms.Form):
    reasons = _text()
    evidence = _text()


class AppealActionForm(forms.Form):
    """The appeal page: the decider asks for explanations or decides; the rater
    and the employee explain."""

    action = _text()
    text = _text()
    decision = _text()
    new_predikat = _text()
    reason = _text()
    recommendation = _text()


class CalibrationChangeForm(forms.Form):
    evaluation = forms.IntegerField(required=False)
    predikat = _text()
    reason = _text()


class CalibrationCloseForm(forms.Form):
    override_reason = _text()


class SettingsForm(forms.Form):
    """Admin BKD's settings; a number left empty takes the regulation's default."""

    DEFAULTS = {"small_part_numerator": 1, "small_part_denominator": 4, "min_unit_size": 5}

    self_assessment_required = forms.BooleanField(required=False)
    self_assessment_open = forms.BooleanField(required=False)
    peer_names_visible = forms.BooleanField(required=False)
    small_part_numerator = forms.IntegerField(
        required=False, error_messages={"invalid": INVALID_INPUT}
    )
    small_part_denominator = forms.IntegerField(
        required=False, error_messages={"invalid": INVALID_INPUT}
    )
    min_unit_size = forms.IntegerField(required=False, error_messages={"invalid": INVALID_INPUT})
    quota_enforcement = _text()

    def clean(self):
        data = super().clean()
        for name, default in self.DEFAULTS.items():
            if data.get(name) is None and name not in self.errors:
                data[name] = default
        if "quota_enforcement" not in self.data:
            data["quota_enforcement"] = "advisory"
        return data


class DayOffForm(forms.Form):
    date = _text()
    reason = _text()

    def clean_date(self):
        try:
            date = parse_date(self.cleaned_data["date"])
        except ValueError as error:  # well formed, but no such day
            raise ValidationError(INVALID_INPUT) from error
        if date is None:
            raise ValidationError(_("Tanggal tidak valid."))
        return date


def share_of_percent(value):
    """A percentage as typed ("12,5") as a share of the headcount (0.125); None when empty."""
    value = (value or "").strip().replace(",", ".")
    if not value:
        return None
    try:
        return Decimal(value) / 100
    except InvalidOperation as error:
        raise ValidationError(_("Persentase tidak valid: %(v)s") % {"v": value}) from error


class PolicyRuleForm(forms.Form):
    """One rule of the distribution policy, known by its place (`order`) in the policy."""

    rule = forms.IntegerField(required=False)
    min_pct = _text()
    max_pct = _text()
    at_least_one = forms.BooleanField(required=False)

    def clean_min_pct(self):
        return share_of_percent(self.cleaned_data["min_pct"])

    def clean_max_pct(self):
        return share_of_percent(self.cleaned_data["max_pct"])


class OrgGradeImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Berkas .xlsx atau .csv"))
    apply = forms.BooleanField(
        required=False, label=gettext_lazy("Terapkan (tanpa centang: hanya diperiksa)")
    )


class OrgGradeForm(forms.Form):
    """One unit's grade (or its whole subtree's): blank until chosen."""

    grade = _text()
    source = _text()
    note = _text()
    subtree = forms.BooleanField(required=False)
