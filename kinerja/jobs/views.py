from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kinerja.org.access import get_access, get_visible_or_404

from .models import Job


def job_filter(access):
    """A user sees the jobs they started; admin BKD sees the agency's."""
    from django.db.models import Q

    if access.agency_id is None:
        return Q(pk__in=[])
    if access.is_admin:
        return Q(agency_id=access.agency_id)
    return Q(agency_id=access.agency_id, created_by=access.user)


@login_required
def job_detail(request, pk):
    access = get_access(request)
    job = get_visible_or_404(request, Job.objects.all(), access_filter=job_filter(access), pk=pk)
    template = "jobs/_progress.html" if request.htmx else "jobs/detail.html"
    return render(request, template, {"job": job})
