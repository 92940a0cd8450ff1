"""The daily reminders of the evaluation windows (kinerja/assessment/services/reminders.py,
through kinerja/monitoring/reminders.py): on each unit's own dates, once, and in a fixed
number of queries whatever the size of the agency."""

import datetime as dt
import math

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinerja.monitoring.models import Notification
from kinerja.monitoring.reminders import BATCH, send_reminders
from kinerja.org.models import Employee, OrgUnit, User
from kinerja.org.services import rebuild_paths
from kinerja.planning import services as planning
from kinerja.planning.models import Iki, Period, Rhk, Skp
from kinerja.planning.selectors.calendar import agency_calendar
from kinerja.rules.workdays import add_working_days, national_holidays
from kinerja.testing import make_nip

from .factories import approve, grade, skp_of

pytestmark = pytest.mark.django_db

OFF = national_holidays([2026, 2027])


def _before(end, n):
    """The working day n working days before `end`."""
    day = end
    while add_working_days(day, n, OFF) > end:
        day -= dt.timedelta(days=1)
    return day


@pytest.fixture
def team(world, year, q1):
    """Budi (kabid) rates Citra (Seksi, which has its own later Triwulan I window) and Fitri
    (Bidang: the agency's window); Citra rates Dewi (Seksi)."""
    for name in ("staff", "kasi", "fungsional"):
        approve(skp_of(world.people[name], year))
    agency = agency_calendar(year).period(q1.pk).evaluation
    override = planning.calendar_override_add(
        actor=world.user("admin"),
        year=year,
        unit=world.units["seksi"],
        window="evaluation",
        period=q1,
        start=q1.end,
        end=agency.end + dt.timedelta(days=7),
        reason="Pergantian kepala seksi",
        today=q1.start,
    )
    Notification.objects.all().delete()  # the announcement of the override
    return agency, override


def _texts(user):
    """The evaluation reminders of a user."""
    return sorted(
        Notification.objects.filter(recipient=user, kind="evaluation").values_list(
            "text", flat=True
        )
    )


def test_raters_are_told_on_their_units_own_dates_once(world, year, q1, team):
    agency, override = team
    kabid, kasi = world.user("kabid"), world.user("kasi")
    send_reminders(agency=world.agency, today=agency.start)
    opened = "Evaluasi kinerja {p} untuk tim Anda dibuka sampai {d:%d-%m-%Y}."
    # Fitri's (Bidang) window is open; Citra's and Dewi's (Seksi) opens on its own date.
    assert _texts(kabid) == [opened.format(p=q1.label, d=agency.end)]
    assert _texts(kasi) == []
    note = Notification.objects.get(recipient=kabid, kind="evaluation")
    assert note.kind == "evaluation" and note.url == f"/penilaian/tim/?periode={q1.pk}"
    assert send_reminders(agency=world.agency, today=agency.start)["created"] == 0
    send_reminders(agency=world.agency, today=override.start)
    assert _texts(kasi) == [opened.format(p=q1.label, d=override.end)]
    assert len(_texts(kabid)) == 1  # told once per period


def test_raters_are_told_three_working_days_before_each_window_closes(world, year, q1, team):
    agency, override = team
    kabid, kasi = world.user("kabid"), world.user("kasi")
    closing = "Jendela evaluasi {p} ditutup {d:%d-%m-%Y}; {n} evaluasi tim Anda belum difinalkan."
    send_reminders(agency=world.agency, today=_before(agency.end, 4))
    assert not Notification.objects.filter(dedupe_key__startswith="evaluation_closing").exists()
    send_reminders(agency=world.agency, today=_before(agency.end, 3))
    closings = Notification.objects.filter(dedupe_key__startswith="evaluation_closing")
    # Only Fitri's window (the agency's) closes then; the Seksi's runs a week longer.
    assert list(closings.values_list("recipient", "text")) == [
        (kabid.pk, closing.format(p=q1.label, d=agency.end, n=1))
    ]
    send_reminders(agency=world.agency, today=_before(override.end, 2))
    assert sorted(closings.values_list("recipient", "text")) == sorted(
        [
            (kabid.pk, closing.format(p=q1.label, d=agency.end, n=1)),
            (kabid.pk, closing.format(p=q1.label, d=override.end, n=1)),
            (kasi.pk, closing.format(p=q1.label, d=override.end, n=1)),
        ]
    )
    assert send_reminders(agency=world.agency, today=_before(override.end, 1))["created"] == 0


def test_a_finalised_team_gets_no_closing_reminder(world, year, q1, team):
    from kinerja.assessment.models import Evaluation

    agency, _override = team
    for name in ("kasi", "fungsional"):
        skp = skp_of(world.people[name], year)
        Evaluation.objects.create(
            agency=world.agency,
            year=year,
            skp=skp,
            period=q1,
            employee=skp.employee,
            unit=skp.unit,
            rater=skp.rater,
            status=Evaluation.Status.FINALISED,
        )
    send_reminders(agency=world.agency, today=_before(agency.end, 1))
    assert not Notification.objects.filter(dedupe_key__startswith="evaluation_closing").exists()


