"""Pages and API of the follow-up app: permissions, messages, query counts, exports."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from kinerja.audit.models import AuditEvent
from kinerja.followup import services
from kinerja.followup.models import (
    Award,
    Candidate,
    CreditPoints,
    FollowupRule,
    Sanction,
    TrainingRecord,
)
from kinerja.org.models import Employee

from .factories import PDF_BYTES, make_annual, make_year

pytestmark = pytest.mark.django_db
SB, B, K = "sangat_baik", "baik", "kurang"


def _candidates(world):
    make_annual(world.staff, 2026, SB)
    make_annual(world.peer, 2026, K)
    make_annual(world.peer, 2025, K)
    services.candidates_generate(agency=world.agency, year=make_year(world.agency, 2026))
    return Candidate.objects.get(employee=world.staff, outcome="award")


# --- pages render ----------------------------------------------------------------------------

ADMIN_PAGES = [
    "followup:home",
    "followup:rules",
    "followup:allowance",
    "followup:candidates",
    "followup:awards",
    "followup:award_create",
    "followup:sanctions",
    "followup:sanction_create",
    "followup:courses",
    "followup:jp",
    "followup:mentors",
    "followup:credit_points",
    "followup:report",
]


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_pages_render(world, login, name):
    _candidates(world)
    response = login(world.user("admin")).get(reverse(name))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "name",
    ["followup:rules", "followup:allowance", "followup:award_create", "followup:credit_points"],
)
def test_admin_only_pages_refuse_others(world, login, name):
    assert login(world.user("kasi")).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", ["followup:candidates", "followup:jp", "followup:awards"])
def test_manager_pages_refuse_plain_employees(world, login, name):
    assert login(world.user("staff")).get(reverse(name)).status_code == 403


def test_unit_head_sees_only_their_units_candidates(world, login):
    _candidates(world)
    make_annual(world.admin, 2026, SB)  # BKPSDM, not Citra's unit
    services.candidates_generate(agency=world.agency, year=make_year(world.agency, 2026))
    response = login(world.user("kasi")).get(reverse("followup:candidates"))
    names = {c.employee.name for c in response.context["rows"]}
    assert names == {"Dewi Anggraini", "Eko Prasetyo"}


def test_employee_page_visibility(world, login):
    url = reverse("followup:employee", args=[world.staff.pk])
    assert login(world.user("peer")).get(url).status_code == 404
    assert login(world.user("kasi")).get(url).status_code == 200
    assert login(world.user("outsider_admin")).get(url).status_code == 404


# --- rules page --------------------------------------------------------------------------


def test_contradicting_rule_from_the_page_shows_the_message(world, login):
    client = login(world.user("admin"))
    client.get(reverse("followup:rules"))  # creates the defaults
    count = FollowupRule.objects.count()
    response = client.post(
        reverse("followup:rules"),
        {
            "outcome": "coaching",
            "years": "1",
            "predikat": ["baik", "butuh_perbaikan"],
            "consecutive": "on",
            "active": "on",
            "legal_basis": "",
        },
        follow=True,
    )
    text = response.content.decode()
    assert "Aturan ini bertentangan dengan aturan" in text
    assert FollowupRule.objects.count() == count
    response = client.post(
        reverse("followup:rules"),
        {"outcome": "award", "years": "3", "predikat": ["sangat_baik"], "consecutive": "on"},
        follow=True,
    )
    assert FollowupRule.objects.filter(years=3, active=False).count() == 1


# --- deciding and recording ------------------------------------------------------------------


def test_decide_through_the_page(world, login):
    candidate = _candidates(world)
    url = reverse("followup:candidate_decide", args=[candidate.pk])
    response = login(world.user("peer")).post(url, {"decision": "accept"})
    assert response.status_code == 404  # Eko does not see Dewi's candidate
    response = login(world.user("admin")).post(url, {"decision": "accept"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == "accepted"


def test_award_page_with_candidate_and_document(world, login, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    candidate = _candidates(world)
    login(world.user("admin"))
    response = client.post(
        reverse("followup:award_create"),
        {
            "kandidat": candidate.pk,
            "kind": "recognition",
            "basis": "SK Wali Kota 1/2027",
            "date": "2027-02-01",
            "document": SimpleUploadedFile("sk.pdf", PDF_BYTES, "application/pdf"),
        },
    )
    assert response.status_code == 302
    award = Award.objects.get()
    assert (award.employee, award.candidate) == (world.staff, candidate)
    url = reverse("followup:award_document", args=[award.pk])
    client.force_login(world.user("staff"))
    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF_BYTES
    client.force_login(world.user("peer"))
    assert client.get(url).status_code == 404


def test_sanction_page_without_legal_basis(world, login):
    client = login(world.user("admin"))
    response = client.post(
        reverse("followup:sanction_create"),
        {"pegawai": world.peer.pk, "kind": "warning", "legal_basis": "", "start": "2027-02-01"},
    )
    assert response.status_code == 200
    assert "Dasar hukum sanksi wajib diisi" in response.content.decode()
    assert not Sanction.objects.exists()


def test_employee_records_own_training_and_sees_jp(world, login):
    client = login(world.user("staff"))
    today = dt.date.today()
    response = client.post(
        reverse("followup:record_create"),
        {
            "title": "Pelayanan prima",
            "kind": "course",
            "start": f"{today:%Y}-01-05",
            "end": f"{today:%Y}-01-06",
            "hours_jp": "30",
        },
    )
    assert "Jumlah JP tidak masuk akal" in response.content.decode()
    assert not TrainingRecord.objects.exists()
    response = client.post(
        reverse("followup:record_create"),
        {
            "title": "Pelayanan prima",
            "kind": "course",
            "start": f"{today:%Y}-01-05",
            "end": f"{today:%Y}-01-06",
            "hours_jp": "16",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("followup:home")).content.decode()
    assert "Kurang 4 JP" in page


# --- query counts ----------------------------------------------------------------------------


def _more_employees(world, n, prefix):
    base = Employee.objects.count()
    Employee.objects.bulk_create(
        [
            Employee(
                agency=world.agency,
                nip=f"19900101201501{base + i:04d}",
                name=f"{prefix} {i}",
                status="pns",
                gender="L",
                birth_date=dt.date(1990, 1, 1),
                position=world.positions["staff"],
                unit=world.units["seksi"],
            )
            for i in range(n)
        ]
    )
    return list(Employee.objects.filter(name__startswith=f"{prefix} "))


def _fill(world, employees):
    year = make_year(world.agency, 2026)
    for i, e in enumerate(employees):
        make_annual(e, 2026, SB if i % 2 else "butuh_perbaikan")
    Candidate.objects.bulk_create(
        [
            Candidate(agency=world.agency, year=year, employee=e, outcome=o, history=[[2026, SB]])
            for e in employees
            for o in ("award", "training_priority")
        ]
    )
    Award.objects.bulk_create(
        [
            Award(
                agency=world.agency, employee=e, kind="bonus", basis="SK", date=dt.date(2026, 5, 1)
            )
            for e in employees
        ]
    )
    Sanction.objects.bulk_create(
        [
            Sanction(
                agency=world.agency,
                employee=e,
                kind="warning",
                legal_basis="PP",
                start=dt.date(2026, 5, 1),
            )
            for e in employees
        ]
    )
    TrainingRecord.objects.bulk_create(
        [
            TrainingRecord(
                agency=world.agency,
                employee=e,
                title="T",
                kind="course",
                start=dt.date(2026, 5, 1),
                end=dt.date(2026, 5, 1),
                hours_jp=4,
            )
            for e in employees
        ]
    )
    CreditPoints.objects.bulk_create(
        [
            CreditPoints(
                agency=world.agency,
                employee=e,
                year=2025,
                jenjang="ahli_pertama",
                predikat="baik",
                months=12,
                points="12.50",
            )
            for e in employees
        ]
    )


LIST_PAGES = [
    ("followup:candidates", ""),
    ("followup:awards", ""),
    ("followup:sanctions", ""),
    ("followup:jp", "?tahun=2026"),
    ("followup:credit_points", ""),
    ("followup:mentors", "?tahun=2026"),
]


@pytest.mark.parametrize(("name", "query"), LIST_PAGES)
def test_list_pages_have_fixed_query_counts(world, login, name, query):
    client = login(world.user("admin"))
    url = reverse(name) + query
    client.get(url)  # warm up (settings row)
    _fill(world, _more_employees(world, 2, "Kecil"))
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _fill(world, _more_employees(world, 15, "Besar"))
    with CaptureQueriesContext(connection) as big:
        assert client.get(url).status_code == 200
    assert len(big) == len(small), [q["sql"] for q in big.captured_queries]


def test_employee_page_has_fixed_query_count(world, login):
    client = login(world.user("staff"))
    client.get(reverse("followup:home"))
    _fill(world, [world.staff])
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("followup:home"))
    for i in range(5):
        Award.objects.create(
            agency=world.agency,
            employee=world.staff,
            kind="bonus",
            basis=f"SK {i}",
            date=dt.date(2026, 6, 1),
        )
        TrainingRecord.objects.create(
            agency=world.agency,
            employee=world.staff,
            title="T",
            kind="course",
            start=dt.date(2026, 6, 1),
            end=dt.date(2026, 6, 1),
            hours_jp=2,
        )
    with CaptureQueriesContext(connection) as big:
        client.get(reverse("followup:home"))
    assert len(big) == len(small)


# --- reports ---------------------------------------------------------------------------------


def test_report_excel_and_pdf_are_audited(world, login):
    _candidates(world)
    client = login(world.user("admin"))
    year = make_year(world.agency, 2026)
    response = client.get(reverse("followup:report"), {"tahun": year.pk, "format": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="tindak-lanjut-2026.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["Kandidat"].iter_rows(values_only=True))
    assert ("Kandidat penghargaan", world.staff.nip, "Dewi Anggraini") in [r[:3] for r in rows]
    assert AuditEvent.objects.filter(action="followup.report.export.xlsx").exists()
    unit = world.units["seksi"]
    response = client.get(
        reverse("followup:report"), {"tahun": year.pk, "format": "pdf", "unit": unit.pk}
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        action="followup.report.export.pdf", target_id=str(unit.pk)
    ).exists()


def test_report_excel_has_no_formula_cell(world, login):
    """Text typed by people (award basis, sanction legal basis, names) is never a live formula."""
    _candidates(world)
    year = make_year(world.agency, 2026)
    Employee.objects.filter(pk=world.staff.pk).update(name="=1+1", front_title="", back_title="")
    Award.objects.create(
        agency=world.agency,
        employee=world.staff,
        kind="bonus",
        basis='=HYPERLINK("http://x","klik")',
        date=dt.date(2026, 6, 1),
    )
    Sanction.objects.create(
        agency=world.agency,
        employee=world.staff,
        kind="warning",
        legal_basis="@SUM(A1)",
        start=dt.date(2026, 2, 1),
    )
    response = login(world.user("admin")).get(
        reverse("followup:report"), {"tahun": year.pk, "format": "xlsx"}
    )
    workbook = load_workbook(io.BytesIO(response.content))
    cells = [c for ws in workbook for row in ws.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells}
    assert {"'=1+1", '\'=HYPERLINK("http://x","klik")', "'@SUM(A1)"} <= texts


def test_unit_head_report_is_limited_to_their_unit(world, login):
    _candidates(world)
    year = make_year(world.agency, 2026)
    response = login(world.user("kasi")).get(
        reverse("followup:report"),
        {"tahun": year.pk, "format": "xlsx", "unit": world.units["bkpsdm"].pk},
    )
    assert response.status_code == 404


# --- API -------------------------------------------------------------------------------------


def test_api_candidates_and_decide(world, login):
    candidate = _candidates(world)
    client = login(world.user("staff"))
    assert client.get("/api/followup/candidates/").json()["results"] == []
    client = login(world.user("kasi"))
    listed = client.get("/api/followup/candidates/?outcome=award").json()["results"]
    assert [(c["employee"], c["history"]) for c in listed] == [(world.staff.pk, [[2026, SB]])]
    response = client.post(
        f"/api/followup/candidates/{candidate.pk}/decide/",
        {"accept": False, "note": "Tahun depan"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"


def test_api_non_admin_cannot_record_awards(world, login):
    response = login(world.user("kasi")).post(
        "/api/followup/awards/",
        {"employee": world.staff.pk, "kind": "bonus", "basis": "SK", "date": "2027-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Award.objects.exists()


@pytest.mark.parametrize(
    ("url", "body", "message"),
    [
        (
            "/api/followup/sanctions/",
            {"employee": "peer", "kind": "warning", "legal_basis": "", "start": "2027-01-01"},
            "Dasar hukum sanksi wajib diisi (mis. PP 30/2019 Pasal 56-58, PP 94/2021).",
        ),
        (
            "/api/followup/training-records/",
            {
                "employee": "staff",
                "title": "T",
                "kind": "course",
                "start": "2026-03-01",
                "end": "2026-03-01",
                "hours_jp": 13,
            },
            "Jumlah JP tidak masuk akal: 13 JP dalam 1 hari, padahal paling banyak 12 JP per hari.",
        ),
        (
            "/api/followup/credit-points/",
            {"employee": "staff", "year": 2026, "predikat": "baik"},
            "Angka kredit hanya untuk jabatan fungsional; Dewi Anggraini menduduki Pelaksana.",
        ),
    ],
)
def test_api_bad_input_is_a_400_with_the_message(world, login, url, body, message):
    body = {**body, "employee": world.people[body["employee"]].pk}
    response = login(world.user("admin")).post(url, body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json() == {"detail": [message]}


def test_api_foreign_employee_is_404(world, login):
    response = login(world.user("admin")).post(
        "/api/followup/awards/",
        {"employee": world.outsider.pk, "kind": "bonus", "basis": "SK", "date": "2027-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_api_non_admin_may_not_change_a_visible_course(world, login):
    from kinerja.followup.models import TrainingCourse

    course = TrainingCourse.objects.create(
        agency=world.agency, title="Literasi digital", kind="elearning", hours_jp=10
    )
    client = login(world.user("kasi"))
    url = f"/api/followup/courses/{course.pk}/"
    assert client.get(url).status_code == 200
    response = client.patch(url, {"hours_jp": 12}, content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Hanya admin BKD yang dapat melakukan ini."}
    course.refresh_from_db()
    assert course.hours_jp == 10
