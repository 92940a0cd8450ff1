"""Organisation grades: the resolver (own grade, else the nearest ancestor's),
what evaluations record, and a unit head by role grant."""

import datetime as dt

import pytest

from kinerja.assessment import selectors, services
from kinerja.assessment.models import Evaluation
from kinerja.org.models import OrgUnit, Position, RoleGrant
from kinerja.org.services import rebuild_paths, role_grant
from kinerja.planning.models import PerformanceYear, Period, Skp
from kinerja.testing import make_employee

from .factories import Q1_DAY, approve, fails, grade, rate_all, skp_of

S = "sesuai"


def effective(world, year, period=None):
    """unit key → (grade, origin unit key, inherited) for the world's units."""
    keys = {u.pk: k for k, u in world.units.items()}
    units = OrgUnit.objects.filter(agency=world.agency)
    out = {}
    for pk, found in selectors.grade_map(units, year, period).items():
        out[keys[pk]] = (
            None
            if found is None
            else (found.grade, keys[found.row.unit_id], found.inherited, found.layer)
        )
    return out


def test_a_dinas_grade_carries_down_to_its_sections_until_they_have_their_own(world, year):
    grade(world, year, world.units["dinkes"], "istimewa")
    assert effective(world, year) == {
        "setda": None,
        "dinkes": ("istimewa", "dinkes", False, "year"),
        "bidang": ("istimewa", "dinkes", True, "year"),
        "seksi": ("istimewa", "dinkes", True, "year"),
        "bkpsdm": None,
    }
    grade(world, year, world.units["bidang"], "kurang")
    assert effective(world, year)["bidang"] == ("kurang", "bidang", False, "year")
    assert effective(world, year)["seksi"] == ("kurang", "bidang", True, "year")
    assert effective(world, year)["dinkes"] == ("istimewa", "dinkes", False, "year")


def test_the_period_grade_comes_before_the_year_and_the_previous_year_last(world, year, q1):
    grade(world, year, world.units["seksi"], "baik")
    grade(world, year, world.units["dinkes"], "kurang", period=q1)
    in_q1 = effective(world, year, q1)
    assert in_q1["seksi"] == ("kurang", "dinkes", True, "period")
    assert effective(world, year)["seksi"] == ("baik", "seksi", False, "year")
    # The next year without its own grades: the previous year's annual grade (late grade).
    nxt = PerformanceYear.objects.create(
        agency=world.agency,
        year=2027,
        start=dt.date(2027, 1, 1),
        end=dt.date(2027, 12, 31),
        skp_deadline=dt.date(2027, 1, 31),
        annual_deadline=dt.date(2028, 1, 31),
    )
    assert effective(world, nxt)["seksi"] == ("baik", "seksi", False, "previous_year")
    assert effective(world, nxt)["bidang"] is None


def test_grade_map_reads_the_grades_in_one_query(world, year, q1, django_assert_num_queries):
    grade(world, year, world.units["setda"], "baik")
    units = list(OrgUnit.objects.filter(agency=world.agency))
    with django_assert_num_queries(1):
        found = selectors.grade_map(units, year, q1)
    assert {pk: f.grade for pk, f in found.items() if f} == {u.pk: "baik" for u in units}


def test_another_agency_grade_never_reaches_a_unit(world, year):
    other_unit = OrgUnit.objects.filter(agency=world.other_agency).first()
    assert selectors.org_grade_for(other_unit.pk, year) == ""


def test_finalise_records_the_inherited_grade(world, year, q1):
    grade(world, year, world.units["dinkes"], "butuh_perbaikan")
    skp = skp_of(world.staff, year)
    approve(skp)
    evaluation = services.evaluation_for(skp=skp, period=q1)
    rate_all(world.user("kasi"), evaluation, S)
    services.evaluation_finalise(actor=world.user("kasi"), evaluation=evaluation, today=Q1_DAY)
    assert Evaluation.objects.get(pk=evaluation.pk).org_grade == "butuh_perbaikan"


@pytest.fixture
def puskesmas_nurse(world, year):
    """A nurse in a functional position at a puskesmas that has no structural head."""
    unit = OrgUnit.objects.create(
        agency=world.agency,
        code="PKM-1",
        name="Puskesmas Rambung",
        kind=OrgUnit.Kind.PUSKESMAS,
        parent=world.units["dinkes"],
    )
    position = Position.objects.create(
        agency=world.agency,
        unit=unit,
        code="J-PKM-PERAWAT",
        name="Perawat Ahli Muda",
        kind=Position.Kind.FUNGSIONAL,
        superior=world.positions["kadis"],
        jenjang="ahli_muda",
    )
    rebuild_paths(world.agency)
    unit.refresh_from_db()
    nurse = make_employee(world.agency, "Rina Kartika", position, gender="2")
    skp = Skp.objects.create(
        agency=world.agency,
        employee=nurse,
        year=year,
        valid_from=year.start,
        position=position,
        unit=unit,
        rater=world.kadis,
        form="non_jpt",
        approach="kuantitatif",
    )
    return unit, nurse, skp


def test_a_unit_head_by_role_grant_gets_the_unit_grade_proposal(world, year, puskesmas_nurse):
    unit, nurse, skp = puskesmas_nurse
    assert selectors.headed_unit_id(skp) is None
    # A grant for another unit does not make her the puskesmas head.
    role_grant(
        actor=world.user("admin"),
        user=nurse.user,
        role=RoleGrant.Role.PIMPINAN_UNIT,
        unit=world.units["bidang"],
    )
    assert selectors.headed_unit_id(skp) is None
    role_grant(
        actor=world.user("admin"), user=nurse.user, role=RoleGrant.Role.PIMPINAN_UNIT, unit=unit
    )
    assert selectors.headed_unit_id(skp) == unit.pk
    grade(world, year, unit, "istimewa")
    approve(skp)
    q1 = Period.objects.get(year=year, number=1)
    evaluation = services.evaluation_for(skp=skp, period=q1)
    proposed = selectors.proposal(evaluation)
    assert proposed == selectors.Proposal("di_atas", ["unit_head"], {"grade": "istimewa"})


def test_no_preset_grade_a_blank_one_is_refused(world, year):
    fails(
        "Pilih predikat kinerja organisasi; tidak ada nilai bawaan.",
        services.org_performance_set,
        actor=world.user("admin"),
        unit=world.units["dinkes"],
        year=year,
        grade="",
    )
    assert selectors.org_grade_for(world.units["dinkes"].pk, year) == ""
