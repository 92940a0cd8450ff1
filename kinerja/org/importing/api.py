"""The import through the API: upload a file (its dry run starts as a job), read
the run's status, counts and errors, and apply it (a job too). The same checks
as the pages (`apply.import_start`, `apply.import_apply`): only admin BKD of the
agency; another agency's run is a 404."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from kinerja.api import ScopedObjectMixin

from ..access import get_access
from ..models import ImportRun
from . import apply


class ImportRunSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.SerializerMethodField(
        help_text=_("Nama pegawai yang mengunggah (atau nama akunnya).")
    )
    job = serializers.IntegerField(source="job_id", allow_null=True, read_only=True)
    job_status = serializers.CharField(source="job.status", default=None, read_only=True)

    class Meta:
        model = ImportRun
        fields = [
            "id",
            "original_name",
            "file_format",
            "csv_kind",
            "size",
            "status",
            "preview",
            "error_count",
            "errors",
            "uploaded_by",
            "created_at",
            "applied_at",
            "job",
            "job_status",
        ]
        read_only_fields = fields

    def get_uploaded_by(self, run: ImportRun) -> str | None:
        user = run.created_by
        if user is None:
            return None
        employee = getattr(user, "employee", None)
        return employee.full_name if employee is not None else user.username


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_("Berkas .xlsx (lembar Unit, Jabatan, Pegawai) atau .csv.")
    )
    csv_kind = serializers.ChoiceField(
        choices=ImportRun.CsvKind.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Untuk .csv: isi berkas (unit, jabatan, pegawai)."),
    )


class ImportRunViewSet(
    ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Imports of units, positions and employees (admin BKD only)."""

    serializer_class = ImportRunSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        access = get_access(self.request)
        if not access.is_admin or access.agency_id is None:
            return ImportRun.objects.none()
        return ImportRun.objects.filter(agency_id=access.agency_id).select_related(
            "created_by", "created_by__employee", "job"
        )

    def _read(self, run: ImportRun, code: int) -> Response:
        run = self.get_queryset().get(pk=run.pk)
        return Response(self.serializer_class(run).data, status=code)

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={201: ImportRunSerializer},
        summary="Unggah berkas impor dan mulai uji coba (job)",
    )
    def create(self, request, *args, **kwargs):
        if not get_access(request).is_admin:
            raise PermissionDenied(_("Hanya admin BKD yang dapat mengimpor data."))
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        run = apply.import_start(
            actor=request.user,
            agency=request.user.agency,
            upload=upload.validated_data["file"],
            csv_kind=upload.validated_data["csv_kind"],
        )
        return self._read(run, status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={202: ImportRunSerializer},
        summary="Terapkan impor yang uji cobanya tanpa kesalahan (job)",
    )
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        run = self.get_object()
        run = apply.import_apply(actor=request.user, run=run)
        return self._read(run, status.HTTP_202_ACCEPTED)
