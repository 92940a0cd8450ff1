from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kinerja.lib.viewer import viewer

from .forms import AuditFilterForm
from .selectors import agency_events

PAGE_SIZE = 50


@login_required
def agency_log(request: HttpRequest) -> HttpResponse:
    """The agency's audit trail for admin BKD: filter by action, actor, date.
    The refusals of `kinerja.authz.admin_access` (which the audit app, below
    org, may not import): no agency 404, not admin BKD 403 with the reason."""
    access = viewer(request)
    if access.agency_id is None:
        raise Http404
    if not access.is_admin:
        raise PermissionDenied(_("Hanya admin BKD yang dapat melakukan ini."))
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = agency_events(
        agency_id=access.agency_id,
        action=filters.get("action", ""),
        actor=filters.get("actor", "").strip(),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        outcome=filters.get("outcome", ""),
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/agency_log.html", {"form": form, "page": page})
