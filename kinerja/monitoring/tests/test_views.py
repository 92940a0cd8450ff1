import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kinerja.audit.models import AuditEvent
from kinerja.monitoring import services
from kinerja.monitoring.models import DailyLog, Evidence, Feedback, Realisasi

from .factories import PDF_BYTES, TODAY, noon

pytestmark = pytest.mark.django_db


def _evidence(world, plan):
    r = services.realisasi_save(
        actor=world.user("staff"), iki=plan.iki, period=plan.period, value=4
    )
    return services.evidence_add_file(
        actor=world.user("staff"), upload=SimpleUploadedFile("bukti.pdf", PDF_BYTES), realisasi=r
    )


def test_owner_and_superior_download_evidence_as_attachment(world, plan, login):
    ev = _evidence(world, plan)
    url = reverse("monitoring:evidence_download", args=[ev.pk])
    for who in ("staff", "kasi", "kabid", "admin"):
        response = login(world.user(who)).get(url)
        assert response.status_code == 200, who
        assert response["Content-Disposition"] == 'attachment; filename="bukti.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF_BYTES
    events = AuditEvent.objects.filter(action="monitoring.evidence.download")
    assert events.count() == 4 and {e.subject_id for e in events} == {world.staff.pk}


@pytest.mark.parametrize("who", ["peer", "fungsional", "outsider", "outsider_admin"])
def test_colleagues_and_outsiders_cannot_read_evidence(world, plan, login, who):
    ev = _evidence(world, plan)
    client = login(world.user(who))
    assert client.get(reverse("monitoring:evidence_download", args=[ev.pk])).status_code == 404
    assert (
        client.get(reverse("monitoring:realisasi_detail", args=[ev.realisasi_id])).status_code
        == 404
    )


