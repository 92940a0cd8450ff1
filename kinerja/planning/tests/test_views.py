import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinerja.lib.hashing import content_hash
from kinerja.org.models import Employee, Position, PositionAssignment, User
from kinerja.planning import services
from kinerja.planning.models import BehaviourExpectation, PerformanceYear, Rhk, Skp, SkpVersion

from .factories import add_rhk_with_iki, skp_of
from .url_cases import URL_CASES

# The SKP deadline of the 2026 year is 31 January 2026: a day before it and after it.
BEFORE_DEADLINE, AFTER_DEADLINE = dt.date(2026, 1, 15), dt.date(2026, 2, 2)


@pytest.mark.parametrize("today", [BEFORE_DEADLINE, AFTER_DEADLINE])
def test_home_shows_my_skp_and_deadline_flag(world, year, login, monkeypatch, today):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today)
    client = login(world.user("staff"))
    response = client.get(reverse("planning:home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Pengadministrasi Layanan" in body
    assert "A.1.7" in body
    assert "Citra Lestari" in body
    late = today > year.skp_deadline
    assert ("terlambat" in body) is late


def test_home_explains_when_there_is_no_year(world, login):
    response = login(world.user("staff")).get(reverse("planning:home"))
    assert "Admin BKD belum membuka periode penilaian." in response.content.decode()


def test_employee_edits_through_pages(world, year, approved_kasi, login):
    client = login(world.user("staff"))
    skp = skp_of(world.staff, year)
    parent = approved_kasi.rhks.first()
    response = client.post(
        reverse("planning:rhk_add", args=[skp.pk]),
        {"text": "Surat tersusun", "kind": "utama", "source": "intervensi", "parent": parent.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Surat tersusun" in response.content.decode()
    rhk = skp.rhks.get()
    assert rhk.parent == parent
    client.post(
        reverse("planning:iki_add", args=[rhk.pk]),
        {"text": "Jumlah surat", "aspect": "kuantitas", "target_text": "selalu 100%"},
    )
    assert rhk.ikis.get().target_text == "selalu 100%"
    response = client.post(reverse("planning:skp_submit", args=[skp.pk]), follow=True)
    assert "SKP diajukan kepada pejabat penilai." in response.content.decode()
    assert Skp.objects.get(pk=skp.pk).status == "diajukan"


def test_refused_edit_shows_message_and_saves_nothing(world, year, login):
    client = login(world.user("staff"))
    skp = skp_of(world.staff, year)
    response = client.post(reverse("planning:skp_submit", args=[skp.pk]), follow=True)
    assert "SKP harus memiliki minimal satu RHK utama." in response.content.decode()
    assert Skp.objects.get(pk=skp.pk).status == "draft"


def test_rater_reviews_side_by_side_and_approves(world, year, approved_kasi, login):
    skp = skp_of(world.staff, year)
    add_rhk_with_iki(world.user("staff"), skp, "Surat", parent=approved_kasi.rhks.first())
    services.skp_submit(actor=world.user("staff"), skp=skp)
    client = login(world.user("kasi"))
    body = client.get(reverse("planning:skp_review", args=[skp.pk])).content.decode()
    assert "Laporan layanan primer tersusun" in body  # the rater's own RHK
    assert "Setujui dan tetapkan" in body
    client.post(reverse("planning:skp_approve", args=[skp.pk]), {"note": ""})
    assert Skp.objects.get(pk=skp.pk).status == "disetujui"


def test_peer_cannot_see_and_kabid_reads_only(world, year, login):
    skp = skp_of(world.staff, year)
    assert (
        login(world.user("peer")).get(reverse("planning:skp_detail", args=[skp.pk])).status_code
        == 404
    )
    response = login(world.user("kabid")).get(reverse("planning:skp_review", args=[skp.pk]))
    assert response.status_code == 200
    assert "Setujui dan tetapkan" not in response.content.decode()


@pytest.mark.parametrize("name", sorted(URL_CASES))
def test_outsider_gets_404(world, login, name):
    url = reverse(name, kwargs=URL_CASES[name](world))
    client = login(world.user("outsider_admin"))
    assert client.get(url).status_code in (404, 405)
    assert client.post(url, data="{}", content_type="application/json").status_code in (404, 405)
    if name.startswith("planning:") or name.endswith("-detail"):
        assert client.get(url).status_code == 404
    else:  # an action: whichever method it takes is a 404
        statuses = {
            client.get(url).status_code,
            client.post(url, data="{}", content_type="application/json").status_code,
        }
        assert 404 in statuses


def test_admin_pages(world, year, login):
    client = login(world.user("admin"))
    assert client.get(reverse("planning:year_list")).status_code == 200
    body = client.get(reverse("planning:year_detail", args=[year.pk])).content.decode()
    assert "Triwulan IV-Akhir" in body
    client.post(
        reverse("planning:goal_list", args=[year.pk]),
        {"text": "Meningkatnya derajat kesehatan", "source": "pk"},
    )
    assert year.goals.get().text == "Meningkatnya derajat kesehatan"
    assert (
        login(world.user("staff")).get(reverse("planning:year_detail", args=[year.pk])).status_code
        == 404
    )


def test_admin_creates_and_opens_year_through_pages(world, login):
    client = login(world.user("admin"))
    response = client.post(
        reverse("planning:year_list"),
        {"year": "2026", "frequency": "bulanan", "annual_source": "annual"},
    )
    year = PerformanceYear.objects.get()
    assert response.status_code == 302
    response = client.post(reverse("planning:year_open", args=[year.pk]))
    assert response.status_code == 302 and "/proses/" in response["Location"]
    assert Skp.objects.filter(year=year).count() == 9
    assert year.periods.count() == 12


def _grow(world, year, n):
    """n more pelaksana under the kasi, each with an SKP and two RHK (bulk)."""
    position = world.positions["staff"]
    users = User.objects.bulk_create(
        [User(username=f"x{year.pk}-{n}-{i}", agency=world.agency) for i in range(n)]
    )
    employees = Employee.objects.bulk_create(
        [
            Employee(
                agency=world.agency,
                user=u,
                nip=f"19900101201501{i:04d}"[:18].ljust(18, "0")[:14] + f"{i + 5000 * n:04d}"[-4:],
                name=f"Pegawai {i}",
                status="pns",
                gender="L",
                birth_date=dt.date(1990, 1, 1),
                position=position,
                unit=position.unit,
            )
            for i, u in enumerate(users)
        ]
    )
    PositionAssignment.objects.bulk_create(
        [
            PositionAssignment(
                agency=world.agency,
                employee=e,
                position=position,
                unit=position.unit,
                kind="definitif",
                start=dt.date(2026, 1, 1),
            )
            for e in employees
        ]
    )
    skps = Skp.objects.bulk_create(
        [
            Skp(
                agency=world.agency,
                year=year,
                employee=e,
                position=position,
                unit=position.unit,
                rater=world.kasi,
                rater_position=world.positions["kasi"],
                form="non_jpt",
                approach="kuantitatif",
                valid_from=year.start,
            )
            for e in employees
        ]
    )
    BehaviourExpectation.objects.bulk_create(
        services.expectation_rows([s.pk for s in skps], world.agency.pk)
    )
    Rhk.objects.bulk_create(
        [
            Rhk(agency=world.agency, skp=s, text=f"RHK {k}", kind="utama")
            for s in skps
            for k in range(2)
        ]
    )


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_team_page_query_count_is_fixed(world, year, login):
    client = login(world.user("kasi"))
    url = reverse("planning:team")
    _grow(world, year, 3)
    small = _count(client, url)
    _grow(world, year, 40)
    assert _count(client, url) == small


def test_tree_page_query_count_is_fixed(world, year, approved_kasi, login):
    client = login(world.user("admin"))
    url = reverse("planning:tree", args=[year.pk])
    services.org_goal_create(actor=world.user("admin"), year=year, text="Sasaran 1", source="pk")
    _grow(world, year, 3)
    small = _count(client, url)
    _grow(world, year, 40)
    body_count = _count(client, url)
    assert body_count == small
    body = client.get(url).content.decode()
    assert "Laporan layanan primer tersusun" in body
    assert "Pegawai tanpa SKP yang disetujui" in body


def test_matrix_page_and_bulk_assign(world, year, approved_kasi, login):
    client = login(world.user("kasi"))
    body = client.get(reverse("planning:matrix")).content.decode()
    assert "Laporan layanan primer tersusun" in body and "Dewi Anggraini" in body
    parent = approved_kasi.rhks.first()
    ids = [skp_of(world.staff, year).pk, skp_of(world.peer, year).pk]
    response = client.post(reverse("planning:matrix"), {"rhk": parent.pk, "skp": ids}, follow=True)
    assert "2 RHK dibuat untuk bawahan; 0 sudah ada." in response.content.decode()
    assert Rhk.objects.filter(parent=parent).count() == 2


def test_pdf_and_verification_page_show_the_same_hash(world, year, approved_kasi, login, client):
    version = SkpVersion.objects.get(skp=approved_kasi)
    response = login(world.user("kasi")).get(reverse("planning:skp_pdf", args=[approved_kasi.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    client.logout()
    page = client.get(reverse("planning:verify", args=[version.token])).content.decode()
    assert version.content_hash in page
    assert version.content_hash == content_hash(version.content)


@pytest.mark.parametrize("name", ["kadis", "staff"])
def test_draft_pdf_of_each_form(world, year, login, name):
    skp = skp_of(world.people[name], year)
    services.skp_approach_set(actor=world.user(name), skp=skp, approach="kualitatif")
    response = login(world.user(name)).get(reverse("planning:skp_pdf", args=[skp.pk]))
    assert response.content.startswith(b"%PDF")


def test_unit_pdf_job_and_download(world, year, approved_kasi, login, settings, tmp_path):
    settings.PRIVATE_ROOT = tmp_path
    client = login(world.user("admin"))
    response = client.post(
        reverse("planning:unit_pdf", args=[year.pk]), {"unit": world.units["seksi"].pk}
    )
    job_url = response["Location"]
    job_id = int(job_url.rstrip("/").split("/")[-1])
    download = client.get(reverse("planning:job_download", args=[job_id]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert (
        login(world.user("staff")).get(reverse("planning:job_download", args=[job_id])).status_code
        == 404
    )


def test_version_history_readable(world, year, approved_kasi, login):
    services.skp_revise(actor=world.user("kasi"), skp=approved_kasi, reason="Tambah RHK")
    version = SkpVersion.objects.get(skp=approved_kasi)
    body = (
        login(world.user("kasi"))
        .get(reverse("planning:version_detail", args=[version.pk]))
        .content.decode()
    )
    assert "Laporan layanan primer tersusun" in body and version.content_hash in body
    assert Position.objects.exists()


def test_tree_narrows_to_a_unit_and_unit_head_sees_own_unit(world, year, approved_kasi, login):
    url = reverse("planning:tree", args=[year.pk])
    body = login(world.user("admin")).get(f"{url}?unit={world.units['seksi'].pk}").content.decode()
    assert "Citra Lestari" in body and "Surya Pratama" not in body
    # The kadis heads Dinas Kesehatan: the tree of that unit only.
    body = login(world.user("kadis")).get(url).content.decode()
    assert "Citra Lestari" in body and "Joko Widodo Susanto" not in body
    assert login(world.user("staff")).get(url).status_code == 404


@pytest.mark.parametrize("today", [BEFORE_DEADLINE, AFTER_DEADLINE])
def test_team_page_flags_late_skp_to_the_superior(world, year, login, monkeypatch, today):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today)
    year.skp_deadline = dt.date(2026, 1, 31)
    year.save()
    body = login(world.user("kasi")).get(reverse("planning:team")).content.decode()
    assert "Dewi Anggraini" in body and "Eko Prasetyo" in body
    assert "Fitri Handayani" not in body  # rated by the kabid
    assert ("terlambat" in body) is (today > year.skp_deadline)
