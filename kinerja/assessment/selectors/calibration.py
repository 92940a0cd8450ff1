"""Calibration: who may see one, how the units are pooled, the distribution of
a unit beside the policy's quotas."""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, Q, QuerySet

from kinerja.org.access import Access
from kinerja.org.models import OrgUnit
from kinerja.planning.models import PerformanceYear
from kinerja.rules import distribution
from kinerja.rules import predikat as rules
from kinerja.rules.predikat import PREDIKAT_ORDER

from .. import labels
from ..models import (
    Calibration,
    CalibrationChange,
    Evaluation,
    OrgGradeChoice,
    PredikatChoice,
    RatingChoice,
)
from .close import SKP_SET
from .grades import grade_map
from .policy import policy_for, settings_for
from .predikat import current_of

# Why the proposal of a unit head follows their unit's grade (selectors.rating).
_REASON_UNIT_HEAD = "unit_head"


def calibration_filter(access: Access) -> Q:
    """A Q over Calibration: the agency's, for the tim penilai kinerja and admin
    BKD only (nobody else sees a calibration)."""
    if access.agency_id is None or not (access.is_tim_penilai or access.is_admin):
        return Q(pk__in=[])
    return Q(agency_id=access.agency_id)


def calibration_detail_queryset() -> QuerySet[Calibration]:
    return Calibration.objects.select_related("unit", "year")


class CalibrationGroups(NamedTuple):
    """How the units of a year are pooled for calibration."""

    #: {calibration unit id: [member unit ids]} of the units that have evaluations
    groups: dict[int, list[int]]
    #: {unit id: annual evaluations of the unit and the units merged into it}
    size: dict[int, int]
    #: {small unit id: the unit it is calibrated with}
    merged_into: dict[int, int]
    #: {unit id: parent unit id}
    parent: dict[int, int | None]


