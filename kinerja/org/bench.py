"""Org benchmarks: building a large agency, and the employee list and org
chart pages for its admin BKD (time and number of SQL queries).

BENCH_EMPLOYEES (default 20000) sets the agency's size."""

import os

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.bench import timer

from . import mfa
from .demo import create_synthetic
from .models import RoleGrant, User

EMPLOYEES = int(os.environ.get("BENCH_EMPLOYEES", "20000"))
REPEAT = 3
PAGES = [
    ("employee_list", "org:employee_list", ""),
    ("employee_search", "org:employee_list", "?q=Siti"),
    ("employee_list_page_20", "org:employee_list", "?page=20"),
    ("org_chart", "org:org_chart", ""),
]


def run(report, *, employees=None):
    employees = employees or EMPLOYEES
    code = f"bench-org-{employees}"
    with timer() as elapsed:
        result = create_synthetic(code=code, employees=employees)
    if not result.created:
        raise RuntimeError(f"agency {code} already exists: the bench needs an empty database")
    report(f"org.synthetic_agency_{employees}", elapsed(), "s")

    admin = User(username=f"{code}-admin", agency=result.agency)
    admin.set_unusable_password()
    admin.save()
    RoleGrant.objects.create(agency=result.agency, user=admin, role=RoleGrant.Role.ADMIN_BKD)
    client = Client()
    client.force_login(admin)
    mfa.pass_for_test_client(client)  # benchmarks measure pages, not the code step
    for name, url_name, query in PAGES:
        url = reverse(url_name) + query
        client.get(url)  # warm-up: templates, caches
        best, queries = None, 0
        for _ in range(REPEAT):
            with CaptureQueriesContext(connection) as captured, timer() as took:
                response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            best = took() if best is None else min(best, took())
            queries = len(captured)
        report(f"org.{name}_{employees}", best, "s")
        report(f"org.{name}_{employees}.queries", queries, "queries")
