import io

import pytest
from django.core.management import call_command

from kinerja import bench
from kinerja.org import bench as org_bench
from kinerja.org.models import Agency, Employee, OrgUnit, Position, PositionAssignment
from kinerja.org.nip import parse_nip

pytestmark = pytest.mark.django_db


def synthetic(*args):
    out = io.StringIO()
    call_command("synthetic_agency", *args, stdout=out)
    return out.getvalue()


def test_it_creates_exactly_n_employees_with_valid_unique_nips():
    output = synthetic("--employees", "200", "--code", "s200")
    agency = Agency.objects.get(code="s200")
    employees = list(Employee.objects.filter(agency=agency))
    assert len(employees) == 200
    assert len({e.nip for e in employees}) == 200
    for employee in employees:
        info = parse_nip(employee.nip)
        assert info.gender == employee.gender
        assert info.is_pppk == (employee.status == "pppk")
        assert 500 <= info.sequence <= 999
    assert PositionAssignment.objects.filter(agency=agency, kind="definitif").count() == 200
    assert "200 pegawai" in output


def test_it_builds_a_tree_opd_bidang_seksi():
    synthetic("--employees", "200", "--code", "tree", "--units", "4")
    agency = Agency.objects.get(code="tree")
    units = {u.pk: u for u in OrgUnit.objects.filter(agency=agency)}
    # Sekretariat Daerah + 4 OPD, each with a sekretariat (2 subbagian) and 4 bidang (3 seksi).
    assert len(units) == 1 + 4 * (1 + 1 + 2 + 4 + 4 * 3)
    assert max(u.depth for u in units.values()) == 2
    for unit in units.values():
        parent = units.get(unit.parent_id)
        assert unit.path == f"{parent.path if parent else '/'}{unit.pk}/"
        if unit.kind == "seksi":
            assert parent.kind == "bidang"
    positions = {p.pk: p for p in Position.objects.filter(agency=agency)}
    assert [p.name for p in positions.values() if p.superior_id is None] == ["Sekretaris Daerah"]
    for position in positions.values():
        superior = positions.get(position.superior_id)
        assert position.path == f"{superior.path if superior else '/'}{position.pk}/"


def test_rerunning_the_same_code_changes_nothing():
    synthetic("--employees", "50", "--code", "again")
    output = synthetic("--employees", "80", "--code", "again")
    assert "sudah ada" in output
    assert Employee.objects.filter(agency__code="again").count() == 50


def test_it_lives_beside_the_demo_agency():
    call_command("demo_data", stdout=io.StringIO())
    synthetic("--employees", "300", "--code", "beside")
    assert Employee.objects.filter(agency__code="beside").count() == 300


def test_bench_discovery_finds_the_modules():
    names = bench.discover()
    assert "kinerja.org.bench" in names
    assert all(name.split(".")[-1].startswith("bench") for name in names)


def test_report_prints_aligned_lines():
    lines = []
    report = bench.Reporter(write=lines.append)
    report("org.synthetic_agency_20000", 12.34, "s")
    report("org.employee_list.queries", 9, "queries")
    assert lines[0] == f"{'org.synthetic_agency_20000':<44} {'12.3':>10} s"
    assert lines[1].index("9 queries") == lines[0].index("3 s")
    assert [f.value for f in report.figures] == [12.34, 9]


def test_the_org_bench_runs_small(monkeypatch):
    monkeypatch.setattr(org_bench, "EMPLOYEES", 120)
    figures = []
    ran = bench.run_all(
        lambda *figure: figures.append(figure), only="org", modules=["kinerja.org.bench"]
    )
    assert ran == ["kinerja.org.bench"]
    names = [name for name, _, _ in figures]
    assert names[0] == "org.synthetic_agency_120"
    assert ("org.employee_list_120.queries", "queries") in [(n, u) for n, _, u in figures]
    assert "org.org_chart_120" in names
