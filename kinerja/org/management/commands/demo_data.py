"""`manage.py demo_data`: the demo agency "Pemerintah Kota Tebingtinggi" and
one login per role. Idempotent: a second run writes nothing and prints the
same logins (`make run` calls it before starting the server)."""

import time

from django.core.management.base import BaseCommand

from kinerja.org.demo import DEMO_NAME, create_demo, format_logins


class Command(BaseCommand):
    help = "Buat data demo (Pemerintah Kota Tebingtinggi) dan tampilkan akun demo."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Set the demo password again on the demo accounts.",
        )

    def handle(self, *args, reset_passwords=False, **options):
        started = time.perf_counter()
        result = create_demo(reset_passwords=reset_passwords)
        if result.created:
            self.stdout.write(
                f"Data demo dibuat: {DEMO_NAME}, {result.employees} pegawai "
                f"({time.perf_counter() - started:.1f} s)."
            )
        else:
            self.stdout.write(f"Data demo sudah ada: {DEMO_NAME}, {result.employees} pegawai.")
        self.stdout.write("")
        self.stdout.write(
            "Admin BKD, tim penilai kinerja dan superuser wajib memakai autentikasi dua faktor: "
            "tambahkan kuncinya ke aplikasi autentikator, atau hitung kodenya dengan "
            "`manage.py demo_code <NIP>`. Kunci ini terbuka untuk umum, hanya untuk demo."
        )
        self.stdout.write("")
        self.stdout.write("Akun demo:")
        self.stdout.write(format_logins(result.logins))
        self.stdout.write("")
