"""Django admin for the platform superuser only: creating agencies (tenants)
and their first admin BKD. Everything inside an agency is managed through the
app's own pages, which apply the org-chart permissions. Saves go through the
org services, which validate and record the audit trail."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinerja.audit.services import record

from . import services
from .models import Agency, RoleGrant


class SuperuserOnlyAdmin(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    has_add_permission = has_change_permission = has_view_permission

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _take_saved_row(obj: Any, saved: Any) -> None:
    """The admin keeps using its own instance: give it the row a service saved."""
    obj.pk = saved.pk
    obj._state.adding = False
    obj._state.db = saved._state.db
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))


@admin.register(Agency)
class AgencyAdmin(SuperuserOnlyAdmin):
    list_display = ["name", "code", "kind", "is_active", "created_at"]
    search_fields = ["name", "code"]

    def save_model(self, request: HttpRequest, obj: Agency, form: Any, change: bool) -> None:
        data = {name: getattr(obj, name) for name in ("name", "code", "kind", "place", "is_active")}
        if change:
            saved = services.agency_update(
                actor=request.user, agency=Agency.objects.get(pk=obj.pk), **data
            )
        else:
            saved = services.agency_create(actor=request.user, **data)
        _take_saved_row(obj, saved)


class RoleGrantAdminForm(forms.ModelForm):
    class Meta:
        model = RoleGrant
        fields = ["agency", "user", "role", "unit"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        user = data.get("user")
        if user is not None and data.get("role"):
            try:
                services.role_grant_check(user=user, role=data["role"], unit=data.get("unit"))
            except ValidationError as error:
                self.add_error(None, error)
        return data


@admin.register(RoleGrant)
class RoleGrantAdmin(SuperuserOnlyAdmin):
    form = RoleGrantAdminForm
    list_display = ["user", "role", "agency", "unit"]
    list_filter = ["role", "agency"]
    raw_id_fields = ["user", "unit"]

    def save_model(self, request: HttpRequest, obj: RoleGrant, form: Any, change: bool) -> None:
        if change:
            # No service changes a grant in place (the pages revoke and grant).
            super().save_model(request, obj, form, change)
            record(
                "org.role.grant",
                actor=request.user,
                agency=obj.agency,
                target=obj,
                after={"user": obj.user.username, "role": obj.role, "unit": obj.unit_id},
            )
            return
        grant = services.role_grant(actor=request.user, user=obj.user, role=obj.role, unit=obj.unit)
        _take_saved_row(obj, grant)


# django-otp registers its devices in the admin; the platform admin has no
# business with a person's authenticator or backup codes (admin BKD resets them
# on the employee's page, audited).
for _otp_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_otp_model):
        admin.site.unregister(_otp_model)
