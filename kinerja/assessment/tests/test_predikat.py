"""One current predikat everywhere: every page, API response and printed
document that shows a person's predikat shows the one that holds now, after a
calibration change and after an appeal decision, and the history explains it."""

import datetime as dt
import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from kinerja.assessment import selectors, services
from kinerja.assessment.models import Calibration, Evaluation
from kinerja.followup.models import Candidate, Outcome

from .factories import ANNUAL_DAY, approve, fails, grade, populate, rate_all, skp_of

SIGN_DAY = dt.date(2027, 1, 8)
DELIVER_DAY = dt.date(2027, 1, 11)
APPEAL_DAY = dt.date(2027, 1, 12)
DECIDE_DAY = dt.date(2027, 1, 13)


@pytest.fixture
def annual(world, graded):
    """Dewi's annual evaluation, rated Sesuai/Sesuai (Baik) by Citra and finalised."""
    skp = skp_of(world.staff, graded)
    approve(skp)
    evaluation = services.evaluation_for(skp=skp, period=None)
    rate_all(world.user("kasi"), evaluation, "sesuai", today=ANNUAL_DAY)
    services.evaluation_finalise(actor=world.user("kasi"), evaluation=evaluation, today=ANNUAL_DAY)
    evaluation.refresh_from_db()
    assert (evaluation.predikat, evaluation.predikat_final) == ("baik", "")
    return evaluation


def _calibration(world, year, forum):
    settings = selectors.settings_for(world.agency.pk)
    pooled = selectors.calibration_groups(world.agency.pk, year, settings.min_unit_size)
    unit_id = pooled.merged_into.get(world.staff.unit_id, world.staff.unit_id)
    unit = selectors.unit_in_agency(world.agency.pk, unit_id)
    return services.calibration_open(actor=forum, year=year, unit=unit)


def _one(pattern, text):
    found = re.search(pattern, text, re.S)
    assert found, pattern
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def shown(client, world, evaluation, forum, calibration):
    """The predikat of Dewi's annual evaluation as each page shows it."""
    pk = evaluation.pk
    year = evaluation.year_id
    out = {}
    client.force_login(world.user("staff"))
    page = client.get(reverse("assessment:home")).content.decode()
    out["employee"] = _one(rf'data-testid="predikat-{pk}">(.*?)</dd>', page)
    client.force_login(world.user("kasi"))
    page = client.get(reverse("assessment:team") + f"?periode=tahunan&tahun={year}")
    out["team"] = _one(
        rf'data-testid="predikat-{world.staff.pk}">(.*?)</span>', page.content.decode()
    )
    page = client.get(reverse("assessment:evaluation", args=[pk])).content.decode()
    out["evaluation"] = _one(r'<strong id="predikat">(.*?)</strong>', page)
    out["api"] = client.get(f"/api/evaluations/{pk}/").json()["predikat_current"]
    pdf = client.get(reverse("assessment:document_pdf", args=[pk]))
    assert pdf.content.startswith(b"%PDF")
    out["pdf"] = evaluation.documents.order_by("-pk").first().content["predikat"]
    pdftotext = shutil.which("pdftotext")
    if pdftotext:  # poppler-utils: read the printed predikat back from the PDF
        text = subprocess.run(  # noqa: S603 - fixed binary, our own PDF
            [pdftotext, "-", "-"], input=pdf.content, capture_output=True, check=True
        ).stdout.decode()
        assert out["pdf"] in text
    client.force_login(forum)
    page = client.get(reverse("assessment:calibration", args=[calibration.pk])).content.decode()
    out["calibration"] = _one(
        rf'data-label="Pegawai">{re.escape(world.staff.full_name)}</td>.*?'
        r'data-label="Predikat saat ini">(.*?)</td>',
        page,
    )
    client.force_login(world.user("admin"))
    page = client.get(reverse("followup:candidates") + f"?tahun={year}").content.decode()
    out["followup"] = _one(
        rf"{re.escape(world.staff.full_name)}</a>.*?"
        r'data-label="Riwayat predikat">2026: (.*?)</td>',
        page,
    )
    return out


def everywhere(code):
    """What each page shows for `code`: its label; the API its code; the PDF in capitals."""
    label = selectors.predikat_label(code)
    pages = dict.fromkeys(["employee", "team", "evaluation", "calibration", "followup"], label)
    return {**pages, "api": code, "pdf": label.upper()}


