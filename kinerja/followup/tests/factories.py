"""Rows for follow-up tests: performance years and annual evaluations written directly
(the assessment flow itself is tested in kinerja/assessment)."""

import datetime as dt

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def make_year(agency, year):
    from kinerja.planning.models import PerformanceYear

    obj, _created = PerformanceYear.objects.get_or_create(
        agency=agency,
        year=year,
        defaults={
            "start": dt.date(year, 1, 1),
            "end": dt.date(year, 12, 31),
            "frequency": "triwulanan",
            "skp_deadline": dt.date(year, 1, 31),
            "annual_deadline": dt.date(year + 1, 1, 31),
            "annual_source": "annual",
            "status": "closed",
        },
    )
    return obj


def make_annual(employee, year, predikat, *, status="acknowledged", final=""):
    """A counted annual evaluation of `employee` for calendar `year` with `predikat`."""
    from kinerja.assessment.models import Evaluation
    from kinerja.planning.models import Skp

    performance_year = make_year(employee.agency, year)
    skp, _created = Skp.objects.get_or_create(
        employee=employee,
        year=performance_year,
        valid_from=performance_year.start,
        defaults={
            "agency": employee.agency,
            "position": employee.position,
            "unit": employee.unit,
            "form": "non_jpt",
            "approach": "kuantitatif",
            "status": "ditutup",
        },
    )
    return Evaluation.objects.create(
        agency=employee.agency,
        year=performance_year,
        skp=skp,
        employee=employee,
        unit=employee.unit,
        hasil="sesuai",
        perilaku="sesuai",
        predikat=predikat,
        predikat_final=final,
        status=status,
    )
