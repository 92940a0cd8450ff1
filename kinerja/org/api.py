"""REST API for the organisation, scoped exactly like the pages."""

from rest_framework import serializers, viewsets

from .access import get_access
from .models import Agency, Employee, OrgUnit, Position
from .selectors import employee_queryset, position_queryset, unit_queryset


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "code", "kind"]


class OrgUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "code", "name", "kind", "parent", "is_independent", "path", "depth"]


class PositionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Position
        fields = ["id", "code", "name", "kind", "jenjang", "unit", "superior", "is_unit_head"]


class EmployeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Employee
        fields = [
            "id",
            "nip",
            "name",
            "front_title",
            "back_title",
            "full_name",
            "status",
            "golongan",
            "pangkat",
            "gender",
            "position",
            "unit",
            "is_active",
            "active_from",
            "active_until",
        ]


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AgencySerializer

    def get_queryset(self):
        return Agency.objects.filter(pk=self.request.user.agency_id)


class OrgUnitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrgUnitSerializer

    def get_queryset(self):
        return unit_queryset(get_access(self.request)).order_by("path")


class PositionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PositionSerializer

    def get_queryset(self):
        return position_queryset(get_access(self.request)).order_by("path")


class EmployeeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EmployeeSerializer

    def get_queryset(self):
        return employee_queryset(get_access(self.request))


def register(router):
    router.register("agencies", AgencyViewSet, basename="agency")
    router.register("units", OrgUnitViewSet, basename="unit")
    router.register("positions", PositionViewSet, basename="position")
    router.register("employees", EmployeeViewSet, basename="employee")
