"""The notification bell in the header of every page, and the daily digest e-mail."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.monitoring import services
from kinerja.monitoring.digest import send_digests
from kinerja.monitoring.models import DailyDigest, Notification
from kinerja.monitoring.notify import notify
from kinerja.org.models import Employee, User

from .factories import TODAY

pytestmark = pytest.mark.django_db


def _bell_count(page):
    found = re.search(r'<span class="bell-count" data-unread="(\d+)">', page)
    return int(found.group(1)) if found else 0


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_bell_count_changes_when_a_notification_arrives_and_when_it_is_read(world, login):
    client = login(world.user("staff"))
    url = reverse("org:profile")
    page = _page(client, url)
    assert 'class="bell"' in page
    assert _bell_count(page) == 0
    assert "Belum ada notifikasi." in page

    first = notify(
        recipient=world.user("staff"), kind="feedback", text="Umpan balik baru", url="/x/"
    )
    notify(recipient=world.user("staff"), kind="evidence", text="Bukti dikembalikan")
    page = _page(client, url)
    assert _bell_count(page) == 2
    assert "Umpan balik baru" in page and 'href="/x/"' in page

    # Mark one read from the dropdown: back to the same page, one fewer.
    response = client.post(
        reverse("monitoring:notifications"),
        {"action": "read", "id": first.pk, "next": url},
    )
    assert response.status_code == 302 and response.url == url
    first.refresh_from_db()
    assert first.read_at is not None
    assert _bell_count(_page(client, url)) == 1

    # Mark all read.
    response = client.post(reverse("monitoring:notifications"), {"next": url})
    assert response.url == url
    assert Notification.objects.filter(recipient=world.user("staff"), read_at=None).count() == 0
    assert _bell_count(_page(client, url)) == 0


def test_bell_marks_only_ones_own_notification(world, login):
    other = notify(recipient=world.user("peer"), kind="feedback", text="Untuk Eko")
    client = login(world.user("staff"))
    client.post(reverse("monitoring:notifications"), {"action": "read", "id": other.pk})
    other.refresh_from_db()
    assert other.read_at is None


def test_bell_lists_the_latest_eight_and_the_full_list_link(world, login):
    for i in range(10):
        notify(recipient=world.user("staff"), kind="feedback", text=f"Pesan nomor {i}")
    page = _page(login(world.user("staff")), reverse("org:profile"))
    assert _bell_count(page) == 10
    menu = page.split('class="bell-menu"')[1].split("</details>")[0]
    assert menu.count("<li") == 8
    assert "Pesan nomor 9" in menu and "Pesan nomor 1<" not in menu
    assert reverse("monitoring:notifications") in menu


def test_bell_is_one_query(world, login, rf):
    from kinerja.monitoring.context_processors import notification_bell

    for i in range(3):
        notify(recipient=world.user("staff"), kind="feedback", text=f"Pesan {i}")
    request = rf.get("/")
    request.user = world.user("staff")
    bell = notification_bell(request)["bell"]
    with CaptureQueriesContext(connection) as ctx:
        assert bell.unread == 3
        assert len(bell.latest) == 3
    assert len(ctx.captured_queries) == 1


def _digest_world(world):
    Employee.objects.filter(pk=world.staff.pk).update(email="dewi@contoh.go.id")
    user = world.user("staff")
    services.notification_preferences_save(
        actor=user, email_kinds={"feedback", "evidence", "dialogue"}, daily_digest=True
    )
    return user


def test_digest_user_gets_no_single_mails_then_one_digest_with_all_items_and_not_again(world):
    user = _digest_world(world)
    mail.outbox.clear()
    notify(recipient=user, kind="feedback", text="Umpan balik dari atasan", url="/a/")
    notify(recipient=user, kind="evidence", text="Bukti dukung dikembalikan", url="/b/")
    notify(recipient=user, kind="dialogue", text="Dialog kinerja dijadwalkan")
    notify(recipient=user, kind="skp", text="Jenis yang dimatikan")  # e-mail off
    assert mail.outbox == []  # the digest replaces single e-mails

    result = send_digests(agency=world.agency, today=TODAY)
    assert result == {"users": 1, "items": 3}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dewi@contoh.go.id"]
    assert "3 notifikasi" in message.subject
    assert "Umpan balik dari atasan" in message.body and "/a/" in message.body
    assert "Bukti dukung dikembalikan" in message.body
    assert "Jenis yang dimatikan" not in message.body
    assert Notification.objects.filter(recipient=user, emailed_at__isnull=False).count() == 3
    assert DailyDigest.objects.get(user=user).last_sent_on == TODAY

    # Idempotent: again the same day, nothing; a new notification waits for tomorrow.
    assert send_digests(agency=world.agency, today=TODAY) == {"users": 0, "items": 0}
    notify(recipient=user, kind="feedback", text="Umpan balik kedua")
    call_command("send_digests", agency=world.agency.code, date=TODAY.isoformat())
    assert len(mail.outbox) == 1


def test_digest_skips_what_was_read_and_users_without_the_digest(world):
    user = _digest_world(world)
    read = notify(recipient=user, kind="feedback", text="Sudah dibaca")
    services.notifications_mark_read(actor=user, ids=[read.pk])
    Employee.objects.filter(pk=world.peer.pk).update(email="eko@contoh.go.id")
    mail.outbox.clear()
    eko = User.objects.get(pk=world.user("peer").pk)
    notify(recipient=eko, kind="feedback", text="Untuk Eko")
    assert len(mail.outbox) == 1  # Eko keeps single e-mails
    assert send_digests(agency=world.agency, today=TODAY) == {"users": 0, "items": 0}
    assert len(mail.outbox) == 1


def test_digest_preference_is_chosen_on_the_notifications_page(world, login):
    client = login(world.user("staff"))
    page = _page(client, reverse("monitoring:notifications"))
    assert 'name="digest"' in page and "Ringkasan harian" in page
    client.post(
        reverse("monitoring:notifications"),
        {"action": "preferences", "email": ["feedback"], "digest": "on"},
    )
    assert DailyDigest.objects.filter(user=world.user("staff")).exists()
    assert 'name="digest" value="on" checked' in _page(client, reverse("monitoring:notifications"))
    client.post(reverse("monitoring:notifications"), {"action": "preferences", "email": []})
    assert not DailyDigest.objects.filter(user=world.user("staff")).exists()
