"""What the planning services share: is the year still open, may this actor
still change this SKP, and the next place in an ordered list."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Model, QuerySet
from django.utils.translation import gettext as _

from kinerja.authz import actor_employee, require_same_agency
from kinerja.org.models import User

from ..models import PerformanceYear, Skp


def check_year_not_closed(year: PerformanceYear) -> None:
    if year.status == PerformanceYear.Status.CLOSED:
        raise ValidationError(_("Periode penilaian sudah ditutup; SKP tidak dapat diubah."))


def check_editable(actor: User, skp: Skp, *, by_rater: bool = False) -> None:
    """The owner edits their SKP in draft/dikembalikan; with by_rater, the
    rater may too (expectations, matrix). Decided on the stored state: the
    caller may hold a stale instance."""
    require_same_agency(actor, skp)
    skp.refresh_from_db(fields=["status", "version", "rater", "year"])
    skp.year.refresh_from_db(fields=["status"])
    check_year_not_closed(skp.year)
    if skp.status == Skp.Status.DISETUJUI:
        raise ValidationError(_("SKP sudah disetujui; perubahan hanya melalui revisi."))
    if skp.status == Skp.Status.DIAJUKAN:
        raise ValidationError(_("SKP sedang diajukan; tunggu keputusan pejabat penilai."))
    if skp.status == Skp.Status.DITUTUP:
        raise ValidationError(_("SKP ini sudah ditutup dan tidak dapat diubah."))
    me = actor_employee(actor)
    if me is not None and me.pk == skp.employee_id:
        return
    if by_rater and me is not None and me.pk == skp.rater_id:
        return
    raise PermissionDenied(_("Anda tidak berhak mengubah SKP ini."))


def next_order(rows: QuerySet[Model]) -> int:
    """The `order` after the last of `rows`."""
    return (rows.aggregate(m=Max("order"))["m"] or 0) + 1
