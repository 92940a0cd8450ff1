"""The home page is each person's inbox (kinerja/org/inbox.py): for every role, a world in
which each kind of pending item exists, and the page shows each one with its link and its
deadline, most urgent first; the page runs the same number of queries at two sizes."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinerja.assessment.models import Appeal, Calibration, Evaluation, PeerInput
from kinerja.followup.models import Candidate
from kinerja.monitoring.models import (
    AgreedAction,
    DailyLog,
    Dialogue,
    Evidence,
    FeedbackRequest,
    Realisasi,
)
from kinerja.org.models import Employee, ImportRun, RoleGrant
from kinerja.org.tests.test_query_counts import grow
from kinerja.planning.models import Iki, PerformanceYear, Rhk, Skp
from kinerja.surveys.models import Response, Service, SurveyPeriod
from kinerja.testing import make_employee, performance_year

pytestmark = pytest.mark.django_db

# The first quarter's evaluation window is open (25 March - 20 April), so is its
# realisasi window (1 January - 20 April); the SKP deadline (31 January) has passed.
TODAY = dt.date(2026, 3, 28)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return real(value, timezone) if value is not None else TODAY

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


def _skp(world, employee, year, status, rater):
    return Skp.objects.create(
        agency=world.agency,
        employee=employee,
        year=year,
        valid_from=year.start,
        position=employee.position,
        unit=employee.unit,
        rater=rater,
        form="non_jpt",
        approach="kuantitatif",
        status=status,
    )


def _iki(world, skp, text):
    rhk = Rhk.objects.create(agency=world.agency, skp=skp, text=f"RHK {text}")
    return Iki.objects.create(
        agency=world.agency, rhk=rhk, text=text, target_text="1", aspect="kuantitas"
    )


def _evaluation(world, skp, employee, period=None, **fields):
    return Evaluation.objects.create(
        agency=world.agency,
        year=skp.year,
        skp=skp,
        period=period,
        employee=employee,
        unit=employee.unit,
        rater=skp.rater,
        **fields,
    )


def build_inbox_world(world):
    """Everything pending at once, for Dewi (staff), Eko (staff, SKP returned), Citra
    (their rater, head of the seksi), Budi (kabid, decides appeals, pimpinan of the
    bidang), Joko (tim penilai) and Gita (admin BKD)."""
    agency = world.agency
    year = performance_year(world, 2026, periods=True)
    q1 = year.periods.get(number=1)
    last = PerformanceYear.objects.create(
        agency=agency,
        year=2025,
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
        frequency="triwulanan",
        skp_deadline=dt.date(2025, 1, 31),
        annual_deadline=dt.date(2026, 1, 31),
        annual_source="last_period",
        status="closed",
    )
    dewi, eko, citra = world.staff, world.peer, world.kasi
    rina = make_employee(agency, "Rina Marlina", world.positions["staff"], gender="2")
    world.people["rina"] = rina

    # Pegawai: Dewi's SKP is set; two IKI, one realisasi (with evidence to check and
    # evidence returned as insufficient): one IKI still due for the first quarter.
    skp = _skp(world, dewi, year, Skp.Status.DISETUJUI, citra)
    iki1 = _iki(world, skp, "Laporan layanan")
    _iki(world, skp, "Survei pasien")
    realisasi = Realisasi.objects.create(
        agency=agency, employee=dewi, iki=iki1, period=q1, value=1, narrative="Selesai"
    )
    Evidence.objects.create(
        agency=agency,
        owner=dewi,
        realisasi=realisasi,
        kind=Evidence.Kind.LINK,
        url="https://contoh.go.id/a",
        status=Evidence.Status.INSUFFICIENT,
        reviewed_by=citra,
        reviewed_at=timezone.now(),
    )
    Evidence.objects.create(
        agency=agency, owner=dewi, realisasi=realisasi, kind="link", url="https://contoh.go.id/b"
    )
    FeedbackRequest.objects.create(agency=agency, employee=eko, asked=dewi, message="Mohon")
    dialogue = Dialogue.objects.create(
        agency=agency,
        superior=citra,
        scheduled_at=timezone.make_aware(dt.datetime(2026, 4, 2, 9)),
        agenda="Kemajuan triwulan",
    )
    dialogue.participants.add(dewi)
    AgreedAction.objects.create(
        agency=agency, dialogue=dialogue, owner=dewi, text="Lengkapi data", due=dt.date(2026, 3, 30)
    )
    # Last year's annual evaluation, delivered: to acknowledge, and appealable until 10 April.
    skp_2025 = _skp(world, dewi, last, Skp.Status.DISETUJUI, citra)
    _evaluation(
        world,
        skp_2025,
        dewi,
        status=Evaluation.Status.DELIVERED,
        predikat="baik",
        published=True,
        delivered_at=dt.date(2026, 3, 20),
        acknowledge_due=dt.date(2026, 4, 9),
        appeal_due=dt.date(2026, 4, 10),
    )
    # Eko: SKP returned by the rater; his first-quarter evaluation is finalised and waits to
    # be signed and delivered; Dewi is asked for her input on it.
    eko_skp = _skp(world, eko, year, Skp.Status.DIKEMBALIKAN, citra)
    eko_q1 = _evaluation(
        world,
        eko_skp,
        eko,
        period=q1,
        status=Evaluation.Status.FINALISED,
        predikat="baik",
        deliver_due=dt.date(2026, 4, 15),
    )
    PeerInput.objects.create(agency=agency, evaluation=eko_q1, peer=dewi, requested_by=citra.user)
    # Rina submitted her SKP for Citra's approval; she logged nothing for two weeks.
    _skp(world, rina, year, Skp.Status.DIAJUKAN, citra)
    DailyLog.objects.create(
        agency=agency,
        employee=dewi,
        date=TODAY - dt.timedelta(days=1),
        rhk=iki1.rhk,
        text="Menyusun laporan",
    )
    # Eko appealed last year's result: Budi decides, due in two days.
    eko_2025 = _skp(world, eko, last, Skp.Status.DISETUJUI, citra)
    eko_annual = _evaluation(
        world, eko_2025, eko, status=Evaluation.Status.APPEALED, predikat="butuh_perbaikan"
    )
    Appeal.objects.create(
        agency=agency,
        evaluation=eko_annual,
        filed_by=eko,
        filed_on=dt.date(2026, 3, 24),
        decider=world.kabid,
        decide_due=dt.date(2026, 3, 30),
        predikat_before="butuh_perbaikan",
    )
    # Managers: an open calibration, a pending candidate, a failed import, a complaint.
    Calibration.objects.create(agency=agency, year=year, unit=world.units["dinkes"])
    Candidate.objects.create(agency=agency, year=last, employee=dewi, outcome="award")
    RoleGrant.objects.create(agency=agency, user=world.kaban.user, role=RoleGrant.Role.TIM_PENILAI)
    ImportRun.objects.create(
        agency=agency,
        original_name="pegawai.xlsx",
        file_format="xlsx",
        status=ImportRun.Status.FAILED,
    )
    service = Service.objects.create(agency=agency, unit=world.units["seksi"], name="Loket")
    period = SurveyPeriod.objects.create(
        agency=agency, name="2026", start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    Response.objects.create(
        agency=agency,
        service=service,
        period=period,
        submitted_at=timezone.now(),
        comment="Antrean terlalu panjang.",
        is_complaint=True,
        complaint_status=Response.ComplaintStatus.OPEN,
        **{f"u{i}": 3 for i in range(1, 10)},
    )
    return {"year": year, "q1": q1, "skp": skp, "eko_skp": eko_skp, "eko_q1": eko_q1}


def _items(page):
    """[(kind, html of the item)] in the order shown."""
    return re.findall(
        r'<li class="inbox-item[^"]*" data-kind="([a-z_]+)">(.*?)</li>', page, flags=re.S
    )


def _home(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def _item(page, kind):
    found = [html for k, html in _items(page) if k == kind]
    assert found, f"{kind} missing from {[k for k, _ in _items(page)]}"
    return found[0]


def test_pegawai_sees_each_pending_item_with_link_and_deadline(world, login):
    data = build_inbox_world(world)
    page = _home(login(world.user("staff")))
    realisasi = _item(page, "realisasi_due")
    assert "Isi realisasi Triwulan 1" in realisasi
    assert "1 IKI belum diisi" in realisasi
    assert f'href="{reverse("monitoring:home")}"' in realisasi
    assert "20 April 2026" in realisasi
    evidence = _item(page, "evidence_insufficient")
    assert "1 bukti dukung dinilai kurang memadai" in evidence
    realisasi_pk = Realisasi.objects.get(employee=world.staff).pk
    assert reverse("monitoring:realisasi_detail", args=[realisasi_pk]) in evidence
    request = _item(page, "feedback_request")
    assert reverse("monitoring:feedback_list") in request
    action = _item(page, "agreed_action")
    assert "30 Maret 2026" in action
    assert reverse("monitoring:dialogue_detail", args=[Dialogue.objects.get().pk]) in action
    evaluation = Evaluation.objects.get(employee=world.staff, year__year=2025)
    acknowledge = _item(page, "evaluation_acknowledge")
    assert "Terima evaluasi tahunan 2025" in acknowledge
    assert reverse("assessment:evaluation", args=[evaluation.pk]) in acknowledge
    assert "9 April 2026" in acknowledge
    appeal = _item(page, "appeal_deadline")
    assert reverse("assessment:appeal_file", args=[evaluation.pk]) in appeal
    assert "10 April 2026" in appeal
    peer = _item(page, "peer_input")
    assert reverse("assessment:peer_input", args=[PeerInput.objects.get().pk]) in peer
    jp = _item(page, "training_jp")
    assert "0 dari 20 JP" in jp
    assert reverse("followup:home") in jp
    assert "31 Desember 2026" in jp
    # Dewi's own SKP is set: nothing to write, and she is nobody's rater.
    kinds = [k for k, _ in _items(page)]
    assert "skp_write" not in kinds and "skp_approve" not in kinds
    # Most urgent first: the agreed action due in two days before the JP due in December.
    assert kinds.index("agreed_action") < kinds.index("training_jp")
    # Where the year stands, and her own progress.
    assert "Tahun penilaian 2026" in page
    assert "Batas berikutnya:" in page
    assert reverse("planning:skp_detail", args=[data["skp"].pk]) in page
    assert "Disetujui" in page
    assert "Predikat kinerja 2025" in page and "Baik" in page


def test_pegawai_with_a_returned_skp_is_asked_to_fix_it_overdue(world, login):
    data = build_inbox_world(world)
    page = _home(login(world.user("peer")))
    fix = _item(page, "skp_fix")
    assert "Perbaiki SKP 2026 yang dikembalikan atasan" in fix
    assert reverse("planning:skp_detail", args=[data["eko_skp"].pk]) in fix
    assert "Lewat batas 31 Januari 2026" in fix
    assert _items(page)[0][0] == "skp_fix"  # overdue comes first


def test_atasan_sees_approvals_reviews_ratings_dialogues_and_silence(world, login):
    data = build_inbox_world(world)
    page = _home(login(world.user("kasi")))
    approve = _item(page, "skp_approve")
    assert "1 SKP menunggu persetujuan Anda" in approve
    rina_skp = Skp.objects.get(employee=world.rina)
    assert reverse("planning:skp_review", args=[rina_skp.pk]) in approve
    assert "31 Januari 2026" in approve
    review = _item(page, "evidence_review")
    assert "1 bukti dukung tim belum diperiksa" in review
    assert reverse("monitoring:team") in review
    rate = _item(page, "evaluation_rate")
    # Dewi and Rina are still to be rated; Eko's evaluation is finalised.
    assert "Nilai 2 pegawai untuk Triwulan 1" in rate
    assert f"{reverse('assessment:team')}?periode={data['q1'].pk}" in rate
    assert "20 April 2026" in rate
    deliver = _item(page, "evaluation_deliver")
    assert reverse("assessment:evaluation", args=[data["eko_q1"].pk]) in deliver
    assert "15 April 2026" in deliver
    dialogue = _item(page, "dialogue")
    assert reverse("monitoring:dialogue_detail", args=[Dialogue.objects.get().pk]) in dialogue
    assert "2 April 2026" in dialogue
    silent = _item(page, "team_silent")
    # Eko and Rina wrote nothing for 14 days; Dewi logged yesterday.
    assert "2 anggota tim tanpa catatan harian atau realisasi" in silent
    complaint = _item(page, "survey_complaint")
    assert "1 pengaduan masyarakat belum dijawab" in complaint
    assert reverse("surveys:comment_list") + "?complaint=open" in complaint


def test_superior_of_the_rater_decides_appeals_and_leads_the_unit(world, login):
    build_inbox_world(world)
    page = _home(login(world.user("kabid")))
    appeal = _item(page, "appeal_decide")
    assert reverse("assessment:appeal", args=[Appeal.objects.get().pk]) in appeal
    assert "30 Maret 2026" in appeal
    behind = _item(page, "units_behind")
    # Eko's returned SKP and Rina's submitted one, both in the seksi.
    assert "2 SKP di 1 unit belum ditetapkan melewati batas" in behind
    candidates = _item(page, "candidates")
    assert reverse("followup:candidates") + "?status=pending" in candidates


def test_tim_penilai_sees_calibrations_to_close(world, login):
    build_inbox_world(world)
    page = _home(login(world.user("kaban")))
    calibration = _item(page, "calibration_close")
    assert "1 kalibrasi masih dibuka" in calibration
    assert reverse("assessment:calibration_list") in calibration
    assert "31 Januari 2027" in calibration


def test_admin_bkd_sees_grades_imports_appeals_candidates_and_units_behind(world, login):
    data = build_inbox_world(world)
    page = _home(login(world.user("admin")))
    grade = _item(page, "org_grade_missing")
    assert "unit belum memiliki predikat kinerja organisasi" in grade
    assert reverse("assessment:org_performance") in grade
    assert "20 April 2026" in grade
    failed = _item(page, "import_failed")
    assert reverse("org:import_detail", args=[ImportRun.objects.get().pk]) in failed
    lapsing = _item(page, "appeal_lapsing")
    assert reverse("assessment:admin") in lapsing
    assert "30 Maret 2026" in lapsing
    behind = _item(page, "units_behind")
    assert "2 SKP di 1 unit belum ditetapkan melewati batas" in behind
    assert reverse("planning:year_detail", args=[data["year"].pk]) in behind
    assert _item(page, "calibration_close")
    assert _item(page, "candidates")


def test_empty_inbox_says_what_will_appear_and_when(world, login):
    performance_year(world, 2026, periods=True)
    page = _home(login(world.user("fungsional")))
    kinds = [k for k, _ in _items(page)]
    # Fitri has no SKP this year and no JP: only her training hours wait.
    assert kinds == ["training_jp"]
    Employee.objects.filter(pk=world.fungsional.pk).update(is_active=False)
    page = _home(login(world.user("fungsional")))
    assert "Tidak ada yang menunggu tindakan Anda saat ini." in page
    assert "saat jendela realisasi dibuka" in page
    assert "Batas berikutnya:" in page


def _grow_skps(world, year):
    """An SKP submitted to Citra for every employee added by grow()."""
    have = set(Skp.objects.filter(year=year).values_list("employee_id", flat=True))
    Skp.objects.bulk_create(
        Skp(
            agency=world.agency,
            employee=e,
            year=year,
            valid_from=year.start,
            position_id=e.position_id,
            unit_id=e.unit_id,
            rater=world.kasi,
            form="non_jpt",
            approach="kuantitatif",
            status=Skp.Status.DIAJUKAN,
        )
        for e in Employee.objects.filter(agency=world.agency).exclude(pk__in=have)
        if e.position_id
    )


@pytest.mark.parametrize("who", ["staff", "kasi", "kabid", "kaban", "admin"])
def test_home_runs_the_same_queries_at_two_sizes(world, login, who):
    data = build_inbox_world(world)
    client = login(world.user(who))
    counts = []
    for total in (20, 400):
        grow(world, total)
        _grow_skps(world, data["year"])
        client.get(reverse("home"))
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("home"))
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 55
