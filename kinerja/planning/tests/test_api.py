import pytest

from kinerja.planning import services
from kinerja.planning.models import PerformanceYear, Rhk, Skp

from .factories import skp_of


def _post(client, url, data=None):
    return client.post(url, data=data or {}, content_type="application/json")


def test_api_full_flow(world, year, approved_kasi, login):
    client = login(world.user("staff"))
    skp = skp_of(world.staff, year)
    own = client.get(f"/api/skp/?year={year.pk}&scope=own").json()
    assert [row["id"] for row in own["results"]] == [skp.pk]
    assert own["results"][0]["format_code"] == "A.1.7"
    parent = approved_kasi.rhks.first()
    response = _post(
        client, "/api/rhk/", {"skp": skp.pk, "text": "Surat tersusun", "parent": parent.pk}
    )
    assert response.status_code == 201, response.content
    rhk_id = response.json()["id"]
    response = _post(
        client,
        "/api/iki/",
        {
            "rhk": rhk_id,
            "text": "Jumlah surat",
            "target_text": "semua surat",
            "aspect": "kuantitas",
        },
    )
    assert response.status_code == 201 and response.json()["warnings"] == ["semua"]
    assert _post(client, f"/api/skp/{skp.pk}/submit/").json()["status"] == "diajukan"

    refused = _post(client, f"/api/skp/{skp.pk}/approve/")
    assert refused.status_code == 403
    assert refused.json() == {
        "detail": "Anda tidak dapat menyetujui atau mengembalikan SKP Anda sendiri."
    }

    kasi = login(world.user("kasi"))
    response = _post(kasi, f"/api/skp/{skp.pk}/return/", {"note": "Perbaiki target"})
    assert response.json()["status"] == "dikembalikan"
    client = login(world.user("staff"))  # one test client: log in again as each person
    assert _post(client, f"/api/skp/{skp.pk}/submit/").status_code == 200
    kasi = login(world.user("kasi"))
    approved = _post(kasi, f"/api/skp/{skp.pk}/approve/").json()
    assert approved["status"] == "disetujui" and len(approved["content_hash"]) == 64


def test_api_year_create_and_open_by_admin_only(world, login):
    body = {"year": 2026, "frequency": "triwulanan", "annual_source": "annual"}
    refused = _post(login(world.user("staff")), "/api/performance-years/", body)
    assert refused.status_code == 403
    admin = login(world.user("admin"))
    response = _post(admin, "/api/performance-years/", body)
    assert response.status_code == 201, response.content
    year = PerformanceYear.objects.get()
    assert _post(admin, f"/api/performance-years/{year.pk}/open/").status_code == 202
    assert Skp.objects.filter(year=year).count() == 9


@pytest.mark.parametrize("year", [0, -1, 1999, 2101, 10000])
def test_api_year_out_of_range_is_a_400(world, login, year):
    body = {"year": year, "frequency": "triwulanan", "annual_source": "annual"}
    response = _post(login(world.user("admin")), "/api/performance-years/", body)
    assert response.status_code == 400
    assert "year" in response.json()
    assert not PerformanceYear.objects.exists()


def test_service_refuses_a_year_out_of_range(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Tahun harus antara 2000 dan 2100."):
        services.year_create(
            actor=world.user("admin"),
            agency=world.agency,
            year=0,
            frequency="triwulanan",
            annual_source="annual",
        )


def test_api_matrix_assign_and_scoping(world, year, approved_kasi, login):
    kasi = login(world.user("kasi"))
    parent = approved_kasi.rhks.first()
    ids = [skp_of(world.staff, year).pk, skp_of(world.peer, year).pk]
    response = _post(kasi, f"/api/rhk/{parent.pk}/matrix-assign/", {"skp_ids": ids})
    assert response.json() == {"created": 2, "skipped_existing": 0, "locked": []}
    assert Rhk.objects.filter(parent=parent).count() == 2
    # The team list shows the kasi's subordinates only.
    team = kasi.get(f"/api/skp/?year={year.pk}&scope=team").json()["results"]
    assert sorted(r["employee_name"] for r in team) == ["Dewi Anggraini", "Eko Prasetyo"]
    # A peer cannot see the other's SKP: 404.
    peer = login(world.user("peer"))
    assert peer.get(f"/api/skp/{ids[0]}/").status_code == 404
    assert _post(peer, "/api/rhk/", {"skp": ids[0], "text": "x"}).status_code == 404
