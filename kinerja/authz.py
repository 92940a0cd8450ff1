"""One authority: who may act, and how a refusal is answered.

The rule, the same on every page and every API endpoint:

1. **Outside what the user may see → 404.** Objects are fetched *through* the
   user's access (`kinerja.org.access.get_visible_or_404` for pages,
   `kinerja.api.ScopedObjectMixin` for the API); a miss is recorded as a refused
   access and answered 404, never 403, which would confirm that the id exists.
2. **An action the user may not take on what they see → 403 with a message.**
   Services and views raise `PermissionDenied(message)`, mostly through the
   `require_*` functions below. The API answers it in `kinerja.api` (403 with
   the message as `detail`); pages show it on the 403 page (Django's handler
   renders templates/403.html with the message).
3. **A business rule that refuses → 400 with the message.** Services raise
   Django's `ValidationError`; the API answers 400 (`kinerja.api`), pages show
   the message next to the form or after the redirect (`kinerja.web`).

Who sees what follows the org chart and lives in `kinerja.org.access`; this
module only answers "may this person act as ...".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kinerja.org.access import Access, get_access
from kinerja.org.models import Employee, RoleGrant

if TYPE_CHECKING:
    from django.http import HttpRequest

__all__ = [
    "PermissionDenied",
    "actor_employee",
    "admin_access",
    "agency_access",
    "forum_access",
    "is_admin",
    "is_forum",
    "manager_access",
    "require_admin",
    "require_employee",
    "require_forum",
    "require_same_agency",
]


def _authenticated(actor: Any) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def actor_employee(actor: Any) -> Employee | None:
    """The employee record of a user account (with position and unit), cached on
    the user object for the rest of the request or job."""
    if not _authenticated(actor):
        return None
    if not hasattr(actor, "_kinerja_employee"):
        actor._kinerja_employee = (
            Employee.objects.filter(user=actor, agency_id=actor.agency_id)
            .select_related("position", "unit")
            .first()
        )
    employee: Employee | None = actor._kinerja_employee
    return employee


def require_employee(actor: Any) -> Employee:
    """The actor's employee record; an account without one may not act as an employee."""
    employee = actor_employee(actor)
    if employee is None:
        raise PermissionDenied(_("Akun Anda tidak terhubung dengan data pegawai."))
    return employee


FORUM_ONLY = gettext_noop("Hanya tim penilai kinerja instansi ini yang dapat melakukan ini.")


def _has_role(actor: Any, agency_id: int | None, roles: list[str]) -> bool:
    if not _authenticated(actor) or agency_id is None or actor.agency_id != agency_id:
        return False
    return RoleGrant.objects.filter(user=actor, agency_id=agency_id, role__in=roles).exists()


def is_admin(actor: Any, agency_id: int | None) -> bool:
    """Admin BKD of the agency (the HR office: BKD/BKPSDM)."""
    return _has_role(actor, agency_id, [RoleGrant.Role.ADMIN_BKD])


def is_forum(actor: Any, agency_id: int | None) -> bool:
    """Tim penilai kinerja of the agency; admin BKD acts for it too."""
    return _has_role(actor, agency_id, [RoleGrant.Role.TIM_PENILAI, RoleGrant.Role.ADMIN_BKD])


def require_admin(actor: Any, agency_id: int | None) -> None:
    if not is_admin(actor, agency_id):
        raise PermissionDenied(_("Hanya admin BKD yang dapat melakukan ini."))


def require_forum(actor: Any, agency_id: int | None) -> None:
    if not is_forum(actor, agency_id):
        raise PermissionDenied(_(FORUM_ONLY))


# --- pages and API views: the request's Access --------------------------------------------


def _agency_access(request: HttpRequest) -> Access:
    access = get_access(request)
    if access.agency_id is None:
        # A platform superuser has no agency: nothing of an agency is visible.
        raise Http404
    return access


def admin_access(request: HttpRequest) -> Access:
    """The request's access, for a page or endpoint of admin BKD only."""
    access = _agency_access(request)
    if not access.is_admin:
        raise PermissionDenied(_("Hanya admin BKD yang dapat melakukan ini."))
    return access


def forum_access(request: HttpRequest) -> Access:
    """The request's access, for the tim penilai kinerja (and admin BKD)."""
    access = _agency_access(request)
    if not (access.is_admin or access.is_tim_penilai):
        raise PermissionDenied(_(FORUM_ONLY))
    return access


def manager_access(request: HttpRequest) -> Access:
    """The request's access, for admin BKD and the pimpinan unit (their subtree)."""
    access = _agency_access(request)
    if not (access.is_admin or access.is_unit_head):
        raise PermissionDenied(_("Hanya admin BKD atau pimpinan unit yang dapat melakukan ini."))
    return access


def require_same_agency(actor: Any, obj: Any) -> None:
    """A service's guard: nobody acts on another agency's rows. Pages and the API
    answer such an id with 404 before a service is reached; a direct call (a job,
    a command, a test) is refused here."""
    if not _authenticated(actor) or actor.agency_id != obj.agency_id:
        raise PermissionDenied(_("Data berasal dari instansi lain."))


def agency_access(request: HttpRequest) -> Access:
    """The request's access, for a page of every member of an agency; a
    platform superuser (no agency) gets 404."""
    return _agency_access(request)
