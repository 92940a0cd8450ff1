"""REST API for the organisation, scoped exactly like the pages.

Everyone reads what the pages would show them (kinerja/org/access.py); only
admin BKD writes, and every write goes through kinerja/org/services.py (which
validates and records the audit trail). Another agency's id is a 404.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from kinerja.api import ScopedObjectMixin

from . import mfa, pickers, services
from .access import get_access, superior_of
from .importing.api import ImportRunViewSet
from .models import Agency, Employee, OrgUnit, Position
from .selectors import (
    PICKER_LIMIT,
    employee_queryset,
    picker_search,
    position_queryset,
    superiors_for,
    unit_queryset,
)
from .tokens_api import ApiTokenViewSet


class IsAdminBkdOrReadOnly(BasePermission):
    """Reading for every signed-in user (within their access); writing for admin BKD."""

    message = _("Hanya admin BKD yang dapat mengubah data organisasi.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in SAFE_METHODS or get_access(request).is_admin:
            return True
        # A change to one object: decided once the object is found, so an
        # object outside what the user may see is a 404 before it is a 403.
        return (view.lookup_url_kwarg or view.lookup_field) in view.kwargs

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or get_access(request).is_admin


class ApiPagination(PageNumberPagination):
    """`?page_size=` from 1 to 500; anything else is a 400 (DRF would silently
    fall back to the default size)."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= self.max_page_size:
            raise serializers.ValidationError(
                {self.page_size_query_param: [f"Bilangan 1 sampai {self.max_page_size}."]}
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


@extend_schema_field(OpenApiTypes.INT)
class AgencyObjectField(serializers.PrimaryKeyRelatedField):
    """A foreign key chosen among the current user's agency's rows only; another
    agency's id reads as "does not exist"."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.model.objects.filter(agency_id=get_access(self.context["request"]).agency_id)


# --- Read serializers ------------------------------------------------------


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "code", "kind"]


class OrgUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "parent",
            "is_independent",
            "is_active",
            "path",
            "depth",
        ]


class PositionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Position
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "jenjang",
            "unit",
            "superior",
            "is_unit_head",
            "is_active",
            "path",
        ]


class EmployeeBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    nip = serializers.CharField()
    full_name = serializers.CharField()


class EmployeeSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    position_name = serializers.CharField(source="position.name", read_only=True, default=None)
    position_kind = serializers.CharField(source="position.kind", read_only=True, default=None)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    superior = serializers.SerializerMethodField(
        help_text=_("Pejabat penilai hari ini (Plt/Plh lebih dulu), atau null.")
    )

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
            "position_name",
            "position_kind",
            "unit",
            "unit_name",
            "superior",
            "is_active",
            "active_from",
            "active_until",
        ]

    @extend_schema_field(EmployeeBriefSerializer(allow_null=True))
    def get_superior(self, employee):
        superiors = self.context.get("superiors")
        superior = superiors.get(employee.pk) if superiors is not None else superior_of(employee)
        return EmployeeBriefSerializer(superior).data if superior is not None else None


# --- Write serializers (input shape only; the services validate the rest) ---


class _UniqueCode:
    """Codes are unique per agency: say so instead of failing on the constraint."""

    code_model = None

    def validate_code(self, value):
        taken = self.code_model.objects.filter(
            agency_id=get_access(self.context["request"]).agency_id, code=value
        )
        instance = self.context.get("instance")
        if instance is not None:
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            raise serializers.ValidationError(
                _("Kode %(code)s sudah dipakai di instansi ini.") % {"code": value}
            )
        return value


class OrgUnitWriteSerializer(_UniqueCode, serializers.Serializer):
    code_model = OrgUnit
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=OrgUnit.Kind.choices)
    parent = AgencyObjectField(OrgUnit, allow_null=True, required=False)
    is_independent = serializers.BooleanField(required=False, default=False)
    is_active = serializers.BooleanField(required=False, default=True)


class PositionWriteSerializer(_UniqueCode, serializers.Serializer):
    code_model = Position
    unit = AgencyObjectField(OrgUnit)
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Position.Kind.choices)
    jenjang = serializers.ChoiceField(
        choices=Position.Jenjang.choices, allow_blank=True, required=False, default=""
    )
    superior = AgencyObjectField(Position, allow_null=True, required=False)
    is_unit_head = serializers.BooleanField(required=False, default=False)
    is_active = serializers.BooleanField(required=False, default=True)


class EmployeeCreateSerializer(serializers.Serializer):
    # No length check here: the NIP service explains exactly which part is wrong.
    nip = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    status = serializers.ChoiceField(choices=Employee.Status.choices)
    position = AgencyObjectField(Position, allow_null=True, required=False)
    unit = AgencyObjectField(OrgUnit, allow_null=True, required=False)
    golongan = serializers.CharField(max_length=10, allow_blank=True, required=False)
    pangkat = serializers.CharField(max_length=60, allow_blank=True, required=False)
    front_title = serializers.CharField(max_length=40, allow_blank=True, required=False)
    back_title = serializers.CharField(max_length=60, allow_blank=True, required=False)
    email = serializers.EmailField(allow_blank=True, required=False)
    phone = serializers.CharField(max_length=30, allow_blank=True, required=False)
    start = serializers.DateField(required=False, help_text=_("Mulai aktif; bawaan hari ini."))


class EmployeeUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    front_title = serializers.CharField(max_length=40, allow_blank=True)
    back_title = serializers.CharField(max_length=60, allow_blank=True)
    golongan = serializers.CharField(max_length=10, allow_blank=True)
    pangkat = serializers.CharField(max_length=60, allow_blank=True)
    email = serializers.EmailField(allow_blank=True)
    phone = serializers.CharField(max_length=30, allow_blank=True)


class EmployeeMoveSerializer(serializers.Serializer):
    position = AgencyObjectField(Position)
    start = serializers.DateField()
    note = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")


class EmployeeDeactivateSerializer(serializers.Serializer):
    until = serializers.DateField(help_text=_("Hari terakhir aktif."))
    reason = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")


class EmployeeFilterSerializer(serializers.Serializer):
    search = serializers.CharField(
        required=False, max_length=100, help_text=_("Nama (bagian) atau awal NIP.")
    )
    unit = serializers.IntegerField(
        required=False, help_text=_("Unit kerja beserta semua unit di bawahnya.")
    )
    kind = serializers.ChoiceField(
        choices=Position.Kind.choices, required=False, help_text=_("Jenis jabatan.")
    )
    status = serializers.ChoiceField(choices=Employee.Status.choices, required=False)
    active = serializers.ChoiceField(
        choices=["1", "0", "all"],
        required=False,
        default="1",
        help_text=_("1: aktif saja (bawaan), 0: nonaktif saja, all: semua."),
    )


# --- Viewsets ----------------------------------------------------------------


class AgencyViewSet(ScopedObjectMixin, viewsets.ReadOnlyModelViewSet):
    """The user's own agency (a list of one)."""

    serializer_class = AgencySerializer

    def get_queryset(self):
        return Agency.objects.filter(pk=get_access(self.request).agency_id)


class _WriteViaServices(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """List/retrieve for everyone in scope; create/update (admin BKD) call
    `self.create_object` / `self.update_object`, which call a service."""

    permission_classes = [IsAdminBkdOrReadOnly]
    write_serializer_class = None

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return self.write_serializer_class
        return self.serializer_class

    def _read(self, obj, code=status.HTTP_200_OK):
        return Response(
            self.serializer_class(obj, context=self.get_serializer_context()).data, status=code
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = self.create_object(serializer.validated_data)
        return self._read(obj, status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        obj = self.get_object()  # first: a foreign id is a 404, not a 400
        serializer = self.get_serializer(
            data=request.data,
            partial=partial,
            context={**self.get_serializer_context(), "instance": obj},
        )
        serializer.is_valid(raise_exception=True)
        # Partial: DRF leaves out absent fields (and their defaults), so only
        # what the client sent is changed.
        obj = self.update_object(obj, dict(serializer.validated_data))
        return self._read(obj)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


@extend_schema_view(
    create=extend_schema(request=OrgUnitWriteSerializer, responses={201: OrgUnitSerializer}),
    update=extend_schema(request=OrgUnitWriteSerializer, responses=OrgUnitSerializer),
    partial_update=extend_schema(request=OrgUnitWriteSerializer, responses=OrgUnitSerializer),
)
class OrgUnitViewSet(_WriteViaServices):
    serializer_class = OrgUnitSerializer
    write_serializer_class = OrgUnitWriteSerializer

    def get_queryset(self):
        return unit_queryset(get_access(self.request)).order_by("path", "pk")

    def create_object(self, data):
        data.pop("is_active", None)
        return services.unit_create(
            actor=self.request.user, agency=self.request.user.agency, **data
        )

    def update_object(self, unit, data):
        return services.unit_update(actor=self.request.user, unit=unit, **data)


@extend_schema_view(
    create=extend_schema(request=PositionWriteSerializer, responses={201: PositionSerializer}),
    update=extend_schema(request=PositionWriteSerializer, responses=PositionSerializer),
    partial_update=extend_schema(request=PositionWriteSerializer, responses=PositionSerializer),
)
class PositionViewSet(_WriteViaServices):
    serializer_class = PositionSerializer
    write_serializer_class = PositionWriteSerializer

    def get_queryset(self):
        return position_queryset(get_access(self.request)).order_by("path", "pk")

    def create_object(self, data):
        data.pop("is_active", None)
        return services.position_create(
            actor=self.request.user, agency=self.request.user.agency, **data
        )

    def update_object(self, position, data):
        return services.position_update(actor=self.request.user, position=position, **data)


@extend_schema_view(
    list=extend_schema(parameters=[EmployeeFilterSerializer]),
    create=extend_schema(request=EmployeeCreateSerializer, responses={201: EmployeeSerializer}),
    update=extend_schema(request=EmployeeUpdateSerializer, responses=EmployeeSerializer),
    partial_update=extend_schema(request=EmployeeUpdateSerializer, responses=EmployeeSerializer),
)
class EmployeeViewSet(_WriteViaServices):
    """Employees the user may see. Lists carry each row's pejabat penilai
    computed for the whole page in one query; inactive employees are listed
    only with `active=0` or `active=all`."""

    serializer_class = EmployeeSerializer
    pagination_class = ApiPagination

    def get_serializer_class(self):
        if self.action == "create":
            return EmployeeCreateSerializer
        if self.action in ("update", "partial_update"):
            return EmployeeUpdateSerializer
        if self.action == "move":
            return EmployeeMoveSerializer
        if self.action == "deactivate":
            return EmployeeDeactivateSerializer
        return EmployeeSerializer

    def get_queryset(self):
        return employee_queryset(get_access(self.request))

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        params = EmployeeFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        filters = params.validated_data
        if filters.get("search"):
            queryset = queryset.filter(
                Q(name__icontains=filters["search"]) | Q(nip__startswith=filters["search"])
            )
        if filters.get("unit"):
            access = get_access(self.request)
            unit = (
                OrgUnit.objects.filter(access.unit_filter(), pk=filters["unit"])
                .only("path")
                .first()
            )
            queryset = (
                queryset.filter(unit__path__startswith=unit.path) if unit else queryset.none()
            )
        if filters.get("kind"):
            queryset = queryset.filter(position__kind=filters["kind"])
        if filters.get("status"):
            queryset = queryset.filter(status=filters["status"])
        if filters["active"] in ("1", "0"):
            queryset = queryset.filter(is_active=filters["active"] == "1")
        return queryset

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {**self.get_serializer_context(), "superiors": superiors_for(page)}
        return self.get_paginated_response(
            EmployeeSerializer(page, many=True, context=context).data
        )

    def create_object(self, data):
        return services.employee_create(
            actor=self.request.user, agency=self.request.user.agency, **data
        )

    def update_object(self, employee, data):
        return services.employee_update(actor=self.request.user, employee=employee, **data)

    @extend_schema(
        request=EmployeeMoveSerializer,
        responses=EmployeeSerializer,
        summary="Mutasi definitif ke jabatan lain",
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        employee = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        employee = services.employee_move(
            actor=request.user, employee=employee, **serializer.validated_data
        )
        return self._read(employee)

    @extend_schema(
        request=EmployeeDeactivateSerializer,
        responses=EmployeeSerializer,
        summary="Nonaktifkan pegawai (pensiun, berhenti, pindah instansi)",
    )
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        employee = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        employee = services.employee_deactivate(
            actor=request.user, employee=employee, **serializer.validated_data
        )
        return self._read(employee)

    @extend_schema(
        request=None,
        responses=EmployeeSerializer,
        summary="Atur ulang autentikasi dua faktor pegawai (ponsel hilang)",
        description=(
            "Admin BKD menghapus aplikasi autentikator dan kode cadangan pegawai; pegawai "
            "mendaftarkan yang baru saat masuk berikutnya. Tercatat di jejak audit."
        ),
    )
    @action(detail=True, methods=["post"], url_path="mfa-reset")
    def mfa_reset(self, request, pk=None):
        employee = self.get_object()
        mfa.mfa_reset(actor=request.user, employee=employee)
        return self._read(employee)


# --- Search (the pickers' endpoint) --------------------------------------------


class PickerQuerySerializer(serializers.Serializer):
    jenis = serializers.CharField(
        help_text=_(
            "Apa yang dicari: pegawai, pegawai-fungsional, pegawai-instansi, unit, "
            "unit-instansi, jabatan (dan lingkup lain yang didaftarkan aplikasi)."
        )
    )
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_("Nama, awal NIP atau kode, atau kode unit tepat."),
    )

    def validate_jenis(self, value):
        if pickers.get_scope(value) is None:
            raise serializers.ValidationError(_("Jenis pencarian tidak dikenal."))
        return value


class PickerOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    label = serializers.CharField()
    detail = serializers.CharField()


class PickerResultSerializer(serializers.Serializer):
    results = PickerOptionSerializer(many=True)
    more = serializers.BooleanField(help_text=_("Ada lebih banyak yang cocok daripada batasnya."))


class SearchViewSet(viewsets.ViewSet):
    """Search as you type, within what the user may see: the same matches as the
    pages' pickers, at most PICKER_LIMIT of them."""

    @extend_schema(
        parameters=[PickerQuerySerializer],
        responses=PickerResultSerializer,
        summary="Cari pegawai, unit atau jabatan (untuk pemilih)",
    )
    def list(self, request):
        query = PickerQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        scope = pickers.get_scope(query.validated_data["jenis"])
        options, more = picker_search(
            scope.queryset(get_access(request)),
            scope.kind,
            query.validated_data.get("q", "").strip(),
            limit=PICKER_LIMIT,
        )
        return Response(PickerResultSerializer({"results": options, "more": more}).data)


def register(router):
    router.register("search", SearchViewSet, basename="search")
    router.register("imports", ImportRunViewSet, basename="import")
    router.register("agencies", AgencyViewSet, basename="agency")
    router.register("units", OrgUnitViewSet, basename="unit")
    router.register("positions", PositionViewSet, basename="position")
    router.register("employees", EmployeeViewSet, basename="employee")
    router.register("tokens", ApiTokenViewSet, basename="token")
