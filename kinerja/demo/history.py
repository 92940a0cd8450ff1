"""A demo with history (issue 11): the closed performance years before the
current one, and the helpers that kinerja.demo.current uses for the year in
progress. kinerja.demo.build puts them together, once per year.

Built on the demo agency of `kinerja.org.demo` (`manage.py demo_data`).
Volume (SKP content, realisasi, ratings, survey responses) is written
set-based with bulk_create; the few showcase rows that people look at
(organisation grades of the OPD, calibration changes, an appeal, candidate
decisions, awards, a sanction) go through the services, so their audit trail
and history exist as if people had acted.

This module stands at the top layer (like kinerja.testing): it may import
every stage.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Case, F, Value, When
from django.test.utils import override_settings
from django.utils import timezone

from kinerja.assessment import selectors as assessment_selectors
from kinerja.assessment import services as assessment
from kinerja.assessment.models import (
    BehaviourAssessment,
    Calibration,
    Evaluation,
    OrgPerformance,
    RhkAssessment,
)
from kinerja.assessment.selectors.grades import grade_map
from kinerja.assessment.services.grades import GradeEntry
from kinerja.followup import services as followup
from kinerja.followup.models import (
    Award,
    Candidate,
    Outcome,
    Sanction,
    TrainingCourse,
    TrainingKind,
    TrainingRecord,
)
from kinerja.jobs.services import enqueue
from kinerja.lib.hashing import content_hash
from kinerja.monitoring.models import Evidence, Realisasi
from kinerja.org.access import superior_map
from kinerja.org.models import Agency, Employee, OrgUnit, Position, RoleGrant, User
from kinerja.planning import berakhlak
from kinerja.planning import selectors as planning_selectors
from kinerja.planning import services as planning
from kinerja.planning.jobs import draft_skp
from kinerja.planning.models import (
    BehaviourExpectation,
    Iki,
    PerformanceYear,
    Period,
    Rhk,
    Skp,
    SkpVersion,
)
from kinerja.rules.predikat import Predikat, Rating, predikat

SEED = 2026
BATCH = 2000

ATAS, SESUAI, BAWAH = Rating.DI_ATAS.value, Rating.SESUAI.value, Rating.DI_BAWAH.value
SB, B, BP, K, SK = (p.value for p in Predikat)
ISTIMEWA, G_BAIK, G_BP = "istimewa", "baik", "butuh_perbaikan"

# How an organisation grade spreads its people over the predikat: cumulative
# thresholds of the employee's score (0 best .. 1 worst). Within the default
# distribution policy (kinerja.rules.distribution.DEFAULT_POLICY) for most units.
SPREAD = {
    ISTIMEWA: ((0.35, SB), (0.95, B), (1.01, BP)),
    G_BAIK: ((0.14, SB), (0.80, B), (0.95, BP), (1.01, K)),
    G_BP: ((0.05, SB), (0.35, B), (0.95, BP), (1.01, K)),
}
# The ratings that give each predikat (kinerja.rules.predikat.PREDIKAT_MATRIX).
RATINGS = {SB: (ATAS, ATAS), B: (SESUAI, SESUAI), BP: (BAWAH, SESUAI), K: (SESUAI, BAWAH)}

RHK_TEXT = {
    "jpt": [
        "Meningkatnya kualitas pelayanan publik {unit}",
        "Meningkatnya akuntabilitas kinerja {unit}",
    ],
    "struktural": [
        "Terlaksananya program dan kegiatan {unit} tepat waktu",
        "Tersusunnya laporan kinerja {unit} yang akuntabel",
    ],
    "staf": [
        "Tersusunnya dokumen administrasi {unit}",
        "Terlayaninya permohonan masyarakat pada {unit}",
    ],
}
IKI_TEXT = [
    ("Jumlah dokumen yang diselesaikan", "dokumen", 12),
    ("Persentase layanan selesai tepat waktu", "persen", 90),
]


def _score(nip: str, salt: str = "") -> float:
    """A stable number in [0, 1) for a person (and a salt: the year, the period)."""
    digest = hashlib.sha256(f"{SEED}:{nip}:{salt}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


@dataclass
class Person:
    pk: int
    nip: str
    user_id: int | None
    unit_id: int
    opd_id: int
    kind: str


@dataclass
class Demo:
    """What every step needs: the agency, its actors and its people."""

    agency: Agency
    admin: User
    forum: User
    today: dt.date
    people: dict[int, Person] = field(default_factory=dict)
    opd_of: dict[int, int] = field(default_factory=dict)
    unit_ids: list[int] = field(default_factory=list)
    opd_ids: list[int] = field(default_factory=list)
    unit_names: dict[int, str] = field(default_factory=dict)
    # Pseudo-random choices are keyed on codes and NIPs, never on primary keys:
    # PostgreSQL's sequences do not roll back, so a pk differs from run to run.
    unit_codes: dict[int, str] = field(default_factory=dict)


def load(agency: Agency, today: dt.date) -> Demo:
    grants = RoleGrant.objects.filter(agency=agency).select_related("user").order_by("pk")
    admin = next(g.user for g in grants if g.role == RoleGrant.Role.ADMIN_BKD)
    forum = next((g.user for g in grants if g.role == RoleGrant.Role.TIM_PENILAI), admin)
    demo = Demo(agency=agency, admin=admin, forum=forum, today=today)
    units = list(
        OrgUnit.objects.filter(agency=agency)
        .order_by("depth", "pk")
        .values_list("pk", "parent_id", "name", "code")
    )
    for pk, parent_id, name, code in units:
        demo.unit_codes[pk] = code
        demo.opd_of[pk] = demo.opd_of[parent_id] if parent_id else pk
        demo.unit_ids.append(pk)
        demo.unit_names[pk] = name
        if parent_id is None:
            demo.opd_ids.append(pk)
    rows = Employee.objects.filter(agency=agency, is_active=True).values_list(
        "pk", "nip", "user_id", "unit_id", "position__kind"
    )
    for pk, nip, user_id, unit_id, kind in rows:
        demo.people[pk] = Person(pk, nip, user_id, unit_id, demo.opd_of[unit_id], kind or "")
    return demo


# --- Grades -------------------------------------------------------------------------------


def opd_grades(demo: Demo, year: int) -> dict[int, str]:
    """The annual grade of each OPD in `year`: mostly Baik, a few Istimewa, one
    or two Butuh Perbaikan, changing a little from year to year."""
    grades = {}
    for index, pk in enumerate(demo.opd_ids):
        u = _score(demo.unit_codes[pk], f"grade:{year}")
        if index == 0:
            grades[pk] = G_BAIK
        elif u < 0.22:
            grades[pk] = ISTIMEWA
        elif u > 0.88:
            grades[pk] = G_BP
        else:
            grades[pk] = G_BAIK
    return grades


SAKIP_NOTE = "Hasil evaluasi SAKIP/LKjIP perangkat daerah"
HEAD_NOTE = "Dari hasil kinerja kepala unit"
OWN_GRADE_KINDS = (OrgUnit.Kind.PUSKESMAS, OrgUnit.Kind.RSUD)


def set_grades(demo: Demo, year: PerformanceYear) -> dict[int, str]:
    """The year's organisation grades as admin BKD sets them on the grades page
    (one set-based service call: audited, who set it recorded): each OPD from
    its SAKIP/LKjIP result, the puskesmas and the RSUD from their head's result;
    every other unit inherits its OPD's. Returns the grade that holds for each
    unit."""
    existing = set(
        OrgPerformance.objects.filter(year=year, period__isnull=True).values_list(
            "unit_id", flat=True
        )
    )
    units = list(OrgUnit.objects.filter(agency=demo.agency).order_by("path"))
    grades = opd_grades(demo, year.year)
    entries = []
    for unit in units:
        if unit.pk in existing:
            continue
        if unit.pk in grades:
            entries.append(GradeEntry(unit=unit, grade=grades[unit.pk], note=SAKIP_NOTE))
        elif unit.kind in OWN_GRADE_KINDS:
            own = ISTIMEWA if _score(unit.code, f"own:{year.year}") < 0.5 else G_BAIK
            entries.append(
                GradeEntry(
                    unit=unit, grade=own, source=OrgPerformance.Source.FROM_HEAD, note=HEAD_NOTE
                )
            )
    assessment.org_grades_set(actor=demo.admin, year=year, entries=entries)
    found = grade_map(units, year)
    return {pk: g.grade for pk, g in found.items() if g is not None}


def predikat_for(demo: Demo, person: Person, grade: str, salt: str) -> str:
    base = _score(person.nip, "person")
    u = min(max(base + (_score(person.nip, salt) - 0.5) * 0.2, 0.0), 0.999)
    return next(p for limit, p in SPREAD[grade] if u < limit)


# --- Planning -----------------------------------------------------------------------------


def open_year(demo: Demo, number: int) -> PerformanceYear:
    """The current performance year through the services: created and opened,
    so every active employee gets a draft SKP from the open_year job (inline)."""
    year = PerformanceYear.objects.filter(agency=demo.agency, year=number).first()
    with override_settings(JOBS_BACKEND="eager"):
        if year is None:
            year = _create_year(demo, number)
        if year.status == PerformanceYear.Status.DRAFT:
            planning.year_open(actor=demo.admin, year=year)
    return year


def _create_year(demo: Demo, number: int) -> PerformanceYear:
    return planning.year_create(
        actor=demo.admin,
        agency=demo.agency,
        year=number,
        frequency=PerformanceYear.Frequency.QUARTERLY,
        annual_source=PerformanceYear.AnnualSource.ANNUAL,
    )


def past_year(demo: Demo, number: int) -> PerformanceYear:
    """A past year created through the service, opened, with an SKP for each
    employee who worked in it: the chart at the year's end decides the rater
    (the open_year job would use today's chart and today's staff)."""
    year = PerformanceYear.objects.filter(agency=demo.agency, year=number).first()
    if year is None:
        year = _create_year(demo, number)
    if year.status == PerformanceYear.Status.DRAFT:
        year.status = PerformanceYear.Status.OPEN
        year.save(update_fields=["status"])
    raters = superior_map(demo.agency, on=year.end)
    rows = Employee.objects.filter(agency=demo.agency, is_active=True).values_list(
        "pk",
        "position_id",
        "unit_id",
        "position__kind",
        "position__is_unit_head",
        "unit__is_independent",
        "active_from",
    )
    position_of = {row[0]: row[1] for row in rows}
    have = set(Skp.objects.filter(year=year).values_list("employee_id", flat=True))
    skps = []
    for row in rows:
        pk, active_from = row[0], row[6]
        if pk in have or (active_from and active_from > year.end):
            continue
        skps.append(draft_skp(year, row, raters=raters, position_of=position_of))
    Skp.objects.bulk_create(skps, batch_size=BATCH)
    ids = (
        Skp.objects.filter(year=year)
        .exclude(expectations__isnull=False)
        .values_list("pk", flat=True)
    )
    BehaviourExpectation.objects.bulk_create(
        [
            BehaviourExpectation(agency_id=year.agency_id, skp_id=pk, value=value)
            for pk in ids
            for value in berakhlak.CODES
        ],
        batch_size=BATCH,
    )
    return year


def _form_key(skp: Skp, person: Person | None) -> str:
    if skp.form == Skp.Form.JPT:
        return "jpt"
    if person is not None and person.kind in (
        Position.Kind.ADMINISTRATOR,
        Position.Kind.PENGAWAS,
    ):
        return "struktural"
    return "staf"


def fill_skps(demo: Demo, year: PerformanceYear, skps: list[Skp]) -> None:
    """Two RHK with one IKI each on every SKP that has none yet; each RHK serves
    (intervensi) the rater's RHK of the same order when the rater has one."""
    have = set(Rhk.objects.filter(skp__year=year).values_list("skp_id", flat=True))
    todo = [s for s in skps if s.pk not in have]
    if not todo:
        return
    # Superiors first, so their RHK exist when the subordinates' link to them.
    depth: dict[int, int] = {}
    by_employee = {s.employee_id: s for s in skps}

    def level(skp: Skp) -> int:
        if skp.pk not in depth:
            depth[skp.pk] = 0  # guards a cycle
            parent = by_employee.get(skp.rater_id) if skp.rater_id else None
            depth[skp.pk] = 0 if parent is None else level(parent) + 1
        return depth[skp.pk]

    # (employee, order) -> RHK id: each RHK serves the rater's RHK of the same order.
    superior_rhk = {
        (employee_id, order): pk
        for employee_id, order, pk in Rhk.objects.filter(
            skp__year=year, kind=Rhk.Kind.UTAMA
        ).values_list("skp__employee_id", "order", "pk")
    }
    for current in sorted({level(s) for s in todo}):
        layer = [s for s in todo if level(s) == current]
        rhks = []
        for skp in layer:
            person = demo.people.get(skp.employee_id)
            texts = RHK_TEXT[_form_key(skp, person)]
            name = demo.unit_names.get(skp.unit_id, "")
            for order, text in enumerate(texts):
                parent = superior_rhk.get((skp.rater_id, order)) if skp.rater_id else None
                rhks.append(
                    Rhk(
                        agency_id=year.agency_id,
                        skp=skp,
                        text=text.format(unit=name),
                        kind=Rhk.Kind.UTAMA,
                        source=Rhk.Source.INTERVENSI if parent else Rhk.Source.TUGAS_JABATAN,
                        parent_id=parent,
                        order=order,
                    )
                )
        made = Rhk.objects.bulk_create(rhks, batch_size=BATCH)
        if any(r.pk is None for r in made):
            ids = {
                (skp_id, order): pk
                for skp_id, order, pk in Rhk.objects.filter(
                    skp__in=[s.pk for s in layer]
                ).values_list("skp_id", "order", "pk")
            }
            for r in made:
                r.pk = ids[(r.skp_id, r.order)]
        ikis = []
        for r in made:
            text, unit, target = IKI_TEXT[r.order % len(IKI_TEXT)]
            ikis.append(
                Iki(
                    agency_id=year.agency_id,
                    rhk_id=r.pk,
                    text=text,
                    aspect=Iki.Aspect.KUANTITAS if r.order == 0 else Iki.Aspect.WAKTU,
                    target_text=f"{target} {unit}",
                    target_min=Decimal(target),
                    unit=unit,
                    order=0,
                )
            )
            superior_rhk[(r.skp.employee_id, r.order)] = r.pk
        Iki.objects.bulk_create(ikis, batch_size=BATCH)


