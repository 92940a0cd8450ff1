"""The year's calendar: effective windows with unit overrides, and where the year stands."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinerja.org.models import OrgUnit
from kinerja.planning.models import CalendarOverride
from kinerja.planning.selectors.calendar import calendar_for, calendar_map, year_position
from kinerja.rules.calendar import DEFAULT_WORKDAY_RULES
from kinerja.testing import performance_year

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def cal_year(world):
    return performance_year(world, 2026, periods=True)


def override(world, year, unit, window, start, end, period=None, reason="Kepala unit berganti"):
    return CalendarOverride.objects.create(
        agency=world.agency,
        year=year,
        unit=world.units[unit],
        window=window,
        period=period,
        start=start,
        end=end,
        reason=reason,
        created_by=world.user("admin"),
    )


def test_without_overrides_everyone_has_the_agency_calendar(world, cal_year):
    cal = calendar_for(world.staff, cal_year)
    q1 = cal.periods[0]
    assert (cal.skp.start, cal.skp.end) == (D(2026, 1, 1), D(2026, 1, 31))
    assert (q1.evaluation.start, q1.evaluation.end) == (D(2026, 3, 25), D(2026, 4, 20))
    # Realisasi: from the period's first day until its evaluation window closes.
    assert (q1.realisasi.start, q1.realisasi.end) == (D(2026, 1, 1), D(2026, 4, 20))
    # The annual window opens with the last period's evaluation window.
    assert (cal.annual.start, cal.annual.end) == (D(2026, 12, 25), D(2027, 1, 31))
    assert cal.workdays == DEFAULT_WORKDAY_RULES
    assert cal.overrides == []
    assert q1.evaluation.source == "Kalender instansi"


def test_override_of_an_ancestor_applies_to_the_subtree_and_the_nearest_wins(world, cal_year):
    q2 = cal_year.periods.get(number=2)
    dinas = override(world, cal_year, "dinkes", "evaluation", D(2026, 6, 20), D(2026, 7, 31), q2)
    seksi = override(world, cal_year, "seksi", "evaluation", D(2026, 6, 24), D(2026, 8, 14), q2)
    cals = calendar_map(OrgUnit.objects.filter(agency=world.agency), cal_year)
    u = world.units
    assert cals[u["setda"].pk].period(q2.pk).evaluation.override is None
    assert cals[u["bkpsdm"].pk].period(q2.pk).evaluation.end == D(2026, 7, 20)
    assert cals[u["dinkes"].pk].period(q2.pk).evaluation.override == dinas
    assert cals[u["bidang"].pk].period(q2.pk).evaluation.end == D(2026, 7, 31)
    assert cals[u["seksi"].pk].period(q2.pk).evaluation.override == seksi
    assert cals[u["seksi"].pk].period(q2.pk).evaluation.source == ("Khusus Seksi Layanan Primer")
    # Only that window of that period moves.
    assert cals[u["seksi"].pk].period(q2.pk).realisasi.override is None
    assert cals[u["seksi"].pk].periods[0].evaluation.override is None
    assert calendar_for(world.staff, cal_year).period(q2.pk).evaluation.end == D(2026, 8, 14)


def test_calendar_map_takes_two_queries_whatever_the_number_of_units(world, cal_year):
    override(world, cal_year, "dinkes", "skp", D(2026, 1, 1), D(2026, 2, 28))
    units = list(OrgUnit.objects.filter(agency=world.agency))
    with CaptureQueriesContext(connection) as ctx:
        cals = calendar_map(units, cal_year)
    assert len(ctx.captured_queries) == 2
    assert cals[world.units["seksi"].pk].skp.end == D(2026, 2, 28)
    assert cals[world.units["bkpsdm"].pk].skp.end == D(2026, 1, 31)


POSITION_TABLE = [
    (D(2025, 12, 1), "Tahun penilaian belum dimulai.", "Batas penetapan SKP", D(2026, 1, 31)),
    (
        D(2026, 1, 10),
        "Perencanaan: SKP ditetapkan paling lambat 31-01-2026.",
        "Batas penetapan SKP",
        D(2026, 1, 31),
    ),
    (
        D(2026, 5, 2),
        "Pelaksanaan dan pemantauan: Triwulan 2.",
        "Batas realisasi Triwulan 2",
        D(2026, 7, 20),
    ),
    (
        D(2026, 12, 28),
        "Evaluasi tahunan sedang berlangsung.",
        "Batas realisasi Triwulan 4",
        D(2027, 1, 20),
    ),
    (
        D(2027, 2, 1),
        "Semua jendela tahun ini sudah ditutup; menunggu penutupan tahunan.",
        None,
        None,
    ),
]


@pytest.mark.parametrize(("today", "stage", "label", "when"), POSITION_TABLE)
def test_year_position(world, cal_year, today, stage, label, when):
    position = year_position(cal_year, today)
    assert (position.stage, position.next_label, position.next_date) == (stage, label, when)


def test_year_position_lists_the_open_windows(world, cal_year):
    position = year_position(cal_year, D(2026, 3, 28))
    assert position.open_windows == ("Realisasi Triwulan 1", "Evaluasi Triwulan 1")


# --- services: the agency's calendar and the units' own dates ------------------------------

from django.core.exceptions import PermissionDenied, ValidationError  # noqa: E402

from kinerja.audit.models import AuditEvent  # noqa: E402
from kinerja.monitoring.models import Notification  # noqa: E402
from kinerja.planning import services  # noqa: E402
from kinerja.planning.events import calendar_acted_on  # noqa: E402
from kinerja.planning.services.calendar import PeriodDates  # noqa: E402


def agency_dates(year, **changes):
    """The calendar_update kwargs of the year as it stands, with `changes` applied to them
    (p<number>_<field> for a period's date)."""
    from kinerja.planning.selectors.calendar import agency_calendar

    cal = agency_calendar(year)
    periods = {}
    for p in cal.periods:
        dates = {
            "realisasi_start": p.realisasi.start,
            "realisasi_end": p.realisasi.end,
            "window_start": p.evaluation.start,
            "window_end": p.evaluation.end,
        }
        for name in list(dates):
            dates[name] = changes.pop(f"p{p.period.number}_{name}", dates[name])
        periods[p.pk] = PeriodDates(**dates)
    workdays = year.workday_rules
    from dataclasses import replace

    workdays = replace(
        workdays, **{k: changes.pop(k) for k in list(changes) if k.endswith("_days")}
    )
    kwargs = {
        "year": year,
        "skp_deadline": cal.skp.end,
        "periods": periods,
        "annual_start": cal.annual.start,
        "annual_deadline": cal.annual.end,
        "workdays": workdays,
    }
    kwargs.update(changes)
    return kwargs


def test_admin_extends_a_window_and_everyone_is_told(world, cal_year):
    services.calendar_update(
        actor=world.user("admin"),
        today=D(2026, 4, 1),
        **agency_dates(cal_year, p1_window_end=D(2026, 4, 30), report_days=20),
    )
    q1 = cal_year.periods.get(number=1)
    assert (q1.window_start, q1.window_end) == (D(2026, 3, 25), D(2026, 4, 30))
    # Realisasi follows the evaluation window: it stays at its default (blank).
    assert (q1.realisasi_start, q1.realisasi_end) == (None, None)
    assert calendar_for(world.staff, cal_year).periods[0].realisasi.end == D(2026, 4, 30)
    cal_year.refresh_from_db()
    assert cal_year.report_days == 20
    event = AuditEvent.objects.get(action="planning.calendar.update")
    assert event.before == {
        f"evaluation:{q1.pk}": "2026-03-25..2026-04-20",
        f"realisasi:{q1.pk}": "2026-01-01..2026-04-20",
        "report_days": 30,
    }
    assert event.after[f"evaluation:{q1.pk}"] == "2026-03-25..2026-04-30"
    notes = Notification.objects.filter(kind="calendar")
    # Everyone of the agency with an account (9 people), nobody of the other agency.
    assert notes.count() == 9
    assert set(notes.values_list("text", flat=True)) == {
        "Admin BKD mengubah kalender penilaian tahun 2026."
    }
    assert not notes.filter(recipient=world.user("outsider")).exists()


BAD_CALENDARS = [
    (
        {"p2_window_start": D(2026, 8, 1), "p2_window_end": D(2026, 7, 1)},
        "Jendela evaluasi Triwulan 2 berakhir sebelum dimulai; periksa tanggalnya.",
    ),
    (
        {"p2_window_end": D(2026, 6, 29), "p2_realisasi_end": D(2026, 7, 21)},
        "Jendela evaluasi Triwulan 2 ditutup sebelum periodenya berakhir; jendela harus tetap "
        "terbuka paling tidak sampai hari terakhir periode.",
    ),
    (
        {"p1_window_end": D(2026, 7, 25)},
        "Jendela evaluasi Triwulan 2 tumpang tindih dengan jendela Triwulan 1: jendela "
        "Triwulan 2 harus dibuka dan ditutup setelah jendela Triwulan 1.",
    ),
    (
        {"skp_deadline": D(2027, 2, 1)},
        "Batas penetapan SKP harus berada di dalam tahun penilaian.",
    ),
    (
        {"annual_deadline": D(2026, 12, 30)},
        "Jendela evaluasi tahunan ditutup sebelum tahun penilaian berakhir.",
    ),
    (
        {"appeal_file_days": 0},
        "Pengajuan keberatan harus antara 1 dan 90 hari kerja.",
    ),
]


@pytest.mark.parametrize(("changes", "message"), BAD_CALENDARS)
def test_bad_calendar_is_refused_with_a_clear_message_and_nothing_changes(
    world, cal_year, changes, message
):
    with pytest.raises(ValidationError) as refused:
        services.calendar_update(
            actor=world.user("admin"), today=D(2026, 4, 1), **agency_dates(cal_year, **changes)
        )
    assert refused.value.messages == [message]
    assert cal_year.periods.get(number=2).window_end == D(2026, 7, 20)
    assert cal_year.periods.get(number=1).window_end == D(2026, 4, 20)
    assert not AuditEvent.objects.filter(action="planning.calendar.update").exists()
    assert not Notification.objects.filter(kind="calendar").exists()


def finalised_in_q1(sender, *, year, unit=None, **kwargs):
    return {year.periods.get(number=1).pk}


def test_a_closed_window_with_finalised_evaluations_keeps_its_dates(world, cal_year):
    calendar_acted_on.connect(finalised_in_q1, dispatch_uid="test.finalised_in_q1")
    try:
        with pytest.raises(ValidationError) as refused:
            services.calendar_update(
                actor=world.user("admin"),
                today=D(2026, 5, 1),
                **agency_dates(cal_year, p1_window_end=D(2026, 5, 15)),
            )
        # Realisasi follows the evaluation window, so both would move.
        assert refused.value.messages == [
            "Jendela pengisian realisasi Triwulan 1 sudah ditutup dan sudah ada yang diproses "
            "di dalamnya (evaluasi difinalkan atau SKP ditetapkan); tanggalnya tidak dapat "
            "diubah lagi.",
            "Jendela evaluasi Triwulan 1 sudah ditutup dan sudah ada yang diproses di dalamnya "
            "(evaluasi difinalkan atau SKP ditetapkan); tanggalnya tidak dapat diubah lagi.",
        ]
        # Still open on its last day: it may be extended.
        services.calendar_update(
            actor=world.user("admin"),
            today=D(2026, 4, 20),
            **agency_dates(cal_year, p1_window_end=D(2026, 5, 15)),
        )
    finally:
        calendar_acted_on.disconnect(dispatch_uid="test.finalised_in_q1")
    assert cal_year.periods.get(number=1).window_end == D(2026, 5, 15)


def test_a_closed_window_with_nothing_done_may_be_reopened(world, cal_year):
    services.calendar_update(
        actor=world.user("admin"),
        today=D(2026, 5, 1),
        **agency_dates(cal_year, p1_window_end=D(2026, 5, 15)),
    )
    assert cal_year.periods.get(number=1).window_end == D(2026, 5, 15)


def test_only_admin_bkd_changes_the_calendar(world, cal_year):
    with pytest.raises(PermissionDenied):
        services.calendar_update(actor=world.user("kadis"), **agency_dates(cal_year))


def test_unit_override_is_audited_and_told_to_the_subtree_only(world, cal_year):
    q2 = cal_year.periods.get(number=2)
    override = services.calendar_override_add(
        actor=world.user("admin"),
        year=cal_year,
        unit=world.units["bidang"],
        window="evaluation",
        period=q2,
        start=D(2026, 6, 24),
        end=D(2026, 8, 14),
        reason="Kepala bidang berganti",
        today=D(2026, 6, 1),
    )
    assert calendar_for(world.staff, cal_year).period(q2.pk).evaluation.override == override
    assert calendar_for(world.kaban, cal_year).period(q2.pk).evaluation.end == D(2026, 7, 20)
    event = AuditEvent.objects.get(action="planning.calendar.override.add")
    assert event.after["reason"] == "Kepala bidang berganti"
    notes = Notification.objects.filter(kind="calendar")
    # kabid, kasi, staff, peer, fungsional: the bidang and its seksi.
    assert set(notes.values_list("recipient__employee__name", flat=True)) == {
        "Budi Santoso",
        "Citra Lestari",
        "Dewi Anggraini",
        "Eko Prasetyo",
        "Fitri Handayani",
    }
    assert notes.first().text == (
        "Jadwal evaluasi Triwulan 2 untuk Bidang Pelayanan Kesehatan tahun 2026: "
        "24-06-2026 s.d. 14-08-2026 (Kepala bidang berganti)."
    )
    services.calendar_override_remove(actor=world.user("admin"), override=override)
    assert calendar_for(world.staff, cal_year).period(q2.pk).evaluation.override is None
    assert AuditEvent.objects.filter(action="planning.calendar.override.remove").count() == 1


OVERRIDE_REFUSALS = [
    ({"reason": " "}, "Alasan wajib diisi."),
    ({"period": None}, "Pilih periode tahun ini untuk jendela ini."),
    (
        {"end": D(2026, 6, 1)},
        "Jendela evaluasi berakhir sebelum dimulai; periksa tanggalnya.",
    ),
    (
        {"start": D(2026, 6, 1), "end": D(2026, 6, 29)},
        "Jendela evaluasi ditutup sebelum periodenya berakhir; jendela harus tetap terbuka "
        "paling tidak sampai hari terakhir periode.",
    ),
]


@pytest.mark.parametrize(("changes", "message"), OVERRIDE_REFUSALS)
def test_bad_override_is_refused_and_nothing_is_saved(world, cal_year, changes, message):
    kwargs = {
        "year": cal_year,
        "unit": world.units["bidang"],
        "window": "evaluation",
        "period": cal_year.periods.get(number=2),
        "start": D(2026, 6, 24),
        "end": D(2026, 8, 14),
        "reason": "Akreditasi puskesmas",
        "today": D(2026, 6, 1),
    }
    kwargs.update(changes)
    with pytest.raises(ValidationError) as refused:
        services.calendar_override_add(actor=world.user("admin"), **kwargs)
    assert refused.value.messages == [message]
    assert not CalendarOverride.objects.exists()
    assert not Notification.objects.exists()


def test_a_second_override_of_the_same_window_is_refused(world, cal_year):
    kwargs = {
        "year": cal_year,
        "unit": world.units["bidang"],
        "window": "skp",
        "start": D(2026, 1, 1),
        "end": D(2026, 2, 28),
        "reason": "Kepala bidang baru",
        "today": D(2026, 1, 5),
    }
    services.calendar_override_add(actor=world.user("admin"), **kwargs)
    with pytest.raises(ValidationError) as refused:
        services.calendar_override_add(actor=world.user("admin"), **kwargs)
    assert refused.value.messages == [
        "Unit ini sudah punya tanggal sendiri untuk jendela ini; ubah atau hapus dulu."
    ]


# --- pages ----------------------------------------------------------------------------------

from django.urls import reverse  # noqa: E402

from kinerja.org.tests.test_query_counts import measure_at_sizes  # noqa: E402


def test_everyone_sees_the_calendar_that_applies_to_them(world, cal_year, login):
    override(world, cal_year, "bidang", "skp", D(2026, 1, 1), D(2026, 2, 27), reason="Akreditasi")
    client = login(world.user("staff"))
    page = client.get(reverse("planning:calendar")).content.decode()
    assert "27-02-2026" in page
    assert "Khusus Bidang Pelayanan Kesehatan (Akreditasi)" in page
    assert "Ubah kalender instansi" not in page
    page = login(world.user("kaban")).get(reverse("planning:calendar")).content.decode()
    assert "31-01-2026" in page and "27-02-2026" not in page


def test_admin_edits_the_calendar_in_one_form(world, cal_year, login):
    client = login(world.user("admin"))
    url = reverse("planning:calendar_edit", args=[cal_year.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
    q1 = cal_year.periods.get(number=1)
    data[f"p{q1.pk}_window_end"] = "2026-04-30"
    response = client.post(url, data, follow=True)
    assert "Kalender penilaian disimpan." in response.content.decode()
    q1.refresh_from_db()
    assert q1.window_end == D(2026, 4, 30)
    # A bad date: the message on the form, and nothing saved.
    data[f"p{q1.pk}_window_end"] = "2026-03-01"
    data["skp_deadline"] = "2027-03-01"
    page = client.post(url, data).content.decode()
    assert "Batas penetapan SKP harus berada di dalam tahun penilaian." in page
    assert "Jendela evaluasi Triwulan 1 berakhir sebelum dimulai; periksa tanggalnya." in page
    q1.refresh_from_db()
    cal_year.refresh_from_db()
    assert (q1.window_end, cal_year.skp_deadline) == (D(2026, 4, 30), D(2026, 1, 31))


def test_only_admin_bkd_reaches_the_calendar_editor(world, cal_year, login):
    assert (
        login(world.user("kadis"))
        .get(reverse("planning:calendar_edit", args=[cal_year.pk]))
        .status_code
        == 404
    )


def test_admin_adds_and_removes_a_unit_override_on_the_page(world, cal_year, login):
    client = login(world.user("admin"))
    url = reverse("planning:calendar_overrides", args=[cal_year.pk])
    q4 = cal_year.periods.get(number=4)
    response = client.post(
        url,
        {
            "unit": world.units["seksi"].pk,
            "window": "evaluation",
            "period": q4.pk,
            "start": "2026-12-20",
            "end": "2027-01-29",
            "reason": "Puskesmas dalam akreditasi",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Jadwal khusus unit disimpan." in page
    assert "Puskesmas dalam akreditasi" in page
    made = CalendarOverride.objects.get()
    assert (made.unit, made.period, made.end) == (world.units["seksi"], q4, D(2027, 1, 29))
    response = client.post(
        url,
        {"unit": world.units["seksi"].pk, "window": "annual", "end": "2026-12-01", "reason": ""},
        follow=True,
    )
    assert "Alasan wajib diisi." in response.content.decode()
    assert CalendarOverride.objects.count() == 1
    client.post(reverse("planning:calendar_override_remove", args=[made.pk]))
    assert not CalendarOverride.objects.exists()


@pytest.mark.parametrize(
    ("who", "name", "ceiling"),
    # One query of each page is the notification bell in the header (unread count and
    # latest notifications in one query, kinerja/monitoring/context_processors.py).
    [
        ("staff", "planning:calendar", 14),
        ("admin", "planning:calendar_edit", 12),
        ("admin", "planning:calendar_overrides", 13),
    ],
)
def test_calendar_pages_take_the_same_queries_at_two_sizes(
    world, cal_year, login, who, name, ceiling
):
    override(world, cal_year, "bidang", "skp", D(2026, 1, 1), D(2026, 2, 27))
    args = [] if name == "planning:calendar" else [cal_year.pk]
    n = measure_at_sizes(world, login, who, lambda w: reverse(name, args=args))
    assert n <= ceiling


# --- API ------------------------------------------------------------------------------------


def test_api_everyone_reads_their_calendar(world, cal_year, login):
    override(world, cal_year, "bidang", "skp", D(2026, 1, 1), D(2026, 2, 27), reason="Akreditasi")
    body = login(world.user("staff")).get("/api/calendar/", {"year": 2026}).json()
    assert body["calendar"]["skp"] == {
        "start": "2026-01-01",
        "end": "2026-02-27",
        "source": "Khusus Bidang Pelayanan Kesehatan",
        "override": CalendarOverride.objects.get().pk,
        "reason": "Akreditasi",
    }
    assert body["calendar"]["workdays"]["appeal_file_days"] == 14
    assert body["calendar"]["periods"][0]["evaluation"]["end"] == "2026-04-20"
    assert "stage" in body["position"]


def test_api_admin_puts_the_calendar_and_bad_dates_are_400(world, cal_year, login):
    client = login(world.user("admin"))
    url = f"/api/performance-years/{cal_year.pk}/calendar/"
    current = client.get(url).json()
    body = {
        "skp_deadline": "2026-02-13",
        "annual_start": current["annual"]["start"],
        "annual_deadline": current["annual"]["end"],
        "periods": [
            {
                "period": p["period"],
                "realisasi_start": p["realisasi"]["start"],
                "realisasi_end": p["realisasi"]["end"],
                "window_start": p["evaluation"]["start"],
                "window_end": p["evaluation"]["end"],
            }
            for p in current["periods"]
        ],
        "workdays": current["workdays"],
    }
    response = client.put(url, body, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["skp"]["end"] == "2026-02-13"
    body["annual_deadline"] = "2026-12-30"
    response = client.put(url, body, content_type="application/json")
    assert response.status_code == 400
    assert "Jendela evaluasi tahunan ditutup sebelum tahun penilaian berakhir." in str(
        response.json()
    )
    cal_year.refresh_from_db()
    assert (cal_year.skp_deadline, cal_year.annual_deadline) == (D(2026, 2, 13), D(2027, 1, 31))
    staff = login(world.user("staff")).put(url, body, content_type="application/json")
    assert staff.status_code == 403


def test_api_admin_crud_of_unit_overrides(world, cal_year, login):
    client = login(world.user("admin"))
    q3 = cal_year.periods.get(number=3)
    response = client.post(
        "/api/calendar-overrides/",
        {
            "year": cal_year.pk,
            "unit": world.units["bidang"].pk,
            "window": "realisasi",
            "period": q3.pk,
            "start": "2026-07-01",
            "end": "2026-10-30",
            "reason": "Kepala bidang berganti",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = client.patch(
        f"/api/calendar-overrides/{pk}/",
        {"end": "2026-11-13", "reason": "Diperpanjang"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert (response.json()["end"], response.json()["reason"]) == ("2026-11-13", "Diperpanjang")
    assert [o["id"] for o in client.get("/api/calendar-overrides/").json()["results"]] == [pk]
    assert client.delete(f"/api/calendar-overrides/{pk}/").status_code == 204
    assert not CalendarOverride.objects.exists()
    assert list(
        AuditEvent.objects.filter(action__startswith="planning.calendar.override")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "planning.calendar.override.add",
        "planning.calendar.override.update",
        "planning.calendar.override.remove",
    ]
