"""Organisation grades: the resolver (own grade, else the nearest ancestor's),
what evaluations record, and a unit head by role grant."""

import datetime as dt

import pytest
from django.urls import reverse

from kinerja.assessment import selectors, services
from kinerja.assessment.models import Calibration, Evaluation, OrgPerformance
from kinerja.audit.models import AuditEvent
from kinerja.org.models import OrgUnit, Position, RoleGrant
from kinerja.org.services import rebuild_paths, role_grant
from kinerja.org.tests.test_query_counts import count_queries, grow
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


# --- The grades page -------------------------------------------------------------------


def page_url(year, **params):
    query = "&".join(f"{k}={v}" for k, v in {"tahun": year.pk, **params}.items())
    return reverse("assessment:org_performance") + "?" + query


def set_url(unit, year, period=None):
    query = f"?tahun={year.pk}" + (f"&periode={period.pk}" if period else "")
    return reverse("assessment:org_grade_set", args=[unit.pk]) + query


def test_the_page_shows_own_and_inherited_grades_with_source_and_who(world, year, login):
    services.org_grade_set(
        actor=world.user("admin"),
        unit=world.units["dinkes"],
        year=year,
        grade="baik",
        source="from_head",
        note="LKjIP 2026",
    )
    client = login(world.user("admin"))
    page = client.get(page_url(year)).content.decode()
    # The top two levels only: the sekretariat and its units, not the bidang.
    assert "Sekretariat Daerah" in page and "Dinas Kesehatan" in page and "BKPSDM" in page
    assert "Bidang Pelayanan" not in page
    page = client.get(page_url(year, buka=world.units["seksi"].pk)).content.decode()
    seksi = page[page.index(f'id="unit-{world.units["seksi"].pk}"') :]
    assert "Baik</span>" in seksi[:600]
    assert "diwarisi dari Dinas Kesehatan" in seksi[:600]
    assert "Hasil kinerja pimpinan unit" in seksi[:900]
    assert "oleh Gita Permata" in seksi[:900]
    # No grade is preset in any form.
    assert "selected" not in page.split('name="grade"')[1].split("</select>")[0]


def test_the_ungraded_count_counts_units_without_any_grade(world, year, login):
    grade(world, year, world.units["dinkes"], "baik")
    page = login(world.user("admin")).get(page_url(year)).content.decode()
    # setda and BKPSDM have none; dinkes, bidang and seksi have one (own or inherited).
    assert "2 unit belum memiliki predikat, baik sendiri maupun dari unit atasannya." in page
    grade(world, year, world.units["setda"], "baik")
    page = login(world.user("admin")).get(page_url(year)).content.decode()
    assert "Semua unit sudah memiliki predikat, sendiri atau dari unit atasannya." in page


def test_expanding_a_unit_loads_its_children(world, year, login):
    url = reverse("assessment:org_grade_children", args=[world.units["setda"].pk])
    page = login(world.user("admin")).get(url, {"tahun": year.pk}).content.decode()
    assert "Dinas Kesehatan" in page and "BKPSDM" in page
    assert "Bidang Pelayanan" not in page


def test_set_one_unit_then_a_whole_subtree(world, year, login):
    client = login(world.user("admin"))
    response = client.post(set_url(world.units["seksi"], year), {"grade": "kurang"}, follow=True)
    assert "Predikat kinerja organisasi disimpan." in response.content.decode()
    assert list(OrgPerformance.objects.values_list("unit__code", "grade", "entered_by")) == [
        ("DINKES-YAN-1", "kurang", world.user("admin").pk)
    ]
    client.post(
        set_url(world.units["dinkes"], year),
        {"grade": "istimewa", "source": "entered", "note": "SAKIP", "subtree": "on"},
    )
    rows = dict(OrgPerformance.objects.values_list("unit__code", "grade"))
    assert rows == {"DINKES": "istimewa", "DINKES-YAN": "istimewa", "DINKES-YAN-1": "istimewa"}
    events = AuditEvent.objects.filter(action="assessment.org_performance.set").order_by("pk")
    assert events.count() == 4
    assert events.filter(target_id=str(world.units["seksi"].pk)).last().before == {
        "grade": "kurang",
        "source": "entered",
        "note": "",
    }


def test_a_period_grade_is_set_for_the_chosen_period(world, year, q1, login):
    login(world.user("admin")).post(set_url(world.units["bidang"], year, q1), {"grade": "baik"})
    row = OrgPerformance.objects.get()
    assert (row.unit_id, row.period_id, row.grade) == (world.units["bidang"].pk, q1.pk, "baik")


