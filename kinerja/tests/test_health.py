"""/healthz: 200 when the database answers and every migration is applied."""

from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


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
