"""The public questionnaire: no login, every bad input refused clearly and nothing stored."""

import datetime as dt

import pytest
from django.urls import reverse

from kinerja.surveys import selectors, services
from kinerja.surveys.models import OneTimeCode, Response
from kinerja.surveys.services import rate_limits

from .factories import TODAY, answers, make_period, make_service

pytestmark = pytest.mark.django_db


def url(service):
    return reverse("surveys:public_survey", args=[service.token])


def test_form_loads_without_login_small_and_without_htmx(client, service, period):
    response = client.get(url(service))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Imunisasi dasar" in body
    assert "Sangat mahal" in body and "Gratis" in body  # U4 worded for cost
    assert "Sangat sesuai" in body
    assert "htmx" not in body and "<script" not in body
    assert len(response.content) < 20_000
    assert "skm_device" in response.cookies


def test_english_version(client, service, period):
    body = client.get(url(service) + "?lang=en").content.decode()
    assert 'lang="en"' in body
    assert "Bahasa Indonesia" in body


def test_submit_stores_one_response_and_thanks(client, service, period):
    data = answers(
        4, 3, 2, 1, 4, 3, 2, 1, 4, age_group="30_39", sex="P", comment="Ruang tunggu panas."
    )
    response = client.post(url(service), data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("surveys:public_thanks", args=[service.token]))
    row = Response.objects.get()
    assert row.answers == [4, 3, 2, 1, 4, 3, 2, 1, 4]
    assert (row.age_group, row.sex, row.comment) == ("30_39", "P", "Ruang tunggu panas.")
    assert row.period == period and row.flag == ""
    assert row.ip_hash and "127.0.0.1" not in row.ip_hash
    thanks = client.get(response["Location"])
    assert "Terima kasih" in thanks.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            answers(4, 4, 4, 4, 4, 4, 4, 4, 5),
            "u9",
            "Jawaban unsur Sarana dan prasarana harus bernilai 1 sampai 4.",
        ),
        (
            answers(4, 4, 4, 4, 0, 4, 4, 4, 4),
            "u5",
            "Jawaban unsur Produk spesifikasi jenis pelayanan harus bernilai 1 sampai 4.",
        ),
        (
            answers(4, 4, 4, "x", 4, 4, 4, 4, 4),
            "u4",
            "Jawaban unsur Biaya/tarif harus bernilai 1 sampai 4.",
        ),
        (
            {k: v for k, v in answers(4).items() if k != "u3"},
            "u3",
            "Pilih salah satu jawaban untuk unsur Waktu penyelesaian.",
        ),
        (
            answers(4, comment="a" * 2001),
            "comment",
            "Saran dan masukan paling banyak 2000 karakter (Anda menulis 2001).",
        ),
        (answers(4, sex="X"), "sex", "Pilihan tidak dikenal."),
    ],
    ids=[
        "out-of-range-high",
        "out-of-range-zero",
        "not-a-number",
        "missing-element",
        "oversized-comment",
        "unknown-choice",
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_keeps_answers(
    client, service, period, data, field, message
):
    data = {**data, "comment": data.get("comment", "Antrean panjang")}
    response = client.post(url(service), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert Response.objects.count() == 0
    assert "Antrean panjang" in body or field == "comment"
    assert 'value="4" required checked' in body  # the citizen's answers are kept


def test_closed_period_is_refused(client, service, period):
    period.is_closed = True
    period.save()
    response = client.post(url(service), answers(4))
    assert response.status_code == 400
    assert "Survei untuk layanan ini sedang tidak dibuka (periode sudah ditutup)." in (
        response.content.decode()
    )
    assert Response.objects.count() == 0


def test_no_period_covering_today_is_refused(client, world, service):
    make_period(world.agency, start=TODAY - dt.timedelta(days=60), end=TODAY - dt.timedelta(days=1))
    response = client.post(url(service), answers(4))
    assert response.status_code == 400
    assert Response.objects.count() == 0


def test_unknown_or_inactive_service_is_404(client, service, period):
    assert client.get(reverse("surveys:public_survey", args=["tidak-ada"])).status_code == 404
    assert (
        client.post(reverse("surveys:public_survey", args=["tidak-ada"]), answers(4)).status_code
        == 404
    )
    service.is_active = False
    service.save()
    assert client.post(url(service), answers(4)).status_code == 404
    assert Response.objects.count() == 0


def test_narrowest_period_wins(world, service, period):
    unit_period = make_period(world.agency, name="Unit", unit=world.units["bidang"])
    service_period = make_period(world.agency, name="Layanan", service=service)
    other = make_service(world, unit="bkpsdm", name="Legalisir")
    assert selectors.open_period_for(service, on=TODAY) == service_period
    service_period.delete()
    assert selectors.open_period_for(service, on=TODAY) == unit_period
    assert selectors.open_period_for(other, on=TODAY) == period


def test_honeypot_is_stored_flagged_not_counted(client, service, period):
    response = client.post(url(service), answers(4, website="http://spam.example"))
    assert response.status_code == 302  # the bot sees the normal thanks
    row = Response.objects.get()
    assert row.flag == Response.Flag.PENDING
    assert "honeypot" in row.flag_reason
    assert not row.is_counted


def test_device_limit_flags_bursts_not_drops(client, service, period, settings):
    client.get(url(service))  # the page sets the device cookie
    for _i in range(5):
        assert client.post(url(service), answers(3)).status_code == 302
    flags = list(Response.objects.order_by("pk").values_list("flag", flat=True))
    assert flags == ["", "", "", "pending", "pending"]  # 3 per device per service per day
    row = Response.objects.order_by("pk").last()
    assert "perangkat yang sama" in row.flag_reason


def test_address_limit_flags_bursts(service, period, monkeypatch):
    monkeypatch.setattr(rate_limits, "ADDRESS_LIMIT", 2)
    for i in range(3):
        services.response_submit(
            service=service, data=answers(4), device_id=f"dev-{i}", address="10.0.0.7"
        )
    assert list(Response.objects.order_by("pk").values_list("flag", flat=True)) == [
        "",
        "",
        "pending",
    ]
    assert "alamat jaringan yang sama" in Response.objects.order_by("pk").last().flag_reason
    # Another address is not affected.
    services.response_submit(service=service, data=answers(4), device_id="x", address="10.0.0.8")
    assert Response.objects.order_by("pk").last().flag == ""


def test_one_time_codes(client, world, service, period):
    service.requires_code = True
    service.save()
    _batch, codes = services.codes_generate(actor=world.user("admin"), service=service, count=2)
    missing = client.post(url(service), answers(4))
    assert "Masukkan kode yang tercetak pada tanda terima layanan." in missing.content.decode()
    wrong = client.post(url(service), answers(4, code="ZZZZZZZZ"))
    assert "Kode tidak dikenal atau sudah dipakai untuk survei ini." in wrong.content.decode()
    assert Response.objects.count() == 0
    code = codes[0].code
    ok = client.post(url(service), answers(4, code=code.lower()[:4] + "-" + code.lower()[4:]))
    assert ok.status_code == 302
    assert Response.objects.get().one_time_code.code == code
    again = client.post(url(service), answers(4, code=code))
    assert again.status_code == 400
    assert "Kode tidak dikenal atau sudah dipakai untuk survei ini." in again.content.decode()
    assert Response.objects.count() == 1
    assert OneTimeCode.objects.filter(used_at__isnull=False).count() == 1


def test_code_of_another_service_is_refused(client, world, service, period):
    other = make_service(world, unit="bidang", name="Lain")
    _b, codes = services.codes_generate(actor=world.user("admin"), service=other, count=1)
    response = client.post(url(service), answers(4, code=codes[0].code))
    assert response.status_code == 400
    assert Response.objects.count() == 0


def test_database_refuses_out_of_range_answers(service, period):
    from django.db import IntegrityError, transaction

    from .factories import bulk_responses

    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_responses(service, period, [(4, 4, 4, 4, 4, 4, 4, 4, 9)])
    assert Response.objects.count() == 0
