"""The organisation pages: employee detail, org chart, employee list, language."""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from kinerja.org import services
from kinerja.org.access import compute_access, superior_map
from kinerja.org.selectors import direct_subordinates

pytestmark = pytest.mark.django_db


def body(response):
    assert response.status_code == 200
    return response.content.decode()


def detail(world, who):
    return reverse("org:employee_detail", args=[world.people[who].pk])


# --- Direct subordinates follow the same rule as superior_map -----------------


def _expected_subordinates(world, on):
    mapping = superior_map(world.agency, on=on)
    result = {}
    for employee_id, superior_id in mapping.items():
        result.setdefault(superior_id, set()).add(employee_id)
    return result


def _check_everyone(world, on):
    expected = _expected_subordinates(world, on)
    for who, person in world.people.items():
        if person.agency_id != world.agency.pk:
            continue
        person.refresh_from_db()
        got = {e.pk for e in direct_subordinates(person, access=compute_access(None), on=on)}
        assert got == expected.get(person.pk, set()), who


def test_direct_subordinates_match_superior_map(world):
    _check_everyone(world, timezone.localdate())


def test_direct_subordinates_climb_over_a_vacant_position(world):
    services.employee_deactivate(actor=None, employee=world.kasi, until=dt.date(2026, 3, 31))
    on = dt.date(2026, 6, 1)
    _check_everyone(world, on)
    kabid = world.kabid
    names = [e.name for e in direct_subordinates(kabid, access=compute_access(None), on=on)]
    assert sorted(names) == ["Dewi Anggraini", "Eko Prasetyo", "Fitri Handayani"]


def test_acting_official_rates_the_position_subordinates(world):
    services.employee_deactivate(actor=None, employee=world.kasi, until=dt.date(2026, 3, 31))
    services.employee_acting_assign(
        actor=None,
        employee=world.fungsional,
        position=world.positions["kasi"],
        kind="plt",
        start=dt.date(2026, 4, 1),
    )
    on = dt.date(2026, 6, 1)
    _check_everyone(world, on)
    names = [
        e.name for e in direct_subordinates(world.fungsional, access=compute_access(None), on=on)
    ]
    assert sorted(names) == ["Dewi Anggraini", "Eko Prasetyo"]


# --- Employee detail -------------------------------------------------------------


def test_superior_sees_direct_subordinates_with_links(world, login):
    page = body(login(world.user("kabid")).get(detail(world, "kabid")))
    assert "Bawahan langsung" in page
    assert "Citra Lestari" in page and "Fitri Handayani" in page
    assert reverse("org:employee_detail", args=[world.kasi.pk]) in page
    # Dewi is the kasi's subordinate, not the kabid's.
    assert "Dewi Anggraini" not in page


def test_superior_sees_subordinates_of_subordinates_read_only(world, login):
    client = login(world.user("kabid"))
    page = body(client.get(detail(world, "staff")))
    assert "Dewi Anggraini" in page
    assert "Hanya baca: pegawai ini bawahan tidak langsung Anda." in page
    assert "Kelola (admin BKD)" not in page
    page = body(client.get(detail(world, "kasi")))
    assert "Anda pejabat penilai kinerja pegawai ini." in page
    assert "Bawahan langsung" in page and "Dewi Anggraini" in page


def test_superior_cannot_see_above_or_beside(world, login):
    client = login(world.user("kasi"))
    assert client.get(detail(world, "kabid")).status_code == 404
    assert client.get(detail(world, "fungsional")).status_code == 404


def test_unit_head_by_role_sees_their_unit_read_only(world, login):
    services.role_grant(
        actor=None, user=world.user("admin"), role="pimpinan_unit", unit=world.units["seksi"]
    )
    services.role_grant(
        actor=None, user=world.user("fungsional"), role="pimpinan_unit", unit=world.units["seksi"]
    )
    client = login(world.user("fungsional"))
    page = body(client.get(detail(world, "peer")))
    assert "Hanya baca: pegawai ini berada di unit yang Anda pimpin." in page
    assert client.get(detail(world, "kabid")).status_code == 404