def test_admin_is_told_once_which_units_have_no_grade_when_a_window_opens(world, year, q1):
    admin = world.user("admin")
    grade(world, year, world.units["dinkes"], "baik")
    send_reminders(agency=world.agency, today=q1.window_start - dt.timedelta(days=1))
    assert not Notification.objects.filter(kind="org_grade").exists()
    send_reminders(agency=world.agency, today=q1.window_start)
    note = Notification.objects.get(kind="org_grade")
    assert note.recipient == admin
    assert note.text == (
        f"Jendela evaluasi {q1.label} tahun 2026 telah dibuka, tetapi 2 unit kerja belum "
        "memiliki predikat kinerja organisasi (sendiri maupun warisan unit atasannya): "
        "BKPSDM, Sekretariat Daerah. Tetapkan di halaman predikat kinerja organisasi."
    )
    assert note.url == f"/penilaian/admin/organisasi/?tahun={year.pk}&periode={q1.pk}"
    send_reminders(agency=world.agency, today=q1.window_start + dt.timedelta(days=1))
    assert Notification.objects.filter(kind="org_grade").count() == 1
    # Once the root has a grade, every unit has one (inherited): nothing for Triwulan II.
    grade(world, year, world.units["setda"], "baik")
    q2 = Period.objects.get(year=year, number=2)
    send_reminders(agency=world.agency, today=q2.window_start)
    assert Notification.objects.filter(kind="org_grade").count() == 1


def test_the_annual_window_reminds_the_raters(world, year, team):
    cal = agency_calendar(year)
    send_reminders(agency=world.agency, today=cal.annual.start)
    assert Notification.objects.filter(
        recipient=world.user("kasi"),
        dedupe_key=f"evaluation:annual:{year.pk}:{world.kasi.pk}",
        text=f"Evaluasi kinerja tahunan untuk tim Anda dibuka sampai {cal.annual.end:%d-%m-%Y}.",
    ).exists()


def _grow(world, year, n):
    """n more employees with accounts in a new unit under the Bidang, each with an approved
    SKP rated by Citra and one RHK with one IKI (no realisasi yet)."""
    unit = OrgUnit.objects.create(
        agency=world.agency,
        code=f"SEKSI-X{n}",
        name=f"Unit tambahan {n}",
        kind="upt",
        parent=world.units["bidang"],
    )
    rebuild_paths(world.agency)
    nips = [make_nip() for _ in range(n)]
    User.objects.bulk_create([User(username=nip, agency=world.agency) for nip in nips])
    users = {u.username: u for u in User.objects.filter(username__in=nips)}
    Employee.objects.bulk_create(
        [
            Employee(
                agency=world.agency,
                user=users[nip],
                nip=nip,
                name=f"Pegawai {nip[-4:]}",
                status="pns",
                gender="P",
                birth_date=dt.date(1990, 1, 1),
                unit=unit,
                email=f"{nip}@example.go.id",
            )
            for nip in nips
        ]
    )
    employees = Employee.objects.filter(nip__in=nips)
    Skp.objects.bulk_create(
        [
            Skp(
                agency=world.agency,
                year=year,
                employee=e,
                unit=unit,
                rater=world.kasi,
                form="non_jpt",
                approach="kuantitatif",
                status=Skp.Status.DISETUJUI,
                valid_from=year.start,
            )
            for e in employees
        ]
    )
    skps = Skp.objects.filter(employee__in=employees)
    Rhk.objects.bulk_create([Rhk(agency=world.agency, skp=s, text="RHK") for s in skps])
    Iki.objects.bulk_create(
        [
            Iki(agency=world.agency, rhk=r, text="IKI", target_text="10", target_max=10)
            for r in Rhk.objects.filter(skp__in=skps)
        ]
    )


def _run(world, day):
    with CaptureQueriesContext(connection) as ctx:
        result = send_reminders(agency=world.agency, today=day)
    sql = [q["sql"] for q in ctx.captured_queries]
    inserts = [s for s in sql if s.startswith("INSERT")]
    return result, len(sql) - len(inserts), len(inserts)


def test_the_command_takes_the_same_queries_at_two_sizes(world, year, q1, team):
    """Everything but the batched INSERTs is a fixed number of queries; the INSERTs are
    ceil(new rows / BATCH)."""
    agency, _override = team
    counts = []
    for n, day in ((5, agency.start), (300, agency.start + dt.timedelta(days=1))):
        _grow(world, year, n)
        result, queries, inserts = _run(world, day)
        # Each new employee: realisasi open, realisasi incomplete; e-mailed (they have an
        # address): n of each at least.
        assert result["created"] >= 2 * n and result["emailed"] >= 2 * n
        assert inserts == math.ceil(result["due"] / BATCH)
        counts.append(queries)
        again, _queries, _inserts = _run(world, day)
        assert again["created"] == 0 and again["emailed"] == 0
    assert counts[0] == counts[1], counts


def test_the_daily_command_runs_it_for_a_given_day(world, year, q1, team):
    agency, _override = team
    call_command("send_reminders", "--agency", "tebingtinggi", "--date", f"{agency.start}")
    assert Notification.objects.filter(
        recipient=world.user("kabid"), dedupe_key=f"evaluation:{q1.pk}:{world.kabid.pk}"
    ).exists()
