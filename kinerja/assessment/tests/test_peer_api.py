"""Peer input through the API, through the same services as the pages: the rater
asks rekan kerja, each peer lists their own requests and answers; a peer never
sees the evaluation itself."""

from kinerja.assessment import services
from kinerja.assessment.models import PeerInput
from kinerja.audit.models import AuditEvent

from .factories import Q1_DAY, rate_all

JSON = "application/json"


def _ask(client, evaluation, peers):
    return client.post(f"/api/evaluations/{evaluation.pk}/peers/", {"peers": peers}, JSON)


def test_the_rater_asks_peers_through_the_api(world, staff_eval, client):
    client.force_login(world.user("kasi"))
    response = _ask(client, staff_eval, [world.peer.pk, world.fungsional.pk])
    assert response.status_code == 201, response.content
    assert sorted(row["peer_name"] for row in response.json()) == [
        "Eko Prasetyo",
        "Fitri Handayani",
    ]
    assert set(PeerInput.objects.values_list("peer_id", flat=True)) == {
        world.peer.pk,
        world.fungsional.pk,
    }
    event = AuditEvent.objects.get(action="assessment.peer.request")
    assert event.after == {"peers": 2}
    assert _ask(client, staff_eval, [world.peer.pk]).status_code == 201  # asked again: no twin
    assert PeerInput.objects.count() == 2
    listed = client.get(f"/api/evaluations/{staff_eval.pk}/peers/").json()
    assert [row["submitted_at"] for row in listed] == [None, None]


def test_asking_peers_refusals(world, staff_eval, client):
    client.force_login(world.user("kasi"))
    response = _ask(client, staff_eval, [])
    assert response.status_code == 400
    assert "Pilih rekan kerja yang dimintai masukan." in str(response.json())
    response = _ask(client, staff_eval, [world.outsider.pk])
    assert response.status_code == 400
    assert "Rekan kerja tidak ditemukan di instansi ini." in str(response.json())
    response = _ask(client, staff_eval, [world.staff.pk])
    assert response.status_code == 400
    assert "Rekan kerja tidak boleh pegawai itu sendiri atau penilainya." in str(response.json())
    client.force_login(world.user("staff"))
    response = _ask(client, staff_eval, [world.peer.pk])
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Hanya pejabat penilai atau admin BKD yang memilih rekan kerja."
    )
    client.force_login(world.user("outsider_admin"))
    assert _ask(client, staff_eval, [world.peer.pk]).status_code == 404
    assert not PeerInput.objects.exists()


def test_the_peer_lists_and_answers_their_requests(world, staff_eval, client):
    (request,) = services.peer_input_request(
        actor=world.user("kasi"), evaluation=staff_eval, peers=[world.peer]
    )
    client.force_login(world.user("peer"))
    listed = client.get("/api/peer-inputs/?open=1").json()
    assert [(row["id"], row["employee_name"], row["is_open"]) for row in listed["results"]] == [
        (request.pk, "Dewi Anggraini", True)
    ]
    assert "predikat" not in str(listed) and "rating" not in listed["results"][0]
    url = f"/api/peer-inputs/{request.pk}/submit/"
    response = client.post(url, {"ratings": {"1": "di_atas", "2": ""}, "comment": "Sigap"}, JSON)
    assert response.status_code == 200, response.content
    assert response.json()["ratings"] == {"1": "di_atas"}
    request.refresh_from_db()
    assert (request.ratings, request.comment) == ({"1": "di_atas"}, "Sigap")
    assert AuditEvent.objects.filter(action="assessment.peer.submit").count() == 1
    assert client.get("/api/peer-inputs/?open=1").json()["results"] == []
    assert len(client.get("/api/peer-inputs/").json()["results"]) == 1
    # The evaluation itself stays out of the peer's reach.
    assert client.get(f"/api/evaluations/{staff_eval.pk}/").status_code == 404
    assert client.get(f"/api/evaluations/{staff_eval.pk}/peers/").status_code == 404
    # The rater sees the answer on the evaluation; the employee without the peer's name.
    client.force_login(world.user("kasi"))
    (row,) = client.get(f"/api/evaluations/{staff_eval.pk}/peers/").json()
    assert (row["peer_name"], row["ratings"], row["comment"]) == (
        "Eko Prasetyo",
        {"1": "di_atas"},
        "Sigap",
    )
    client.force_login(world.user("staff"))
    (row,) = client.get(f"/api/evaluations/{staff_eval.pk}/peers/").json()
    assert (row["peer_name"], row["ratings"]) == (None, {"1": "di_atas"})


def test_peer_answer_refusals(world, staff_eval, client):
    (request,) = services.peer_input_request(
        actor=world.user("kasi"), evaluation=staff_eval, peers=[world.peer]
    )
    url = f"/api/peer-inputs/{request.pk}/submit/"
    client.force_login(world.user("peer"))
    response = client.post(url, {"ratings": {"1": ""}}, JSON)
    assert response.status_code == 400
    assert "Isi setidaknya satu rating perilaku." in str(response.json())
    response = client.post(url, {"ratings": {"x": "sesuai"}}, JSON)
    assert response.status_code == 400
    assert "Nilai perilaku tidak dikenal." in str(response.json())
    # Someone else's request: not theirs to see (404), even for the evaluated employee.
    client.force_login(world.user("staff"))
    assert client.post(url, {"ratings": {"1": "sesuai"}}, JSON).status_code == 404
    assert client.get("/api/peer-inputs/").json()["results"] == []
    # Admin BKD sees the agency's requests but does not answer for the peer.
    client.force_login(world.user("admin"))
    response = client.post(url, {"ratings": {"1": "sesuai"}}, JSON)
    assert response.status_code == 403
    assert response.json()["detail"] == "Masukan ini diminta dari rekan kerja lain."
    client.force_login(world.user("outsider_admin"))
    assert client.get(f"/api/peer-inputs/{request.pk}/").status_code == 404
    # Once the evaluation is finalised, the input is closed.
    rate_all(world.user("kasi"), staff_eval, "sesuai")
    services.evaluation_finalise(actor=world.user("kasi"), evaluation=staff_eval, today=Q1_DAY)
    client.force_login(world.user("peer"))
    assert client.get(f"/api/peer-inputs/{request.pk}/").json()["is_open"] is False
    response = client.post(url, {"ratings": {"1": "sesuai"}}, JSON)
    assert response.status_code == 400
    assert "Evaluasi sudah difinalkan; masukan tidak dapat diubah." in str(response.json())
    assert PeerInput.objects.get().submitted_at is None
