"""After an annual close, admin BKD sees an award candidate, records the award, and the
employee sees it on her follow-up page."""

import pytest
from playwright.sync_api import expect

from kinerja.followup.models import Award
from kinerja.jobs.services import enqueue

from .factories import make_annual

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_award_candidate_recorded_and_visible_to_the_employee(world, browser_login, live_server):
    evaluation = make_annual(world.staff, 2026, "sangat_baik")
    make_annual(world.peer, 2026, "baik")
    job = enqueue(
        "followup.candidates",
        agency=world.agency,
        user=world.user("admin"),
        params={"year": evaluation.year_id},
    )
    job.refresh_from_db()
    assert job.status == "done", job.error

    page = browser_login(world.admin.nip)
    page.get_by_role("link", name="Tindak lanjut", exact=True).first.click()
    page.get_by_role("link", name="Daftar kandidat").click()
    page.get_by_label("Hasil").select_option("award")
    page.get_by_role("button", name="Tampilkan").click()
    row = page.get_by_role("row").filter(has_text="Dewi Anggraini")
    expect(row.get_by_text("Kandidat penghargaan")).to_be_visible()
    expect(row.get_by_text("2026: Sangat Baik")).to_be_visible()
    assert page.get_by_role("row").filter(has_text="Eko Prasetyo").count() == 0
    row.get_by_role("link", name="Catat penghargaan").click()

    page.get_by_label("Jenis penghargaan").select_option("recognition")
    page.get_by_label("Dasar pemberian").fill("Keputusan Wali Kota Nomor 800/17/2027")
    page.get_by_label("Tanggal").fill("2027-02-10")
    page.get_by_role("button", name="Simpan penghargaan").click()
    expect(page.get_by_text("Penghargaan dicatat.")).to_be_visible()
    award = Award.objects.get()
    assert (award.employee, award.evaluation, award.candidate.status) == (
        world.staff,
        evaluation,
        "accepted",
    )

    page.context.clear_cookies()
    page = browser_login(world.staff.nip)
    page.get_by_role("link", name="Tindak lanjut", exact=True).first.click()
    expect(page.get_by_role("heading", name="Tindak lanjut saya")).to_be_visible()
    awards = page.get_by_role("region", name="Penghargaan")
    expect(awards.get_by_text("Keputusan Wali Kota Nomor 800/17/2027")).to_be_visible()
    expect(awards.get_by_text("Penghargaan resmi")).to_be_visible()