def test_log_with_evidence_through_the_page(world, plan, login):
    client = login(world.user("staff"))
    response = client.post(
        reverse("monitoring:log_list"),
        {
            "date": plan.period.start.isoformat(),
            "rhk": plan.rhk.pk,
            "text": "Menyusun laporan bulanan",
            "duration": "60",
            "file": SimpleUploadedFile("laporan.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    log = DailyLog.objects.get()
    assert log.evidence.get().original_name == "laporan.pdf"


def test_bad_upload_keeps_the_input_and_saves_nothing(world, plan, login):
    client = login(world.user("staff"))
    response = client.post(
        reverse("monitoring:log_list"),
        {
            "date": plan.period.start.isoformat(),
            "rhk": plan.rhk.pk,
            "text": "Teks yang tidak boleh hilang",
            "file": SimpleUploadedFile("laporan.pdf", b"<html><script>x</script>"),
        },
    )
    assert response.status_code == 400
    assert "Teks yang tidak boleh hilang" in response.content.decode()
    assert "halaman web, skrip, atau program" in response.content.decode()
    assert not DailyLog.objects.exists() and not Evidence.objects.exists()


def test_oversized_upload_is_refused_while_streaming(world, plan, login, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    client = login(world.user("staff"))
    response = client.post(
        reverse("monitoring:realisasi_edit", args=[plan.iki.pk]),
        {
            "period": plan.period.pk,
            "value": "5",
            "file": SimpleUploadedFile("besar.pdf", PDF_BYTES + b" " * 200),
        },
    )
    assert response.status_code == 400
    assert "Berkas terlalu besar" in response.content.decode()
    assert not Realisasi.objects.exists()


def test_realisasi_page_for_closed_period_says_so(world, plan, login):
    from kinerja.planning.models import Period

    closed = Period.objects.get(year=plan.year, number=1)  # closed on TODAY (15 May)
    client = login(world.user("staff"))
    response = client.post(
        reverse("monitoring:realisasi_edit", args=[plan.iki.pk]),
        {"period": closed.pk, "value": "5", "narrative": "tetap ada"},
    )
    assert response.status_code == 400
    assert "sudah ditutup" in response.content.decode()
    assert "tetap ada" in response.content.decode()


def test_superior_comments_on_a_log_and_employee_sees_it(world, plan, login, client):
    log = services.daily_log_create(
        actor=world.user("staff"), rhk=plan.rhk, date=plan.period.start, text="Rapat koordinasi"
    )
    kasi = login(world.user("kasi"))
    assert "Rapat koordinasi" in kasi.get(reverse("monitoring:team")).content.decode()
    kasi.post(reverse("monitoring:log_detail", args=[log.pk]), {"text": "Lampirkan notulen."})
    fb = Feedback.objects.get()
    assert (fb.author, fb.employee, fb.log, fb.source) == (world.kasi, world.staff, log, "superior")
    staff = login(world.user("staff"))
    page = staff.get(reverse("monitoring:home")).content.decode()
    assert "Lampirkan notulen." in page


def test_scheduled_feedback_by_someone_else_is_refused_on_the_page(world, plan, login):
    client = login(world.user("peer"))
    response = client.post(
        reverse("monitoring:feedback_new", args=[world.staff.pk]),
        {"target": f"rhk:{plan.rhk.pk}", "kind": "scheduled", "text": "Bagus"},
    )
    assert response.status_code == 403
    assert "hanya dapat dicatat oleh pejabat penilai" in response.content.decode()
    assert not Feedback.objects.exists()


def test_feedback_on_another_agency_is_404(world, plan, login):
    client = login(world.user("kasi"))
    response = client.post(
        reverse("monitoring:feedback_new", args=[world.outsider.pk]),
        {"target": "value:1", "text": "x"},
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "monitoring:home",
        "monitoring:log_list",
        "monitoring:feedback_list",
        "monitoring:dialogue_list",
        "monitoring:coaching_list",
        "monitoring:notifications",
        "monitoring:team",
    ],
)
def test_pages_render(world, plan, login, name):
    for who in ("staff", "kasi"):
        assert login(world.user(who)).get(reverse(name)).status_code == 200


def test_unit_page_for_unit_heads_only(world, plan, login):
    assert login(world.user("kabid")).get(reverse("monitoring:unit")).status_code == 200
    assert login(world.user("admin")).get(reverse("monitoring:unit")).status_code == 200
    assert login(world.user("staff")).get(reverse("monitoring:unit")).status_code == 403


def test_detail_pages_render(world, plan, login):
    log = services.daily_log_create(
        actor=world.user("staff"), rhk=plan.rhk, date=plan.period.start, text="x"
    )
    services.feedback_give(actor=world.user("kasi"), employee=world.staff, text="ok", log=log)
    session = services.coaching_session_create(
        actor=world.user("kasi"),
        employee=world.staff,
        kind="coaching",
        date=TODAY,
        topic="t",
        details={"fakta": "f"},
    )
    d = services.dialogue_create(
        actor=world.user("kasi"),
        participants=[world.staff],
        scheduled_at=noon(),
        agenda="a",
    )
    for who in ("staff", "kasi"):
        client = login(world.user(who))
        for url in (
            reverse("monitoring:log_detail", args=[log.pk]),
            reverse("monitoring:rhk_detail", args=[plan.rhk.pk]),
            reverse("monitoring:realisasi_edit", args=[plan.iki.pk]),
            reverse("monitoring:coaching_detail", args=[session.pk]),
            reverse("monitoring:dialogue_detail", args=[d.pk]),
            reverse(
                "monitoring:feedback_new", args=[world.staff.pk if who == "kasi" else world.kasi.pk]
            ),
        ):
            assert client.get(url).status_code == 200, (who, url)


def test_bad_link_with_a_good_file_stores_no_file(world, plan, login, settings):
    client = login(world.user("staff"))
    response = client.post(
        reverse("monitoring:log_list"),
        {
            "date": plan.period.start.isoformat(),
            "rhk": plan.rhk.pk,
            "text": "x",
            "link": "javascript:alert(1)",
            "file": SimpleUploadedFile("laporan.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 400
    assert "Tautan tidak valid" in response.content.decode()
    assert not DailyLog.objects.exists()
    assert not (settings.PRIVATE_ROOT / "evidence").exists()


def test_progress_per_rhk_is_an_iki_chart_against_the_target(world, plan, login):
    """Issue 12: "Progres per RHK" draws each IKI's capaian per period as a
    column against the 100% target line, empty periods outlined, with a text
    equivalent; an IKI with no realisasi yet says when its chart will appear."""
    import re

    from kinerja.planning.models import Period

    client = login(world.user("staff"))
    page = client.get(reverse("monitoring:home")).content.decode()
    figures = re.findall(r'<figure class="chart iki-chart">.*?</figure>', page, re.S)
    assert len(figures) == 2
    assert all("Grafik capaian terhadap target muncul setelah" in f for f in figures)

    services.realisasi_save(actor=world.user("staff"), iki=plan.iki, period=plan.period, value=6)
    page = client.get(reverse("monitoring:home")).content.decode()
    figure = next(
        f
        for f in re.findall(r'<figure class="chart iki-chart">.*?</figure>', page, re.S)
        if plan.iki.text in f
    )
    assert "Target 12 dokumen" in figure
    periods = list(Period.objects.filter(year=plan.year).order_by("number"))
    label = re.search(r'aria-label="([^"]*)"', figure).group(1)
    expected = "; ".join(
        f"{p.label}: 50%" if p == plan.period else f"{p.label}: -" for p in periods
    )
    assert label == f"Capaian terhadap target per periode: {expected}"
    assert f"<title>{plan.period.label}: 50%</title>" in figure
    assert figure.count("belum ada realisasi") == len(periods) - 1
    assert 'class="col-below"' in figure  # 50%: below the target line
    assert figure.count(">target</text>") == 1