def approve_skps(year: PerformanceYear, skp_ids: list[int], on: dt.date) -> None:
    when = timezone.make_aware(dt.datetime.combine(on, dt.time(10)))
    drafts = list(
        Skp.objects.filter(pk__in=skp_ids, status=Skp.Status.DRAFT).values_list("pk", flat=True)
    )
    Skp.objects.filter(pk__in=drafts).update(
        status=Skp.Status.DISETUJUI, submitted_at=when, approved_at=when
    )
    freeze_versions(drafts, when)


def freeze_versions(skp_ids: list[int], when: dt.datetime) -> None:
    """The approved version (content, hash, approver) of SKP the demo approved
    in bulk, as skp_approve freezes it: their pages, printed SKP and QR
    verification work like those approved one by one."""
    have = set(
        SkpVersion.objects.filter(skp_id__in=skp_ids).values_list("skp_id", flat=True).distinct()
    )
    skps = (
        Skp.objects.filter(pk__in=[pk for pk in skp_ids if pk not in have])
        .select_related("rater")
        .order_by("pk")
    )
    versions = []
    for skp in skps:
        content = planning_selectors.skp_content(skp)
        versions.append(
            SkpVersion(
                agency_id=skp.agency_id,
                skp=skp,
                number=skp.version,
                content=content,
                content_hash=content_hash(content),
                approved_by=skp.rater,
                approved_by_name=skp.rater.full_name if skp.rater else "admin BKD",
                approved_at=when,
            )
        )
    SkpVersion.objects.bulk_create(versions, batch_size=BATCH)


