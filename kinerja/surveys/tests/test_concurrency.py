"""A burst of 50 submissions within a second loses none (PostgreSQL, real transactions)."""

import threading
import time

import pytest
from django.db import connection

from kinerja.surveys import services
from kinerja.surveys.models import Response

from .factories import answers, make_period, make_service

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent writers: SQLite serialises them (CI runs this on PostgreSQL)",
    ),
]

BURST = 50


def test_fifty_concurrent_submissions_are_all_stored(world):
    from django.test import Client

    service = make_service(world)
    make_period(world.agency)
    url = f"/survei/s/{service.token}/"
    start = threading.Barrier(BURST)
    released = []
    statuses, errors, finished = [], [], []

    def submit(i):
        try:
            client = Client()
            start.wait(timeout=30)
            released.append(time.monotonic())
            # Every citizen behind the same address (one puskesmas Wi-Fi), own phone.
            response = client.post(
                url,
                answers(1 + i % 4, comment=f"jawaban {i}"),
                REMOTE_ADDR="10.1.2.3",
                HTTP_COOKIE=f"skm_device=phone-{i}",
            )
            statuses.append(response.status_code)
            finished.append(time.monotonic())
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(BURST)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert statuses == [302] * BURST
    assert Response.objects.filter(service=service).count() == BURST
    assert sorted(Response.objects.values_list("comment", flat=True)) == sorted(
        f"jawaban {i}" for i in range(BURST)
    )
    # 30 per address per 10 minutes: the rest are stored and flagged, not dropped.
    assert Response.objects.filter(flag=Response.Flag.PENDING).count() == BURST - 30
    elapsed = max(finished) - min(released)
    print(f"\n{BURST} concurrent submissions stored in {elapsed:.2f} s")


def test_one_code_used_by_two_at_once_is_stored_once(world):
    service = make_service(world, requires_code=True)
    make_period(world.agency)
    _batch, [code] = services.codes_generate(actor=world.user("admin"), service=service, count=1)
    barrier = threading.Barrier(8)
    outcomes = []

    def submit():
        try:
            barrier.wait(timeout=30)
            services.response_submit(service=service, data=answers(4, code=code.code))
            outcomes.append("ok")
        except Exception as exc:  # noqa: BLE001
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["ValidationError"] * 7 + ["ok"]
    assert Response.objects.count() == 1
