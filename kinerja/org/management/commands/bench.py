"""`manage.py bench` (`make bench`): run every benchmark module
(kinerja/*/bench*.py and kinerja/*/*/bench*.py defining `run(report)`, see
kinerja/bench.py) and print one line per figure.

Benchmarks never touch the developer's data: like the test runner, the command
creates a throwaway database next to the configured one, migrates it, runs the
benchmarks and drops it. With SQLite (the default) that is the file
var/bench.sqlite3; with DATABASE_URL=postgres://.../kinerja it is the database
test_kinerja (the account needs CREATEDB, as for the tests).
"""

import time
import warnings

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connections
from django.test.utils import (
    setup_databases,
    setup_test_environment,
    teardown_databases,
    teardown_test_environment,
)

from kinerja.bench import Reporter, discover, run_all


class Command(BaseCommand):
    help = "Jalankan benchmark (kinerja/*/bench*.py) pada basis data sementara."

    def add_arguments(self, parser):
        parser.add_argument("--only", help="Run only modules whose dotted name contains this.")
        parser.add_argument(
            "--list", action="store_true", dest="list_only", help="List the modules and exit."
        )

    def handle(self, *args, only=None, list_only=False, **options):
        if list_only:
            for name in discover():
                self.stdout.write(name)
            return
        connection = connections["default"]
        if connection.vendor == "sqlite":
            path = settings.BASE_DIR / "var" / "bench.sqlite3"
            path.parent.mkdir(parents=True, exist_ok=True)
            connection.settings_dict.setdefault("TEST", {})["NAME"] = str(path)
        # WhiteNoise warns about a missing STATIC_ROOT before collectstatic; harmless here.
        warnings.filterwarnings("ignore", "No directory at", UserWarning)
        started = time.perf_counter()
        setup_test_environment(debug=False)
        old_config = setup_databases(verbosity=0, interactive=False, serialized_aliases=[])
        try:
            self.stdout.write(
                f"Basis data sementara: {connection.vendor} {connection.settings_dict['NAME']} "
                f"(siap dalam {time.perf_counter() - started:.1f} s)"
            )
            ran = run_all(Reporter(write=self.stdout.write), only=only)
            if not ran:
                self.stderr.write("Tidak ada benchmark yang cocok.")
        finally:
            teardown_databases(old_config, verbosity=0)
            teardown_test_environment()