# --- Monitoring ---------------------------------------------------------------------------


def fill_realisasi(
    demo: Demo,
    year: PerformanceYear,
    periods: list[Period],
    *,
    employees: set[int] | None = None,
) -> None:
    """Cumulative realisasi of every IKI for each period, with a link as
    evidence on the first IKI of each SKP."""
    done = set(Realisasi.objects.filter(period__in=periods).values_list("iki_id", "period_id"))
    ikis = list(
        Iki.objects.filter(rhk__skp__year=year, rhk__skp__status__in=[Skp.Status.DISETUJUI])
        .values_list("pk", "target_min", "rhk__order", "rhk__skp__employee_id")
        .order_by("pk")
    )
    rows = []
    # Every other IKI of an SKP (the first, the third, ...) gets a link as evidence.
    with_link: set[int] = set()
    seen: dict[int, int] = defaultdict(int)
    for iki_id, target, order, employee_id in ikis:
        if employees is not None and employee_id not in employees:
            continue
        if seen[employee_id] % 2 == 0:
            with_link.add(iki_id)
        seen[employee_id] += 1
        person = demo.people.get(employee_id)
        nip = person.nip if person else str(employee_id)
        for period in periods:
            if (iki_id, period.pk) in done:
                continue
            share = Decimal(period.number) / 4
            factor = (
                Decimal(85 + int(_score(nip, f"r{period.start.year}:{period.number}") * 25)) / 100
            )
            value = (target or Decimal(0)) * (share if order == 0 else 1) * factor
            rows.append(
                Realisasi(
                    agency_id=year.agency_id,
                    employee_id=employee_id,
                    iki_id=iki_id,
                    period=period,
                    value=value.quantize(Decimal("1")),
                    narrative="Sesuai rencana kerja triwulan.",
                    submitted_by_id=employee_id,
                )
            )
    made = Realisasi.objects.bulk_create(rows, batch_size=BATCH)
    if made and made[0].pk is None:
        made = list(Realisasi.objects.filter(period__in=periods, evidence__isnull=True))
    Evidence.objects.bulk_create(
        [
            Evidence(
                agency_id=year.agency_id,
                owner_id=r.employee_id,
                realisasi_id=r.pk,
                kind=Evidence.Kind.LINK,
                url=f"https://arsip.tebingtinggikota.go.id/kinerja/{r.period_id}/{r.iki_id}",
            )
            for r in made
            if r.iki_id in with_link
        ],
        batch_size=BATCH,
    )


