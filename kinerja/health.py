"""/healthz for load balancers: the database answers and no migration is pending.

Cheap enough to be probed every second: one `SELECT 1`, and the migration check
(which loads every migration file) runs until it has once found nothing
pending in this process; after that the answer stands, since migrations are
only applied with a new release, which restarts the processes.
"""

import logging

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)
_state = {"migrated": False}


def _migrated(connection) -> bool:
    if not _state["migrated"]:
        executor = MigrationExecutor(connection)
        _state["migrated"] = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _state["migrated"]


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": False, "migrations": False}
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = True
        checks["migrations"] = _migrated(connection)
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        logger.exception("health check failed")
    ok = all(checks.values())
    return JsonResponse({"status": "ok" if ok else "fail", **checks}, status=200 if ok else 503)