def test_detail_shows_facts_and_history(world, login):
    services.employee_move(
        actor=None,
        employee=world.staff,
        position=world.positions["analis"],
        start=dt.date(2026, 7, 1),
    )
    page = body(login(world.user("admin")).get(detail(world, "staff")))
    assert world.staff.nip in page
    assert "Riwayat jabatan" in page
    assert "Pengadministrasi Layanan" in page and "Analis SDM Aparatur" in page
    assert "Joko Widodo Susanto" in page  # the new pejabat penilai (kaban)


def test_own_page_view_is_not_recorded_as_processing(world, login):
    from kinerja.audit.models import AuditEvent

    login(world.user("staff")).get(detail(world, "staff"))
    assert not AuditEvent.objects.filter(action="org.employee.view").exists()
    login(world.user("kasi")).get(detail(world, "staff"))
    event = AuditEvent.objects.get(action="org.employee.view")
    assert (event.actor, event.subject) == (world.user("kasi"), world.staff)


# --- Org chart ---------------------------------------------------------------------


def test_org_chart_shows_counts_and_heads(world, login):
    page = body(login(world.user("admin")).get(reverse("org:org_chart")))
    assert "Sekretariat Daerah" in page and "BKPSDM" in page
    assert "Citra Lestari" in page  # head of the seksi
    assert "Joko Widodo Susanto" in page  # head of BKPSDM
    # Dinas Kesehatan: kadis, kabid, kasi, staff, peer, fungsional.
    dinkes = world.units["dinkes"].pk
    # The count sits in the node's summary as text; the link to the unit's list
    # follows it (a link inside <summary> would nest interactive controls).
    summary = (
        r'<summary><span class="unit-name">Dinas Kesehatan</span>.*?· 6 pegawai</span>\s*</summary>'
    )
    assert re.search(summary, page, re.S)
    assert f'href="/org/pegawai/?unit={dinkes}">Daftar pegawai unit ini</a>' in page
    # A unit without children links its count directly.
    seksi = world.units["seksi"].pk
    assert re.search(rf'href="/org/pegawai/\?unit={seksi}">\d+ pegawai</a>', page)
    assert "Sekretariat Daerah Provinsi" not in page


def test_org_chart_shows_acting_head(world, login):
    services.employee_deactivate(actor=None, employee=world.kasi, until=dt.date(2026, 3, 31))
    services.employee_acting_assign(
        actor=None,
        employee=world.fungsional,
        position=world.positions["kasi"],
        kind="plt",
        start=dt.date(2026, 4, 1),
    )
    page = body(login(world.user("admin")).get(reverse("org:org_chart")))
    assert "Plt. Fitri Handayani" in page


def test_org_chart_search_opens_the_branches_to_the_match(world, login):
    page = body(login(world.user("admin")).get(reverse("org:org_chart"), {"q": "layanan primer"}))
    assert "1 unit cocok dengan pencarian." in page
    assert "<mark>Seksi Layanan Primer</mark>" in page
    # The chain Setda > Dinkes > Bidang is open; BKPSDM (a leaf) is no branch.
    assert page.count("<details open>") == 3


def test_org_chart_search_by_head_name(world, login):
    page = body(login(world.user("admin")).get(reverse("org:org_chart"), {"q": "joko"}))
    assert "<mark>BKPSDM</mark>" in page


def test_org_chart_of_a_plain_employee_shows_their_unit(world, login):
    page = body(login(world.user("staff")).get(reverse("org:org_chart")))
    assert "Seksi Layanan Primer" in page
    assert "BKPSDM" not in page


# --- Employee list -----------------------------------------------------------------


def test_employee_list_filters(world, login):
    client = login(world.user("admin"))
    page = body(client.get(reverse("org:employee_list"), {"status": "pppk"}))
    assert "Eko Prasetyo" in page and "Dewi Anggraini" not in page
    page = body(client.get(reverse("org:employee_list"), {"unit": world.units["bidang"].pk}))
    assert "5 pegawai" in page
    page = body(client.get(reverse("org:employee_list"), {"kind": "fungsional"}))
    assert "Fitri Handayani" in page and "1 pegawai" in page
    page = body(client.get(reverse("org:employee_list"), {"q": world.staff.nip}))
    assert "Dewi Anggraini" in page and "1 pegawai" in page


