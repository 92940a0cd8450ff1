"""Builders for the planning tests (the fixtures in conftest.py use them too)."""

from kinerja.planning import services
from kinerja.planning.models import PerformanceYear, Rhk, Skp


def open_year(
    world,
    year=2026,
    *,
    frequency=PerformanceYear.Frequency.QUARTERLY,
    annual_source=PerformanceYear.AnnualSource.LAST_PERIOD,
):
    """A performance year created and opened by admin BKD: every employee of
    world.agency has a draft SKP (the job runs inline in tests)."""
    obj = services.year_create(
        actor=world.user("admin"),
        agency=world.agency,
        year=year,
        frequency=frequency,
        annual_source=annual_source,
    )
    services.year_open(actor=world.user("admin"), year=obj)
    obj.refresh_from_db()
    return obj


def skp_of(employee, year):
    return (
        Skp.objects.select_related("year", "position", "rater_position", "employee")
        .exclude(status=Skp.Status.DITUTUP)
        .get(employee=employee, year=year)
    )


def add_rhk_with_iki(actor, skp, text, *, parent=None, kind=Rhk.Kind.UTAMA, **kw):
    rhk = services.rhk_add(actor=actor, skp=skp, text=text, kind=kind, parent=parent, **kw)
    services.iki_add(
        actor=actor,
        rhk=rhk,
        text=f"Jumlah {text.lower()}",
        target_text="12 dokumen",
        aspect="" if skp.is_jpt else "kuantitas",
        perspektif="anggaran" if skp.is_jpt else "",
        target_min=12,
        target_max=12,
        unit="dokumen",
    )
    return rhk


def approved_kasi_skp(world, year):
    """The kasi's SKP approved by the kabid, with two RHK the staff can link to."""
    kasi = skp_of(world.kasi, year)
    kabid = skp_of(world.kabid, year)
    kabid_rhk = services.rhk_add(
        actor=world.user("kabid"),
        skp=kabid,
        text="Layanan kesehatan primer meningkat",
        source=Rhk.Source.INTERVENSI,
    )
    actor = world.user("kasi")
    r1 = add_rhk_with_iki(actor, kasi, "Laporan layanan primer tersusun")
    r2 = add_rhk_with_iki(actor, kasi, "Data kunjungan puskesmas terkelola")
    # The kabid's RHK has no IKI yet; the kasi links to it anyway (pending links are fine).
    services.rhk_link(actor=actor, rhk=r1, parent=kabid_rhk)
    services.rhk_link(actor=actor, rhk=r2, parent=kabid_rhk)
    services.skp_submit(actor=actor, skp=kasi)
    services.skp_approve(actor=world.user("kabid"), skp=kasi)
    kasi.refresh_from_db()
    return kasi
