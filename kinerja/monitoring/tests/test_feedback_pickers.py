"""Whom to ask for feedback, or give it to, is chosen with a picker (search on the
server) instead of a select of the whole agency (which stopped at 500 names)."""

import pytest
from django.urls import reverse

from kinerja.monitoring.models import FeedbackRequest

pytestmark = pytest.mark.django_db


def _url():
    return reverse("monitoring:feedback_list")


def test_feedback_page_has_pickers_and_no_list_of_colleagues(world, login):
    page = login(world.user("staff")).get(_url()).content.decode()
    assert 'name="asked_cari"' in page
    assert 'name="who_cari"' in page
    assert "Andi Saputra" not in page


def test_ask_for_feedback_with_a_chosen_id_or_a_typed_nip(world, login):
    client = login(world.user("staff"))
    ask = reverse("monitoring:feedback_ask")
    client.post(ask, {"asked": str(world.kasi.pk), "asked_cari": "Citra", "message": "A"})
    client.post(ask, {"asked": "", "asked_cari": world.peer.nip, "message": "B"})
    rows = FeedbackRequest.objects.order_by("pk").values_list("employee", "asked", "message")
    assert list(rows) == [
        (world.staff.pk, world.kasi.pk, "A"),
        (world.staff.pk, world.peer.pk, "B"),
    ]


def test_ask_for_feedback_from_an_unknown_nip_is_a_clear_message(world, login):
    client = login(world.user("staff"))
    response = client.post(
        reverse("monitoring:feedback_ask"),
        {"asked": "", "asked_cari": world.outsider.nip, "message": "A"},
        follow=True,
    )
    assert (
        f"Pegawai “{world.outsider.nip}” tidak ditemukan di antara pegawai yang dapat Anda pilih."
    ) in response.content.decode()
    assert not FeedbackRequest.objects.exists()


def test_give_feedback_to_a_colleague_typed_by_nip(world, login):
    client = login(world.user("staff"))
    response = client.get(_url(), {"who": "", "who_cari": world.admin.nip})
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:feedback_new", args=[world.admin.pk])
    response = client.get(_url(), {"who": "", "who_cari": "Tidak Ada Orangnya"})
    assert response.status_code == 200
    assert "Pegawai “Tidak Ada Orangnya” tidak ditemukan" in response.content.decode()