# --- Assessment ---------------------------------------------------------------------------


def _rater_unit(skp: Skp) -> int | None:
    if skp.rater_position_id:
        return skp.rater_position.unit_id
    return skp.rater.unit_id if skp.rater_id else None


def rate(
    demo: Demo,
    year: PerformanceYear,
    skps: list[Skp],
    grades: dict[int, str],
    period: Period | None,
    *,
    status: str,
    published: bool,
    today: dt.date | None = None,
) -> list[Evaluation]:
    """Finalised evaluations of `skps` for `period` (None: annual) with every RHK
    and core value rated as the predikat needs, and their dates."""
    if period is None:
        have = set(
            Evaluation.objects.filter(year=year, period__isnull=True).values_list(
                "employee_id", flat=True
            )
        )
        todo = [s for s in skps if s.employee_id not in have]
        end = year.end
    else:
        have = set(Evaluation.objects.filter(period=period).values_list("skp_id", flat=True))
        todo = [s for s in skps if s.pk not in have]
        end = period.end
    done = end + dt.timedelta(days=7)
    if today is not None:
        done = min(done, today)
    finalised = timezone.make_aware(dt.datetime.combine(done, dt.time(9)))
    signed = end + dt.timedelta(days=8)
    rows = []
    for skp in todo:
        person = demo.people.get(skp.employee_id)
        if person is None:
            continue
        grade = grades.get(_rater_unit(skp) or skp.unit_id, G_BAIK)
        value = predikat_for(demo, person, grade, f"{year.year}:{period.number if period else 0}")
        hasil, perilaku = RATINGS[value]
        final_no_appeal = skp.form == Skp.Form.JPT and skp.rater_id is None
        rows.append(
            Evaluation(
                agency_id=year.agency_id,
                year=year,
                skp=skp,
                period=period,
                employee_id=skp.employee_id,
                unit_id=skp.unit_id,
                rater_id=skp.rater_id,
                rater_unit_id=_rater_unit(skp),
                org_grade=grade,
                hasil=hasil,
                hasil_proposed=hasil,
                perilaku=perilaku,
                predikat=predikat(Rating(hasil), Rating(perilaku)).value,
                predikat_final=predikat(Rating(hasil), Rating(perilaku)).value
                if period is not None
                else "",
                published=published,
                status=status,
                is_final_no_appeal=final_no_appeal,
                final_reason=Evaluation.FINAL_JPT if final_no_appeal else "",
                rated_by_id=skp.rater_id,
                finalised_at=finalised,
                signed_at=signed if status != Evaluation.Status.FINALISED else None,
                delivered_at=signed if status != Evaluation.Status.FINALISED else None,
                acknowledged_at=signed + dt.timedelta(days=3)
                if status == Evaluation.Status.ACKNOWLEDGED
                else None,
            )
        )
    made = Evaluation.objects.bulk_create(rows, batch_size=BATCH)
    if made and made[0].pk is None:
        key = "employee_id" if period is None else "skp_id"
        ids = dict(Evaluation.objects.filter(year=year, period=period).values_list(key, "pk"))
        for e in made:
            e.pk = ids[getattr(e, key)]
    _rate_rows(made)
    return made


