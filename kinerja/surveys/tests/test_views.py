"""Staff pages: who may see them, what they show, what they change, fixed query counts."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from kinerja.audit.models import AuditEvent
from kinerja.surveys import services
from kinerja.surveys.models import OneTimeCode, Response, Service, SurveyPeriod

from .factories import TODAY, bulk_responses, make_service

pytestmark = pytest.mark.django_db


def test_admin_sees_services_with_their_index(world, login, service, period):
    bulk_responses(service, period, [(4,) * 9, (2,) * 9])
    body = login(world.user("admin")).get(reverse("surveys:home")).content.decode()
    assert "Imunisasi dasar" in body
    assert "75,00" in body  # (4 + 2) / 2 = 3 -> 75, Indonesian decimal comma


def test_unit_head_sees_own_subtree_only(world, login, period):
    mine = make_service(world, unit="seksi", name="Imunisasi")
    theirs = make_service(world, unit="bkpsdm", name="Legalisir SK")
    client = login(world.user("kadis"))
    body = client.get(reverse("surveys:home")).content.decode()
    assert "Imunisasi" in body and "Legalisir SK" not in body
    assert client.get(reverse("surveys:service_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("surveys:service_detail", args=[theirs.pk])).status_code == 404
    assert AuditEvent.objects.filter(outcome="denied", actor=world.user("kadis")).exists()


def test_employees_without_a_role_get_404(world, login, service):
    client = login(world.user("staff"))
    home = client.get(reverse("surveys:home")).content.decode()
    assert "admin BKD dan pimpinan unit" in home and "Imunisasi dasar" not in home
    assert client.get(reverse("surveys:service_detail", args=[service.pk])).status_code == 404


def test_outsider_gets_404(world, login, service):
    client = login(world.user("outsider_admin"))
    for name in ("service_detail", "report", "export", "poster", "codes"):
        assert client.get(reverse(f"surveys:{name}", args=[service.pk])).status_code == 404
    body = client.get(reverse("surveys:home")).content.decode()
    assert "Imunisasi dasar" not in body


def test_service_create_and_edit_are_audited(world, login):
    client = login(world.user("kadis"))
    response = client.post(
        reverse("surveys:service_new"),
        {
            "unit": world.units["seksi"].pk,
            "name": "Surat keterangan sehat",
            "is_active": "on",
            "served_population": "1000",
        },
    )
    service = Service.objects.get()
    assert response.status_code == 302
    assert (service.agency, service.unit, service.served_population) == (
        world.agency,
        world.units["seksi"],
        1000,
    )
    assert len(service.token) >= 20
    client.post(
        reverse("surveys:service_edit", args=[service.pk]),
        {"unit": world.units["seksi"].pk, "name": "SKS", "is_active": ""},
    )
    service.refresh_from_db()
    assert (service.name, service.is_active) == ("SKS", False)
    actions = list(
        AuditEvent.objects.filter(action__startswith="surveys.service")
        .values_list("action", flat=True)
        .order_by("pk")
    )
    assert actions == ["surveys.service.create", "surveys.service.update"]


def test_unit_head_cannot_create_a_service_outside_their_subtree(world, login):
    client = login(world.user("kadis"))
    response = client.post(
        reverse("surveys:service_new"), {"unit": world.units["bkpsdm"].pk, "name": "X"}
    )
    assert response.status_code == 200
    assert Service.objects.count() == 0


def test_periods_create_and_close(world, login, service):
    client = login(world.user("kadis"))
    response = client.post(
        reverse("surveys:period_list"),
        {
            "name": "Semester II",
            "start": "2026-07-01",
            "end": "2026-12-31",
            "unit": world.units["dinkes"].pk,
        },
    )
    assert response.status_code == 302
    period = SurveyPeriod.objects.get()
    # A unit head may not open an agency-wide period.
    response = client.post(
        reverse("surveys:period_list"),
        {"name": "Semua", "start": "2026-07-01", "end": "2026-12-31"},
    )
    assert "hanya dapat dibuat oleh admin BKD" in response.content.decode()
    bad = client.post(
        reverse("surveys:period_list"),
        {
            "name": "Salah",
            "start": "2026-07-01",
            "end": "2026-06-01",
            "unit": world.units["dinkes"].pk,
        },
    )
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in bad.content.decode()
    client.post(reverse("surveys:period_toggle", args=[period.pk]))
    period.refresh_from_db()
    assert period.is_closed
    assert AuditEvent.objects.filter(
        action="surveys.period.close", target_id=str(period.pk)
    ).exists()
    assert client.get(reverse("surveys:period_toggle", args=[period.pk])).status_code == 405


def test_dashboard_shows_index_chart_trend_and_warning(world, login, service, period):
    bulk_responses(service, period, [(4, 3, 2, 1, 4, 3, 2, 1, 4), (4,) * 9])
    body = (
        login(world.user("kadis"))
        .get(reverse("surveys:service_detail", args=[service.pk]))
        .content.decode()
    )
    assert "83,33" in body and "Baik" in body
    assert "<svg" in body
    assert "di bawah sampel minimum 80" in body
    assert f"/survei/s/{service.token}/" in body


def _dashboard_queries(client, service):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("surveys:service_detail", args=[service.pk])).status_code == 200
    return len(ctx)


def test_dashboard_query_count_is_fixed(world, login, service, period):
    client = login(world.user("admin"))
    bulk_responses(service, period, [(3,) * 9])
    small = _dashboard_queries(client, service)
    other = SurveyPeriod.objects.create(
        agency=world.agency,
        name="Lama",
        start=TODAY.replace(year=TODAY.year - 1),
        end=TODAY.replace(year=TODAY.year - 1),
        service=service,
    )
    bulk_responses(service, period, [(4,) * 9] * 300, comment="bagus")
    bulk_responses(service, other, [(2,) * 9] * 50)
    assert _dashboard_queries(client, service) == small


def test_unit_page_and_home_query_counts_are_fixed(world, login, period):
    client = login(world.user("admin"))
    first = make_service(world, name="A")
    bulk_responses(first, period, [(3,) * 9])

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    unit_url = reverse("surveys:unit_detail", args=[world.units["dinkes"].pk])
    small = (count(reverse("surveys:home")), count(unit_url))
    for i in range(15):
        s = make_service(world, unit="bidang", name=f"Layanan {i}")
        bulk_responses(s, period, [(4,) * 9] * 5)
    assert (count(reverse("surveys:home")), count(unit_url)) == small


def test_comment_list_query_count_is_fixed(world, login, service, period):
    client = login(world.user("admin"))
    bulk_responses(service, period, [(3,) * 9] * 2, comment="Antre lama")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("surveys:comment_list"))
        assert response.status_code == 200
        return len(ctx)

    small = count()
    rows = bulk_responses(service, period, [(3,) * 9] * 40, comment="Parkir sempit")
    Response.objects.filter(pk__in=[r.pk for r in rows[:10]]).update(
        is_complaint=True,
        complaint_status="answered",
        complaint_answer="Sudah",
        answered_by=world.user("admin"),
    )
    assert count() == small


def test_complaint_routing_and_status_are_audited(world, login, service, period):
    [row] = bulk_responses(service, period, [(2,) * 9], comment="Jam buka terlalu pendek.")
    client = login(world.user("kadis"))
    action = reverse("surveys:response_action", args=[row.pk])
    client.post(action, {"action": "complaint"})
    row.refresh_from_db()
    assert (row.is_complaint, row.complaint_status) == (True, "open")
    body = client.get(reverse("surveys:comment_list") + "?complaint=open").content.decode()
    assert "Jam buka terlalu pendek." in body
    client.post(action, {"action": "status", "status": "in_progress"})
    row.refresh_from_db()
    assert row.complaint_status == "in_progress"
    response = client.post(action, {"action": "status", "status": "answered"}, follow=True)
    assert "Tuliskan jawaban atau tindak lanjut pengaduan." in response.content.decode()
    client.post(
        action,
        {"action": "status", "status": "answered", "answer": "Mulai 1 Juli buka sampai 16.00."},
    )
    row.refresh_from_db()
    assert (row.complaint_status, row.answered_by) == ("answered", world.user("kadis"))
    assert row.complaint_answer == "Mulai 1 Juli buka sampai 16.00."
    actions = list(
        AuditEvent.objects.filter(target_id=str(row.pk), action__startswith="surveys.complaint")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "surveys.complaint.mark",
        "surveys.complaint.update",
        "surveys.complaint.update",
    ]


def test_moderation_hides_comment_and_excludes_from_index(world, login, service, period):
    bulk_responses(service, period, [(4,) * 9])
    [row] = bulk_responses(service, period, [(1,) * 9], comment="kata kasar")
    client = login(world.user("admin"))
    action = reverse("surveys:response_action", args=[row.pk])
    response = client.post(action, {"action": "hide"}, follow=True)
    assert "Tuliskan alasan menyembunyikan jawaban ini." in response.content.decode()
    client.post(action, {"action": "hide", "reason": "bahasa kasar"})
    row.refresh_from_db()
    assert (row.moderation, row.moderation_reason) == ("hidden", "bahasa kasar")
    from kinerja.surveys.selectors import service_index

    assert service_index(service=service, period=period).result.converted == 100
    assert AuditEvent.objects.filter(action="surveys.response.hide").count() == 1


def test_flagged_review_accept_and_reject(world, login, service, period):
    flagged = bulk_responses(
        service, period, [(1,) * 9, (2,) * 9], flag="pending", flag_reason="burst"
    )
    client = login(world.user("admin"))
    body = client.get(reverse("surveys:flagged_list")).content.decode()
    assert body.count("burst") == 2
    client.post(reverse("surveys:response_action", args=[flagged[0].pk]), {"action": "accept"})
    client.post(reverse("surveys:response_action", args=[flagged[1].pk]), {"action": "reject"})
    assert list(Response.objects.order_by("pk").values_list("flag", flat=True)) == [
        "accepted",
        "rejected",
    ]
    from kinerja.surveys.selectors import service_index

    summary = service_index(service=service, period=period)
    assert (summary.responses, summary.result.converted) == (1, 25)


def test_codes_generate_and_download(world, login, service):
    client = login(world.user("kadis"))
    client.post(reverse("surveys:codes", args=[service.pk]), {"count": "5"})
    codes = list(OneTimeCode.objects.filter(service=service))
    assert len(codes) == 5 and len({c.code for c in codes}) == 5
    batch = codes[0].batch
    csv_response = client.get(
        reverse("surveys:codes_download", args=[service.pk]) + f"?batch={batch}&format=csv"
    )
    assert csv_response["Content-Disposition"].startswith("attachment")
    assert all(c.code in csv_response.content.decode() for c in codes)
    pdf = client.get(
        reverse("surveys:codes_download", args=[service.pk]) + f"?batch={batch}&format=pdf"
    )
    assert pdf.content[:4] == b"%PDF"
    bad = client.post(reverse("surveys:codes", args=[service.pk]), {"count": "0"}, follow=True)
    assert "Jumlah kode harus 1 sampai 2000." in bad.content.decode()


def test_poster_is_a_pdf_with_the_public_link(world, login, service):
    response = login(world.user("admin")).get(reverse("surveys:poster", args=[service.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content[:4] == b"%PDF"


def test_report_pdf_and_export_are_audited(world, login, service, period):
    [row] = bulk_responses(service, period, [(3,) * 9], comment='=HYPERLINK("x")')
    services.complaint_mark(actor=world.user("admin"), response=row, is_complaint=True)
    client = login(world.user("admin"))
    report = client.get(reverse("surveys:report", args=[service.pk]) + f"?period={period.pk}")
    assert report.content[:4] == b"%PDF"
    export = client.get(reverse("surveys:export", args=[service.pk]))
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][4:13] == ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")
    assert rows[1][4:13] == (3,) * 9
    assert rows[1][17] == '\'=HYPERLINK("x")'  # never a formula
    events = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"surveys.report.export", "surveys.responses.export"} <= events


def test_moderation_records_the_state_before_and_after(world, service, period):
    [row] = bulk_responses(service, period, [(1,) * 9], comment="kata kasar")
    services.response_moderate(actor=world.user("admin"), response=row, hidden=True, reason="kasar")
    event = AuditEvent.objects.get(action="surveys.response.hide")
    assert event.before == {"moderation": "visible", "moderation_reason": ""}
    assert event.after == {"moderation": "hidden", "moderation_reason": "kasar"}


def test_unit_head_sees_but_may_not_toggle_an_agency_wide_period(world, login, period):
    client = login(world.user("kadis"))
    assert period.pk in [
        p.pk for p in client.get(reverse("surveys:period_list")).context["periods"]
    ]
    response = client.post(reverse("surveys:period_toggle", args=[period.pk]))
    assert response.status_code == 403
    assert "Hanya admin BKD yang dapat melakukan ini." in response.content.decode()
    period.refresh_from_db()
    assert not period.is_closed


def test_staff_pages_without_an_object_refuse_employees_with_a_message(world, login):
    client = login(world.user("staff"))
    for name in ("period_list", "comment_list", "flagged_list", "service_new"):
        response = client.get(reverse(f"surveys:{name}"))
        assert response.status_code == 403
        assert "Hanya admin BKD atau pimpinan unit" in response.content.decode()
