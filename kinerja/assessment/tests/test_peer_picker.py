"""The rater asks colleagues for behaviour input: the unit's colleagues are ticked,
and anyone else of the agency is found with a picker (search on the server)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from kinerja.assessment.models import PeerInput

from .factories import Q1_DAY

pytestmark = pytest.mark.django_db


def _peers(evaluation):
    return sorted(PeerInput.objects.filter(evaluation=evaluation).values_list("peer", flat=True))


def test_rater_asks_a_ticked_colleague_and_one_found_by_nip(world, staff_eval, client, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: Q1_DAY)
    client.force_login(world.user("kasi"))
    page = client.get(reverse("assessment:evaluation", args=[staff_eval.pk])).content.decode()
    assert 'name="peer_lain_cari"' in page
    response = client.post(
        reverse("assessment:peers", args=[staff_eval.pk]),
        {"peer": [str(world.peer.pk)], "peer_lain": "", "peer_lain_cari": world.admin.nip},
    )
    assert response.status_code == 302
    assert _peers(staff_eval) == sorted([world.peer.pk, world.admin.pk])


def test_rater_asks_someone_chosen_from_the_search(world, staff_eval, client):
    client.force_login(world.user("kasi"))
    client.post(
        reverse("assessment:peers", args=[staff_eval.pk]),
        {"peer_lain": str(world.fungsional.pk), "peer_lain_cari": "Fitri Handayani"},
    )
    assert _peers(staff_eval) == [world.fungsional.pk]


def test_an_unknown_colleague_is_a_clear_message(world, staff_eval, client):
    client.force_login(world.user("kasi"))
    response = client.post(
        reverse("assessment:peers", args=[staff_eval.pk]),
        {"peer_lain": "", "peer_lain_cari": world.outsider.nip},
        follow=True,
    )
    assert f"Pegawai “{world.outsider.nip}” tidak ditemukan" in response.content.decode()
    assert _peers(staff_eval) == []
