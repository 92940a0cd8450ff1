"""A calendar change reaches those it applies to by e-mail too, where their per-kind
preference allows it (kinerja/monitoring/signals.py, notify.email_notifications)."""

import datetime as dt

import pytest
from django.core import mail

from kinerja.jobs.models import Job
from kinerja.jobs.services import enqueue
from kinerja.monitoring import services
from kinerja.monitoring.models import Notification
from kinerja.planning import services as planning
from kinerja.testing import performance_year

pytestmark = pytest.mark.django_db

ADDRESSES = {
    "kabid": "budi@example.go.id",
    "kasi": "citra@example.go.id",
    "staff": "dewi@example.go.id",
    "fungsional": "fitri@example.go.id",
    "kaban": "joko@example.go.id",
}


@pytest.fixture
def year(world):
    for name, address in ADDRESSES.items():
        employee = world.people[name]
        employee.email = address
        employee.save(update_fields=["email"])
    return performance_year(world, 2026, periods=True)


def _extend_bidang(world, year):
    q2 = year.periods.get(number=2)
    return planning.calendar_override_add(
        actor=world.user("admin"),
        year=year,
        unit=world.units["bidang"],
        window="evaluation",
        period=q2,
        start=dt.date(2026, 6, 24),
        end=dt.date(2026, 8, 14),
        reason="Kepala bidang berganti",
        today=dt.date(2026, 6, 1),
    )


def test_a_unit_override_is_emailed_to_its_subtree_who_want_it(world, year):
    services.notification_preferences_save(
        actor=world.user("kasi"), email_kinds={"feedback", "skp"}
    )
    _extend_bidang(world, year)
    text = (
        "Jadwal evaluasi Triwulan 2 untuk Bidang Pelayanan Kesehatan tahun 2026: "
        "24-06-2026 s.d. 14-08-2026 (Kepala bidang berganti)."
    )
    notes = Notification.objects.filter(kind="calendar")
    assert set(notes.values_list("text", flat=True)) == {text}
    # Budi, Dewi and Fitri have addresses and want it; Citra switched "calendar" off; Eko has
    # no address; Joko (BKPSDM) is outside the bidang.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "budi@example.go.id",
        "dewi@example.go.id",
        "fitri@example.go.id",
    ]
    message = mail.outbox[0]
    assert message.subject == "[Kinerja] Jadwal penilaian"
    assert message.body.startswith(text) and message.body.endswith("/kalender/")
    emailed = set(notes.filter(emailed_at__isnull=False).values_list("recipient_id", flat=True))
    assert emailed == {world.user(n).pk for n in ("kabid", "staff", "fungsional")}
    assert notes.get(recipient=world.user("kasi")).emailed_at is None
    job = Job.objects.get(kind="monitoring.email_notifications")
    assert job.status == "done" and job.result == {"notifications": 5, "emailed": 3}


def test_emailing_a_change_twice_sends_nothing_twice(world, year):
    _extend_bidang(world, year)
    assert len(mail.outbox) == 4  # Budi, Citra, Dewi, Fitri; Eko has no address
    job = Job.objects.get(kind="monitoring.email_notifications")
    again = enqueue(job.kind, agency=world.agency, user=None, params=job.params)
    again.refresh_from_db()
    assert again.result == {"notifications": 1, "emailed": 0}
    assert len(mail.outbox) == 4
