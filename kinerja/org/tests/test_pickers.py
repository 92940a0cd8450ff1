"""Pickers that scale: the search endpoint (page fragment and API) finds at most
20 matches within what the user may see, in a fixed number of queries, and a
picker posted without JavaScript (a typed NIP or code) is looked up on submit."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kinerja.org import pickers
from kinerja.org.access import compute_access
from kinerja.org.models import Employee, RoleGrant

from .test_query_counts import count_queries, grow

pytestmark = pytest.mark.django_db


def _search(client, scope, text):
    return client.get(reverse("org:picker"), {"jenis": scope, "nama": "f", "f_cari": text})


def test_admin_finds_an_employee_by_name_nip_or_unit_code(world, login):
    client = login(world.user("admin"))
    dewi = world.staff
    for text in ("dewi", dewi.nip[:8], "DINKES-YAN-1"):
        page = _search(client, "pegawai", text).content.decode()
        assert f'data-value="{dewi.pk}"' in page, text
        assert f'data-label="Dewi Anggraini ({dewi.nip})"' in page
        assert "Pengadministrasi Layanan — Seksi Layanan Primer" in page
    # The unit code lists that unit's people only: Citra, Dewi and Eko.
    page = _search(client, "pegawai", "DINKES-YAN-1").content.decode()
    assert page.count("data-picker-choose") == 3


def test_search_stays_within_what_the_user_may_see(world, login):
    kasi = login(world.user("kasi"))
    assert "Dewi Anggraini" in _search(kasi, "pegawai", "dewi").content.decode()
    page = _search(kasi, "pegawai", "andi").content.decode()
    assert "Andi Saputra" not in page
    assert "Tidak ada yang cocok dengan pencarian ini." in page
    # The whole agency (mentors), but never another agency's people.
    assert "Andi Saputra" in _search(kasi, "pegawai-instansi", "andi").content.decode()
    assert "Hadi" not in _search(kasi, "pegawai-instansi", "hadi").content.decode()
    outsider = login(world.user("outsider_admin"))
    assert "Dewi" not in _search(outsider, "pegawai", "dewi").content.decode()
    assert "Hadi Wijaya" in _search(outsider, "pegawai", "hadi").content.decode()


def test_functional_scope_and_units_and_positions(world, login):
    client = login(world.user("admin"))
    page = _search(client, "pegawai-fungsional", "a").content.decode()
    assert page.count("data-picker-choose") == 1
    assert "Fitri Handayani" in page
    page = _search(client, "unit", "dinkes-yan").content.decode()
    assert page.count("data-picker-choose") == 2
    assert f'data-value="{world.units["bidang"].pk}"' in page
    page = _search(client, "jabatan", "perawat").content.decode()
    assert 'data-label="Perawat Ahli Pertama (J-PERAWAT)"' in page


def test_unknown_scope_is_404_and_empty_text_lists_nothing(world, login):
    client = login(world.user("admin"))
    assert _search(client, "rahasia", "dewi").status_code == 404
    page = _search(client, "pegawai", "  ").content.decode()
    assert "data-picker-choose" not in page
    assert "Tidak ada yang cocok" not in page


def test_at_most_twenty_matches_with_a_note(world, login):
    grow(world, 100)
    client = login(world.user("admin"))
    page = _search(client, "pegawai", "pegawai uji").content.decode()
    assert page.count("data-picker-choose") == 20
    assert "Hanya 20 yang pertama ditampilkan: perjelas pencarian." in page
    page = _search(client, "pegawai", "pegawai uji 0042").content.decode()
    assert page.count("data-picker-choose") == 1


def test_search_runs_the_same_queries_at_two_sizes(world, login):
    counts = []
    for total in (10, 1000):
        grow(world, total)
        client = login(world.user("admin"))
        url = reverse("org:picker")
        n, response = count_queries(
            client, url, {"jenis": "pegawai", "nama": "f", "f_cari": "pegawai"}
        )
        assert response.content.decode().count("data-picker-choose") == min(total - 9, 20)
        counts.append(n)
    assert counts[0] == counts[1], counts


def test_api_search(world, login):
    client = login(world.user("kasi"))
    response = client.get("/api/search/", {"jenis": "pegawai", "q": "dewi"})
    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {
                "id": world.staff.pk,
                "label": f"Dewi Anggraini ({world.staff.nip})",
                "detail": "Pengadministrasi Layanan — Seksi Layanan Primer",
            }
        ],
        "more": False,
    }
    assert client.get("/api/search/", {"jenis": "pegawai", "q": "andi"}).json() == {
        "results": [],
        "more": False,
    }
    response = client.get("/api/search/", {"jenis": "rahasia", "q": "x"})
    assert response.status_code == 400
    assert response.json() == {"jenis": ["Jenis pencarian tidak dikenal."]}


def test_resolve_a_typed_nip_code_or_unique_name(world):
    access = compute_access(world.user("admin"))
    assert pickers.resolve("pegawai", access, value="", text=world.staff.nip) == world.staff
    assert pickers.resolve("pegawai", access, value="", text="Fitri") == world.fungsional
    assert pickers.resolve("unit", access, value="", text="dinkes-yan") == world.units["bidang"]
    assert pickers.resolve("pegawai", access, value="", text="") is None
    with pytest.raises(ValidationError) as exc:
        pickers.resolve("pegawai", access, value="", text="199001012020121001")
    assert exc.value.messages == [
        "Pegawai “199001012020121001” tidak ditemukan di antara pegawai yang dapat Anda pilih. "
        "Ketik NIP lengkap (18 angka) atau pilih nama dari daftar."
    ]
    # Two matches name nobody in particular.
    with pytest.raises(ValidationError):
        pickers.resolve("pegawai", access, value="", text="Pra")
    # Another agency's NIP is unknown here.
    with pytest.raises(ValidationError):
        pickers.resolve("pegawai", access, value="", text=world.outsider.nip)
    kasi = compute_access(world.user("kasi"))
    with pytest.raises(ValidationError):
        pickers.resolve("pegawai", kasi, value=str(world.people["kadis"].pk), text="")
    assert Employee.objects.filter(pk=world.staff.pk).exists()


# --- role grants and moves use pickers ----------------------------------------------------


def _detail(world, who="peer"):
    return reverse("org:employee_detail", args=[world.people[who].pk])


def test_employee_page_lists_no_units_or_positions_at_any_size(world, login):
    grow(world, 1000)
    page = login(world.user("admin")).get(_detail(world)).content.decode()
    assert 'name="role-unit_cari"' in page
    assert 'name="move-position_cari"' in page
    assert "Seksi Tambahan" not in page  # 49 new units, none listed
    assert page.split("<main")[1].count("<option") == len(RoleGrant.Role.choices)


def test_role_grant_with_a_typed_unit_code(world, login):
    client = login(world.user("admin"))
    response = client.post(
        reverse("org:employee_role_grant", args=[world.peer.pk]),
        {"role-role": "pimpinan_unit", "role-unit": "", "role-unit_cari": "dinkes-yan-1"},
    )
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=world.user("peer"))
    assert (grant.role, grant.unit) == ("pimpinan_unit", world.units["seksi"])


def test_role_grant_with_an_unknown_unit_code_keeps_the_text_and_explains(world, login):
    client = login(world.user("admin"))
    response = client.post(
        reverse("org:employee_role_grant", args=[world.peer.pk]),
        {"role-role": "pimpinan_unit", "role-unit": "", "role-unit_cari": "DISDIK"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Unit “DISDIK” tidak ditemukan. Ketik kode unit atau pilih nama dari daftar." in page
    assert 'value="DISDIK"' in page
    assert not RoleGrant.objects.filter(user=world.user("peer")).exists()


def test_move_with_a_chosen_position_and_with_a_typed_code(world, login):
    client = login(world.user("admin"))
    target = world.positions["analis"]
    response = client.post(
        reverse("org:employee_move", args=[world.peer.pk]),
        {"move-position": "", "move-position_cari": "J-ANALIS", "move-start": "2026-07-01"},
    )
    assert response.status_code == 302
    assert Employee.objects.get(pk=world.peer.pk).position == target
    response = client.post(
        reverse("org:employee_move", args=[world.staff.pk]),
        {"move-position": str(target.pk), "move-position_cari": "x", "move-start": "2026-07-01"},
    )
    assert response.status_code == 302
    assert Employee.objects.get(pk=world.staff.pk).position == target


def test_employee_list_filters_by_a_unit_picker(world, login):
    grow(world, 100)
    client = login(world.user("admin"))
    page = client.get(reverse("org:employee_list")).content.decode()
    assert 'name="unit_cari"' in page
    assert "Seksi Tambahan 5</option>" not in page  # no option per unit
    assert f'<option value="{world.units["seksi"].pk}"' not in page
    page = client.get(
        reverse("org:employee_list"), {"unit": "", "unit_cari": "DINKES-YAN-1"}
    ).content.decode()
    seksi = world.units["seksi"]
    expected = Employee.objects.filter(unit__path__startswith=seksi.path, is_active=True).count()
    assert expected > 3
    assert f"{expected} pegawai" in page
    assert 'value="DINKES-YAN-1"' in page
