"""An employee logs a day's work with evidence, her superior comments on it,
and she sees the feedback on her dashboard."""

import pytest
from playwright.sync_api import expect

from kinerja.monitoring.models import DailyLog, Feedback

from .factories import PDF_BYTES, make_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_with_evidence_feedback_and_dashboard(world, browser_login, live_server):
    plan = make_plan(world)

    page = browser_login(world.staff.nip)
    page.get_by_role("link", name="Pemantauan").first.click()
    page.get_by_role("link", name="Catatan harian").first.click()
    page.get_by_label("RHK").select_option(str(plan.rhk.pk))
    page.get_by_label("Apa yang Anda kerjakan dan hasilnya").fill(
        "Menyusun laporan layanan primer minggu ini"
    )
    page.get_by_label("Durasi (menit, boleh kosong)").fill("120")
    page.set_input_files(
        "#ev-file",
        files=[{"name": "laporan.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}],
    )
    page.get_by_role("button", name="Simpan catatan").click()
    expect(page.get_by_text("Catatan harian disimpan.")).to_be_visible()
    log = DailyLog.objects.get()
    assert log.evidence.get().original_name == "laporan.pdf"

    page.context.clear_cookies()
    page = browser_login(world.kasi.nip)
    page.goto(f"{live_server.url}/pantau/tim/")
    expect(page.get_by_text("Menyusun laporan layanan primer minggu ini")).to_be_visible()
    page.get_by_role("link", name="Buka dan beri umpan balik").first.click()
    expect(page.get_by_role("link", name="laporan.pdf")).to_be_visible()
    page.get_by_label("Beri umpan balik").fill("Bagus, lampirkan juga rekap kunjungan.")
    page.get_by_role("button", name="Kirim umpan balik").click()
    expect(page.get_by_text("Umpan balik dikirim.")).to_be_visible()
    assert Feedback.objects.get().author == world.kasi

    page.context.clear_cookies()
    page = browser_login(world.staff.nip)
    page.goto(f"{live_server.url}/pantau/")
    feedback = page.locator(".feedback-text", has_text="Bagus, lampirkan juga rekap kunjungan.")
    expect(feedback).to_be_visible()
    # The author's name on the page itself (the bell's closed dropdown names her too).
    expect(page.locator("main").get_by_text("Citra").first).to_be_visible()
