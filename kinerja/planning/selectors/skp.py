"""What a user may see of the SKP, one SKP and its parts, and who may decide on it."""

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.authz import actor_employee, is_admin
from kinerja.org.access import Access, superior_of
from kinerja.org.models import Employee, User
from kinerja.rules import planning as rules

from .. import berakhlak
from ..models import Iki, OrgGoal, PerformanceYear, ReviewNote, Rhk, Skp, SkpVersion

SkpRows = TypeVar("SkpRows", bound=Sequence[Skp])

SKP_RELATED = (
    "year",
    "employee",
    "position",
    "unit",
    "rater",
    "rater_position",
    "rater_position__unit",
)


def skp_filter(access: Access, prefix: str = "") -> Q:
    """A Q over Skp: what the user may see. Own, the chart below them (as
    employee_filter), SKP they rate (acting raters outside the chart path),
    and for admin BKD the whole agency."""
    if access.agency_id is None:
        return Q(pk__in=[])
    visible = access.employee_filter(f"{prefix}employee__")
    if access.employee is not None:
        visible |= Q(**{f"{prefix}rater_id": access.employee.pk})
    return Q(**{f"{prefix}agency_id": access.agency_id}) & visible


def skp_queryset(access: Access) -> QuerySet[Skp]:
    return Skp.objects.filter(skp_filter(access)).select_related(*SKP_RELATED)


def my_skps(employee: Employee, year: PerformanceYear) -> list[Skp]:
    """The employee's SKP of the year, the latest first (a move starts a new one)."""
    return list(
        Skp.objects.filter(employee=employee, year=year)
        .select_related(*SKP_RELATED)
        .order_by("-valid_from")
    )


def rhk_queryset() -> QuerySet[Rhk]:
    return Rhk.objects.select_related(
        "parent", "parent__skp__employee", "org_goal"
    ).prefetch_related(
        Prefetch("ikis", queryset=Iki.objects.select_related("manual").order_by("order", "pk"))
    )


def skp_rhks(skp: Skp) -> list[Rhk]:
    return list(rhk_queryset().filter(skp=skp).order_by("kind", "order", "pk"))


def rater_skp(skp: Skp) -> Skp | None:
    """The rater's SKP of the same year (what subordinates link to)."""
    if skp.rater_id is None:
        return None
    return (
        Skp.objects.filter(employee_id=skp.rater_id, year_id=skp.year_id)
        .exclude(status=Skp.Status.DITUTUP)
        .first()
    )


def parent_choices(skp: Skp) -> list[Rhk]:
    """The rater's RHK this SKP may intervene in."""
    parent = rater_skp(skp)
    if parent is None:
        return []
    return list(Rhk.objects.filter(skp=parent).order_by("kind", "order", "pk"))


def parent_rhk(skp: Skp, pk: int | str | None) -> Rhk | None:
    """The superior RHK chosen in a form or a request (none chosen: None), looked
    up within the agency only; the services check it is the rater's, same year."""
    if pk is None or pk == "":
        return None
    parent = Rhk.objects.select_related("skp").filter(agency_id=skp.agency_id, pk=pk).first()
    if parent is None:
        raise ValidationError(_("RHK atasan tidak ditemukan."))
    return parent


def org_goal_or_404(skp: Skp, pk: int | str | None) -> OrgGoal | None:
    """The sasaran strategis chosen for an RHK (none chosen: None), within the agency."""
    if pk is None or pk == "":
        return None
    return get_object_or_404(OrgGoal, pk=pk, agency_id=skp.agency_id)


def goal_choices(skp: Skp) -> list[OrgGoal]:
    """The sasaran strategis a JPT SKP may take its RHK from."""
    return list(OrgGoal.objects.filter(year_id=skp.year_id))


def expectations(skp: Skp) -> list[tuple[int, str, tuple[str, ...], str]]:
    """The seven BerAKHLAK values with their guides and the leader's ekspektasi
    khusus on this SKP: (code, name, guides, text)."""
    texts = {e.value: e.ekspektasi_khusus for e in skp.expectations.all()}
    return [(code, name, guides, texts.get(code, "")) for code, name, guides in berakhlak.VALUES]


def review_notes(skp: Skp) -> list[ReviewNote]:
    return list(skp.notes.all())


def versions(skp: Skp) -> list[SkpVersion]:
    """The approved versions, the latest first, without their content."""
    return list(
        skp.versions.only(
            "pk", "number", "approved_at", "approved_by_name", "content_hash", "reason"
        )
    )


def latest_version(skp: Skp) -> SkpVersion | None:
    return skp.versions.order_by("-number").first()


def version_by_number(skp: Skp, number: int | str) -> SkpVersion:
    return get_object_or_404(SkpVersion, skp=skp, number=number)


def version_by_token(token: uuid.UUID | str) -> tuple[SkpVersion, bool]:
    """The version a printed QR code points to, and whether it is the latest."""
    version = get_object_or_404(SkpVersion.objects.select_related("skp", "skp__year"), token=token)
    latest = version.skp.versions.order_by("-number").values_list("number", flat=True).first()
    return version, latest == version.number


def annotate_late(skps: SkpRows, today: dt.date | None = None) -> SkpRows:
    """Marks each SKP `is_late` (not set by the year's deadline); returns `skps`."""
    today = today or timezone.localdate()
    for skp in skps:
        skp.is_late = rules.is_late(
            deadline=skp.year.skp_deadline,
            today=today,
            done=skp.status in (Skp.Status.DISETUJUI, Skp.Status.DITUTUP),
        )
    return skps


def team_skps(*, access: Access, year: PerformanceYear, today: dt.date | None = None) -> list[Skp]:
    """Subordinates' SKP of the year (direct ones reviewable, deeper ones
    read-only), with RHK counts: one query."""
    if access.employee is None:
        return []
    rows: list[Skp] = list(
        Skp.objects.filter(skp_filter(access), year=year)
        .exclude(employee=access.employee)
        .exclude(status=Skp.Status.DITUTUP)
        .select_related(*SKP_RELATED)
        .annotate(n_rhk=Count("rhks"))
        .order_by("unit__path", "employee__name", "pk")
    )
    for skp in rows:
        skp.can_review = skp.rater_id == access.employee.pk
    return annotate_late(rows, today)


def may_decide(actor: User, skp: Skp, *, today: dt.date | None = None) -> bool:
    """Who approves or returns an SKP: its recorded rater, the acting superior
    today, or, for the top of the tree (no rater), admin BKD on behalf of the
    PPK. Never the employee themself."""
    me = actor_employee(actor)
    if me is not None and me.pk == skp.employee_id:
        return False
    if me is not None and me.pk == skp.rater_id:
        return True
    if skp.rater_id is None:
        return is_admin(actor, skp.agency_id)
    if me is None:
        return False
    current = superior_of(skp.employee, on=today or timezone.localdate())
    return current is not None and current.pk == me.pk
