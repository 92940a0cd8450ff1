"""Forms for the monitoring pages. They read and shape what a page posts;
the services (`services/`) do the business checks. Their `cleaned_data` holds
the service's keyword arguments.

The pages render their fields by hand (templates/monitoring/), so the forms
are not rendered; a form's error messages are the pages' own messages, shown
one at a time in the order the page checks its fields (`first_error`).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.org.models import Employee
from kinerja.planning.models import Period, Rhk

from .forms_text import COMPETENCIES, RECORD_HEADINGS, SESSION_FEEDBACK_ITEMS
from .models import CoachingSession, Evidence, Feedback


def first_error(form: forms.Form) -> str:
    """The first error of an invalid form, in the order of its fields."""
    for field in [*form.fields, forms.forms.NON_FIELD_ERRORS]:
        if field in form.errors:
            return str(form.errors[field][0])
    return ""


def _one_message(message):
    """The same message for a missing and an unknown value."""
    return {"required": message, "invalid": message, "invalid_choice": message}


def _model_choice(queryset, message):
    return forms.ModelChoiceField(queryset=queryset, error_messages=_one_message(message))


class IsoDateField(forms.DateField):
    """An ISO date (the native date picker's), with the page's own message."""

    def __init__(self, message, **kwargs):
        super().__init__(input_formats=["%Y-%m-%d"], error_messages=_one_message(message), **kwargs)


class TextField(forms.CharField):
    """Text as posted; the services strip it and say when it is missing."""

    def __init__(self, **kwargs):
        super().__init__(required=False, strip=False, **kwargs)


class ValueListField(forms.Field):
    """The values of checkboxes sharing a name."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        return [str(v) for v in value or []]


class LenientChoiceField(forms.ModelChoiceField):
    """An optional choice where an unknown id means no choice."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            return None


class PageActionForm(forms.Form):
    """Which of a page's forms was posted (its hidden "action" field)."""

    action = TextField()


class EvidenceFields(forms.Form):
    """A file and/or a link (templates/monitoring/_evidence_fields.html)."""

    link = TextField()
    file = forms.FileField(required=False, allow_empty_file=True)


class RealisasiForm(EvidenceFields):
    period = forms.TypedChoiceField(coerce=int, error_messages=_one_message(_("Pilih periode.")))
    value = TextField()
    narrative = TextField()
    field_order = ["period", "value", "narrative", "link", "file"]

    def __init__(self, *args, periods: list[Period], **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = {p.pk: p for p in periods}
        self.fields["period"].choices = [(p.pk, p.label) for p in periods]

    def clean_period(self):
        return self.periods[self.cleaned_data["period"]]


class DailyLogForm(EvidenceFields):
    rhk = _model_choice(Rhk.objects.none(), _("Pilih RHK."))
    date = IsoDateField(_("Tanggal tidak valid."))
    text = TextField()
    duration = TextField()
    field_order = ["rhk", "date", "text", "duration", "link", "file"]

    def __init__(self, *args, rhks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rhk"].queryset = rhks


class DailyLogEditForm(forms.Form):
    """The author's correction of a daily log (the service checks whose RHK)."""

    rhk = _model_choice(Rhk.objects.none(), _("Pilih RHK."))
    date = IsoDateField(_("Tanggal tidak valid."))
    text = TextField()
    duration = TextField()

    def __init__(self, *args, rhks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rhk"].queryset = rhks


class FeedbackForm(forms.Form):
    """Feedback posted on a realisasi, a daily log or an RHK page."""

    text = TextField()
    kind = TextField()

    def clean_kind(self):
        return self.cleaned_data["kind"] or Feedback.Kind.INCIDENTAL


class EmployeeFeedbackForm(FeedbackForm):
    """Feedback to an employee about one of their RHK ("rhk:<id>") or a core
    value ("value:<code>")."""

    target = TextField()
    field_order = ["target", "text", "kind"]

    def __init__(self, *args, rhks: list[Rhk], **kwargs):
        super().__init__(*args, **kwargs)
        self.rhks = rhks

    def clean_target(self):
        target = self.cleaned_data["target"]
        if target.startswith("rhk:"):
            rhk = next((r for r in self.rhks if str(r.pk) == target[4:]), None)
            if rhk is None:
                raise forms.ValidationError(_("RHK tidak ditemukan."))
            return {"rhk": rhk}
        if target.startswith("value:"):
            return {"value": target[6:]}
        return {}

    def clean(self):
        data = super().clean()
        target = data.pop("target", {})
        return {**data, **target}


class FeedbackRequestRefForm(forms.Form):
    """Which request for feedback a page answers (posted, or in the link)."""

    request = forms.IntegerField(required=False)


class ReplyForm(forms.Form):
    text = TextField()
    next = TextField()


class FeedbackAskForm(forms.Form):
    asked = _model_choice(Employee.objects.none(), _("Pilih pegawai yang dimintai umpan balik."))
    rhk = LenientChoiceField(queryset=Rhk.objects.none(), required=False)
    message = TextField()

    def __init__(self, *args, employees, rhks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asked"].queryset = employees
        self.fields["rhk"].queryset = rhks


class EvidenceReviewForm(forms.Form):
    status = TextField()
    note = TextField()

    def clean(self):
        data = super().clean()
        return {
            "insufficient": data["status"] == Evidence.Status.INSUFFICIENT,
            "note": data["note"],
        }


class DoneForm(forms.Form):
    """A step or an action marked done ("1", the default) or open again ("0")."""

    done = TextField()
    next = TextField()

    def clean_done(self):
        return self.cleaned_data["done"] != "0"


class ActionPlanStepForm(forms.Form):
    text = TextField()
    due = IsoDateField(_("Target waktu tidak valid."))


class TakeoverForm(forms.Form):
    note = TextField()


class ProjectReportForm(forms.Form):
    achievements = TextField()
    challenges = TextField()


class DialogueForm(forms.Form):
    participants = ValueListField(required=False)
    scheduled_at = forms.DateTimeField(error_messages=_one_message(_("Jadwal tidak valid.")))
    agenda = TextField()

    def clean_participants(self):
        """Employee ids; what is not a number is left out."""
        return [int(v) for v in self.cleaned_data["participants"] if v.isdigit()]


class DialogueNotesForm(forms.Form):
    notes = TextField()


class AgreedActionForm(forms.Form):
    owner = _model_choice(Employee.objects.none(), _("Pilih penanggung jawab."))
    text = TextField()
    due = IsoDateField(_("Batas waktu tidak valid."))

    def __init__(self, *args, employees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = employees


class CoachingKindForm(forms.Form):
    kind = forms.ChoiceField(choices=CoachingSession.Kind.choices, required=False)


class CoachingSessionForm(forms.Form):
    """Forms B.1.6, B.1.7 and B.1.10: the common fields and the headings of the
    record's kind (`forms_text.RECORD_HEADINGS`), gathered into `details`."""

    employee = _model_choice(Employee.objects.none(), _("Pilih pegawai."))
    date = IsoDateField(_("Tanggal tidak valid."))
    topic = TextField()
    place = TextField()
    value = TextField()
    follow_up = TextField()

    def __init__(self, *args, kind, employees, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["employee"].queryset = employees
        for key, heading in RECORD_HEADINGS[kind]:
            self.fields[key] = TextField(label=heading)

    def clean(self):
        data = super().clean()
        headings = [key for key, _heading in RECORD_HEADINGS[self.kind]]
        details = {key: data.pop(key, "") for key in headings}
        return {**data, "kind": self.kind, "details": details, "value": data.get("value") or None}


class SessionFeedbackForm(forms.Form):
    """Form B.1.8: q0..q8 answered "1" (agree) or "0" (disagree)."""

    comment = TextField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(len(SESSION_FEEDBACK_ITEMS)):
            self.fields[f"q{i}"] = TextField()

    def clean(self):
        data = super().clean()
        answers = []
        for i in range(len(SESSION_FEEDBACK_ITEMS)):
            answer = data.pop(f"q{i}", "")
            answers.append(answer == "1" if answer in ("0", "1") else None)
        return {"answers": answers, "comment": data.get("comment", "")}


class CompetencyForm(forms.Form):
    """Form B.1.9: a score (and reason) per listed competency, one technical
    competency by name, and a recommendation."""

    technical_name = TextField()
    technical_score = TextField()
    technical_reason = TextField()
    recommendation = TextField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(len(COMPETENCIES)):
            self.fields[f"score{i}"] = TextField()
            self.fields[f"reason{i}"] = TextField()

    def clean(self):
        data = super().clean()
        scores = [
            {"name": name, "score": data[f"score{i}"], "reason": data[f"reason{i}"]}
            for i, (_group, name) in enumerate(COMPETENCIES)
            if data[f"score{i}"]
        ]
        if data["technical_name"]:
            scores.append(
                {
                    "name": data["technical_name"],
                    "score": data["technical_score"],
                    "reason": data["technical_reason"],
                }
            )
        return {"scores": scores, "recommendation": data["recommendation"]}


class NotificationPreferencesForm(forms.Form):
    """The kinds of notification also sent by e-mail (unknown kinds are left out
    by the service)."""

    email = ValueListField(required=False)
    digest = forms.BooleanField(required=False)


class NotificationReadForm(forms.Form):
    """Mark one notification read (from the bell's dropdown), then go back."""

    id = forms.IntegerField(required=False)
    next = TextField()
