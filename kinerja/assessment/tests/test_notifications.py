"""Notifications (the bell and the e-mail) for the assessment changes that
concern someone: an evaluation delivered, an appeal decided."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kinerja.assessment import services
from kinerja.monitoring.models import Notification

from .factories import Q1_DAY, rate_all

SIGN_DAY = dt.date(2026, 5, 8)
DELIVER_DAY = dt.date(2026, 5, 11)
APPEAL_DUE = dt.date(2026, 6, 3)
DECIDE_DUE = dt.date(2026, 6, 12)


def rows():
    return list(
        Notification.objects.order_by("pk").values_list(
            "recipient__username", "kind", "text", "url"
        )
    )


def deliver(world, evaluation):
    rate_all(world.user("kasi"), evaluation, "sesuai")
    services.evaluation_finalise(actor=world.user("kasi"), evaluation=evaluation, today=Q1_DAY)
    services.evaluation_sign(actor=world.user("kasi"), evaluation=evaluation, today=SIGN_DAY)
    return services.evaluation_deliver(
        actor=world.user("kasi"), evaluation=evaluation, today=DELIVER_DAY
    )


def test_delivered_evaluation_notifies_the_employee(world, staff_eval):
    Notification.objects.all().delete()
    deliver(world, staff_eval)
    assert rows() == [
        (
            world.user("staff").username,
            "evaluation",
            "Dokumen evaluasi Triwulan I 2026 telah disampaikan kepada Anda. "
            "Keberatan dapat diajukan sampai 03-06-2026.",
            reverse("assessment:evaluation", args=[staff_eval.pk]),
        )
    ]


def test_decided_appeal_notifies_the_employee_and_the_rater(world, staff_eval):
    delivered = deliver(world, staff_eval)
    appeal = services.appeal_file(
        actor=world.user("staff"),
        evaluation=delivered,
        reasons="Target terlampaui",
        today=APPEAL_DUE,
    )
    Notification.objects.all().delete()
    services.appeal_decide(
        actor=world.user("kabid"),
        appeal=appeal,
        decision="change",
        new_predikat="sangat_baik",
        reason="Bukti lampiran menunjukkan target terlampaui",
        today=DECIDE_DUE,
    )
    url = reverse("assessment:appeal", args=[appeal.pk])
    assert rows() == [
        (
            world.user("staff").username,
            "appeal",
            "Keberatan Anda atas evaluasi Triwulan I 2026 telah diputus: "
            "Mengubah hasil penilaian. Predikat: Sangat Baik.",
            url,
        ),
        (
            world.user("kasi").username,
            "appeal",
            f"Keberatan {world.staff.full_name} atas evaluasi Triwulan I 2026 telah diputus: "
            "Mengubah hasil penilaian. Predikat: Sangat Baik.",
            url,
        ),
    ]


def test_a_refused_decision_notifies_nobody(world, staff_eval):
    delivered = deliver(world, staff_eval)
    appeal = services.appeal_file(
        actor=world.user("staff"), evaluation=delivered, reasons="x", today=APPEAL_DUE
    )
    Notification.objects.all().delete()
    with pytest.raises(ValidationError, match="Alasan keputusan wajib diisi."):
        services.appeal_decide(
            actor=world.user("kabid"), appeal=appeal, decision="confirm", reason=" "
        )
    assert rows() == []