def _rate_rows(evaluations: list[Evaluation]) -> None:
    """Every RHK of the evaluation's SKP rated as its hasil, every core value as
    its perilaku: two INSERT ... SELECT statements (tens of thousands of rows
    would otherwise be as many model instances)."""
    ids = [e.pk for e in evaluations]
    if not ids:
        return
    q = connection.ops.quote_name
    evaluation = q(Evaluation._meta.db_table)
    rhk = q(Rhk._meta.db_table)
    rhk_rows = q(RhkAssessment._meta.db_table)
    behaviour_rows = q(BehaviourAssessment._meta.db_table)
    values = " UNION ALL ".join(f"SELECT {int(code)} AS v" for code in berakhlak.CODES)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {rhk_rows} (agency_id, evaluation_id, rhk_id, rating, feedback) "  # noqa: S608
                f"SELECT e.agency_id, e.id, r.id, e.hasil, '' FROM {evaluation} e "
                f"JOIN {rhk} r ON r.skp_id = e.skp_id WHERE e.id IN ({marks})",
                chunk,
            )
            cursor.execute(
                f"INSERT INTO {behaviour_rows} (agency_id, evaluation_id, value, rating, feedback) "  # noqa: S608
                f"SELECT e.agency_id, e.id, codes.v, e.perilaku, '' FROM {evaluation} e "
                f"CROSS JOIN ({values}) codes WHERE e.id IN ({marks})",
                chunk,
            )


