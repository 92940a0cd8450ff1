"""An IKI taking the IKM of a service (or of a unit, its services pooled) as its realisasi,
and the sync that writes those numbers into monitoring's Realisasi."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.audit.services import audited, record, snapshot
from kinerja.monitoring.models import Realisasi
from kinerja.org.access import compute_access
from kinerja.org.models import Agency, OrgUnit, User
from kinerja.planning.models import Iki, Period
from kinerja.rules.ikm import IkmResult

from .. import selectors
from ..elements import KINERJA_LABELS
from ..models import IkiIkmSource, Service


def _iki_for_link(*, actor: User, iki: Iki) -> Iki:
    """The IKI with its SKP and unit, once the actor may set its source: admin BKD of the
    agency, the IKI's owner (the SKP's employee), their rater, or the head of a unit above
    the SKP's unit."""
    iki = Iki.objects.select_related("rhk__skp__unit").get(pk=iki.pk)
    if actor is None or getattr(actor, "agency_id", None) != iki.agency_id:
        raise ValidationError(_("IKI tidak ditemukan."))
    if not selectors.can_link_iki(compute_access(actor), iki):
        raise PermissionDenied(
            _(
                "Hanya admin BKD, pemilik SKP, atau pejabat penilainya "
                "yang dapat mengatur sumber IKM."
            )
        )
    return iki


@transaction.atomic
def iki_ikm_link(
    *, actor: User, iki: Iki, service: Service | None = None, unit: OrgUnit | None = None
) -> IkiIkmSource:
    """Take the IKM of `service` (or of `unit`, its services pooled) as the realisasi of `iki`.
    Replaces an existing link of the IKI."""
    iki = _iki_for_link(actor=actor, iki=iki)
    if (service is None) == (unit is None):
        raise ValidationError(_("Pilih layanan atau unit, tepat salah satu."))
    source = service if service is not None else unit
    if source is None or source.agency_id != iki.agency_id:
        raise ValidationError(_("Layanan atau unit tidak ditemukan."))
    link = IkiIkmSource.objects.select_for_update().filter(iki=iki).first() or IkiIkmSource(iki=iki)
    with audited(
        link,
        "surveys.iki_source.link",
        actor=actor,
        agency=iki.agency,
        subject=iki.rhk.skp.employee,
    ):
        link.agency_id = iki.agency_id
        link.service = service
        link.unit = unit
        link.created_by = actor
        link.save()
    return link


@transaction.atomic
def iki_ikm_unlink(*, actor: User, iki: Iki) -> None:
    """Remove the IKM source of `iki` (existing realisasi stay as they are)."""
    iki = _iki_for_link(actor=actor, iki=iki)
    link = IkiIkmSource.objects.filter(iki=iki).first()
    if link is None:
        raise ValidationError(_("IKI ini tidak mengambil realisasi dari IKM."))
    before = snapshot(link)
    link.delete()
    record(
        "surveys.iki_source.unlink",
        actor=actor,
        agency=iki.agency,
        target=iki,
        subject=iki.rhk.skp.employee,
        before=before,
    )


def _ikm_narrative(link: IkiIkmSource, result: IkmResult, responses: int) -> str:
    value = f"{result.converted:.2f}".replace(".", ",")
    source = link.service if link.service_id else link.unit
    values = {
        "name": source.name if source else "",
        "value": value,
        "mutu": result.mutu,
        "kinerja": KINERJA_LABELS.get(result.kinerja, result.kinerja),
        "n": responses,
    }
    if link.service_id:
        text = _(
            "IKM layanan %(name)s: %(value)s (mutu %(mutu)s, %(kinerja)s) dari %(n)s responden"
        )
    else:
        text = _("IKM unit %(name)s: %(value)s (mutu %(mutu)s, %(kinerja)s) dari %(n)s responden")
    return text % values


def _link_result(link: IkiIkmSource, period: Period) -> IkmResult | None:
    if link.service is not None:
        return selectors.ikm_for_service(
            service=link.service, period_start=period.start, period_end=period.end
        )
    if link.unit is not None:
        return selectors.ikm_for_unit(
            unit=link.unit, period_start=period.start, period_end=period.end
        )
    return None


def ikm_realisasi_sync(*, agency: Agency, period: Period, actor: User | None = None) -> int:
    """Write the IKM of each linked source into the realisasi of its IKI for `period`
    (a planning.Period): value = the converted IKM (25-100), over period.start..period.end.
    A source without a counted response in the range is skipped, never blanks a realisasi.
    Idempotent: a second run writes the same values. Returns the number of realisasi written.
    """
    if period.agency_id != agency.pk:
        raise ValidationError(_("Periode tidak ditemukan."))
    links = list(
        IkiIkmSource.objects.filter(agency=agency, iki__rhk__skp__year_id=period.year_id)
        .select_related("service", "unit", "iki__rhk__skp")
        .order_by("pk")
    )
    written, skipped = 0, 0
    with transaction.atomic():
        for link in links:
            result = _link_result(link, period)
            if result is None:
                skipped += 1
                continue
            responses = max(result.counts.values())
            Realisasi.objects.update_or_create(
                iki_id=link.iki_id,
                period=period,
                defaults={
                    "agency_id": agency.pk,
                    "employee_id": link.iki.rhk.skp.employee_id,
                    "value": result.converted,
                    "narrative": _ikm_narrative(link, result, responses),
                },
            )
            written += 1
        record(
            "surveys.iki_source.sync",
            actor=actor,
            agency=agency,
            target=period,
            after={"links": len(links), "written": written, "skipped": skipped},
        )
    return written
