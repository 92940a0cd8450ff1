"""The organisation's pages: home, profile, org chart, employee list and an
employee's page with admin BKD's actions on it (roles, password, move,
deactivation). Who may see what is `access`; who may act is `kinerja.authz`."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinerja.audit.selectors import events_about_employee
from kinerja.audit.services import record, record_denied
from kinerja.authz import admin_access, agency_access
from kinerja.web import call_service

from . import inbox, mfa, pickers, selectors, services, tokens
from .access import Access, get_access, get_employee_or_404, superior_of
from .forms import DeactivateForm, MoveForm, PasswordSetForm, RoleGrantForm
from .models import ApiToken, Employee, Position, RoleGrant


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The person's inbox: what waits for them in every stage, most urgent first, then
    where the year stands and their own progress (kinerja/org/inbox.py)."""
    access = get_access(request)
    today = timezone.localdate()
    return render(
        request,
        "org/home.html",
        {
            "access": access,
            "employee": access.employee,
            "today": today,
            "items": inbox.inbox_items(access, today),
            "panels": inbox.home_panels(access, today),
            "progress": inbox.progress_facts(access, today),
        },
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    access = get_access(request)
    employee = access.employee
    context: dict[str, Any] = {
        "employee": employee,
        "tokens": tokens.live_tokens(request.user),
    }
    if employee is not None:
        context.update(
            superior=superior_of(employee),
            history=selectors.employee_history(employee),
            processing=events_about_employee(employee=employee, limit=50),
        )
    return render(request, "org/profile.html", context)


@require_POST
@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of one's own API tokens; another person's id is a 404."""
    token = ApiToken.objects.filter(pk=pk, user=request.user, revoked_at__isnull=True).first()
    if token is None:
        record_denied(
            "auth.token.revoke", actor=request.user, target_type="org.apitoken", target_id=pk
        )
        raise Http404
    tokens.token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token %(p)s… dicabut.") % {"p": token.prefix})
    return redirect("org:profile")


@login_required
def org_chart(request: HttpRequest) -> HttpResponse:
    access = agency_access(request)
    search = request.GET.get("q", "").strip()[:100]
    roots = selectors.org_tree(access=access, search=search)
    context = {
        "roots": roots,
        "search": search,
        "match_count": selectors.tree_match_count(roots) if search else None,
    }
    return render(request, "org/org_chart.html", context)


@login_required
def employee_list(request: HttpRequest) -> HttpResponse:
    access = agency_access(request)
    query, error = pickers.with_typed_choice(request.GET, access, "unit", "unit")
    if error:
        messages.error(request, error)
    params: dict[str, Any] = {
        "search": request.GET.get("q", "").strip()[:100],
        "unit_id": query.get("unit") or None,
        "kind": request.GET.get("kind", ""),
        "status": request.GET.get("status", ""),
        "active": request.GET.get("active", "1"),
        "page": request.GET.get("page", 1),
    }
    if params["unit_id"] and not str(params["unit_id"]).isdigit():
        params["unit_id"] = None
    if params["kind"] not in Position.Kind.values:
        params["kind"] = ""
    if params["status"] not in Employee.Status.values:
        params["status"] = ""
    page = selectors.employee_list(access=access, **params)
    context = {
        "page": page,
        "params": params,
        "unit_label": request.GET.get("unit_cari", "")[:200],
        "kinds": Position.Kind.choices,
        "statuses": Employee.Status.choices,
    }
    template = "org/_employee_rows.html" if request.htmx else "org/employee_list.html"
    return render(request, template, context)


@login_required
def picker(request: HttpRequest) -> HttpResponse:
    """The matches of a picker (org/_picker.html) as an HTML fragment: at most
    `PICKER_LIMIT` of what the user may choose in the scope `jenis`, searched
    by the text of the field `<nama>_cari` (or `q`). Two or three queries."""
    scope = pickers.get_scope(request.GET.get("jenis", ""))
    if scope is None:
        raise Http404
    name = request.GET.get("nama", "")
    text = (request.GET.get(f"{name}_cari") if name else None) or request.GET.get("q", "")
    text = text.strip()[:100]
    options, more = selectors.picker_search(scope.queryset(get_access(request)), scope.kind, text)
    context = {
        "options": options,
        "more": more,
        "searched": bool(text),
        "limit": selectors.PICKER_LIMIT,
    }
    return render(request, "org/_picker_results.html", context)


def _relation(access: Access, employee: Employee, superior: Employee | None) -> str:
    """How the viewer relates to the employee, for the page's read-only note."""
    if access.employee is not None and access.employee.pk == employee.pk:
        return "self"
    if access.is_admin:
        return "admin"
    if superior is not None and access.employee is not None and superior.pk == access.employee.pk:
        return "direct"
    position_path = employee.position.path if employee.position_id else None
    if position_path and any(position_path.startswith(p) for p in access.position_paths):
        return "indirect"
    if any(employee.unit.path.startswith(p) for p in access.head_unit_paths):
        return "unit_head"
    return "other"


def _employee_queryset() -> QuerySet[Employee]:
    return Employee.objects.select_related("position", "unit", "user")


def _detail_context(request: HttpRequest, employee: Employee, **forms: Form) -> dict[str, Any]:
    access = get_access(request)
    superior = superior_of(employee)
    context = {
        "employee": employee,
        "superior": superior,
        "history": selectors.employee_history(employee),
        "subordinates": selectors.direct_subordinates(employee, access=access),
        "relation": _relation(access, employee, superior),
        "can_manage": access.is_admin,
    }
    if access.is_admin:
        user = employee.user
        context.update(
            grants=selectors.role_grants_of(user),
            role_form=forms.get("role_form")
            or RoleGrantForm(access=access, user=user, prefix="role"),
            password_form=forms.get("password_form")
            or (PasswordSetForm(user, prefix="pw") if user is not None else None),
            move_form=forms.get("move_form")
            or MoveForm(access=access, employee=employee, prefix="move"),
            deactivate_form=forms.get("deactivate_form")
            or DeactivateForm(employee=employee, prefix="deact"),
            open_form=next(iter(forms), ""),
        )
    return context


@login_required
def employee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    employee = get_employee_or_404(request, pk, _employee_queryset())
    if get_access(request).employee != employee:
        record("org.employee.view", actor=request.user, target=employee, subject=employee)
    return render(request, "org/employee_detail.html", _detail_context(request, employee))


def admin_action(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For the admin BKD forms on an employee's page: the employee is fetched
    through the user's access first (another agency's id is a 404, recorded),
    then only POST by an admin BKD of that agency is allowed (others get 403
    with the reason, and the attempt is recorded)."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, pk: int, **kwargs: Any) -> HttpResponse:
        employee = get_employee_or_404(request, pk, _employee_queryset())
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            admin_access(request)
        except PermissionDenied:
            record_denied(
                f"org.employee.{view.__name__.removeprefix('employee_')}",
                actor=request.user,
                target_type="org.employee",
                target_id=employee.pk,
            )
            raise
        return view(request, employee, **kwargs)

    return wrapper


def _render_invalid(request: HttpRequest, employee: Employee, **forms: Form) -> HttpResponse:
    messages.error(request, _("Perubahan belum disimpan. Periksa isian yang ditandai."))
    return render(request, "org/employee_detail.html", _detail_context(request, employee, **forms))


def _to_detail(employee: Employee) -> HttpResponse:
    return redirect("org:employee_detail", pk=employee.pk)


def _apply_form(
    request: HttpRequest,
    employee: Employee,
    form: Form,
    *,
    form_name: str,
    service: Callable[..., Any],
    success: str,
    arguments: Callable[[dict[str, Any]], dict[str, Any]],
) -> HttpResponse:
    """A valid form calls `service` with `arguments(cleaned_data)`: back to the
    employee's page on success; otherwise the page again with the form, its
    input and the errors (the service's refusal among them)."""
    if form.is_valid():
        ok, _result = call_service(
            request, service, form=form, success=success, **arguments(form.cleaned_data)
        )
        if ok:
            return _to_detail(employee)
    return _render_invalid(request, employee, **{form_name: form})


@admin_action
def employee_role_grant(request: HttpRequest, employee: Employee) -> HttpResponse:
    user = employee.user
    form = RoleGrantForm(request.POST, access=get_access(request), user=user, prefix="role")
    if user is None:
        form.add_error(None, _("Pegawai ini belum punya akun, jadi belum bisa diberi peran."))
    return _apply_form(
        request,
        employee,
        form,
        form_name="role_form",
        service=services.role_grant,
        success=_("Peran sudah diberikan."),
        arguments=lambda data: {"user": user, "role": data["role"], "unit": data["unit"]},
    )


@admin_action
def employee_role_revoke(request: HttpRequest, employee: Employee, grant_pk: int) -> HttpResponse:
    grant = selectors.role_grant_of(employee, grant_pk)
    if grant is None:
        raise Http404
    ok, _result = call_service(
        request, services.role_revoke, success=_("Peran sudah dicabut."), grant=grant
    )
    if ok and grant.role == RoleGrant.Role.ADMIN_BKD and grant.user_id == request.user.pk:
        return redirect("home")
    return _to_detail(employee)


@admin_action
def employee_password(request: HttpRequest, employee: Employee) -> HttpResponse:
    user = employee.user
    if user is None:
        messages.error(request, _("Pegawai ini belum punya akun."))
        return _to_detail(employee)
    form = PasswordSetForm(user, request.POST, prefix="pw")
    return _apply_form(
        request,
        employee,
        form,
        form_name="password_form",
        service=services.user_password_set,
        success=_("Kata sandi baru sudah ditetapkan. Sampaikan kepada pegawai."),
        arguments=lambda data: {"employee": employee, "password": data["new_password1"]},
    )


@admin_action
def employee_mfa_reset(request: HttpRequest, employee: Employee) -> HttpResponse:
    """A lost phone: the employee's authenticator and backup codes are removed;
    they enrol again at their next login (or from their profile)."""
    call_service(
        request,
        mfa.mfa_reset,
        employee=employee,
        success=_("Autentikasi dua faktor pegawai dihapus; pegawai mendaftar ulang saat masuk."),
    )
    return _to_detail(employee)


@admin_action
def employee_move(request: HttpRequest, employee: Employee) -> HttpResponse:
    form = MoveForm(request.POST, access=get_access(request), employee=employee, prefix="move")
    if not employee.is_active:
        form.add_error(None, _("Pegawai yang tidak aktif tidak dapat dimutasi."))
    return _apply_form(
        request,
        employee,
        form,
        form_name="move_form",
        service=services.employee_move,
        success=_("Mutasi jabatan sudah dicatat."),
        arguments=lambda data: {
            "employee": employee,
            "position": data["position"],
            "start": data["start"],
            "note": data["note"],
        },
    )


@admin_action
def employee_deactivate(request: HttpRequest, employee: Employee) -> HttpResponse:
    latest = selectors.latest_open_assignment_start(employee)
    form = DeactivateForm(request.POST, employee=employee, latest_start=latest, prefix="deact")
    if not employee.is_active:
        form.add_error(None, _("Pegawai ini sudah tidak aktif."))
    elif employee.user_id is not None and employee.user_id == request.user.pk:
        form.add_error(None, _("Anda tidak dapat menonaktifkan akun Anda sendiri."))
    return _apply_form(
        request,
        employee,
        form,
        form_name="deactivate_form",
        service=services.employee_deactivate,
        success=_("Pegawai sudah dinonaktifkan."),
        arguments=lambda data: {
            "employee": employee,
            "until": data["until"],
            "reason": data["reason"],
        },
    )


class AuditedPasswordChangeView(auth_views.PasswordChangeView):
    """The user's own password change, recorded (without the password)."""

    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form: Form) -> HttpResponse:
        response = super().form_valid(form)
        tokens.tokens_revoke_all(
            user=self.request.user, reason=tokens.PASSWORD_CHANGED, actor=self.request.user
        )
        employee = getattr(self.request.user, "employee", None)
        record(
            "org.user.password_change",
            actor=self.request.user,
            agency=self.request.user.agency,
            target=self.request.user,
            subject=employee,
        )
        return response
