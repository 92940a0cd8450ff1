"""`manage.py synthetic_agency --employees 20000`: a synthetic agency for
benchmarks (OPD -> bidang/sekretariat -> seksi/subbagian, N employees with
unique valid NIPs), written set-based.

Idempotent by code: if an agency with --code exists it is reported and left
untouched (an agency's audit trail is append-only, so it is never deleted to be
rebuilt); use another --code, or a fresh database, for a new one."""

import time

from django.core.management.base import BaseCommand, CommandError

from kinerja.org.demo import create_synthetic, default_units


class Command(BaseCommand):
    help = "Buat instansi sintetis berisi N pegawai (untuk uji beban)."

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, required=True, help="Number of employees.")
        parser.add_argument("--code", default="synth", help="Agency code (default: synth).")
        parser.add_argument(
            "--units",
            type=int,
            default=None,
            help="Number of OPD (default: one per 500 employees, 3 to 200). Each OPD has a "
            "sekretariat with 2 subbagian and 4 bidang with 3 seksi.",
        )
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, employees, code, units, seed, **options):
        if employees < 1:
            raise CommandError("--employees must be at least 1.")
        if units is not None and units < 1:
            raise CommandError("--units must be at least 1.")
        started = time.perf_counter()
        result = create_synthetic(code=code, employees=employees, units=units, seed=seed)
        elapsed = time.perf_counter() - started
        if not result.created:
            self.stdout.write(
                f"Instansi '{code}' sudah ada ({result.employees} pegawai, {result.units} unit); "
                "tidak diubah."
            )
            return
        self.stdout.write(
            f"Instansi '{code}' dibuat: {result.employees} pegawai, {result.positions} jabatan, "
            f"{result.units} unit ({units or default_units(employees)} OPD) "
            f"dalam {elapsed:.1f} s."
        )
