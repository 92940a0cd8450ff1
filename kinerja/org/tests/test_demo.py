import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from kinerja.org.demo import DEMO_CODE, DEMO_PASSWORD, GOLONGAN, PPPK_GOLONGAN, demo_logins
from kinerja.org.models import (
    Agency,
    Employee,
    OrgUnit,
    Position,
    PositionAssignment,
    RoleGrant,
    User,
)
from kinerja.org.nip import parse_nip
from kinerja.org.services import rebuild_paths

pytestmark = pytest.mark.django_db

MODELS = [Agency, OrgUnit, Position, Employee, User, PositionAssignment, RoleGrant]


def run_demo():
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    return out.getvalue()


def logins_table(output):
    return output[output.index("Akun demo:") :]


@pytest.fixture
def demo():
    output = run_demo()
    return Agency.objects.get(code=DEMO_CODE), output


def test_it_is_idempotent(demo):
    _, first = demo
    counts = {m: m.objects.count() for m in MODELS}
    second = run_demo()
    assert {m: m.objects.count() for m in MODELS} == counts
    assert "Data demo sudah ada" in second
    assert logins_table(second) == logins_table(first)


def test_it_builds_a_kota_of_a_few_hundred(demo):
    agency, _ = demo
    assert (agency.name, agency.kind) == ("Pemerintah Kota Tebingtinggi", "kota")
    assert 300 <= Employee.objects.filter(agency=agency).count() <= 400
    roots = set(OrgUnit.objects.filter(agency=agency, parent=None).values_list("name", flat=True))
    for name in [
        "Sekretariat Daerah",
        "Inspektorat",
        "Badan Perencanaan Pembangunan Daerah",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "Dinas Pendidikan",
        "Dinas Kesehatan",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Dinas Sosial",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        "Dinas Perhubungan",
        "Satuan Polisi Pamong Praja",
        "Badan Pendapatan Daerah",
        "Kecamatan Padang Hulu",
    ]:
        assert name in roots
    kinds = set(OrgUnit.objects.filter(agency=agency).values_list("kind", flat=True))
    assert {"bagian", "bidang", "seksi", "subbagian", "sekolah", "puskesmas", "rsud"} <= kinds
    assert {"kecamatan", "kelurahan"} <= kinds


def test_every_nip_is_valid_and_matches_the_person(demo):
    agency, _ = demo
    employees = list(Employee.objects.filter(agency=agency))
    pangkat = dict(GOLONGAN)
    for employee in employees:
        info = parse_nip(employee.nip)
        assert info.gender == employee.gender
        assert info.birth_date == employee.birth_date
        assert info.is_pppk == (employee.status == Employee.Status.PPPK)
        if info.is_pppk:
            assert employee.golongan in PPPK_GOLONGAN.values() and employee.pangkat == ""
        else:
            assert pangkat[employee.golongan] == employee.pangkat
        assert employee.user.username == employee.nip
    statuses = {e.status for e in employees}
    assert statuses == {"pns", "pppk"}


def test_golongan_follows_the_position(demo):
    agency, _ = demo
    for employee in Employee.objects.filter(agency=agency, status="pns").select_related("position"):
        if employee.position.kind == Position.Kind.JPT_PRATAMA:
            assert employee.golongan.startswith("IV/")
        if employee.position.kind == Position.Kind.PENGAWAS:
            assert employee.golongan.startswith("III/")


def test_superior_chains_end_at_the_sekda_without_cycles(demo):
    agency, _ = demo
    positions = {p.pk: p for p in Position.objects.filter(agency=agency)}
    tops = [p for p in positions.values() if p.superior_id is None]
    assert [p.name for p in tops] == ["Sekretaris Daerah"]
    for position in positions.values():
        seen, current = set(), position
        while current.superior_id is not None:
            assert current.pk not in seen
            seen.add(current.pk)
            current = positions[current.superior_id]
        assert current == tops[0]
    jpt = Position.objects.filter(agency=agency, kind="jpt_pratama").exclude(superior=None)
    assert set(jpt.values_list("superior_id", flat=True)) == {tops[0].pk}


