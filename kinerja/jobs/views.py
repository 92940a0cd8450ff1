from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kinerja.audit.services import record_denied
from kinerja.lib.viewer import Viewer, viewer
from kinerja.web import call_service

from . import services
from .models import Job
from .runner import MODE_LABELS, REGISTRY


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
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = visible_job_or_404(request, pk)
    if job.status == Job.Status.RUNNING and services.reap_stale(job_ids=[job.pk]):
        job.refresh_from_db()
    kind = REGISTRY.get(job.kind)
    context = {"job": job, "mode_label": MODE_LABELS[kind.mode] if kind else ""}
    template = "jobs/_progress.html" if request.htmx else "jobs/detail.html"
    return render(request, template, context)


@login_required
@require_POST
def job_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    job = visible_job_or_404(request, pk)
    ok, new_job = call_service(request, services.job_rerun, job=job)
    return redirect("jobs:detail", pk=new_job.pk if ok else job.pk)
