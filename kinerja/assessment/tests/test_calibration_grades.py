"""An organisation grade changed while a calibration is open: the calibration shows the
affected proposals again with the difference, the tim penilai re-applies it (audited), and
closing is refused until then. After the close, a change is refused (test_grades.py)."""

import pytest
from django.urls import reverse

from kinerja.assessment import selectors, services
from kinerja.assessment.models import Calibration, Evaluation
from kinerja.audit.models import AuditEvent
from kinerja.org.models import OrgUnit, Position
from kinerja.org.services import rebuild_paths
from kinerja.planning.models import Skp

from .factories import fails, grade, populate

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(world, year):
    obj = OrgUnit.objects.create(
        agency=world.agency,
        code="PKM-1",
        name="Puskesmas Kota",
        kind="upt",
        parent=world.units["dinkes"],
    )
    rebuild_paths(world.agency)
    obj.refresh_from_db()
    return obj


@pytest.fixture
def calibration(world, year, unit, forum):
    """Six finalised annual evaluations in the puskesmas, graded Baik through the Dinas
    (inherited), rated by the kepala dinas' unit; the first is the kepala puskesmas, whose
    rating hasil kerja followed the unit's grade (Baik -> Sesuai)."""
    grade(world, year, world.units["dinkes"], "baik")
    employees = populate(year, unit, ["baik"] * 6)
    Evaluation.objects.filter(unit=unit).update(org_grade="baik", rater_unit=world.units["dinkes"])
    head = Position.objects.create(
        agency=world.agency,
        unit=unit,
        code="J-KAPKM",
        name="Kepala Puskesmas",
        kind="administrator",
        is_unit_head=True,
    )
    Skp.objects.filter(employee=employees[0]).update(position=head)
    Evaluation.objects.filter(employee=employees[0]).update(
        hasil="sesuai",
        hasil_proposed="sesuai",
        hasil_reasons=["unit_head"],
        perilaku="di_atas",
        predikat="baik",
    )
    return services.calibration_open(actor=forum, year=year, unit=unit)


def test_no_change_no_difference(calibration):
    assert not selectors.calibration_grade_changes(calibration).any


def test_a_grade_change_shows_the_affected_proposals_with_the_difference(
    world, year, unit, calibration, forum, login
):
    assert calibration.org_grade == "baik"
    grade(world, year, world.units["dinkes"], "istimewa")
    changes = selectors.calibration_grade_changes(calibration)
    assert (changes.grade_before, changes.grade_after) == ("baik", "istimewa")
    # The kepala puskesmas (the first row) got the grade's rating: Istimewa gives Di Atas,
    # and with Di Atas behaviour Sangat Baik; the others keep their predikat.
    assert [
        (r.grade_before, r.grade_after, r.predikat_before, r.predikat_after) for r in changes.rows
    ] == [("baik", "istimewa", "baik", "sangat_baik")] + [("baik", "istimewa", "baik", "baik")] * 5
    assert len(changes.rows) == 6
    page = login(forum).get(reverse("assessment:calibration", args=[calibration.pk]))
    html = page.content.decode()
    assert "Predikat kinerja organisasi berubah setelah usulan dibuat." in html
    assert "Predikat kinerja organisasi Puskesmas Kota untuk kuota: Baik → Istimewa." in html
    head = changes.rows[0].name
    assert (
        f'<td data-label="Pegawai">{head}</td><td data-label="Predikat organisasi">'
        'Baik → Istimewa</td><td data-label="Predikat usulan">Baik → Sangat Baik '
        "(rating hasil kerja pimpinan unit Sesuai Ekspektasi → Di Atas Ekspektasi)</td>"
    ) in html


