"""Pages: each works for the people who use it, refuses the others, and the
list pages run a fixed number of queries (tested at two sizes)."""

import datetime as dt
import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.assessment import services
from kinerja.assessment.models import Calibration, Evaluation
from kinerja.org.models import OrgUnit
from kinerja.org.services import rebuild_paths

from .factories import Q1_DAY, approve, grade, populate, rate_all, skp_of


@pytest.fixture
def unit(world, year):
    obj = OrgUnit.objects.create(
        agency=world.agency,
        code="UPT-9",
        name="UPT Laboratorium",
        kind="upt",
        parent=world.units["dinkes"],
    )
    rebuild_paths(world.agency)
    obj.refresh_from_db()
    grade(world, year, obj, "baik")
    return obj


def _queries(client, url):
    client.get(url)  # warm-up: first-use seeding (settings, policy) and the session
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_calibration_page_query_count_is_fixed(world, year, unit, forum, client):
    populate(year, unit, ["baik"] * 16 + ["sangat_baik"] * 4)
    calibration = services.calibration_open(actor=forum, year=year, unit=unit)
    client.force_login(forum)
    url = reverse("assessment:calibration", args=[calibration.pk])
    small = _queries(client, url)
    populate(year, unit, ["baik"] * 150 + ["butuh_perbaikan"] * 30)
    assert Calibration.objects.get(pk=calibration.pk).member_unit_ids == [unit.pk]
    big = _queries(client, url)
    assert small == big
    response = client.get(url)
    assert b"Baik: 166 pegawai, paling banyak 140." in response.content
    assert b"<svg" in response.content


def test_calibration_list_query_count_is_fixed(world, year, unit, forum, client):
    populate(year, unit, ["baik"] * 20)
    client.force_login(forum)
    url = reverse("assessment:calibration_list")
    small = _queries(client, url)
    for i in range(10):
        extra = OrgUnit.objects.create(
            agency=world.agency, code=f"X{i}", name=f"Unit {i}", kind="upt", parent=unit
        )
        populate(year, extra, ["baik"] * 20)
    rebuild_paths(world.agency)
    assert small == _queries(client, url)


def test_team_page_query_count_is_fixed(world, year, unit, client):
    populate(year, unit, ["baik"] * 20, rater=world.kasi)
    client.force_login(world.user("kasi"))
    url = reverse("assessment:team") + "?periode=tahunan"
    small = _queries(client, url)
    populate(year, unit, ["baik"] * 180, rater=world.kasi)
    big = _queries(client, url)
    assert small == big
    assert client.get(url).content.count(b"Nilai kinerja Pegawai") == 200


def test_employee_page_query_count_is_fixed(world, staff_eval, client):
    client.force_login(world.user("staff"))
    url = reverse("assessment:home")
    small = _queries(client, url)
    rate_all(world.user("kasi"), staff_eval, "sesuai")
    services.evaluation_finalise(actor=world.user("kasi"), evaluation=staff_eval, today=Q1_DAY)
    services.peer_input_request(actor=world.user("kasi"), evaluation=staff_eval, peers=[world.peer])
    assert _queries(client, url) == small


def test_open_and_show_a_2000_employee_unit(world, year, unit, forum, client, capsys):
    populate(year, unit, ["baik"] * 1500 + ["sangat_baik"] * 300 + ["butuh_perbaikan"] * 200)
    client.force_login(forum)
    client.get(reverse("assessment:calibration_list"))  # warm-up: URL resolver, templates
    started = time.perf_counter()
    calibration = services.calibration_open(actor=forum, year=year, unit=unit)
    opened = time.perf_counter() - started
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("assessment:calibration", args=[calibration.pk]))
    page = time.perf_counter() - started
    assert response.status_code == 200
    assert response.content.count(b"Ubah predikat Pegawai") == 2000
    with capsys.disabled():
        print(
            f"\n2,000-employee unit: calibration_open {opened:.3f} s, "
            f"calibration page {page:.3f} s, {len(ctx.captured_queries)} queries"
        )


def test_rater_rates_through_the_page(world, staff_eval, client, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: Q1_DAY)
    client.force_login(world.user("kasi"))
    url = reverse("assessment:evaluation", args=[staff_eval.pk])
    page = client.get(url)
    assert page.status_code == 200 and b"Finalkan evaluasi" in page.content
    data = {"hasil": "sesuai", "perilaku": "sesuai", "action": "save"}
    for row in staff_eval.rhk_rows.all():
        data[f"rating_{row.rhk_id}"] = "sesuai"
    for v in range(1, 8):
        data[f"value_{v}"] = "sesuai"
    client.post(url, data)
    data["action"] = "finalise"
    response = client.post(url, data, follow=True)
    assert "Evaluasi difinalkan dan dikunci." in response.content.decode()
    staff_eval.refresh_from_db()
    assert (staff_eval.status, staff_eval.predikat) == ("finalised", "baik")


