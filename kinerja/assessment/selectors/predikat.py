"""The one current predikat of an evaluation, and how it came to be.

Every page, API response, printed document and export that shows a person's
predikat reads it here (docs/domain.md §4 and §5):

- `current_predikat(evaluation)`: what holds now: the appeal decision, else the
  calibration, else the rater's (the matrix's result of the rater's ratings);
- `predikat_map(evaluations)`: the same for many evaluations, set-based (no
  query for loaded evaluations, one for a queryset);
- `predikat_history(evaluation)`: proposed by the app, decided by the rater,
  changed in calibration, decided on appeal: each with who, when and why.

Calibration and the appeal decision keep `Evaluation.predikat_final` up to date,
so the current predikat needs no join; the history reads the calibration changes
and the appeal (two queries).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kinerja.org.models import Employee, User
from kinerja.rules import predikat as rules

from ..models import Appeal, CalibrationChange, Evaluation, PredikatChoice


def current_of(predikat: str, predikat_final: str) -> str:
    """The current predikat from the two stored codes, for reads that select plain
    values (calibration, follow-up histories): the final one, else the rater's."""
    return predikat_final or predikat


def current_predikat(evaluation: Evaluation) -> str:
    """The predikat code that holds now ("" while none): after an appeal decision
    or a calibration change, else the rater's."""
    return current_of(evaluation.predikat, evaluation.predikat_final)


def predikat_label(code: str) -> str:
    """The Indonesian label of a predikat code ("" for none)."""
    return str(PredikatChoice(code).label) if code in PredikatChoice.values else ""


def predikat_map(evaluations: Iterable[Evaluation] | QuerySet[Evaluation]) -> dict[int, str]:
    """{evaluation id: current predikat code}: no query for loaded evaluations,
    one for a queryset."""
    if isinstance(evaluations, QuerySet):
        rows = evaluations.values_list("pk", "predikat", "predikat_final")
        return {pk: current_of(rated, final) for pk, rated, final in rows}
    return {e.pk: current_predikat(e) for e in evaluations}


@dataclass(frozen=True)
class PredikatStep:
    """One step of a predikat's history."""

    #: proposed (by the app), rated (decided by the rater), calibration, appeal
    kind: str
    predikat: str
    label: str
    by: str
    at: dt.datetime | dt.date | None
    reason: str

    @property
    def kind_label(self) -> str:
        return {
            "proposed": _("Usulan aplikasi"),
            "rated": _("Ditetapkan pejabat penilai"),
            "calibration": _("Diubah dalam kalibrasi"),
            "appeal": _("Diputus atas keberatan"),
        }[self.kind]


def _person(employee: Employee | None) -> str:
    return employee.full_name if employee is not None else ""


def _user_name(user: User | None) -> str:
    if user is None:
        return ""
    employee = getattr(user, "employee", None)
    if employee is not None:
        return str(employee.full_name)
    return user.get_full_name() or user.get_username()


def _step(
    kind: str, code: str, by: str, at: dt.datetime | dt.date | None, reason: str
) -> PredikatStep:
    return PredikatStep(
        kind=kind, predikat=code, label=predikat_label(code), by=by, at=at, reason=reason
    )


def predikat_history(evaluation: Evaluation) -> list[PredikatStep]:
    """The steps of an evaluation's predikat, oldest first (two queries).

    The app's proposal is the matrix applied to its proposed hasil kerja and the
    rater's perilaku; the rater's decision is the matrix applied to the rater's
    own ratings, with the written reason when they differ from the proposal."""
    steps: list[PredikatStep] = []
    if not evaluation.predikat:
        return steps
    rater = evaluation.rated_by or evaluation.rater
    if evaluation.hasil_proposed and evaluation.perilaku:
        proposed = rules.predikat(
            rules.Rating(evaluation.hasil_proposed), rules.Rating(evaluation.perilaku)
        ).value
        steps.append(_step("proposed", proposed, _("Aplikasi"), evaluation.finalised_at, ""))
    differs = evaluation.hasil_proposed and evaluation.hasil != evaluation.hasil_proposed
    steps.append(
        _step(
            "rated",
            evaluation.predikat,
            _person(rater),
            evaluation.finalised_at,
            evaluation.hasil_differ_reason.strip() if differs else "",
        )
    )
    changes = CalibrationChange.objects.filter(evaluation_id=evaluation.pk).select_related(
        "by__employee"
    )
    for change in changes.order_by("at", "pk"):
        steps.append(
            _step("calibration", change.after, _user_name(change.by), change.at, change.reason)
        )
    appeal = (
        Appeal.objects.filter(evaluation_id=evaluation.pk, status=Appeal.Status.DECIDED)
        .select_related("decider")
        .first()
    )
    if appeal is not None:
        steps.append(
            _step(
                "appeal",
                appeal.new_predikat or appeal.predikat_before,
                _person(appeal.decider),
                appeal.decided_on,
                appeal.decision_reason,
            )
        )
    return steps
