"""Importing organisation grades (every error of every row; nothing changes
unless the whole file is right) and the grades API."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from rest_framework.test import APIClient

from kinerja.assessment import selectors, services
from kinerja.assessment.models import AssessmentSettings, OrgPerformance
from kinerja.audit.models import AuditEvent
from kinerja.org.models import OrgUnit

from .factories import grade

HEADER = "kode_unit,periode,predikat,sumber,catatan"


def csv_file(*lines, name="predikat.csv"):
    return SimpleUploadedFile(name, "\n".join([HEADER, *lines]).encode(), "text/csv")


def xlsx_file(rows, sheet="Predikat"):
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    ws.append(HEADER.split(","))
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("predikat.xlsx", out.getvalue())


def dry_run(world, year, upload):
    return services.org_grades_import(actor=world.user("admin"), year=year, upload=upload)


def test_every_error_of_every_row_is_reported_and_nothing_changes(world, year):
    plan = dry_run(
        world,
        year,
        csv_file(
            "DINKES,,Baik,SAKIP,LKjIP 2026",
            "NOPE,Triwulan IX,Hebat,,",
            ",,,pimpinan,",
            "DINKES,,Kurang,SAKIP,",
            "BKPSDM,tahunan,baik,entah,",
            "DINKES-YAN,1,Istimewa,pimpinan," + "x" * 1001,
        ),
    )
    assert [e.as_dict() for e in plan.errors] == [
        {"row": 3, "column": "kode_unit", "message": "Unit dengan kode NOPE tidak ada."},
        {
            "row": 3,
            "column": "periode",
            "message": "Periode Triwulan IX tidak ada di tahun 2026; kosongkan untuk predikat "
            "tahunan.",
        },
        {
            "row": 3,
            "column": "predikat",
            "message": "Predikat Hebat tidak dikenal (Istimewa, Baik, Butuh Perbaikan, Kurang, "
            "Sangat Kurang).",
        },
        {
            "row": 3,
            "column": "sumber",
            "message": "Sumber wajib diisi (SAKIP/LKjIP atau pimpinan).",
        },
        {"row": 4, "column": "kode_unit", "message": "Kode unit wajib diisi."},
        {
            "row": 4,
            "column": "predikat",
            "message": "Predikat wajib diisi; tidak ada nilai bawaan.",
        },
        {"row": 5, "column": "kode_unit", "message": "Unit dan periode ini sudah ada di baris 2."},
        {
            "row": 6,
            "column": "sumber",
            "message": "Sumber entah tidak dikenal (SAKIP/LKjIP atau pimpinan).",
        },
        {"row": 7, "column": "catatan", "message": "Catatan paling banyak 1000 karakter."},
    ]
    assert [r.row for r in plan.rows] == [2]
    assert not OrgPerformance.objects.exists()


def test_applying_a_file_with_errors_is_refused_whole(world, year):
    with pytest.raises(ValidationError) as exc:
        services.org_grades_import(
            actor=world.user("admin"),
            year=year,
            upload=csv_file("DINKES,,Baik,SAKIP,", "NOPE,,Baik,SAKIP,"),
            apply=True,
        )
    assert exc.value.messages == ["Baris 3, kolom kode_unit: Unit dengan kode NOPE tidak ada."]
    assert not OrgPerformance.objects.exists()


def test_applying_a_workbook_sets_year_and_period_grades(world, year, q1):
    upload = xlsx_file(
        [
            ["DINKES", None, "Baik", "SAKIP/LKjIP", "LKjIP 2026"],
            ["dinkes-yan-1", 1, "butuh perbaikan", "pimpinan", None],
            ["BKPSDM", "Triwulan I", "istimewa", "entered", None],
        ]
    )
    plan = services.org_grades_import(
        actor=world.user("admin"), year=year, upload=upload, apply=True
    )
    assert plan.applied == 3
    rows = OrgPerformance.objects.values_list("unit__code", "period_id", "grade", "source", "note")
    assert sorted(rows) == [
        ("BKPSDM", q1.pk, "istimewa", "entered", ""),
        ("DINKES", None, "baik", "entered", "LKjIP 2026"),
        ("DINKES-YAN-1", q1.pk, "butuh_perbaikan", "from_head", ""),
    ]
    assert selectors.org_grade_for(world.units["bidang"].pk, year) == "baik"  # inherited
    event = AuditEvent.objects.get(action="assessment.org_grade.import")
    assert event.after == {"year": 2026, "file": "predikat.xlsx", "rows": 3, "changed": 3}


def test_a_wrong_header_refuses_the_file(world, year):
    upload = SimpleUploadedFile("p.csv", b"unit,nilai\nDINKES,Baik\n")
    with pytest.raises(ValidationError) as exc:
        dry_run(world, year, upload)
    assert exc.value.messages == [
        "Judul kolom salah (kolom wajib tidak ada: kode_unit, predikat, sumber; kolom tidak "
        "dikenal: unit, nilai). Kolom: kode_unit, periode, predikat, sumber, catatan."
    ]


def test_the_import_page_checks_then_applies(world, year, login):
    client = login(world.user("admin"))
    url = reverse("assessment:org_grade_import") + f"?tahun={year.pk}"
    page = client.post(url, {"file": csv_file("DINKES,,Baik,SAKIP,", "NOPE,,Baik,SAKIP,")})
    text = page.content.decode()
    assert "1 kesalahan" in text and "Unit dengan kode NOPE tidak ada." in text
    page = client.post(url, {"file": csv_file("DINKES,,Baik,SAKIP,"), "apply": "on"}, follow=True)
    assert "Impor diterapkan: 1 predikat organisasi berubah." in page.content.decode()
    assert OrgPerformance.objects.get().grade == "baik"


def test_only_admin_bkd_imports(world, year, login):
    url = reverse("assessment:org_grade_import") + f"?tahun={year.pk}"
    page = login(world.user("kabid")).post(url, {"file": csv_file("DINKES,,Baik,SAKIP,")})
    assert page.status_code == 403
    assert not OrgPerformance.objects.exists()


# --- API ------------------------------------------------------------------------------------


@pytest.fixture
def api(world):
    client = APIClient()
    client.force_authenticate(world.user("admin"))
    return client


def test_api_lists_the_tree_and_one_unit(world, year, api):
    grade(world, year, world.units["dinkes"], "baik")
    top = api.get("/api/org-grades/", {"year": year.pk}).json()
    names = [n["name"] for n in top["results"]]
    assert names == ["Sekretariat Daerah"]
    dinkes = world.units["dinkes"]
    children = api.get("/api/org-grades/", {"year": year.pk, "parent": dinkes.pk}).json()
    assert [
        (n["name"], n["grade"]["grade"], n["grade"]["inherited"]) for n in children["results"]
    ] == [("Bidang Pelayanan Kesehatan", "baik", True)]
    one = api.get(f"/api/org-grades/{world.units['seksi'].pk}/", {"year": year.pk}).json()
    assert (one["grade"], one["origin_unit_name"], one["set_by"]) == (
        "baik",
        "Dinas Kesehatan",
        "Gita Permata",
    )


def test_api_sets_one_a_subtree_and_many(world, year, q1, api):
    seksi, dinkes = world.units["seksi"], world.units["dinkes"]
    response = api.post(
        f"/api/org-grades/{seksi.pk}/set/", {"year": year.pk, "grade": "kurang"}, format="json"
    )
    assert response.json() == {"changed": 1}
    response = api.post(
        f"/api/org-grades/{dinkes.pk}/set/",
        {"year": year.pk, "grade": "baik", "subtree": True, "source": "from_head"},
        format="json",
    )
    assert response.json() == {"changed": 3}
    response = api.post(
        "/api/org-grades/bulk/",
        {
            "year": year.pk,
            "period": q1.pk,
            "entries": [
                {"unit": seksi.pk, "grade": "istimewa"},
                {"unit": world.units["bkpsdm"].pk, "grade": "baik", "note": "LKjIP"},
            ],
        },
        format="json",
    )
    assert response.json() == {"changed": 2}
    assert OrgPerformance.objects.filter(period=q1).count() == 2
    response = api.post(
        f"/api/org-grades/{seksi.pk}/set/", {"year": year.pk, "grade": ""}, format="json"
    )
    assert response.status_code == 400
    assert "Pilih predikat kinerja organisasi; tidak ada nilai bawaan." in response.content.decode()


def test_api_refuses_another_agency_unit_with_404(world, year, api):
    other = OrgUnit.objects.filter(agency=world.other_agency).first()
    response = api.post(
        "/api/org-grades/bulk/",
        {"year": year.pk, "entries": [{"unit": other.pk, "grade": "baik"}]},
        format="json",
    )
    assert response.status_code == 404
    response = api.post(
        f"/api/org-grades/{other.pk}/set/", {"year": year.pk, "grade": "baik"}, format="json"
    )
    assert response.status_code == 404
    assert not OrgPerformance.objects.exists()


def test_api_import_dry_run_then_apply(world, year, api):
    body = {"year": year.pk, "file": csv_file("DINKES,,Baik,SAKIP,", "NOPE,,Baik,SAKIP,")}
    result = api.post("/api/org-grades/import/", body, format="multipart").json()
    assert result["ok"] is False and result["applied"] == 0
    assert result["errors"] == [
        {"row": 3, "column": "kode_unit", "message": "Unit dengan kode NOPE tidak ada."}
    ]
    body = {"year": year.pk, "file": csv_file("DINKES,,Baik,SAKIP,"), "apply": True}
    result = api.post("/api/org-grades/import/", body, format="multipart").json()
    assert (result["ok"], result["applied"]) == (True, 1)


def test_api_settings_and_policy(world, api):
    assert api.get("/api/assessment-settings/").json()["min_unit_size"] == 5
    response = api.patch("/api/assessment-settings/change/", {"min_unit_size": 3}, format="json")
    assert response.json()["min_unit_size"] == 3
    assert AssessmentSettings.objects.get(agency=world.agency).min_unit_size == 3
    rules = api.get("/api/distribution-policy/").json()
    assert rules[0]["org_grade"] == "istimewa" and rules[0]["max_pct"] == "0.7000"
    response = api.post(
        "/api/distribution-policy/change/", {"order": 0, "max_pct": "0.6"}, format="json"
    )
    assert response.json()["max_pct"] == "0.6000"
    assert api.get("/api/distribution-policy/").json()[0]["max_pct"] == "0.6000"


def test_api_is_for_admin_bkd_only(world, year):
    client = APIClient()
    client.force_authenticate(world.user("kabid"))
    for url in ("/api/org-grades/", "/api/assessment-settings/", "/api/distribution-policy/"):
        response = client.get(url, {"year": year.pk})
        assert response.status_code == 403
        assert "Hanya admin BKD yang dapat melakukan ini." in response.content.decode()
