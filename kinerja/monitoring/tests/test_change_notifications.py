"""Notifications for the changes that concern someone: an SKP returned or
approved (planning sends a signal; monitoring notifies)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kinerja.monitoring.models import Notification
from kinerja.planning import services as planning
from kinerja.planning.tests.factories import (
    add_rhk_with_iki,
    approved_kasi_skp,
    open_year,
    skp_of,
)


def rows(user):
    return list(
        Notification.objects.filter(recipient=user)
        .order_by("pk")
        .values_list("kind", "text", "url", "agency_id")
    )


def submitted_staff_skp(world):
    year = open_year(world, 2026)
    kasi = approved_kasi_skp(world, year)
    staff = skp_of(world.staff, year)
    add_rhk_with_iki(world.user("staff"), staff, "Surat tersusun", parent=kasi.rhks.first())
    planning.skp_submit(actor=world.user("staff"), skp=staff)
    Notification.objects.all().delete()
    return staff


def test_returned_skp_notifies_the_employee_with_the_note(world):
    staff = submitted_staff_skp(world)
    planning.skp_return(actor=world.user("kasi"), skp=staff, note="Tambah target waktu")
    url = reverse("planning:skp_detail", args=[staff.pk])
    assert rows(world.user("staff")) == [
        (
            "skp_returned",
            "SKP 2026 Anda dikembalikan oleh pejabat penilai: Tambah target waktu",
            url,
            world.agency.pk,
        )
    ]
    assert Notification.objects.count() == 1


def test_approved_skp_notifies_the_employee_with_version_and_note(world):
    staff = submitted_staff_skp(world)
    planning.skp_approve(actor=world.user("kasi"), skp=staff, note="Bagus")
    url = reverse("planning:skp_detail", args=[staff.pk])
    assert rows(world.user("staff")) == [
        (
            "skp_approved",
            "SKP 2026 Anda telah disetujui dan ditetapkan (versi 1). Catatan: Bagus",
            url,
            world.agency.pk,
        )
    ]
    assert Notification.objects.count() == 1


def test_a_refused_return_notifies_nobody(world):
    staff = submitted_staff_skp(world)
    with pytest.raises(ValidationError, match="Catatan wajib diisi"):
        planning.skp_return(actor=world.user("kasi"), skp=staff, note="   ")
    assert Notification.objects.count() == 0
