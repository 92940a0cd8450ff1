import pytest
from playwright.sync_api import expect

from kinerja.org.access import compute_access

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_employee_logs_in_and_sees_profile(world, browser_login, live_server):
    page = browser_login(world.staff.nip)
    page.get_by_role("link", name="Profil saya").first.click()
    expect(page.get_by_role("heading", name="Profil saya")).to_be_visible()
    expect(page.get_by_text("Dewi Anggraini").first).to_be_visible()
    assert compute_access(world.user("staff")).employee == world.staff
