"""/healthz: 200 when the database answers and every migration is applied."""

from unittest import mock

import pytest
from django.db import OperationalError

from kinerja import health

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_process(monkeypatch):
    """Each test starts as a new process would: the migration check not yet done."""
    monkeypatch.setitem(health._state, "migrated", False)


def test_it_works(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True, "migrations": True}


def test_it_needs_no_login_and_sets_no_cookie(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies


def test_it_fails_when_a_migration_is_pending(client):
    with mock.patch("kinerja.health.MigrationExecutor") as executor:
        executor.return_value.migration_plan.return_value = [(mock.Mock(), False)]
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "database": True, "migrations": False}


def test_it_fails_when_the_database_is_down(client):
    broken = mock.MagicMock()
    broken.cursor.side_effect = OperationalError("connection refused")
    with (
        mock.patch("kinerja.health.connections") as connections,
        mock.patch("kinerja.health.logger") as logger,
    ):
        connections.__getitem__.return_value = broken
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "database": False, "migrations": False}
    logger.exception.assert_called_once()


def test_it_is_never_cached(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]


def test_a_probe_is_one_query_once_migrations_were_found_applied(client, django_assert_num_queries):
    client.get("/healthz")
    with (
        mock.patch("kinerja.health.MigrationExecutor") as executor,
        django_assert_num_queries(1),
    ):
        response = client.get("/healthz")
    assert response.status_code == 200
    executor.assert_not_called()


def test_pages_are_compressed_for_browsers_that_accept_it(world, login):
    client = login(world.user("admin"))
    plain = client.get("/org/pegawai/")
    packed = client.get("/org/pegawai/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert len(packed.content) < len(plain.content) / 3
