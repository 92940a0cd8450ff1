"""`manage.py demo_code <username>`: the current second-factor code of a demo
account whose authenticator was enrolled by `demo_data` with its published key
(kinerja/org/demo.py). Refuses any other device and production settings: it
exists so that `make run` can be tried without a phone."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from kinerja.org import mfa
from kinerja.org.demo import demo_totp_key
from kinerja.org.models import User


class Command(BaseCommand):
    help = "Tampilkan kode autentikasi dua faktor saat ini untuk akun demo."

    def add_arguments(self, parser):
        parser.add_argument("username", help="NIP akun demo, atau 'admin'")

    def handle(self, *args, username, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("Perintah ini hanya untuk demo, tidak untuk produksi.")
        user = User.objects.filter(username=username).first()
        device = mfa.totp_device(user) if user is not None else None
        if device is None or device.key != demo_totp_key(username):
            raise CommandError("Akun ini tidak memakai kunci autentikator demo.")
        self.stdout.write(f"{totp(device.bin_key):06d}")
