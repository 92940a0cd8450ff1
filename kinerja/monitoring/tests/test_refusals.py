"""The refusal rule on the monitoring pages (kinerja.authz): what the user may
not see is a 404, an action they may not take on what they see is a 403 with
the message, a business rule is a 400 (or the message after the redirect)."""

import pytest
from django.urls import reverse

from kinerja.monitoring import services
from kinerja.monitoring.models import Evidence, Realisasi

pytestmark = pytest.mark.django_db


def _link_evidence(world, plan):
    r = services.realisasi_save(
        actor=world.user("staff"), iki=plan.iki, period=plan.period, value=4
    )
    return services.evidence_add_link(
        actor=world.user("staff"), url="https://x.id/laporan", realisasi=r
    )


def test_only_the_rater_reviews_evidence(world, plan, login):
    ev = _link_evidence(world, plan)
    url = reverse("monitoring:evidence_review", args=[ev.pk])
    data = {"status": "insufficient", "note": "Bukan hasil."}
    refused = login(world.user("kabid")).post(url, data)  # sees it, is not the rater
    assert refused.status_code == 403
    assert "Hanya pejabat penilai yang dapat memeriksa" in refused.content.decode()
    assert login(world.user("kasi")).post(url, data).status_code == 302
    assert Evidence.objects.get().status == "insufficient"


def test_only_the_owner_fills_in_realisasi(world, plan, login):
    url = reverse("monitoring:realisasi_edit", args=[plan.iki.pk])
    response = login(world.user("kasi")).post(url, {"period": plan.period.pk, "value": "5"})
    assert response.status_code == 403
    assert "realisasi SKP Anda sendiri" in response.content.decode()
    assert not Realisasi.objects.exists()


def test_post_only_pages_refuse_get(world, plan, login):
    ev = _link_evidence(world, plan)
    client = login(world.user("kasi"))
    assert client.get(reverse("monitoring:evidence_review", args=[ev.pk])).status_code == 405


def test_a_business_rule_is_a_message_not_a_403(world, plan, login):
    log = services.daily_log_create(
        actor=world.user("staff"), rhk=plan.rhk, date=plan.period.start, text="x"
    )
    services.feedback_give(actor=world.user("kasi"), employee=world.staff, text="ok", log=log)
    client = login(world.user("staff"))
    response = client.post(reverse("monitoring:log_delete", args=[log.pk]), follow=True)
    assert response.status_code == 200
    assert "sudah mendapat umpan balik tidak dapat dihapus" in response.content.decode()