CALIBRATION_REASONS = [
    (
        SB,
        "Capaian melampaui target pada seluruh IKI utama dan menjadi rujukan unit lain; "
        "tim penilai menaikkan predikat.",
    ),
    (
        BP,
        "Dua RHK utama tidak tercapai pada triwulan III dan IV; tim penilai menyesuaikan "
        "predikat dengan kurva distribusi unit.",
    ),
]


SHOWCASE_CALIBRATIONS = 3
OVERRIDE_REASON = (
    "Sebaran predikat unit dibahas dalam rapat tim penilai kinerja; disetujui dengan "
    "catatan untuk tahun berikutnya."
)


def calibrate(demo: Demo, year: PerformanceYear, grades: dict[int, str]) -> None:
    """Every calibration group of the year closed by the tim penilai. The three
    largest go through the services (in the largest, two predikat change with
    reasons); the others are written in bulk, closed as they stood."""
    settings = assessment_selectors.settings_for(demo.agency.pk)
    pooled = assessment_selectors.calibration_groups(demo.agency.pk, year, settings.min_unit_size)
    order = sorted(pooled.groups, key=lambda pk: (-pooled.size[pk], pk))
    showcase = order[:SHOWCASE_CALIBRATIONS]
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=showcase)}
    for unit_id in showcase:
        calibration = assessment.calibration_open(actor=demo.forum, year=year, unit=units[unit_id])
        if calibration.status == Calibration.Status.CLOSED:
            continue
        if unit_id == showcase[0]:
            evaluations = list(
                assessment_selectors.calibration_evaluations(calibration).order_by("employee__nip")
            )
            for (target, reason), evaluation in zip(
                CALIBRATION_REASONS,
                [e for e in evaluations if e.predikat == B][:2],
                strict=False,
            ):
                assessment.calibration_change(
                    actor=demo.forum,
                    calibration=calibration,
                    evaluation=evaluation,
                    predikat=target,
                    reason=reason,
                )
        assessment.calibration_close(
            actor=demo.forum, calibration=calibration, override_reason=OVERRIDE_REASON
        )
    rest = [pk for pk in order[SHOWCASE_CALIBRATIONS:]]
    have = set(Calibration.objects.filter(year=year).values_list("unit_id", flat=True))
    rest = [pk for pk in rest if pk not in have]
    annual = Evaluation.objects.filter(year=year, period__isnull=True)
    member_of = {m: pk for pk in rest for m in pooled.groups[pk]}
    results: dict[int, dict[str, str]] = defaultdict(dict)
    for pk, unit_id, value in annual.filter(unit_id__in=list(member_of)).values_list(
        "pk", "unit_id", "predikat"
    ):
        results[member_of[unit_id]][str(pk)] = value
    now = timezone.now()
    Calibration.objects.bulk_create(
        [
            Calibration(
                agency_id=year.agency_id,
                year=year,
                unit_id=pk,
                member_unit_ids=sorted(pooled.groups[pk]),
                org_grade=grades.get(pk, ""),
                status=Calibration.Status.CLOSED,
                before=results[pk],
                after=results[pk],
                opened_by=demo.forum,
                closed_by=demo.forum,
                closed_at=now,
            )
            for pk in rest
        ],
        batch_size=BATCH,
    )
    annual.filter(unit_id__in=list(member_of), predikat_final="").update(
        predikat_final=F("predikat")
    )
    # The round that decided each one: without it they would wait for a follow-up round.
    made = dict(
        Calibration.objects.filter(year=year, unit_id__in=rest).values_list("unit_id", "pk")
    )
    if made:
        annual.filter(unit_id__in=list(member_of), calibrated_in__isnull=True).update(
            calibrated_in_id=Case(
                *[When(unit_id__in=pooled.groups[pk], then=Value(made[pk])) for pk in made]
            )
        )
    annual.update(published=True)


def annual_close(demo: Demo, year: PerformanceYear) -> None:
    """The agency's annual close job (inline): it sends annual_closed, on which
    follow-up builds the candidates and the angka kredit."""
    with override_settings(JOBS_BACKEND="eager"):
        enqueue(
            "assessment.annual_close", agency=demo.agency, user=demo.admin, params={"year": year.pk}
        )


# --- Appeal ---------------------------------------------------------------------------------