def test_closing_is_refused_until_the_change_is_reapplied(
    world, year, unit, calibration, forum, login
):
    grade(world, year, world.units["dinkes"], "istimewa")
    message = (
        "Predikat kinerja organisasi berubah setelah usulan dibuat (6 usulan terdampak); tinjau "
        "perbedaannya dan terapkan ulang sebelum menutup kalibrasi."
    )
    fails(message, services.calibration_close, actor=forum, calibration=calibration)
    client = login(forum)
    response = client.post(f"/api/calibrations/{calibration.pk}/close/", {})
    assert response.status_code == 400 and message in response.content.decode()
    assert Calibration.objects.get(pk=calibration.pk).status == Calibration.Status.OPEN

    page = client.post(reverse("assessment:calibration_reapply", args=[calibration.pk]))
    assert page.status_code == 302
    calibration.refresh_from_db()
    assert calibration.org_grade == "istimewa"
    rows = Evaluation.objects.filter(unit=unit).order_by("employee__name")
    assert set(rows.values_list("org_grade", flat=True)) == {"istimewa"}
    head = rows.get(hasil_reasons=["unit_head"])
    assert (head.hasil, head.hasil_proposed, head.predikat) == ("di_atas", "di_atas", "sangat_baik")
    assert rows.filter(predikat="baik").count() == 5
    events = AuditEvent.objects.filter(action="assessment.calibration.reapply_grade")
    assert events.count() == 6
    event = events.get(subject=head.employee)
    assert event.before == {"org_grade": "baik", "hasil": "sesuai", "predikat": "baik"}
    assert event.after == {"org_grade": "istimewa", "hasil": "di_atas", "predikat": "sangat_baik"}
    summary = AuditEvent.objects.get(action="assessment.calibration.reapply_grades")
    assert summary.after == {"org_grade": "istimewa", "evaluations": 6}
    assert not selectors.calibration_grade_changes(calibration).any
    html = client.get(reverse("assessment:calibration", args=[calibration.pk])).content.decode()
    assert "Predikat kinerja organisasi berubah setelah usulan dibuat." not in html

    services.calibration_close(actor=forum, calibration=calibration)
    calibration.refresh_from_db()
    assert calibration.status == Calibration.Status.CLOSED
    assert calibration.after[str(head.pk)] == "sangat_baik"
    # After the close the grade the calibration used is kept.
    fails(
        "Kalibrasi unit Puskesmas Kota sudah ditutup dengan predikat organisasi yang lama; "
        "predikat tahunan tidak dapat diubah lagi.",
        services.org_grade_set,
        actor=world.user("admin"),
        unit=world.units["dinkes"],
        year=year,
        grade="baik",
    )


def test_a_predikat_the_tim_changed_stays_as_they_decided(world, year, unit, calibration, forum):
    other = Evaluation.objects.filter(unit=unit).exclude(hasil_reasons=["unit_head"]).first()
    services.calibration_change(
        actor=forum,
        calibration=calibration,
        evaluation=other,
        predikat="sangat_baik",
        reason="Kontribusi luar biasa",
    )
    grade(world, year, world.units["dinkes"], "istimewa")
    services.calibration_reapply_grades(actor=forum, calibration=calibration)
    other.refresh_from_db()
    assert (other.org_grade, other.predikat, other.predikat_final) == (
        "istimewa",
        "baik",
        "sangat_baik",
    )


def test_reapply_refusals(world, year, unit, calibration, forum):
    fails(
        "Tidak ada perubahan predikat kinerja organisasi yang perlu diterapkan ulang.",
        services.calibration_reapply_grades,
        actor=forum,
        calibration=calibration,
    )
    from .factories import refused

    grade(world, year, world.units["dinkes"], "istimewa")
    refused(
        "Hanya tim penilai kinerja instansi ini yang dapat melakukan ini.",
        services.calibration_reapply_grades,
        actor=world.user("kabid"),
        calibration=calibration,
    )
    assert Evaluation.objects.filter(unit=unit, org_grade="istimewa").count() == 0


def test_api_shows_the_difference_and_reapplies(world, year, unit, calibration, forum, login):
    grade(world, year, world.units["dinkes"], "istimewa")
    client = login(forum)
    data = client.get(f"/api/calibrations/{calibration.pk}/").json()["grade_changes"]
    assert data["pending"] is True
    assert (data["org_grade_before"], data["org_grade_after"]) == ("baik", "istimewa")
    assert sorted(r["predikat_after"] for r in data["evaluations"]) == ["baik"] * 5 + [
        "sangat_baik"
    ]
    response = client.post(f"/api/calibrations/{calibration.pk}/reapply-grades/")
    assert response.status_code == 200
    assert response.json()["grade_changes"] == {
        "org_grade_before": "istimewa",
        "org_grade_after": "istimewa",
        "evaluations": [],
        "pending": False,
    }
    assert response.json()["org_grade"] == "istimewa"
