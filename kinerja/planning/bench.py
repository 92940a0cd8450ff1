"""Planning benchmarks: opening a performance year (one draft SKP, with its
rater and form, and 7 behaviour rows per employee) for a synthetic agency,
the idempotent second run, and the team/tree pages.

BENCH_EMPLOYEES (default 20000) sets the agency's size."""

import os

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.bench import timer
from kinerja.org import mfa
from kinerja.org.demo import create_synthetic
from kinerja.org.models import RoleGrant, User

from . import services
from .models import BehaviourExpectation, Skp

EMPLOYEES = int(os.environ.get("BENCH_EMPLOYEES", "20000"))


def run(report, *, employees=None):
    employees = employees or EMPLOYEES
    settings.JOBS_BACKEND = "eager"  # time the job itself, inline
    code = f"bench-planning-{employees}"
    result = create_synthetic(code=code, employees=employees)
    agency = result.agency
    admin, _created = User.objects.get_or_create(username=f"{code}-admin", agency=agency)
    RoleGrant.objects.get_or_create(agency=agency, user=admin, role=RoleGrant.Role.ADMIN_BKD)
    year = services.year_create(
        actor=admin, agency=agency, year=2026, frequency="triwulanan", annual_source="last_period"
    )
    with timer() as elapsed:
        job = services.year_open(actor=admin, year=year)
    job.refresh_from_db()
    if job.status != "done":
        raise RuntimeError(f"open_year failed: {job.error}")
    skps = Skp.objects.filter(year=year).count()
    report(f"planning.open_year_{employees}", elapsed(), "s")
    for phase, seconds in job.result.get("seconds", {}).items():
        report(f"planning.open_year_{employees}.phase_{phase}", seconds, "s")
    report(f"planning.open_year_{employees}.skp", skps, "SKP")
    report(
        f"planning.open_year_{employees}.expectations",
        BehaviourExpectation.objects.filter(skp__year=year).count(),
        "rows",
    )
    with timer() as elapsed:
        services.year_open(actor=admin, year=year)
    report(f"planning.open_year_{employees}.again", elapsed(), "s")

    client = Client()
    client.force_login(admin)
    mfa.pass_for_test_client(client)  # benchmarks measure pages, not the code step
    url = reverse("planning:tree", args=[year.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured, timer() as took:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    report(f"planning.tree_{employees}", took(), "s")
    report(f"planning.tree_{employees}.queries", len(captured), "queries")