def test_the_current_predikat_after_calibration_and_appeal_on_every_page(
    world, annual, forum, client
):
    kasi, kabid = world.user("kasi"), world.user("kabid")
    calibration = _calibration(world, annual.year, forum)
    services.calibration_change(
        actor=forum,
        calibration=calibration,
        evaluation=annual,
        predikat="butuh_perbaikan",
        reason="Dua RHK utama tidak tercapai",
    )
    services.calibration_close(
        actor=forum, calibration=calibration, override_reason="Unit kecil tahun ini"
    )
    annual.refresh_from_db()
    # The follow-up list as the annual close built it, before the appeal.
    Candidate.objects.create(
        agency=world.agency,
        year=annual.year,
        employee=world.staff,
        outcome=Outcome.COACHING,
        evaluation=annual,
        history=[[2026, "butuh_perbaikan"]],
    )
    assert shown(client, world, annual, forum, calibration) == everywhere("butuh_perbaikan")

    services.evaluation_sign(actor=kasi, evaluation=annual, today=SIGN_DAY)
    services.evaluation_deliver(actor=kasi, evaluation=annual, today=DELIVER_DAY)
    appeal = services.appeal_file(
        actor=world.user("staff"),
        evaluation=annual,
        reasons="Target RHK utama tercapai di triwulan IV",
        today=APPEAL_DAY,
    )
    assert appeal.predikat_before == "butuh_perbaikan"
    services.appeal_decide(
        actor=kabid,
        appeal=appeal,
        decision="change",
        new_predikat="baik",
        reason="Laporan triwulan IV membuktikan target tercapai",
        today=DECIDE_DAY,
    )
    annual.refresh_from_db()
    assert shown(client, world, annual, forum, calibration) == everywhere("baik")

    history = [(s.kind, s.predikat, s.by, s.reason) for s in selectors.predikat_history(annual)]
    assert history == [
        ("proposed", "baik", "Aplikasi", ""),
        ("rated", "baik", world.kasi.full_name, ""),
        ("calibration", "butuh_perbaikan", world.kaban.full_name, "Dua RHK utama tidak tercapai"),
        (
            "appeal",
            "baik",
            world.kabid.full_name,
            "Laporan triwulan IV membuktikan target tercapai",
        ),
    ]
    client.force_login(world.user("staff"))
    page = client.get(reverse("assessment:evaluation", args=[annual.pk])).content.decode()
    assert "Diubah dalam kalibrasi</strong>: Butuh Perbaikan" in page
    assert "Diputus atas keberatan</strong>: Baik" in page
    api = client.get(f"/api/evaluations/{annual.pk}/").json()
    assert [(h["kind"], h["predikat"]) for h in api["predikat_history"]] == [
        ("proposed", "baik"),
        ("rated", "baik"),
        ("calibration", "butuh_perbaikan"),
        ("appeal", "baik"),
    ]
    assert api["predikat_history"][3]["at"] == "2027-01-13"


def test_the_employee_sees_no_annual_predikat_before_calibration(world, annual, client):
    client.force_login(world.user("staff"))
    api = client.get(f"/api/evaluations/{annual.pk}/").json()
    assert (api["predikat_current"], api["predikat_history"]) == ("", [])
    page = client.get(reverse("assessment:evaluation", args=[annual.pk])).content.decode()
    assert "Riwayat predikat" not in page
    client.force_login(world.user("kasi"))
    api = client.get(f"/api/evaluations/{annual.pk}/").json()
    assert api["predikat_current"] == "baik"
    page = client.get(reverse("assessment:evaluation", args=[annual.pk])).content.decode()
    assert '<strong id="predikat">Baik (menunggu kalibrasi)</strong>' in page


def test_predikat_map_reads_loaded_rows_without_a_query_and_a_queryset_in_one(
    world, annual, django_assert_num_queries
):
    Evaluation.objects.filter(pk=annual.pk).update(predikat_final="sangat_baik")
    annual.refresh_from_db()
    with django_assert_num_queries(0):
        assert selectors.predikat_map([annual]) == {annual.pk: "sangat_baik"}
    with django_assert_num_queries(1):
        assert selectors.predikat_map(Evaluation.objects.filter(pk=annual.pk)) == {
            annual.pk: "sangat_baik"
        }


# --- calibration guardrail ------------------------------------------------------------


def test_a_calibration_without_predikat_says_so_and_cannot_be_closed(world, year, forum, client):
    unit = world.units["dinkes"]
    grade(world, year, unit, "baik")
    populate(year, unit, ["baik"] * 6, computed=False)
    calibration = services.calibration_open(actor=forum, year=year, unit=unit)
    message = (
        "Belum ada pegawai yang memiliki predikat tahunan dalam kalibrasi ini; kalibrasi tidak "
        "dapat ditutup kosong. Finalkan evaluasi tahunan lebih dulu."
    )
    fails(message, services.calibration_close, actor=forum, calibration=calibration)
    client.force_login(forum)
    page = client.get(reverse("assessment:calibration", args=[calibration.pk])).content.decode()
    assert "Semua kuota terpenuhi" not in page
    assert "Belum ada pegawai yang memiliki predikat tahunan; kuota belum dapat diperiksa" in page
    response = client.post(
        reverse("assessment:calibration_close", args=[calibration.pk]), follow=True
    )
    assert message in response.content.decode()
    response = client.post(
        f"/api/calibrations/{calibration.pk}/close/", {}, content_type="application/json"
    )
    assert response.status_code == 400 and message in str(response.json())
    assert Calibration.objects.get(pk=calibration.pk).status == Calibration.Status.OPEN
