"""Opens this year's performance year for the demo agency, so `make run`
shows every employee a draft SKP with the right form and rater. Idempotent."""

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils import timezone

from kinerja.org.demo import DEMO_CODE
from kinerja.org.models import Agency, RoleGrant
from kinerja.planning import services
from kinerja.planning.models import PerformanceYear, Skp


class Command(BaseCommand):
    help = "Buka periode penilaian tahun ini untuk instansi demo (idempoten)."

    def handle(self, *args, **options):
        agency = Agency.objects.filter(code=DEMO_CODE).first()
        if agency is None:
            raise CommandError("Jalankan dulu: manage.py demo_data")
        admin = (
            RoleGrant.objects.filter(agency=agency, role=RoleGrant.Role.ADMIN_BKD)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        this_year = timezone.localdate().year
        year = PerformanceYear.objects.filter(agency=agency, year=this_year).first()
        # Inline, so the drafts exist before the server starts.
        with override_settings(JOBS_BACKEND="eager"):
            if year is None:
                year = services.year_create(
                    actor=admin.user,
                    agency=agency,
                    year=this_year,
                    frequency=PerformanceYear.Frequency.QUARTERLY,
                    annual_source=PerformanceYear.AnnualSource.ANNUAL,
                )
            if year.status == PerformanceYear.Status.DRAFT:
                services.year_open(actor=admin.user, year=year)
        count = Skp.objects.filter(year=year).count()
        self.stdout.write(
            f"Periode penilaian {this_year}: {year.get_status_display()}, {count} SKP."
        )
