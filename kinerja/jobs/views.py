from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails

from kinerja.audit.services import record_denied
from kinerja.lib.viewer import Viewer, viewer

from .models import Job


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def job_filter(access: Viewer) -> Q:
    """A user sees the jobs they started; admin BKD sees the agency's."""
    if access.agency_id is None:
        return Q(pk__in=[])
    if access.is_admin:
        return Q(agency_id=access.agency_id)
    return Q(agency_id=access.agency_id, created_by=access.user)


def visible_job_or_404(request: HttpRequest, pk: int) -> Job:
    """The job through the user's access; a miss is a recorded 404."""
    job = Job.objects.filter(job_filter(viewer(request))).filter(pk=pk).first()
    if job is None:
        record_denied("jobs.job.view", actor=request.user, target_type="jobs.job", target_id=pk)
        raise Http404
    return job


@login_required
def job_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    job = visible_job_or_404(request, pk)
    template = "jobs/_progress.html" if request.htmx else "jobs/detail.html"
    return render(request, template, {"job": job})
