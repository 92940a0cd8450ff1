from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from kinerja.audit.selectors import events_about_employee
from kinerja.audit.services import record

from . import selectors
from .access import get_access, get_employee_or_404, superior_of
from .models import Employee, Position


@login_required
def home(request):
    access = get_access(request)
    return render(request, "org/home.html", {"access": access, "employee": access.employee})


@login_required
def profile(request):
    access = get_access(request)
    employee = access.employee
    context = {"employee": employee}
    if employee is not None:
        context.update(
            superior=superior_of(employee),
            history=selectors.employee_history(employee),
            processing=events_about_employee(employee=employee, limit=50),
        )
    return render(request, "org/profile.html", context)


@login_required
def org_chart(request):
    access = get_access(request)
    if access.agency_id is None:
        raise Http404
    search = request.GET.get("q", "").strip()
    roots = selectors.org_tree(access=access, search=search)
    return render(request, "org/org_chart.html", {"roots": roots, "search": search})


@login_required
def employee_list(request):
    access = get_access(request)
    if access.agency_id is None:
        raise Http404
    params = {
        "search": request.GET.get("q", "").strip()[:100],
        "unit_id": request.GET.get("unit") or None,
        "kind": request.GET.get("kind", ""),
        "status": request.GET.get("status", ""),
        "active": request.GET.get("active", "1"),
        "page": request.GET.get("page", 1),
    }
    if params["unit_id"] and not str(params["unit_id"]).isdigit():
        params["unit_id"] = None
    page = selectors.employee_list(access=access, **params)
    context = {
        "page": page,
        "params": params,
        "units": [
            (u.pk, "— " * u.depth + u.name)
            for u in selectors.unit_queryset(access).only("pk", "name", "depth", "path")
        ],
        "kinds": Position.Kind.choices,
        "statuses": Employee.Status.choices,
    }
    template = "org/_employee_rows.html" if request.htmx else "org/employee_list.html"
    return render(request, template, context)


@login_required
def employee_detail(request, pk):
    employee = get_employee_or_404(request, pk)
    record("org.employee.view", actor=request.user, target=employee, subject=employee)
    context = {
        "employee": employee,
        "superior": superior_of(employee),
        "history": selectors.employee_history(employee),
    }
    return render(request, "org/employee_detail.html", context)