# The pelaksana of the demo logins appeals her annual result of the year before
# the current one (Baik → Sangat Baik, decided by the kepala bidang); two years
# back, another pelaksana's appeal is confirmed.
APPELLANT_POSITION = "DINKES-YANKES-1-P1"
APPEAL_REASONS = (
    "Seluruh IKI utama saya tercapai di atas target (realisasi triwulan IV 112%) dan "
    "bukti dukung telah diunggah; mohon predikat ditinjau kembali."
)
APPEAL_DECISIONS = {
    "change": (
        "Bukti dukung menunjukkan capaian di atas ekspektasi pada seluruh RHK utama; "
        "predikat diubah menjadi Sangat Baik."
    ),
    "confirm": (
        "Capaian sesuai ekspektasi dan telah dibandingkan dengan rekan satu unit; "
        "hasil penilaian dikuatkan."
    ),
}


def _appellant(demo: Demo, year: PerformanceYear, *, change: bool) -> Evaluation | None:
    """The annual evaluation to appeal: the demo pelaksana's (Baik) for a change,
    else the first Baik of a pelaksana whose rater has a superior."""
    annual = Evaluation.objects.filter(
        year=year, period__isnull=True, predikat_final=B, rater__isnull=False
    ).select_related("rater", "employee__position")
    if change:
        # The position's first holder by NIP: the demo login (kinerja.org.demo).
        mine = annual.filter(employee__position__code=APPELLANT_POSITION)
        return mine.order_by("employee__nip").first()
    return (
        annual.filter(employee__position__kind=Position.Kind.PELAKSANA)
        .exclude(employee__position__code=APPELLANT_POSITION)
        .order_by("employee__nip")
        .first()
    )


def appeal(demo: Demo, year: PerformanceYear, *, change: bool) -> None:
    """One appeal filed by the employee and decided by the rater's superior,
    through the services (audited, with notices)."""
    evaluation = _appellant(demo, year, change=change)
    if evaluation is None or evaluation.employee.user_id is None:
        return
    delivered = dt.date(year.year + 1, 1, 12)
    Evaluation.objects.filter(pk=evaluation.pk).update(
        status=Evaluation.Status.DELIVERED,
        signed_at=delivered,
        delivered_at=delivered,
        acknowledged_at=None,
        appeal_due=delivered + dt.timedelta(days=20),
    )
    evaluation.refresh_from_db()
    filed = assessment.appeal_file(
        actor=evaluation.employee.user,
        evaluation=evaluation,
        reasons=APPEAL_REASONS,
        today=delivered + dt.timedelta(days=3),
    )
    decider = Employee.objects.select_related("user").get(pk=filed.decider_id)
    if decider.user_id is None:
        return
    key = "change" if change else "confirm"
    assessment.appeal_decide(
        actor=decider.user,
        appeal=filed,
        decision=key,
        new_predikat=SB if change else "",
        reason=APPEAL_DECISIONS[key],
        today=delivered + dt.timedelta(days=8),
    )


# --- Follow-up ------------------------------------------------------------------------------

AWARD_BASIS = "Predikat kinerja tahunan Sangat Baik; Keputusan Wali Kota tentang penghargaan ASN."
SANCTION_BASIS = "PP 30/2019 Pasal 56-58; PP 94/2021 tentang Disiplin PNS."
COURSES = [
    ("Pelatihan Dasar Pelayanan Prima", TrainingKind.COURSE, 24, "BPSDM Provinsi Sumatera Utara"),
    ("Penyusunan SKP dan Manajemen Kinerja", TrainingKind.WORKSHOP, 8, "BKPSDM Kota Tebingtinggi"),
    ("Literasi Digital ASN", TrainingKind.ELEARNING, 12, "ASN Unggul (LAN)"),
    ("Kepemimpinan Pengawas", TrainingKind.COURSE, 40, "BPSDM Provinsi Sumatera Utara"),
]


