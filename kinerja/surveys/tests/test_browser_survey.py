"""On a phone: a citizen scans the QR code, answers, submits; the unit head sees the index move."""

import pytest
from playwright.sync_api import expect

from kinerja.surveys.models import Response

from .factories import make_period, make_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


def test_citizen_answers_on_a_phone_and_unit_head_sees_the_index(
    world, browser_login, live_server, page, browser
):
    service = make_service(world, unit="seksi", name="Imunisasi dasar", served_population=100)
    make_period(world.agency)

    # The unit head (kadis, head of Dinas Kesehatan) looks at the service: no index yet.
    page.set_viewport_size(PHONE)
    browser_login(world.kadis.nip)
    page.goto(f"{live_server.url}/survei/layanan/{service.pk}/")
    expect(page.get_by_text("Belum ada jawaban yang dihitung.").first).to_be_visible()
    # A citizen, on their own phone (no session), opens the QR target.
    citizen = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = citizen.new_page()
    phone.goto(f"{live_server.url}/survei/s/{service.token}/")
    expect(phone.get_by_role("heading", name="Survei Kepuasan Masyarakat")).to_be_visible()
    groups = phone.get_by_role("group")
    for number in range(1, 10):
        group = phone.locator(f"#f-u{number}")
        group.get_by_role("radio").nth(3).check()  # the best of the four answers
    phone.get_by_label("Usia").select_option("30_39")
    phone.get_by_label("Saran dan masukan (boleh dikosongkan)").fill("Petugas ramah.")
    # The form fits the phone: no sideways scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert groups.count() >= 9
    phone.get_by_role("button", name="Kirim").click()
    phone.wait_for_url("**/terima-kasih/**")
    expect(phone.get_by_role("heading", name="Terima kasih")).to_be_visible()
    citizen.close()
    assert Response.objects.get().comment == "Petugas ramah."

    # The unit head reloads: the index moved to 100 (A, Sangat Baik).
    page.reload()
    # Decimal comma or point depending on the browser's language.
    assert page.locator(".ikm-value").inner_text().replace(",", ".") == "100.00"
    expect(page.get_by_text("Sangat Baik").first).to_be_visible()
