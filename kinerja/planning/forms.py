"""The shape of what the planning pages post. The templates write their own
inputs; these forms only read them. Every rule (required text, known choices,
who may act) stays in the services, with their messages, so a field here is
optional and a text is passed on as typed (strip=False): the services strip.

A field the request leaves out is read as empty, except where a form names
another value in `absent` (what the pages always did)."""

from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.lib.forms import DateInput
from kinerja.rules import planning as rules
from kinerja.rules.calendar import WorkdayRules

from . import berakhlak
from .models import Rhk
from .services.calendar import PeriodDates


def _text() -> forms.CharField:
    return forms.CharField(required=False, strip=False)


def _id() -> forms.IntegerField:
    return forms.IntegerField(required=False)


class TargetNumberField(forms.CharField):
    """A target bound: "12", "12,5" or "12.5"; empty is None."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        text = (super().to_python(value) or "").replace(",", ".")
        if not text:
            return None
        try:
            return Decimal(text)
        except InvalidOperation as exc:
            raise forms.ValidationError(_("Angka target tidak valid: %(v)s") % {"v": text}) from exc


class IdListField(forms.Field):
    """Every value of a repeated field (checkboxes), as ids."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> list[int]:
        try:
            return [int(v) for v in value or []]
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(
                _("Sebagian SKP yang dipilih bukan SKP bawahan langsung Anda pada tahun yang sama.")
            ) from exc


class PostForm(forms.Form):
    """A page's POST. `absent` gives the value of a field left out of the
    request (one sent empty stays empty)."""

    absent: ClassVar[dict[str, Any]] = {}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, value in self.absent.items():
            if name not in self.data:
                data[name] = value
        return data


class RhkForm(PostForm):
    text = _text()
    kind = _text()
    source = _text()
    parent = _id()
    org_goal = _id()
    absent = {"kind": Rhk.Kind.UTAMA}

    def clean_source(self) -> str:
        return self.cleaned_data["source"] or Rhk.Source.INTERVENSI


class RhkEditForm(PostForm):
    """What is left out stays as stored (None for the service)."""

    text = _text()
    kind = _text()
    source = _text()
    parent = _id()
    org_goal = _id()
    absent = {"text": None, "kind": None, "source": None}

    def changes_link(self) -> bool:
        return "parent" in self.data or "org_goal" in self.data


class IkiForm(PostForm):
    text = _text()
    target_text = _text()
    aspect = _text()
    perspektif = _text()
    target_min = TargetNumberField()
    target_max = TargetNumberField()
    unit = _text()
    lower_is_better = forms.BooleanField(required=False)


class ManualIkiForm(PostForm):
    definition = _text()
    formula = _text()
    unit = _text()
    data_source = _text()
    reporting_period = _text()


class ExpectationsForm(PostForm):
    """One text per BerAKHLAK value, value_1 … value_7, read as
    `values` = {code: text}."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code in berakhlak.CODES:
            self.fields[f"value_{code}"] = _text()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        return {"values": {code: data[f"value_{code}"] for code in berakhlak.CODES}}


class LampiranForm(PostForm):
    dukungan_sumber_daya = _text()
    skema_pertanggungjawaban = _text()
    konsekuensi = _text()


class ApproachForm(PostForm):
    approach = _text()


class NoteForm(PostForm):
    note = _text()


class ReasonForm(PostForm):
    reason = _text()


class MatrixAssignForm(PostForm):
    rhk = _id()
    skp = IdListField()
    text = _text()
    kind = _text()
    absent = {"kind": Rhk.Kind.UTAMA}


class YearForm(PostForm):
    year = forms.IntegerField(
        min_value=rules.YEAR_MIN,
        max_value=rules.YEAR_MAX,
        error_messages={
            key: gettext_lazy("Tahun tidak valid.")
            for key in ("required", "invalid", "min_value", "max_value")
        },
    )
    frequency = _text()
    annual_source = _text()
    default_approach = _text()

    def clean_default_approach(self) -> str:
        return self.cleaned_data["default_approach"] or rules.KUANTITATIF


class OrgGoalForm(PostForm):
    text = _text()
    source = _text()
    indicator = _text()
    target = _text()
    unit = _id()


class UnitForm(PostForm):
    unit = _id()


def _date(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        error_messages={
            "required": gettext_lazy("Tanggal wajib diisi."),
            "invalid": gettext_lazy("Tanggal tidak valid."),
        },
    )


PERIOD_DATE_FIELDS = (
    ("realisasi_start", gettext_lazy("Realisasi mulai")),
    ("realisasi_end", gettext_lazy("Realisasi selesai")),
    ("window_start", gettext_lazy("Evaluasi mulai")),
    ("window_end", gettext_lazy("Evaluasi selesai")),
)


class CalendarForm(forms.Form):
    """The agency's calendar of a year: one form for every date and working-day rule.
    The periods' fields are named p<id>_<date>."""

    skp_deadline = _date(gettext_lazy("Batas penetapan SKP"))
    annual_start = _date(gettext_lazy("Evaluasi tahunan mulai"))
    annual_deadline = _date(gettext_lazy("Evaluasi tahunan selesai"))

    def __init__(self, *args: Any, periods: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.periods = periods
        for period in periods:
            for name, label in PERIOD_DATE_FIELDS:
                self.fields[f"p{period.pk}_{name}"] = _date(f"{period.label}: {label}")
        for name in WorkdayRules.names():
            self.fields[name] = forms.IntegerField(
                label=WORKDAY_FIELD_LABELS[name],
                error_messages={
                    "required": gettext_lazy("Jumlah hari kerja wajib diisi."),
                    "invalid": gettext_lazy("Jumlah hari kerja harus bilangan bulat."),
                },
            )

    def period_rows(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [
            (period, [self[f"p{period.pk}_{name}"] for name, _label in PERIOD_DATE_FIELDS])
            for period in self.periods
        ]

    def workday_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in WorkdayRules.names()]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "skp_deadline": data["skp_deadline"],
            "annual_start": data["annual_start"],
            "annual_deadline": data["annual_deadline"],
            "periods": {
                period.pk: PeriodDates(
                    **{name: data[f"p{period.pk}_{name}"] for name, _label in PERIOD_DATE_FIELDS}
                )
                for period in self.periods
            },
            "workdays": WorkdayRules(**{name: data[name] for name in WorkdayRules.names()}),
        }


WORKDAY_FIELD_LABELS = {
    "deliver_days": gettext_lazy("Penyampaian dokumen evaluasi"),
    "deliver_days_by_superior": gettext_lazy("Penyampaian dokumen (dinilai atasan penilai)"),
    "acknowledge_days": gettext_lazy("Tanda terima pegawai"),
    "acknowledge_days_by_superior": gettext_lazy("Tanda terima (dinilai atasan penilai)"),
    "appeal_file_days": gettext_lazy("Pengajuan keberatan"),
    "appeal_decide_days": gettext_lazy("Keputusan keberatan"),
    "report_days": gettext_lazy("Laporan ke PyB"),
    "superior_rates_days": gettext_lazy("Penilaian oleh atasan pejabat penilai"),
}


class OverrideForm(PostForm):
    """A unit's own dates for one window (the service checks every rule)."""

    unit = _id()
    window = _text()
    period = _id()
    start = forms.DateField(
        required=False,
        error_messages={"invalid": gettext_lazy("Tanggal mulai tidak valid.")},
    )
    end = forms.DateField(
        error_messages={
            "required": gettext_lazy("Tanggal selesai wajib diisi."),
            "invalid": gettext_lazy("Tanggal selesai tidak valid."),
        },
    )
    reason = _text()
