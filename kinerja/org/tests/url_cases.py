"""URL tenancy cases of the org and jobs apps (see kinerja/tests/test_url_tenancy.py).

URL_CASES: "<namespace:url_name>" → lambda world: kwargs that reverse the URL
with an object of world.agency ("tebingtinggi"). The cross-cutting test checks
that the other agency's admin gets 404 and this agency's admin does not.
PUBLIC_URLS: "<name>" → why it is public by design.
Other apps keep theirs in kinerja/<app>/tests/url_cases.py.
"""


def _job(world):
    from kinerja.jobs.models import Job

    job = Job.objects.create(agency=world.agency, created_by=world.user("admin"), kind="test.noop")
    return {"pk": job.pk}


def _role_grant(world):
    from kinerja.org.models import RoleGrant

    grant = RoleGrant.objects.get(user=world.user("admin"), role=RoleGrant.Role.ADMIN_BKD)
    return {"pk": world.admin.pk, "grant_pk": grant.pk}


def _import_run(world):
    from kinerja.org.models import ImportRun

    run = ImportRun.objects.create(
        agency=world.agency,
        created_by=world.user("admin"),
        original_name="data.xlsx",
        file_format=ImportRun.Format.XLSX,
        status=ImportRun.Status.INVALID,
        errors=[{"sheet": "Pegawai", "row": 2, "column": "nip", "message": "contoh"}],
        error_count=1,
    )
    return {"pk": run.pk}


def _token(world):
    """A token of this agency's admin: their own (the walk signs in as them)."""
    from kinerja.org import tokens

    token, _key = tokens.token_create(user=world.user("admin"))
    return {"pk": token.pk}


URL_CASES = {
    # Pages
    "org:employee_detail": lambda world: {"pk": world.staff.pk},
    "org:employee_role_grant": lambda world: {"pk": world.staff.pk},
    "org:employee_role_revoke": _role_grant,
    "org:employee_password": lambda world: {"pk": world.staff.pk},
    "org:employee_mfa_reset": lambda world: {"pk": world.staff.pk},
    "org:employee_move": lambda world: {"pk": world.staff.pk},
    "org:employee_deactivate": lambda world: {"pk": world.staff.pk},
    "jobs:detail": _job,
    "jobs:rerun": _job,
    "org:import_detail": _import_run,
    "org:import_apply": _import_run,
    "org:import_errors": _import_run,
    "org:token_revoke": _token,
    # API (DRF router names, no namespace)
    "agency-detail": lambda world: {"pk": world.agency.pk},
    "unit-detail": lambda world: {"pk": world.units["seksi"].pk},
    "position-detail": lambda world: {"pk": world.positions["kasi"].pk},
    "employee-detail": lambda world: {"pk": world.staff.pk},
    "employee-move": lambda world: {"pk": world.staff.pk},
    "employee-deactivate": lambda world: {"pk": world.staff.pk},
    "employee-mfa-reset": lambda world: {"pk": world.staff.pk},
    "import-detail": _import_run,
    "import-apply": _import_run,
    "token-detail": _token,
    "token-revoke": _token,
}

PUBLIC_URLS = {}

# Open to every employee of the agency (kinerja/tests/test_url_colleague.py);
# changes stay admin BKD's (403).
COLLEAGUE_VISIBLE = {
    "agency-detail": "the employee's own agency",
    "position-detail": "positions (and who to report to) are open to every employee",
}