def test_a_blank_grade_is_refused_with_a_message(world, year, login):
    response = login(world.user("admin")).post(
        set_url(world.units["seksi"], year), {"grade": ""}, follow=True
    )
    assert "Pilih predikat kinerja organisasi; tidak ada nilai bawaan." in response.content.decode()
    assert not OrgPerformance.objects.exists()


def test_only_admin_bkd_sets_grades(world, year, login):
    response = login(world.user("kabid")).post(
        set_url(world.units["seksi"], year), {"grade": "baik"}
    )
    assert response.status_code == 403
    assert "Hanya admin BKD yang dapat melakukan ini." in response.content.decode()
    assert not OrgPerformance.objects.exists()


def test_another_agency_unit_is_a_404(world, year, login):
    other_unit = OrgUnit.objects.filter(agency=world.other_agency).first()
    response = login(world.user("admin")).post(set_url(other_unit, year), {"grade": "baik"})
    assert response.status_code == 404
    assert not OrgPerformance.objects.exists()


def test_a_grade_change_after_the_calibration_closed_is_refused(world, year, q1):
    grade(world, year, world.units["dinkes"], "baik")
    Calibration.objects.create(
        agency=world.agency,
        year=year,
        unit=world.units["seksi"],
        member_unit_ids=[world.units["seksi"].pk],
        org_grade="baik",
        status=Calibration.Status.CLOSED,
    )
    fails(
        "Kalibrasi unit Seksi Layanan Primer sudah ditutup dengan predikat organisasi yang lama; "
        "predikat tahunan tidak dapat diubah lagi.",
        services.org_grade_set,
        actor=world.user("admin"),
        unit=world.units["dinkes"],
        year=year,
        grade="kurang",
    )
    assert selectors.org_grade_for(world.units["seksi"].pk, year) == "baik"
    assert OrgPerformance.objects.get(unit=world.units["dinkes"]).grade == "baik"
    # What does not change the calibrated grade is allowed: the sekretariat
    # (the dinas keeps its own), and a period grade.
    grade(world, year, world.units["setda"], "kurang")
    grade(world, year, world.units["seksi"], "kurang", period=q1)
    assert selectors.org_grade_for(world.units["seksi"].pk, year) == "baik"


def grow_units(world, year, total):
    """`total` employees (org's grow: new seksi under the bidang), each new
    unit with its own grade, one in three with another grade."""
    grow(world, total)
    new = [u for u in OrgUnit.objects.filter(code__startswith="X-") if not u.path.endswith("-")]
    OrgPerformance.objects.filter(unit__in=new).delete()
    OrgPerformance.objects.bulk_create(
        OrgPerformance(agency=world.agency, unit=u, year=year, grade="baik") for u in new[::3]
    )


@pytest.mark.parametrize("view", ["page", "children"])
def test_the_grades_pages_run_the_same_queries_at_two_sizes(world, year, login, view):
    grade(world, year, world.units["dinkes"], "istimewa")
    bidang = world.units["bidang"]
    if view == "page":
        url, params = reverse("assessment:org_performance"), {"tahun": year.pk, "buka": bidang.pk}
    else:
        url = reverse("assessment:org_grade_children", args=[bidang.pk])
        params = {"tahun": year.pk}
    counts = []
    for total in (10, 1000):
        grow_units(world, year, total)
        n, response = count_queries(login(world.user("admin")), url, params)
        page = response.content.decode()
        assert "diwarisi dari Dinas Kesehatan" in page
        if total == 1000:
            assert "Seksi Tambahan" in page
        counts.append(n)
    assert counts[0] == counts[1], counts
    # The page's count includes the notification bell in the header (one query).
    assert counts[0] <= {"page": 18, "children": 14}[view]


def test_the_rater_sees_before_rating_whether_the_grade_is_there_and_whom_to_ask(
    world, year, q1, login
):
    skp = skp_of(world.staff, year)
    approve(skp)
    client = login(world.user("kasi"))
    url = reverse("assessment:team") + f"?periode={q1.pk}"
    page = client.get(url).content.decode()
    assert (
        "Predikat kinerja organisasi Seksi Layanan Primer belum ditetapkan, baik sendiri maupun "
        "dari unit atasannya, sehingga evaluasi belum dapat difinalkan. Mintalah admin BKD "
        "(Gita Permata) menetapkannya."
    ) in page
    grade(world, year, world.units["dinkes"], "istimewa")
    page = client.get(url).content.decode()
    assert (
        "Predikat kinerja organisasi Seksi Layanan Primer yang dipakai evaluasi ini: Istimewa. "
        "Diwarisi dari Dinas Kesehatan."
    ) in page
