"""URL tenancy cases (kinerja/tests/test_url_tenancy.py): kwargs that reverse
each parametrised URL with an object of agency "tebingtinggi"."""

from kinerja.testing import performance_year, staff_iki, staff_rhk, staff_skp


def _year(world):
    return performance_year(world, 2026)


def _skp(world):
    return staff_skp(world, _year(world))


def _rhk(world):
    return staff_rhk(world, _year(world))


def _iki(world):
    return staff_iki(world, _year(world))


def _version(world):
    from django.utils import timezone

    from kinerja.planning.models import SkpVersion

    skp = _skp(world)
    return SkpVersion.objects.filter(skp=skp).first() or SkpVersion.objects.create(
        agency=world.agency,
        skp=skp,
        number=1,
        content={},
        content_hash="0" * 64,
        approved_by=world.kasi,
        approved_by_name="Citra",
        approved_at=timezone.now(),
    )


def _job(world):
    from kinerja.jobs.models import Job

    return Job.objects.create(
        agency=world.agency,
        created_by=world.user("admin"),
        kind="planning.unit_pdf",
        status="done",
        result={"file": "x.pdf"},
    )


def _override(world):
    import datetime as dt

    from kinerja.planning.models import CalendarOverride

    year = _year(world)
    found = CalendarOverride.objects.filter(year=year).first()
    return found or CalendarOverride.objects.create(
        agency=world.agency,
        year=year,
        unit=world.units["bidang"],
        window="skp",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 2, 28),
        reason="Kepala bidang berganti",
    )


URL_CASES = {
    **{
        f"planning:{name}": (lambda world: {"pk": _skp(world).pk})
        for name in (
            "skp_detail",
            "rhk_add",
            "skp_expectations",
            "skp_lampiran",
            "skp_approach",
            "skp_submit",
            "skp_review",
            "skp_approve",
            "skp_return",
            "skp_revise",
            "skp_pdf",
        )
    },
    **{
        f"planning:{name}": (lambda world: {"pk": _rhk(world).pk})
        for name in ("rhk_edit", "rhk_delete", "iki_add")
    },
    **{
        f"planning:{name}": (lambda world: {"pk": _iki(world).pk})
        for name in ("iki_edit", "iki_delete", "iki_manual")
    },
    "planning:version_detail": lambda world: {"pk": _version(world).pk},
    **{
        f"planning:{name}": (lambda world: {"pk": _year(world).pk})
        for name in (
            "year_detail",
            "year_open",
            "goal_list",
            "tree",
            "unit_pdf",
            "calendar_edit",
            "calendar_overrides",
        )
    },
    "planning:job_download": lambda world: {"pk": _job(world).pk},
    "planning:calendar_override_remove": lambda world: {"pk": _override(world).pk},
    "performanceyear-detail": lambda world: {"pk": _year(world).pk},
    "performanceyear-open": lambda world: {"pk": _year(world).pk},
    "performanceyear-calendar": lambda world: {"pk": _year(world).pk},
    "calendaroverride-detail": lambda world: {"pk": _override(world).pk},
    **{
        f"skp-{name}": (lambda world: {"pk": _skp(world).pk})
        for name in (
            "detail",
            "submit",
            "approve",
            "return",
            "revise",
            "lampiran",
            "expectations",
            "pdf",
        )
    },
    "rhk-detail": lambda world: {"pk": _rhk(world).pk},
    "rhk-matrix-assign": lambda world: {"pk": _rhk(world).pk},
    "iki-detail": lambda world: {"pk": _iki(world).pk},
    "iki-manual": lambda world: {"pk": _iki(world).pk},
    "orggoal-detail": lambda world: {
        "pk": _year(world).goals.create(agency=world.agency, text="Sasaran", source="pk").pk
    },
}

PUBLIC_URLS = {
    "skpverification-detail": (
        "The API twin of planning:verify (the QR code of a printed SKP): the same fields, "
        "nothing beyond what the paper prints, reached by a random UUID4 token."
    ),
    "planning:verify": (
        "Verification page of a printed SKP, opened from its QR code by anyone holding the "
        "paper: shows only document id, version, content hash, the employee's name/NIP already "
        "printed on it, approver and time. The token is a random UUID4."
    ),
}

# kinerja/tests/test_url_colleague.py: the year, its calendar and the strategic
# goals (what RHK cascade from) are open to every employee; changes are admin BKD's.
COLLEAGUE_VISIBLE = {
    "performanceyear-detail": "the performance year applies to every employee",
    "performanceyear-calendar": "the calendar applies to every employee",
    "performanceyear-open": "the performance year applies to every employee",
    "orggoal-detail": "strategic goals are what every SKP cascades from",
    "planning:goal_list": "strategic goals are what every SKP cascades from",
}