def test_the_employee_cannot_rate_through_the_page(world, staff_eval, client, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: Q1_DAY)
    client.force_login(world.user("staff"))
    url = reverse("assessment:evaluation", args=[staff_eval.pk])
    assert b"Finalkan evaluasi" not in client.get(url).content
    response = client.post(url, {"hasil": "di_atas"}, follow=True)
    assert "Anda tidak dapat menilai diri sendiri." in response.content.decode()
    assert Evaluation.objects.get(pk=staff_eval.pk).hasil == ""


def test_a_peer_sees_their_input_form_and_nothing_of_the_evaluation(world, staff_eval, client):
    rate_all(world.user("kasi"), staff_eval, "sesuai")
    services.evaluation_finalise(actor=world.user("kasi"), evaluation=staff_eval, today=Q1_DAY)
    (request,) = services.peer_input_request(
        actor=world.user("kasi"), evaluation=staff_eval, peers=[world.peer]
    )
    client.force_login(world.user("peer"))
    form = client.get(reverse("assessment:peer_input", args=[request.pk]))
    assert form.status_code == 200
    assert "Dewi Anggraini" in form.content.decode()
    for url in (
        f"/api/evaluations/{staff_eval.pk}/",
        reverse("assessment:evaluation", args=[staff_eval.pk]),
        reverse("assessment:form_pdf", args=[staff_eval.pk]),
        reverse("assessment:document_pdf", args=[staff_eval.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_peers_anonymous_unless_the_agency_shows_names(world, staff_eval, client):
    (request,) = services.peer_input_request(
        actor=world.user("kasi"), evaluation=staff_eval, peers=[world.peer]
    )
    services.peer_input_submit(actor=world.user("peer"), peer_input=request, ratings={1: "di_atas"})
    client.force_login(world.user("staff"))
    url = reverse("assessment:evaluation", args=[staff_eval.pk])
    assert "Eko Prasetyo" not in client.get(url).content.decode()
    services.settings_update(
        actor=world.user("admin"), agency=world.agency, peer_names_visible=True
    )
    assert "Eko Prasetyo" in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("who", "name", "status"),
    [
        ("staff", "assessment:calibration_list", 403),
        ("kasi", "assessment:admin", 403),
        ("admin", "assessment:admin", 200),
        ("kaban", "assessment:calibration_list", 403),
        ("staff", "assessment:home", 200),
        ("kasi", "assessment:team", 200),
    ],
)
def test_role_pages(world, year, client, who, name, status):
    client.force_login(world.user(who))
    assert client.get(reverse(name)).status_code == status


def test_admin_pages_and_annual_close(world, year, client):
    client.force_login(world.user("admin"))
    assert client.get(reverse("assessment:admin")).status_code == 200
    url = reverse("assessment:org_grade_set", args=[world.units["seksi"].pk]) + f"?tahun={year.pk}"
    response = client.post(url, {"grade": "istimewa"}, follow=True)
    assert "Predikat kinerja organisasi disimpan." in response.content.decode()
    response = client.post(
        reverse("assessment:annual_close") + f"?tahun={year.pk}", {"reason": "Uji penutupan"}
    )
    assert response.status_code == 302 and "/proses/" in response["Location"]


def test_pdfs_and_verification(world, staff_eval, client):
    rate_all(world.user("kasi"), staff_eval, "sesuai")
    services.evaluation_finalise(actor=world.user("kasi"), evaluation=staff_eval, today=Q1_DAY)
    client.force_login(world.user("staff"))
    response = client.get(reverse("assessment:form_pdf", args=[staff_eval.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    response = client.get(reverse("assessment:document_pdf", args=[staff_eval.pk]))
    assert response.content.startswith(b"%PDF")
    kinds = sorted(staff_eval.documents.values_list("kind", flat=True))
    assert kinds == ["C.1.3", "D.1.1"]
    doc = staff_eval.documents.get(kind="D.1.1")
    client.logout()
    page = client.get(reverse("assessment:verify", args=[doc.token]))
    assert page.status_code == 200 and doc.content_hash in page.content.decode()


def test_api_rate_and_foreign_404(world, staff_eval, client, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: Q1_DAY)
    client.force_login(world.user("kasi"))
    url = f"/api/evaluations/{staff_eval.pk}/rate/"
    rows = {str(r.rhk_id): {"rating": "di_atas"} for r in staff_eval.rhk_rows.all()}
    response = client.post(url, {"rhk": rows, "hasil": "di_atas"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["hasil_proposed"] == "di_atas"
    response = client.post(
        f"/api/evaluations/{staff_eval.pk}/finalise/", content_type="application/json"
    )
    assert response.status_code == 400
    assert "Semua nilai perilaku kerja harus dinilai (7 belum dinilai)." in str(response.json())
    client.force_login(world.user("outsider_admin"))
    assert client.get(f"/api/evaluations/{staff_eval.pk}/").status_code == 404
    client.force_login(world.user("peer"))
    assert client.get(f"/api/evaluations/{staff_eval.pk}/").status_code == 404


def test_skp_with_rhk_shows_in_team(world, year, client):
    skp = skp_of(world.staff, year)
    approve(skp)
    client.force_login(world.user("kasi"))
    response = client.get(reverse("assessment:team"))
    assert "Dewi Anggraini" in response.content.decode()


def test_rating_page_shows_monitoring_data(world, staff_eval, client, monkeypatch):
    from decimal import Decimal

    from django.utils import timezone

    from kinerja.monitoring.models import Feedback, Realisasi
    from kinerja.planning.models import Iki

    rhk = staff_eval.rhk_rows.order_by("rhk__order").first().rhk
    iki = Iki.objects.create(
        agency=world.agency,
        rhk=rhk,
        text="Jumlah laporan",
        target_text="12 laporan",
        target_min=12,
        target_max=12,
        unit="laporan",
    )
    Realisasi.objects.create(
        agency=world.agency,
        employee=world.staff,
        iki=iki,
        period=staff_eval.period,
        value=Decimal("9"),
        narrative="tiga terlambat",
    )
    Feedback.objects.create(
        agency=world.agency,
        employee=world.staff,
        author=world.kasi,
        rhk=rhk,
        source="superior",
        text="Perbaiki ketepatan waktu",
    )
    # Feedback counts for the period it was given in (Triwulan I here).
    Feedback.objects.update(created_at=timezone.now().replace(year=2026, month=3, day=20))
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: Q1_DAY)
    client.force_login(world.user("kasi"))
    page = client.get(reverse("assessment:evaluation", args=[staff_eval.pk])).content.decode()
    assert "Finalkan evaluasi" in page
    assert "Triwulan I: 9 laporan tiga terlambat" in page
    assert "Triwulan I: 75.00%" in page
    assert "Citra Lestari: Perbaiki ketepatan waktu" in page
    # Once finalised, the employee sees the same evidence and feedback with the ratings.
    rate_all(world.user("kasi"), staff_eval, "sesuai")
    services.evaluation_finalise(actor=world.user("kasi"), evaluation=staff_eval, today=Q1_DAY)
    client.force_login(world.user("staff"))
    page = client.get(reverse("assessment:evaluation", args=[staff_eval.pk])).content.decode()
    assert "Citra Lestari: Perbaiki ketepatan waktu" in page


def test_reading_the_defaults_writes_nothing(world, year, client):
    """Settings and the distribution policy are the regulation's defaults until
    admin BKD changes them: reading them creates no row, the first change does."""
    from decimal import Decimal

    from kinerja.assessment import selectors
    from kinerja.assessment.models import AssessmentSettings, DistributionRule
    from kinerja.rules import distribution

    client.force_login(world.user("admin"))
    page = client.get(reverse("assessment:admin")).content.decode()
    assert page.count('name="rule"') == len(distribution.DEFAULT_POLICY)
    assert selectors.policy_for(world.agency.pk) == list(distribution.DEFAULT_POLICY)
    assert not DistributionRule.objects.filter(agency=world.agency).exists()
    assert not AssessmentSettings.objects.filter(agency=world.agency).exists()
    # The second rule of the defaults: Baik at most 70% in a unit graded Baik.
    data = {"action": "policy", "rule": 1, "max_pct": "60"}
    response = client.post(reverse("assessment:admin"), data, follow=True)
    assert "Tersimpan." in response.content.decode()
    rules = list(DistributionRule.objects.filter(agency=world.agency).order_by("order"))
    assert len(rules) == len(distribution.DEFAULT_POLICY)
    assert (rules[0].max_pct, rules[1].max_pct) == (Decimal("0.7"), Decimal("0.6"))
    data = {"action": "settings", "min_unit_size": "3", "peer_names_visible": "on"}
    client.post(reverse("assessment:admin"), data)
    settings = AssessmentSettings.objects.get(agency=world.agency)
    assert (settings.min_unit_size, settings.peer_names_visible) == (3, True)
    client.force_login(world.user("kasi"))
    response = client.get(reverse("assessment:admin"))
    assert response.status_code == 403
    assert "Hanya admin BKD yang dapat melakukan ini." in response.content.decode()


def test_team_due_dates_follow_each_unit_own_calendar(world, year, q1, client):
    """Budi rates Citra (Seksi, which has its own Triwulan I window) and Fitri (Bidang,
    the agency's window): each row is due by the window of the employee's unit."""
    from kinerja.planning import services as planning

    planning.calendar_override_add(
        actor=world.user("admin"),
        year=year,
        unit=world.units["seksi"],
        window="evaluation",
        period=q1,
        start=q1.window_start,
        end=q1.window_end + dt.timedelta(days=10),
        reason="Pergantian kepala seksi",
        today=q1.start,
    )
    client.force_login(world.user("kabid"))
    page = client.get(reverse("assessment:team") + f"?periode={q1.pk}").content.decode()
    extended = f"{q1.window_end + dt.timedelta(days=10):%d-%m-%Y}"
    agency = f"{q1.window_end:%d-%m-%Y}"
    rows = {
        name: page.split(name, 1)[1].split("</tr>", 1)[0]
        for name in ("Citra Lestari", "Fitri Handayani")
    }
    assert extended in rows["Citra Lestari"] and agency not in rows["Citra Lestari"]
    assert agency in rows["Fitri Handayani"] and extended not in rows["Fitri Handayani"]


def _org_grade_shown(client, evaluation):
    page = client.get(reverse("assessment:evaluation", args=[evaluation.pk])).content.decode()
    found = re.search(r'<dd id="org-grade">(.*?)</dd>', page, re.S)
    assert found, page
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def test_a_draft_shows_the_grade_finalising_would_use_a_locked_one_the_recorded(
    world, year, q1, client, monkeypatch
):
    """Before any rating the rater sees the grade the evaluation will use (here inherited
    from the dinas), or that it is missing; once finalised, the grade it recorded."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: Q1_DAY)
    skp = skp_of(world.staff, year)
    approve(skp)
    evaluation = services.evaluation_for(skp=skp, period=q1)
    kasi = world.user("kasi")
    client.force_login(kasi)
    assert _org_grade_shown(client, evaluation) == (
        "Belum ditetapkan admin BKD; evaluasi belum dapat difinalkan."
    )
    grade(world, year, world.units["dinkes"], "istimewa")
    assert _org_grade_shown(client, evaluation) == "Istimewa (diwarisi dari Dinas Kesehatan)"
    rate_all(kasi, evaluation, "sesuai")
    services.evaluation_finalise(actor=kasi, evaluation=evaluation, today=Q1_DAY)
    grade(world, year, world.units["seksi"], "baik")
    assert _org_grade_shown(client, evaluation) == "Istimewa"


def test_calibration_chart_names_every_predikat_in_full_with_its_band(
    world, year, unit, forum, client
):
    """Issue 12: the distribution chart shows the full predikat names (no "S / B / B / K / S")
    and the allowed band of each, with a text equivalent for screen readers."""
    populate(year, unit, ["baik"] * 8 + ["sangat_baik"] * 2)
    calibration = services.calibration_open(actor=forum, year=year, unit=unit)
    client.force_login(forum)
    html = client.get(reverse("assessment:calibration", args=[calibration.pk])).content.decode()
    svg = re.search(r'<svg id="calibration-chart".*?</svg>', html, re.S).group(0)
    labels = re.findall(r'<text class="chart-label"[^>]*>([^<]*)</text>', svg)
    assert labels == [
        "Sangat Baik",
        "Baik",
        "Butuh Perbaikan",
        "Kurang/Misconduct",
        "Sangat Kurang",
    ]
    values = re.findall(r'<text class="chart-value"[^>]*>([^<]*)</text>', svg)
    assert values == ["2 pegawai", "8 pegawai", "0 pegawai", "0 pegawai", "0 pegawai"]
    # Organisation grade "baik": at most 7 Baik (of 10), at least one Butuh
    # Perbaikan or Kurang/Misconduct together; both broken here.
    bands = re.findall(r'<text class="chart-band-text"[^>]*>([^<]*)</text>', svg)
    assert bands == [
        "tanpa batas",
        "⚠ paling banyak 7",
        "⚠ bersama Kurang/Misconduct: paling sedikit 1",
        "⚠ bersama Butuh Perbaikan: paling sedikit 1",
        "tanpa batas",
    ]
    assert svg.count('class="chart-band"') == 1  # Baik's own band drawn behind its bar
    # Coordinates are not localised ("12,5" would break the drawing in Indonesian).
    numbers = re.findall(r' (?:x|y|width|height)="([^"]*)"', svg)
    assert numbers and all(re.fullmatch(r"[0-9.]+%?", v) for v in numbers)
    desc = re.search(r'<desc id="chart-desc">([^<]*)</desc>', svg).group(1)
    assert "Baik: 8 pegawai, paling banyak 7 (dilanggar)" in desc
    assert "Sangat Kurang: 0 pegawai, tanpa batas" in desc
