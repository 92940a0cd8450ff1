"""Organisation grades benchmark: on a synthetic agency (BENCH_EMPLOYEES,
default 20000), admin BKD sets the grade of one dinas and its whole subtree,
then bulk-sets every unit of the agency; then the grades page (the tree with
each unit's own or inherited grade) and resolving the grade of every unit.
Times in seconds, with the number of SQL queries of each step."""

import datetime as dt
import os

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.bench import timer
from kinerja.org import mfa
from kinerja.org.demo import create_synthetic
from kinerja.org.models import OrgUnit, RoleGrant, User
from kinerja.planning.models import PerformanceYear

from . import selectors, services

EMPLOYEES = int(os.environ.get("BENCH_EMPLOYEES", "20000"))


def run(report, *, employees=None):
    employees = employees or EMPLOYEES
    code = f"bench-grades-{employees}"
    result = create_synthetic(code=code, employees=employees)
    if not result.created:
        raise RuntimeError(f"agency {code} already exists: the bench needs an empty database")
    agency = result.agency
    year = PerformanceYear.objects.create(
        agency=agency,
        year=2026,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        skp_deadline=dt.date(2026, 1, 31),
        annual_deadline=dt.date(2027, 1, 31),
        status="open",
    )
    admin = User(username=f"{code}-admin", agency=agency)
    admin.set_unusable_password()
    admin.save()
    RoleGrant.objects.create(agency=agency, user=admin, role=RoleGrant.Role.ADMIN_BKD)
    units = list(OrgUnit.objects.filter(agency=agency).only("pk", "agency_id", "name", "path"))
    report(f"grades.units_{employees}", len(units), "units")

    # The dinas with the largest subtree.
    kinds = dict(OrgUnit.objects.filter(agency=agency).values_list("pk", "kind"))
    dinas_units = [u for u in units if kinds[u.pk] == "dinas"]
    sizes = {d.pk: sum(1 for u in units if u.path.startswith(d.path)) for d in dinas_units}
    dinas = max(dinas_units, key=lambda d: sizes[d.pk])
    with CaptureQueriesContext(connection) as queries, timer() as took:
        changed = services.org_grade_set(
            actor=admin, unit=dinas, year=year, grade="baik", subtree=True
        )
    report(f"grades.set_dinas_subtree_{employees}", took(), "s")
    report(f"grades.set_dinas_subtree_{employees}.units", changed, "units")
    report(f"grades.set_dinas_subtree_{employees}.queries", len(queries), "queries")

    entries = [services.GradeEntry(u, "istimewa") for u in units]
    with CaptureQueriesContext(connection) as queries, timer() as took:
        changed = services.org_grades_set(actor=admin, year=year, entries=entries)
    report(f"grades.bulk_set_agency_{employees}", took(), "s")
    report(f"grades.bulk_set_agency_{employees}.units", changed, "units")
    report(f"grades.bulk_set_agency_{employees}.queries", len(queries), "queries")

    with CaptureQueriesContext(connection) as queries, timer() as took:
        found = selectors.grade_map(units, year)
    if any(g is None for g in found.values()):
        raise RuntimeError("a unit has no grade after the bulk set")
    report(f"grades.grade_map_all_units_{employees}", took(), "s")
    report(f"grades.grade_map_all_units_{employees}.queries", len(queries), "queries")

    client = Client()
    client.force_login(admin)
    mfa.pass_for_test_client(client)  # benchmarks measure pages, not the code step
    url = reverse("assessment:org_performance") + f"?tahun={year.pk}&buka={dinas.pk}"
    client.get(url)  # warm-up
    with CaptureQueriesContext(connection) as queries, timer() as took:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    report(f"grades.page_{employees}", took(), "s")
    report(f"grades.page_{employees}.queries", len(queries), "queries")
    report(f"grades.page_{employees}.kb", len(response.content) // 1024, "KiB")
