"""The second factor in a real browser: an admin BKD without an authenticator
is taken to the enrolment page right after the password, reads the key off the
page (as an authenticator app would from the QR code), confirms with the code,
sees the backup codes once, and then reaches the app; the next login asks for
the code (here a backup code, after a wrong one)."""

from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from kinerja.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_enrols_at_first_login_and_gives_the_code_next_time(world, live_server, page):
    page.goto(f"{live_server.url}/org/pegawai/")
    page.get_by_label("NIP atau nama pengguna").fill(world.admin.nip)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server.url}/org/profil/mfa/daftar/**")
    expect(page.get_by_text("Peran Anda mewajibkan autentikasi dua faktor.")).to_be_visible()
    expect(page.locator(".qr svg")).to_be_visible()
    key = page.get_by_test_id("manual-key").inner_text().replace(" ", "")
    page.get_by_label("Kode", exact=True).fill(f"{totp(b32decode(key)):06d}")
    page.get_by_role("button", name="Konfirmasi").click()
    codes = page.get_by_test_id("backup-codes").locator("code")
    expect(codes).to_have_count(10)
    backup = codes.all_inner_texts()
    page.get_by_role("link", name="Saya sudah menyimpannya, lanjutkan").click()
    page.wait_for_url(f"{live_server.url}/org/pegawai/")
    expect(page.get_by_role("heading", name="Pegawai").first).to_be_visible()

    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(f"{live_server.url}/masuk/")
    page.get_by_label("NIP atau nama pengguna").fill(world.admin.nip)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server.url}/masuk/kode/**")
    page.get_by_label("Kode", exact=True).fill("salah-123")
    page.get_by_role("button", name="Lanjutkan").click()
    expect(page.get_by_text("Kode salah atau sudah kedaluwarsa.")).to_be_visible()
    page.wait_for_timeout(1100)  # django-otp's wait after a wrong code
    page.get_by_label("Kode", exact=True).fill(backup[0])
    page.get_by_role("button", name="Lanjutkan").click()
    page.wait_for_url(f"{live_server.url}/")