def calibration_groups(agency_id: int, year: PerformanceYear, min_size: int) -> CalibrationGroups:
    """Units with fewer than `min_size` annual evaluations (own plus merged
    children) are pooled with their parent (docs/domain.md §4). Only evaluations of a set
    SKP count (see calibration_evaluations). Two queries."""
    units = list(
        OrgUnit.objects.filter(agency_id=agency_id).values_list("pk", "parent_id", "depth")
    )
    counts = dict(
        Evaluation.objects.filter(
            agency_id=agency_id, year=year, period__isnull=True, skp__status__in=SKP_SET
        )
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    parent: dict[int, int | None] = {pk: parent_id for pk, parent_id, _depth in units}
    members = {pk: [pk] for pk, _p, _d in units}
    size = {pk: counts.get(pk, 0) for pk, _p, _d in units}
    merged_into: dict[int, int] = {}
    for pk, parent_id, _depth in sorted(units, key=lambda u: -u[2]):
        if parent_id is not None and size[pk] < min_size:
            members[parent_id] += members.pop(pk)
            size[parent_id] += size[pk]
            merged_into[pk] = parent_id
    groups = {pk: ids for pk, ids in members.items() if size[pk] > 0}
    for pk in list(merged_into):
        target = merged_into[pk]
        while target in merged_into:
            target = merged_into[target]
        merged_into[pk] = target
    return CalibrationGroups(groups, size, merged_into, parent)


def pool_evaluations(calibration: Calibration) -> QuerySet[Evaluation]:
    """Every annual evaluation of a calibration's pool (its unit and the merged ones),
    whichever round decides it: the quotas are checked over these. An evaluation whose
    SKP was never set (ditetapkan) is not in the pool: it cannot be rated, so it has no
    predikat to distribute and would only block the close; the employee has no final
    result for the year ("SKP belum disetujui", selectors.close_gaps)."""
    return Evaluation.objects.filter(
        agency_id=calibration.agency_id,
        year_id=calibration.year_id,
        period__isnull=True,
        unit_id__in=calibration.member_unit_ids,
        skp__status__in=SKP_SET,
    )


def calibration_evaluations(calibration: Calibration) -> QuerySet[Evaluation]:
    """The annual evaluations this round decides: while it is open, those of the pool
    that no closed round decided; once closed, those it decided."""
    pool = pool_evaluations(calibration)
    if calibration.status == Calibration.Status.CLOSED:
        return pool.filter(calibrated_in=calibration)
    return pool.filter(calibrated_in__isnull=True)


def predikat_counts(calibration: Calibration) -> dict[str, int]:
    """{predikat: employees} of a calibration's whole pool (every round), by the predikat
    that holds now."""
    counts: dict[str, int] = {}
    rows = (
        pool_evaluations(calibration)
        .exclude(predikat="")
        .values_list("predikat", "predikat_final")
        .annotate(n=Count("pk"))
    )
    for proposed, final, n in rows:
        key = current_of(proposed, final)
        counts[key] = counts.get(key, 0) + n
    return counts


def violations(
    calibration: Calibration,
    counts: Mapping[str, int],
    policy: Sequence[distribution.QuotaRule] | None = None,
) -> list[distribution.Violation]:
    """The quotas of the policy that `counts` break ([] without an organisation grade)."""
    if not calibration.org_grade:
        return []
    policy = policy if policy is not None else policy_for(calibration.agency_id)
    return distribution.check(
        rules.OrgGrade(calibration.org_grade),
        {rules.Predikat(p): n for p, n in counts.items()},
        policy,
    )


@dataclass(frozen=True)
class CalibrationRow:
    pk: int
    name: str
    unit: str
    ratings: str
    predikat: str
    proposed_label: str
    current: str
    current_label: str


@dataclass
class CalibrationState:
    calibration: Calibration
    evaluations: list[CalibrationRow]
    counts: dict[str, int]
    n: int
    bars: list[dict[str, object]] = field(default_factory=list)
    quota: list[dict[str, object]] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    pending: int = 0
    changes: list[CalibrationChange] = field(default_factory=list)
    #: employees of the pool decided by another round (counted in the quotas)
    other_rounds: int = 0
    #: employees of the pool that wait for a follow-up round (this round is closed)
    awaiting: int = 0
    #: every round of this unit's calibration, oldest first
    rounds: list[Calibration] = field(default_factory=list)


def calibration_state(calibration: Calibration) -> CalibrationState:
    """The pool's distribution beside the policy, with the rows this round decides:
    evaluations of the whole pool (one query), policy (one), changes (one), rounds
    (one): fixed whatever the unit's size."""
    closed = calibration.status == Calibration.Status.CLOSED
    rows = (
        pool_evaluations(calibration)
        .order_by("unit__path", "employee__name", "pk")
        .values_list(
            "calibrated_in_id",
            "pk",
            "employee__front_title",
            "employee__name",
            "employee__back_title",
            "unit__name",
            "hasil",
            "perilaku",
            "predikat",
            "predikat_final",
        )
    )
    counts: Counter[str] = Counter()
    pending = 0
    rating = {k: str(v) for k, v in RatingChoice.choices}
    predikat = {k: str(v) for k, v in PredikatChoice.choices}
    evaluations = []
    other_rounds = awaiting = 0
    for decided_in, pk, front, name, back, unit, hasil, perilaku, proposed, final in rows:
        current = current_of(proposed, final)
        if current:
            counts[current] += 1
        mine = decided_in == calibration.pk if closed else decided_in is None
        if not mine:
            if decided_in is None:
                awaiting += 1
            else:
                other_rounds += 1
            continue
        if not current:
            pending += 1
        full = f"{front} {name}".strip()
        full = f"{full}, {back}" if back else full
        # Plain values (no model instances): a 2,000-row unit reads in milliseconds.
        evaluations.append(
            CalibrationRow(
                pk=pk,
                name=full,
                unit=unit,
                ratings=f"{rating.get(hasil, '-')} / {rating.get(perilaku, '-')}",
                predikat=proposed,
                proposed_label=predikat.get(proposed, "-"),
                current=current,
                current_label=predikat.get(current, "-"),
            )
        )
    n = sum(counts.values())
    policy = policy_for(calibration.agency_id)
    grade = rules.OrgGrade(calibration.org_grade) if calibration.org_grade else None
    found = violations(calibration, counts, policy) if grade else []
    quota: list[dict[str, object]] = []
    if grade:
        for rule, low, high in distribution.quota_table(grade, n, policy):
            count = sum(counts.get(p, 0) for p in rule.predikat)
            quota.append(
                {
                    "names": labels.predikat_names(rule.predikat),
                    "min": low,
                    "max": high,
                    "count": count,
                    "ok": (low is None or count >= low) and (high is None or count <= high),
                }
            )
    bars: list[dict[str, object]] = []
    for p in PREDIKAT_ORDER:
        low, high = _band(p, grade, n, policy) if grade else (None, None)
        # Rules naming it with others ("Butuh Perbaikan, Kurang/Misconduct: at
        # least one"), for the chart to say beside the predikat's own band.
        joint = [
            {
                "others": labels.predikat_names(rule.predikat - {p}),
                "min": rule_low,
                "max": rule_high,
                "ok": _within(sum(counts.get(x, 0) for x in rule.predikat), rule_low, rule_high),
            }
            for rule, rule_low, rule_high in (
                distribution.quota_table(grade, n, policy) if grade else []
            )
            if p in rule.predikat and len(rule.predikat) > 1
        ]
        bars.append(
            {
                "code": p.value,
                "label": str(PredikatChoice(p.value).label),
                "count": counts.get(p.value, 0),
                "min": low,
                "max": high,
                "joint": joint,
            }
        )
    changes = list(
        CalibrationChange.objects.filter(calibration=calibration)
        .select_related("evaluation__employee", "by")
        .order_by("at", "pk")
    )
    return CalibrationState(
        calibration=calibration,
        evaluations=evaluations,
        counts=dict(counts),
        n=n,
        bars=bars,
        quota=quota,
        violations=[labels.violation_text(v) for v in found],
        pending=pending,
        changes=changes,
        other_rounds=other_rounds,
        awaiting=awaiting,
        rounds=list(
            Calibration.objects.filter(year_id=calibration.year_id, unit_id=calibration.unit_id)
            .only("pk", "round", "status")
            .order_by("round")
        ),
    )


def _within(count: int, low: int | None, high: int | None) -> bool:
    return (low is None or count >= low) and (high is None or count <= high)


def _band(
    predikat: rules.Predikat,
    grade: rules.OrgGrade,
    n: int,
    policy: Sequence[distribution.QuotaRule],
) -> tuple[int | None, int | None]:
    """The allowed band of one predikat from the rules naming it alone."""
    low, high = None, None
    for rule, rule_low, rule_high in distribution.quota_table(grade, n, policy):
        if rule.predikat == frozenset({predikat}):
            low, high = rule_low, rule_high
    return low, high


class CalibrationPools(NamedTuple):
    """The calibration pools of a year as they stand: a unit once calibrated stays in the
    pool of that calibration (its later rounds keep its quotas); units with evaluations
    since then join by the usual pooling, into the pool their group's unit is in."""

    #: {calibration unit id: [member unit ids]}
    pools: dict[int, list[int]]
    #: {calibration unit id: its latest round}
    latest: dict[int, Calibration]
    #: {unit id: the calibration unit whose pool it is in}
    pool_of: dict[int, int]
    grouped: CalibrationGroups


def calibration_pools(agency_id: int, year: PerformanceYear, min_size: int) -> CalibrationPools:
    """Three queries: the pooling of calibration_groups and the year's calibrations."""
    grouped = calibration_groups(agency_id, year, min_size)
    latest: dict[int, Calibration] = {}
    for calibration in Calibration.objects.filter(agency_id=agency_id, year=year).order_by(
        "round", "pk"
    ):
        latest[calibration.unit_id] = calibration
    pools = {unit_id: list(c.member_unit_ids) for unit_id, c in latest.items()}
    pool_of = {member: unit_id for unit_id, members in pools.items() for member in members}
    for unit_id, members in grouped.groups.items():
        free = [member for member in members if member not in pool_of]
        if not free:
            continue
        home = pool_of.get(unit_id, unit_id)
        pools.setdefault(home, []).extend(free)
        for member in free:
            pool_of[member] = home
    return CalibrationPools(
        {unit_id: sorted(members) for unit_id, members in pools.items()},
        latest,
        pool_of,
        grouped,
    )


@dataclass
class CalibrationUnit:
    """A calibration unit of the year: its members, size and latest calibration round,
    with the evaluations that wait for a follow-up round once that round closed."""

    unit: OrgUnit
    members: int
    n: int
    calibration: Calibration | None
    too_small: bool
    awaiting: int = 0


def calibration_units(*, year: PerformanceYear) -> list[CalibrationUnit]:
    """The calibration units of the year with their members, sizes and any
    calibration: six queries whatever the agency's size."""
    settings = settings_for(year.agency_id)
    pooled = calibration_pools(year.agency_id, year, settings.min_unit_size)
    units = OrgUnit.objects.in_bulk(list(pooled.pools))
    per_unit = {
        unit_id: (n, waiting)
        for unit_id, n, waiting in Evaluation.objects.filter(
            agency_id=year.agency_id, year=year, period__isnull=True, skp__status__in=SKP_SET
        )
        .values_list("unit_id")
        .annotate(n=Count("pk"), waiting=Count("pk", filter=Q(calibrated_in__isnull=True)))
        .values_list("unit_id", "n", "waiting")
    }
    rows = []
    for unit_id, members in pooled.pools.items():
        n = sum(per_unit.get(m, (0, 0))[0] for m in members)
        if n == 0:
            continue
        calibration = pooled.latest.get(unit_id)
        closed = calibration is not None and calibration.status == Calibration.Status.CLOSED
        rows.append(
            CalibrationUnit(
                unit=units[unit_id],
                members=len(members),
                n=n,
                calibration=calibration,
                too_small=n < settings.min_unit_size,
                awaiting=sum(per_unit.get(m, (0, 0))[1] for m in members) if closed else 0,
            )
        )
    rows.sort(key=lambda row: row.unit.path)
    return rows


# --- A grade that changed while the calibration is open --------------------------------


def _label(
    choices: type[OrgGradeChoice] | type[PredikatChoice] | type[RatingChoice], code: str
) -> str:
    return str(choices(code).label) if code else "-"


@dataclass(frozen=True)
class GradeChangeRow:
    """One proposal that the organisation grade's change affects: the grade it recorded and
    the grade that holds now (of the unit its rater leads), and the predikat the new grade
    gives (a unit head's rating hasil kerja follows their unit's grade, when the rater
    followed the proposal; kinerja.rules.predikat)."""

    pk: int
    employee_id: int
    name: str
    unit: str
    grade_before: str
    grade_after: str
    hasil_before: str
    hasil_after: str
    predikat_before: str
    predikat_after: str

    @property
    def grade_before_label(self) -> str:
        return _label(OrgGradeChoice, self.grade_before)

    @property
    def grade_after_label(self) -> str:
        return _label(OrgGradeChoice, self.grade_after)

    @property
    def hasil_before_label(self) -> str:
        return _label(RatingChoice, self.hasil_before)

    @property
    def hasil_after_label(self) -> str:
        return _label(RatingChoice, self.hasil_after)

    @property
    def predikat_before_label(self) -> str:
        return _label(PredikatChoice, self.predikat_before)

    @property
    def predikat_after_label(self) -> str:
        return _label(PredikatChoice, self.predikat_after)


@dataclass(frozen=True)
class GradeChanges:
    """What changed since the proposals were made: the calibration's own grade (of its unit,
    for the quotas) and the affected proposals. Nothing once the calibration is closed."""

    grade_before: str
    grade_after: str
    rows: list[GradeChangeRow]

    @property
    def unit_changed(self) -> bool:
        return bool(self.grade_before and self.grade_after) and (
            self.grade_before != self.grade_after
        )

    @property
    def any(self) -> bool:
        return self.unit_changed or bool(self.rows)

    @property
    def grade_before_label(self) -> str:
        return _label(OrgGradeChoice, self.grade_before)

    @property
    def grade_after_label(self) -> str:
        return _label(OrgGradeChoice, self.grade_after)


def calibration_grade_changes(calibration: Calibration) -> GradeChanges:
    """The proposals of an open calibration whose organisation grade changed after they were
    made: the grade each evaluation recorded when it was finalised against the grade that
    holds now for the unit its rater leads (own or inherited, kinerja.assessment.selectors
    .grades), and for a unit head who got the grade's rating, the predikat the new grade
    gives. Two queries whatever the calibration's size (its unit and year loaded)."""
    if calibration.status != Calibration.Status.OPEN:
        return GradeChanges("", "", [])
    found = list(
        calibration_evaluations(calibration)
        .exclude(predikat="")
        .order_by("unit__path", "employee__name", "pk")
        .values_list(
            "pk",
            "employee_id",
            "employee__front_title",
            "employee__name",
            "employee__back_title",
            "unit__name",
            "rater_unit_id",
            "rater_unit__path",
            "skp__position__unit_id",
            "skp__position__unit__path",
            "org_grade",
            "hasil",
            "hasil_proposed",
            "hasil_reasons",
            "perilaku",
            "predikat",
        )
    )
    units = {calibration.unit_id: OrgUnit(pk=calibration.unit_id, path=calibration.unit.path)}
    for row in found:
        for unit_id, path in ((row[6], row[7]), (row[8], row[9])):
            if unit_id is not None:
                units[unit_id] = OrgUnit(pk=unit_id, path=path)
    grades = grade_map(units.values(), calibration.year)

    def grade_of(unit_id: int | None) -> str:
        found_grade = grades.get(unit_id) if unit_id is not None else None
        return found_grade.grade if found_grade is not None else ""

    rows = []
    for (
        pk,
        employee_id,
        front,
        name,
        back,
        unit,
        rater_unit_id,
        _rater_path,
        head_unit_id,
        _head_path,
        recorded,
        hasil,
        proposed,
        reasons,
        perilaku,
        predikat,
    ) in found:
        now = grade_of(rater_unit_id)
        after = now if recorded and now else recorded
        hasil_after = hasil
        head_grade = grade_of(head_unit_id)
        if _REASON_UNIT_HEAD in (reasons or []) and head_grade and hasil == proposed:
            hasil_after = rules.unit_head_hasil_kerja(rules.OrgGrade(head_grade)).value
        predikat_after = (
            rules.predikat(rules.Rating(hasil_after), rules.Rating(perilaku)).value
            if hasil_after and perilaku
            else predikat
        )
        if (after, hasil_after, predikat_after) == (recorded, hasil, predikat):
            continue
        full = f"{front} {name}".strip()
        rows.append(
            GradeChangeRow(
                pk=pk,
                employee_id=employee_id,
                name=f"{full}, {back}" if back else full,
                unit=unit,
                grade_before=recorded,
                grade_after=after,
                hasil_before=hasil,
                hasil_after=hasil_after,
                predikat_before=predikat,
                predikat_after=predikat_after,
            )
        )
    return GradeChanges(calibration.org_grade, grade_of(calibration.unit_id), rows)
