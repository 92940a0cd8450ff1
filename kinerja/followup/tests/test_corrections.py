"""Follow-up records corrected or withdrawn by the people allowed to, with a reason, never
deleted: withdrawn rows stay (struck through, who/when/why), every change is audited, and an
award whose evaluation is under appeal waits for the decision. Pages and API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from kinerja.audit.models import AuditEvent
from kinerja.followup import selectors, services
from kinerja.followup.models import Award, CreditPoints, DevelopmentPlan, MentorPairing, Sanction

from .factories import make_annual

APPEAL_MESSAGE = (
    "Evaluasi yang menjadi dasar penghargaan ini sedang dalam proses keberatan. "
    "Penghargaan baru dapat dikoreksi atau ditarik setelah keberatan diputus."
)


@pytest.fixture
def award(world):
    return services.award_create(
        actor=world.user("admin"),
        employee=world.staff,
        kind="bonus",
        basis="SK 1/2026",
        date=dt.date(2026, 2, 1),
        evaluation=make_annual(world.staff, 2025, "sangat_baik"),
    )


@pytest.fixture
def sanction(world):
    return services.sanction_create(
        actor=world.user("admin"),
        employee=world.staff,
        kind="warning",
        legal_basis="PP 30/2019 Pasal 56",
        start=dt.date(2026, 3, 1),
    )


@pytest.fixture
def credit(world):
    make_annual(world.fungsional, 2025, "baik")
    return services.credit_points_record(
        actor=world.user("admin"), employee=world.fungsional, year=2025
    )


@pytest.fixture
def pairing(world):
    return services.mentor_pairing_create(
        actor=world.user("admin"),
        mentor=world.kasi,
        mentee=world.staff,
        goals="Menyusun laporan",
        start=dt.date(2026, 2, 1),
    )


def events(action):
    return list(
        AuditEvent.objects.filter(action=action).values_list("note", "before", "after", "subject")
    )


def test_award_corrected_with_a_reason(world, award):
    services.award_correct(
        actor=world.user("admin"),
        award=award,
        reason="Salah ketik nomor SK",
        kind="recognition",
        basis="SK 2/2026",
        date=dt.date(2026, 2, 2),
    )
    award.refresh_from_db()
    assert (award.kind, award.basis, award.date, award.withdrawn_at) == (
        "recognition",
        "SK 2/2026",
        dt.date(2026, 2, 2),
        None,
    )
    assert events("followup.award.correct") == [
        (
            "Salah ketik nomor SK",
            {"kind": "bonus", "basis": "SK 1/2026", "date": "2026-02-01"},
            {"kind": "recognition", "basis": "SK 2/2026", "date": "2026-02-02"},
            world.staff.pk,
        )
    ]


def test_award_withdrawn_stays_with_who_when_why(world, award):
    services.award_withdraw(actor=world.user("admin"), award=award, reason="Dicatat ganda")
    row = Award.objects.get(pk=award.pk)
    assert (row.is_withdrawn, row.withdrawn_by, row.withdrawn_reason) == (
        True,
        world.user("admin"),
        "Dicatat ganda",
    )
    [(note, before, after, subject)] = events("followup.award.withdraw")
    assert (note, before["withdrawn_at"], after["withdrawn_reason"], subject) == (
        "Dicatat ganda",
        None,
        "Dicatat ganda",
        world.staff.pk,
    )
    with pytest.raises(ValidationError) as exc:
        services.award_withdraw(actor=world.user("admin"), award=award, reason="lagi")
    assert exc.value.messages[0].startswith("Catatan ini sudah ditarik pada ")
    assert len(events("followup.award.withdraw")) == 1


@pytest.mark.parametrize("how", ["withdraw", "correct"])
def test_award_under_appeal_is_refused(world, award, how):
    award.evaluation.status = "appealed"
    award.evaluation.save(update_fields=["status"])
    with pytest.raises(ValidationError) as exc:
        if how == "withdraw":
            services.award_withdraw(actor=world.user("admin"), award=award, reason="x")
        else:
            services.award_correct(
                actor=world.user("admin"),
                award=award,
                reason="x",
                kind="bonus",
                basis="SK",
                date=dt.date(2026, 2, 1),
            )
    assert exc.value.messages == [APPEAL_MESSAGE]
    row = Award.objects.get(pk=award.pk)
    assert (row.basis, row.withdrawn_at) == ("SK 1/2026", None)


def test_reason_is_required_and_only_admin_may(world, award, sanction):
    with pytest.raises(ValidationError) as exc:
        services.award_withdraw(actor=world.user("admin"), award=award, reason="  ")
    assert exc.value.messages == ["Alasan penarikan wajib diisi."]
    with pytest.raises(ValidationError) as exc:
        services.sanction_correct(
            actor=world.user("admin"),
            sanction=sanction,
            reason="",
            kind="warning",
            legal_basis="PP",
            start=dt.date(2026, 3, 1),
        )
    assert exc.value.messages == ["Alasan koreksi wajib diisi."]
    with pytest.raises(PermissionDenied):
        services.sanction_withdraw(actor=world.user("kabid"), sanction=sanction, reason="x")
    assert Sanction.objects.get(pk=sanction.pk).withdrawn_at is None
    assert not AuditEvent.objects.filter(action__endswith=".withdraw").exists()


def test_sanction_corrected_then_withdrawn(world, sanction):
    services.sanction_correct(
        actor=world.user("admin"),
        sanction=sanction,
        reason="Tanggal mulai keliru",
        kind="warning",
        legal_basis="PP 30/2019 Pasal 56",
        start=dt.date(2026, 3, 2),
        end=dt.date(2026, 9, 1),
        note="",
    )
    services.sanction_withdraw(actor=world.user("admin"), sanction=sanction, reason="Dibatalkan")
    row = Sanction.objects.get(pk=sanction.pk)
    assert (row.start, row.end, row.withdrawn_reason) == (
        dt.date(2026, 3, 2),
        dt.date(2026, 9, 1),
        "Dibatalkan",
    )
    assert [e[0] for e in events("followup.sanction.correct")] == ["Tanggal mulai keliru"]


def test_credit_points_corrected_recomputed_and_withdrawn_from_the_total(world, credit):
    before = credit.points
    services.credit_points_correct(
        actor=world.user("admin"), row=credit, reason="Mutasi bulan Juli", months=6, predikat="baik"
    )
    credit.refresh_from_db()
    assert (credit.months, credit.points) == (6, before / 2)
    assert selectors.credit_summary(world.fungsional)["total"] == before / 2
    services.credit_points_withdraw(
        actor=world.user("admin"), row=credit, reason="Bukan fungsional"
    )
    assert selectors.credit_summary(world.fungsional)["total"] == Decimal("0")
    assert CreditPoints.objects.filter(pk=credit.pk).exists()  # kept, never deleted
    # Recording the year again puts a value back in force.
    again = services.credit_points_record(
        actor=world.user("admin"), employee=world.fungsional, year=2025
    )
    assert (again.pk, again.withdrawn_at, again.points) == (credit.pk, None, before)


def test_pairing_and_plan_withdrawn_by_who_manages(world, pairing):
    plan = services.development_plan_save(
        actor=world.user("admin"), employee=world.staff, year=2026, goals="Pelatihan"
    )
    with pytest.raises(PermissionDenied):
        services.mentor_pairing_withdraw(actor=world.user("peer"), pairing=pairing, reason="x")
    services.mentor_pairing_correct(
        actor=world.user("kasi"),
        pairing=pairing,
        reason="Sasaran diperjelas",
        goals="Menyusun laporan bulanan",
        start=dt.date(2026, 2, 1),
    )
    services.mentor_pairing_withdraw(
        actor=world.user("kasi"), pairing=pairing, reason="Salah orang"
    )
    services.development_plan_withdraw(actor=world.user("kasi"), plan=plan, reason="Ganda")
    assert MentorPairing.objects.get(pk=pairing.pk).withdrawn_reason == "Salah orang"
    assert MentorPairing.objects.get(pk=pairing.pk).goals == "Menyusun laporan bulanan"
    assert DevelopmentPlan.objects.get(pk=plan.pk).withdrawn_reason == "Ganda"
    assert [e[3] for e in events("followup.mentor.withdraw")] == [world.staff.pk]
    assert [e[0] for e in events("followup.devplan.withdraw")] == ["Ganda"]


def test_pages_show_withdrawn_rows_struck_through(world, login, award, sanction, pairing):
    client = login(world.user("admin"))
    response = client.post(
        reverse("followup:award_withdraw", args=[award.pk]),
        {"reason": "Dicatat ganda"},
        follow=True,
    )
    body = response.content.decode()
    assert "Penghargaan ditarik." in body
    assert "<del>SK 1/2026</del>" in body
    assert "Dicatat ganda" in body
    response = client.post(
        reverse("followup:sanction_correct", args=[sanction.pk]),
        {
            "reason": "Dasar hukum keliru",
            "kind": "warning",
            "legal_basis": "PP 94/2021",
            "start": "2026-03-01",
            "end": "",
            "note": "",
        },
        follow=True,
    )
    assert "Sanksi dikoreksi." in response.content.decode()
    assert Sanction.objects.get(pk=sanction.pk).legal_basis == "PP 94/2021"
    response = client.post(
        reverse("followup:pairing_withdraw", args=[pairing.pk]), {"reason": ""}, follow=True
    )
    assert "Alasan penarikan wajib diisi." in response.content.decode()
    assert MentorPairing.objects.get(pk=pairing.pk).withdrawn_at is None
    page = login(world.user("staff")).get(reverse("followup:employee", args=[world.staff.pk]))
    assert "<del>SK 1/2026</del>" in page.content.decode()


def test_page_refuses_someone_who_may_not(world, login, award):
    response = login(world.user("kabid")).post(
        reverse("followup:award_withdraw", args=[award.pk]), {"reason": "x"}
    )
    assert response.status_code == 403
    assert Award.objects.get(pk=award.pk).withdrawn_at is None


def test_api_corrects_and_withdraws(world, award, credit):
    client = APIClient()
    client.force_authenticate(world.user("admin"))
    response = client.post(
        f"/api/followup/awards/{award.pk}/correct/",
        {"reason": "Nomor SK", "kind": "bonus", "basis": "SK 3/2026", "date": "2026-02-01"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["basis"] == "SK 3/2026"
    response = client.post(
        f"/api/followup/credit-points/{credit.pk}/withdraw/", {"reason": "Ganda"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["withdrawn_reason"] == "Ganda"
    award.evaluation.status = "appealed"
    award.evaluation.save(update_fields=["status"])
    response = client.post(
        f"/api/followup/awards/{award.pk}/withdraw/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 400
    assert APPEAL_MESSAGE in str(response.json())
    client.force_authenticate(world.user("kabid"))
    response = client.post(
        f"/api/followup/awards/{award.pk}/withdraw/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 403