def decide_candidates(demo: Demo, year: PerformanceYear) -> None:
    """Admin BKD decides a few candidates of each kind (services, audited): awards
    given, one award candidate rejected with a reason, coaching and promotion
    priorities accepted, one sanction process ending in a written warning. The
    rest wait, as on a real desk."""
    pending = Candidate.objects.filter(year=year, status=Candidate.Status.PENDING).select_related(
        "employee", "evaluation"
    )
    by_outcome: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in pending.order_by("employee__nip"):
        by_outcome[candidate.outcome].append(candidate)
    given = dt.date(year.year + 1, 2, 10)
    awards = by_outcome.get(Outcome.AWARD, [])
    for candidate in awards[:3]:
        followup.award_create(
            actor=demo.admin,
            employee=candidate.employee,
            kind=Award.Kind.RECOGNITION,
            basis=AWARD_BASIS,
            date=given,
            candidate=candidate,
        )
    for candidate in awards[3:4]:
        followup.candidate_decide(
            actor=demo.admin,
            candidate=candidate,
            accept=False,
            note="Sudah menerima penghargaan yang sama tahun lalu; diberikan kepada pegawai lain.",
        )
    for outcome in (Outcome.COACHING, Outcome.PROMOTION_PRIORITY, Outcome.TRAINING_PRIORITY):
        for candidate in by_outcome.get(outcome, [])[:2]:
            followup.candidate_decide(
                actor=demo.admin,
                candidate=candidate,
                accept=True,
                note="Disetujui dalam rapat tindak lanjut BKPSDM.",
            )
    for candidate in by_outcome.get(Outcome.SANCTION_PROCESS, [])[:1]:
        followup.sanction_create(
            actor=demo.admin,
            employee=candidate.employee,
            kind=Sanction.Kind.WARNING,
            legal_basis=SANCTION_BASIS,
            start=given,
            end=given + dt.timedelta(days=180),
            status=Sanction.Status.ACTIVE,
            candidate=candidate,
            note="Predikat Kurang dua tahun berturut-turut; pembinaan oleh atasan langsung.",
        )


def courses(demo: Demo) -> list[TrainingCourse]:
    """The agency's course catalogue (service, audited), once."""
    have = {c.title: c for c in TrainingCourse.objects.filter(agency=demo.agency)}
    out = []
    for title, kind, hours, provider in COURSES:
        course = have.get(title)
        if course is None:
            course = followup.course_save(
                actor=demo.admin,
                agency=demo.agency,
                title=title,
                kind=kind,
                hours_jp=hours,
                provider=provider,
            )
        out.append(course)
    return out


def training(demo: Demo, year: int, until: dt.date) -> None:
    """Training records of the year up to `until` (bulk): most employees reach
    the 20 JP minimum, about one in six does not."""
    catalogue = courses(demo)
    start_of_year = dt.date(year, 1, 1)
    have = set(
        TrainingRecord.objects.filter(agency=demo.agency, end__year=year).values_list(
            "employee_id", flat=True
        )
    )
    rows = []
    for person in demo.people.values():
        if person.pk in have:
            continue
        u = _score(person.nip, f"jp:{year}")
        picks = [catalogue[1]] if u < 0.16 else [catalogue[int(u * 10) % 4], catalogue[1]]
        for index, course in enumerate(picks):
            begin = start_of_year + dt.timedelta(days=40 + 90 * index + int(u * 30))
            days = max(1, course.hours_jp // 8)
            end = begin + dt.timedelta(days=days - 1)
            if end > until:
                continue
            rows.append(
                TrainingRecord(
                    agency_id=demo.agency.pk,
                    employee_id=person.pk,
                    course=course,
                    title=course.title,
                    kind=course.kind,
                    start=begin,
                    end=end,
                    hours_jp=course.hours_jp,
                    created_by=demo.admin,
                )
            )
    TrainingRecord.objects.bulk_create(rows, batch_size=BATCH)


# --- A closed year ------------------------------------------------------------------------


def build_closed_year(demo: Demo, number: int, *, appeal_change: bool) -> PerformanceYear:
    year = past_year(demo, number)
    periods = list(Period.objects.filter(year=year).order_by("number"))
    skps = list(
        Skp.objects.filter(year=year).select_related("rater_position", "rater").order_by("pk")
    )
    fill_skps(demo, year, skps)
    approve_skps(year, [s.pk for s in skps], dt.date(number, 1, 20))
    for s in skps:
        s.status = Skp.Status.DISETUJUI
    fill_realisasi(demo, year, periods)
    grades = set_grades(demo, year)
    for period in periods:
        rate(
            demo,
            year,
            skps,
            grades,
            period,
            status=Evaluation.Status.ACKNOWLEDGED,
            published=True,
        )
    rate(demo, year, skps, grades, None, status=Evaluation.Status.FINALISED, published=False)
    calibrate(demo, year, grades)
    annual = Evaluation.objects.filter(year=year, period__isnull=True)
    signed = dt.date(number + 1, 1, 12)
    annual.filter(status=Evaluation.Status.FINALISED).update(
        status=Evaluation.Status.ACKNOWLEDGED,
        signed_at=signed,
        delivered_at=signed,
        acknowledged_at=signed + dt.timedelta(days=4),
    )
    appeal(demo, year, change=appeal_change)
    annual_close(demo, year)
    decide_candidates(demo, year)
    training(demo, number, year.end)
    with override_settings(JOBS_BACKEND="eager"):
        planning.year_close(actor=demo.admin, year=year)
    return year
