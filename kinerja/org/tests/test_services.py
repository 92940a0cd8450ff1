"""The org services' own rules, whoever calls them (pages, API, admin, import)."""

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ValidationError

from kinerja.audit.models import AuditEvent
from kinerja.org import services
from kinerja.org.models import Agency, RoleGrant

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Padi-Menguning-di-Sawah-7"


def test_the_last_admin_bkd_cannot_be_revoked(world):
    grant = RoleGrant.objects.get(user=world.user("admin"), role=RoleGrant.Role.ADMIN_BKD)
    with pytest.raises(ValidationError) as info:
        services.role_revoke(actor=world.user("admin"), grant=grant)
    assert info.value.messages == ["Peran admin BKD terakhir di instansi ini tidak dapat dicabut."]
    assert RoleGrant.objects.filter(pk=grant.pk).exists()
    assert not AuditEvent.objects.filter(action="org.role.revoke").exists()


def test_an_admin_bkd_with_a_colleague_can_be_revoked(world):
    services.role_grant(actor=world.user("admin"), user=world.user("kaban"), role="admin_bkd")
    grant = RoleGrant.objects.get(user=world.user("admin"), role=RoleGrant.Role.ADMIN_BKD)
    services.role_revoke(actor=world.user("kaban"), grant=grant)
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    event = AuditEvent.objects.get(action="org.role.revoke")
    assert event.before == {"user": world.admin.nip, "role": "admin_bkd", "unit": None}


def test_password_set_records_without_the_password_and_lifts_the_lockout(world):
    AccessAttempt.objects.create(
        username=world.staff.nip, ip_address="127.0.0.1", user_agent="x", failures_since_start=9
    )
    user = services.user_password_set(
        actor=world.user("admin"), employee=world.staff, password=NEW_PASSWORD
    )
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="org.user.password_set")
    assert (event.actor, event.subject, event.before, event.after) == (
        world.user("admin"),
        world.staff,
        None,
        None,
    )
    assert not AccessAttempt.objects.filter(username=world.staff.nip).exists()


def test_password_set_applies_the_password_rules(world):
    with pytest.raises(ValidationError):
        services.user_password_set(
            actor=world.user("admin"), employee=world.staff, password="Pendek-7"
        )
    assert not AuditEvent.objects.filter(action="org.user.password_set").exists()


def test_password_set_needs_an_account(world):
    world.staff.user = None
    with pytest.raises(ValidationError, match="belum punya akun"):
        services.user_password_set(
            actor=world.user("admin"), employee=world.staff, password=NEW_PASSWORD
        )


def test_agency_update_records_every_field_before_and_after(world):
    services.agency_update(actor=None, agency=world.agency, place="Tebing Tinggi")
    event = AuditEvent.objects.get(action="org.agency.update")
    assert event.before["place"] == "" and event.after["place"] == "Tebing Tinggi"
    assert event.before["code"] == event.after["code"] == "tebingtinggi"
    assert Agency.objects.get(pk=world.agency.pk).place == "Tebing Tinggi"


def test_agency_update_refuses_other_fields(world):
    with pytest.raises(ValidationError):
        services.agency_update(actor=None, agency=world.agency, created_at=None)
