"""Django admin for the platform superuser only: creating agencies (tenants)
and their first admin BKD. Everything inside an agency is managed through the
app's own pages, which apply the org-chart permissions."""

from django.contrib import admin

from kinerja.audit.services import record, snapshot

from .models import Agency, RoleGrant


class SuperuserOnlyAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    has_add_permission = has_change_permission = has_view_permission

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Agency)
class AgencyAdmin(SuperuserOnlyAdmin):
    list_display = ["name", "code", "kind", "is_active", "created_at"]
    search_fields = ["name", "code"]

    def save_model(self, request, obj, form, change):
        before = snapshot(Agency.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        record(
            "org.agency.update" if change else "org.agency.create",
            actor=request.user,
            agency=obj,
            target=obj,
            before=before,
            after=snapshot(obj),
        )


@admin.register(RoleGrant)
class RoleGrantAdmin(SuperuserOnlyAdmin):
    list_display = ["user", "role", "agency", "unit"]
    list_filter = ["role", "agency"]
    raw_id_fields = ["user", "unit"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record(
            "org.role.grant",
            actor=request.user,
            agency=obj.agency,
            target=obj,
            after={"user": obj.user.username, "role": obj.role, "unit": obj.unit_id},
        )