def test_paths_are_those_rebuild_paths_computes(demo):
    agency, _ = demo
    before = list(OrgUnit.objects.filter(agency=agency).values_list("pk", "path", "depth"))
    before += list(Position.objects.filter(agency=agency).values_list("pk", "path", "superior"))
    rebuild_paths(agency)
    after = list(OrgUnit.objects.filter(agency=agency).values_list("pk", "path", "depth"))
    after += list(Position.objects.filter(agency=agency).values_list("pk", "path", "superior"))
    assert after == before


def test_assignments_vacancies_and_the_plt(demo):
    agency, _ = demo
    for employee in Employee.objects.filter(agency=agency):
        assert PositionAssignment.objects.filter(
            employee=employee, position_id=employee.position_id, kind="definitif", end=None
        ).exists()
    held = set(Employee.objects.filter(agency=agency).values_list("position_id", flat=True))
    vacant = Position.objects.filter(agency=agency).exclude(pk__in=held)
    assert vacant.count() >= 2
    plt = PositionAssignment.objects.get(agency=agency, kind="plt")
    assert plt.position in vacant
    assert plt.employee.position.superior == plt.position


def test_the_printed_logins_can_sign_in(demo):
    agency, output = demo
    rows = [line.split("  ") for line in logins_table(output).splitlines()[3:] if line]
    usernames = [next(c for c in row[1:] if c.strip()).strip() for row in rows]
    assert len(usernames) >= 7 and "admin" in usernames
    assert "Wali Kota" not in output
    for username in usernames:
        request = RequestFactory().post("/masuk/")
        user = authenticate(request, username=username, password=DEMO_PASSWORD)
        assert user is not None, username
    superuser = User.objects.get(username="admin")
    assert superuser.is_superuser and superuser.agency is None
    roles = set(RoleGrant.objects.filter(agency=agency).values_list("role", flat=True))
    assert roles == {"admin_bkd", "pimpinan_unit", "tim_penilai"}


def test_it_leaves_a_changed_password_alone(demo):
    user = User.objects.get(username="admin")
    user.set_password("another-long-password")
    user.save()
    run_demo()
    user.refresh_from_db()
    assert user.check_password("another-long-password")
    call_command("demo_data", "--reset-passwords", stdout=io.StringIO())
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)


def test_the_readme_shows_the_same_logins(demo):
    from django.conf import settings

    agency, _ = demo
    readme = (settings.BASE_DIR / "README.md").read_text()
    for login in demo_logins(agency):
        assert f"`{login.username}` | {login.name} | `{DEMO_PASSWORD}`" in readme or (
            login.username == "admin" and f"`admin` | (no agency) | `{DEMO_PASSWORD}`" in readme
        ), login


def test_demo_admins_sign_in_with_the_published_authenticator_key(demo, client):
    """The demo's required roles have an authenticator with the key printed in
    the table (and in the README); `demo_code` prints the code it shows now."""
    from base64 import b32decode

    from django.conf import settings
    from django.urls import reverse
    from django_otp.oath import totp

    agency, output = demo
    keyed = {x.username: x.totp_key for x in demo_logins(agency) if x.totp_key}
    assert set(keyed) >= {"admin"} and len(keyed) == 3
    readme = (settings.BASE_DIR / "README.md").read_text()
    for username, key in keyed.items():
        assert key in logins_table(output) and f"`{username}`" in readme and f"`{key}`" in readme
    admin_nip = next(x.username for x in demo_logins(agency) if x.role == "Admin BKD")
    out = io.StringIO()
    call_command("demo_code", admin_nip, stdout=out)
    code = out.getvalue().strip()
    assert code == f"{totp(b32decode(keyed[admin_nip])):06d}"
    client.post(reverse("login"), {"username": admin_nip, "password": DEMO_PASSWORD})
    assert client.get(reverse("home")).url.startswith(reverse("mfa_verify"))
    assert client.post(reverse("mfa_verify"), {"code": code}).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    # A second run enrols nothing new; accounts without the key have none.
    run_demo()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert TOTPDevice.objects.count() == 3
    with pytest.raises(Exception, match="kunci autentikator demo"):
        call_command("demo_code", "197103291997072241", stdout=io.StringIO())