def test_employee_list_ignores_bad_filters(world, login):
    client = login(world.user("admin"))
    page = body(client.get(reverse("org:employee_list"), {"kind": "x", "unit": "abc", "page": "z"}))
    assert "9 pegawai" in page


def test_employee_list_of_another_agencys_unit_is_empty(world, login):
    other_unit = world.positions["other_head"].unit
    page = body(
        login(world.user("admin")).get(reverse("org:employee_list"), {"unit": other_unit.pk})
    )
    assert "0 pegawai" in page


def test_employee_list_htmx_returns_rows_only(world, login):
    client = login(world.user("admin"))
    response = client.get(reverse("org:employee_list"), {"q": "dewi"}, HTTP_HX_REQUEST="true")
    page = body(response)
    assert "<html" not in page and "Dewi Anggraini" in page


def test_employee_list_paginates(world, login):
    from kinerja.org.models import Employee

    base = world.staff
    Employee.objects.bulk_create(
        Employee(
            agency=world.agency,
            nip=f"19700101201003{1 + i % 2}{i + 1:03d}",
            name=f"Pegawai {i:03d}",
            status="pns",
            gender="L",
            birth_date=base.birth_date,
            position=base.position,
            unit=base.unit,
        )
        for i in range(60)
    )
    client = login(world.user("admin"))
    page = body(client.get(reverse("org:employee_list")))
    assert "69 pegawai" in page and "Halaman 1 dari 2" in page
    page = body(client.get(reverse("org:employee_list"), {"page": 2, "status": "pns"}))
    assert "Halaman 2 dari 2" in page
    assert "status=pns&amp;page=1" in page


# --- Language and accessibility --------------------------------------------------


def test_indonesian_by_default_and_english_switch(world, client):
    page = body(client.get(reverse("login")))
    assert '<html lang="id">' in page
    # A browser asking for English still gets Indonesian until the user switches.
    page = body(client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))
    assert '<html lang="id">' in page
    response = client.post(reverse("set_language"), {"language": "en", "next": "/masuk/"})
    assert response.status_code == 302
    page = body(client.get(reverse("login")))
    assert '<html lang="en">' in page
    client.post(reverse("set_language"), {"language": "id", "next": "/masuk/"})
    assert '<html lang="id">' in body(client.get(reverse("login")))


class _FormAudit(HTMLParser):
    """Collects form controls and the ids that a <label for> points at."""

    def __init__(self):
        super().__init__()
        self.controls, self.labelled, self.skip_link = [], set(), False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label" and attrs.get("for"):
            self.labelled.add(attrs["for"])
        if tag == "a" and attrs.get("class") == "skip" and attrs.get("href") == "#main":
            self.skip_link = True
        if tag in ("input", "select", "textarea") and attrs.get("type") not in (
            "hidden",
            "submit",
        ):
            self.controls.append(attrs)


PAGES = [
    ("org:employee_list", None),
    ("org:org_chart", None),
    ("org:profile", None),
    ("org:audit_log", None),
    ("org:employee_detail", "staff"),
    ("password_change", None),
    ("home", None),
]


@pytest.mark.parametrize("name, who", PAGES)
def test_every_form_field_has_a_label(world, login, name, who):
    args = [world.people[who].pk] if who else []
    page = body(login(world.user("admin")).get(reverse(name, args=args)))
    audit = _FormAudit()
    audit.feed(page)
    assert audit.skip_link
    assert audit.controls
    for control in audit.controls:
        assert control.get("id") in audit.labelled, control


def test_login_page_fields_are_labelled(client):
    audit = _FormAudit()
    audit.feed(body(client.get(reverse("login"))))
    assert {c["id"] for c in audit.controls} <= audit.labelled
    assert {"id_username", "id_password"} <= audit.labelled
