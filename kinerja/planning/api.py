"""REST API of performance planning; `register(router)` is called from
kinerja/api_urls.py. Every action calls the same service as the pages, and
every object is fetched through the user's access (a foreign id is a 404)."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from kinerja import authz
from kinerja.api import ScopedObjectMixin
from kinerja.org.access import get_access, get_visible_or_404
from kinerja.rules import planning as rules
from kinerja.rules.calendar import WorkdayRules

from . import selectors, services
from .models import CalendarOverride, Iki, OrgGoal, PerformanceYear, Rhk, Skp
from .selectors import calendar as calendar_selectors


def _agency_q(access):
    return Q(agency_id=access.agency_id) if access.agency_id else Q(pk__in=[])


# --- serializers (shape only; rules live in services) ----------------------------


class PerformanceYearSerializer(serializers.ModelSerializer):
    # Plain strings in the schema: these choice sets are shared with SkpSerializer
    # and other apps, and enum naming would collide.
    status = serializers.CharField(read_only=True)
    default_approach = serializers.CharField(required=False, default="kuantitatif")

    class Meta:
        model = PerformanceYear
        fields = [
            "id",
            "year",
            "start",
            "end",
            "frequency",
            "skp_deadline",
            "annual_deadline",
            "annual_source",
            "default_approach",
            "status",
        ]
        read_only_fields = ["status"]
        extra_kwargs = {
            "year": {"min_value": rules.YEAR_MIN, "max_value": rules.YEAR_MAX},
            "start": {"required": False},
            "end": {"required": False},
            "skp_deadline": {"required": False},
            "annual_deadline": {"required": False},
        }
        validators = []


class OrgGoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgGoal
        fields = ["id", "year", "unit", "text", "indicator", "target", "source", "order"]
        read_only_fields = ["order"]


class IkiSerializer(serializers.ModelSerializer):
    class Meta:
        model = Iki
        fields = [
            "id",
            "rhk",
            "text",
            "aspect",
            "perspektif",
            "target_text",
            "target_min",
            "target_max",
            "unit",
            "lower_is_better",
            "order",
        ]
        read_only_fields = ["order"]


class RhkSerializer(serializers.ModelSerializer):
    ikis = IkiSerializer(many=True, read_only=True)

    class Meta:
        model = Rhk
        fields = [
            "id",
            "skp",
            "text",
            "kind",
            "source",
            "parent",
            "org_goal",
            "assigned_by",
            "order",
            "ikis",
        ]
        read_only_fields = ["order"]
        extra_kwargs = {
            "skp": {"queryset": Skp.objects.none()},
            "parent": {"queryset": Rhk.objects.none()},
            "org_goal": {"queryset": OrgGoal.objects.none()},
        }


class SkpSerializer(serializers.ModelSerializer):
    format_code = serializers.CharField(read_only=True)
    employee_name = serializers.CharField(source="employee.full_name", read_only=True)
    rater_name = serializers.CharField(source="rater.full_name", read_only=True, default=None)
    status = serializers.CharField(read_only=True)
    form = serializers.CharField(read_only=True)
    approach = serializers.CharField(read_only=True)

    class Meta:
        model = Skp
        fields = [
            "id",
            "year",
            "employee",
            "employee_name",
            "position",
            "unit",
            "rater",
            "rater_name",
            "form",
            "approach",
            "format_code",
            "status",
            "version",
            "valid_from",
            "valid_until",
            "dukungan_sumber_daya",
            "skema_pertanggungjawaban",
            "konsekuensi",
            "submitted_at",
            "approved_at",
        ]
        read_only_fields = fields


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class LampiranSerializer(serializers.Serializer):
    dukungan_sumber_daya = serializers.CharField(allow_blank=True, required=False, default="")
    skema_pertanggungjawaban = serializers.CharField(allow_blank=True, required=False, default="")
    konsekuensi = serializers.CharField(allow_blank=True, required=False, default="")


class ExpectationsSerializer(serializers.Serializer):
    values = serializers.DictField(child=serializers.CharField(allow_blank=True))


class MatrixAssignSerializer(serializers.Serializer):
    skp_ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    text = serializers.CharField(required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=Rhk.Kind.choices, default=Rhk.Kind.UTAMA)


class ManualSerializer(serializers.Serializer):
    definition = serializers.CharField(allow_blank=True)
    formula = serializers.CharField(required=False, allow_blank=True, default="")
    unit = serializers.CharField(required=False, allow_blank=True, default="")
    data_source = serializers.CharField(required=False, allow_blank=True, default="")
    reporting_period = serializers.CharField(required=False, allow_blank=True, default="")


class WindowSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    source = serializers.CharField(read_only=True)
    override = serializers.IntegerField(source="override.pk", read_only=True, allow_null=True)
    reason = serializers.CharField(source="override.reason", read_only=True, allow_null=True)


class PeriodWindowsSerializer(serializers.Serializer):
    period = serializers.IntegerField(source="period.pk")
    number = serializers.IntegerField(source="period.number", read_only=True)
    label = serializers.CharField(read_only=True)
    start = serializers.DateField(source="period.start", read_only=True)
    end = serializers.DateField(source="period.end", read_only=True)
    realisasi = WindowSerializer()
    evaluation = WindowSerializer()


class WorkdaysSerializer(serializers.Serializer):
    deliver_days = serializers.IntegerField()
    deliver_days_by_superior = serializers.IntegerField()
    acknowledge_days = serializers.IntegerField()
    acknowledge_days_by_superior = serializers.IntegerField()
    appeal_file_days = serializers.IntegerField()
    appeal_decide_days = serializers.IntegerField()
    report_days = serializers.IntegerField()
    superior_rates_days = serializers.IntegerField()


class YearPositionSerializer(serializers.Serializer):
    today = serializers.DateField()
    stage = serializers.CharField()
    open_windows = serializers.ListField(child=serializers.CharField())
    next_label = serializers.CharField(allow_null=True)
    next_date = serializers.DateField(allow_null=True)


class CalendarSerializer(serializers.Serializer):
    """The effective calendar (read), as the Kalender page shows it."""

    year = serializers.IntegerField(source="year.year")
    year_id = serializers.IntegerField(source="year.pk")
    unit = serializers.IntegerField(source="unit_id", allow_null=True)
    skp = WindowSerializer()
    periods = PeriodWindowsSerializer(many=True)
    annual = WindowSerializer()
    workdays = WorkdaysSerializer()


class MyCalendarSerializer(serializers.Serializer):
    calendar = CalendarSerializer()
    position = YearPositionSerializer()


class PeriodDatesSerializer(serializers.Serializer):
    period = serializers.IntegerField()
    realisasi_start = serializers.DateField()
    realisasi_end = serializers.DateField()
    window_start = serializers.DateField()
    window_end = serializers.DateField()


class CalendarUpdateSerializer(serializers.Serializer):
    """The agency's calendar of a year (PUT): every date and rule, all or nothing."""

    skp_deadline = serializers.DateField()
    annual_start = serializers.DateField()
    annual_deadline = serializers.DateField()
    periods = PeriodDatesSerializer(many=True)
    workdays = WorkdaysSerializer()


class CalendarOverrideSerializer(serializers.ModelSerializer):
    window = serializers.CharField()
    start = serializers.DateField(required=False)
    created_by = serializers.CharField(source="created_by.username", read_only=True, default=None)

    class Meta:
        model = CalendarOverride
        fields = [
            "id",
            "year",
            "unit",
            "window",
            "period",
            "start",
            "end",
            "reason",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["created_at"]
        validators = []


def _data(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- viewsets -----------------------------------------------------------------------


class PerformanceYearViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PerformanceYearSerializer

    def get_queryset(self):
        return PerformanceYear.objects.filter(_agency_q(get_access(self.request))).order_by("-year")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.year_create(
            actor=self.request.user,
            agency=self.request.user.agency,
            year=data["year"],
            frequency=data["frequency"],
            annual_source=data["annual_source"],
            start=data.get("start"),
            end=data.get("end"),
            skp_deadline=data.get("skp_deadline"),
            annual_deadline=data.get("annual_deadline"),
            default_approach=data.get("default_approach") or "kuantitatif",
        )

    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        job = services.year_open(actor=request.user, year=self.get_object())
        return Response({"job": job.pk, "status": job.status}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(methods=["GET"], responses=CalendarSerializer)
    @extend_schema(methods=["PUT"], request=CalendarUpdateSerializer, responses=CalendarSerializer)
    @action(detail=True, methods=["get", "put"])
    def calendar(self, request, pk=None):
        """The agency's calendar of the year (without the units' own dates); admin BKD
        sets it with PUT, every date and rule at once."""
        year = self.get_object()
        if request.method == "PUT":
            authz.require_admin(request.user, year.agency_id)  # 403 before the input's 400
            data = _data(CalendarUpdateSerializer, request)
            periods = {row.pop("period"): services.PeriodDates(**row) for row in data["periods"]}
            services.calendar_update(
                actor=request.user,
                year=year,
                skp_deadline=data["skp_deadline"],
                annual_start=data["annual_start"],
                annual_deadline=data["annual_deadline"],
                periods=periods,
                workdays=WorkdayRules(**data["workdays"]),
            )
        return Response(_year_calendar(year))


class OrgGoalViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = OrgGoalSerializer

    def get_queryset(self):
        qs = OrgGoal.objects.filter(_agency_q(get_access(self.request)))
        if self.request.query_params.get("year"):
            qs = qs.filter(year_id=self.request.query_params["year"])
        return qs.order_by("year", "order", "pk")

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        access = get_access(self.request)
        fields = getattr(serializer, "fields", {})
        if "year" in fields:
            fields["year"].queryset = PerformanceYear.objects.filter(_agency_q(access))
            fields["unit"].queryset = fields["unit"].queryset.filter(_agency_q(access))
        return serializer

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.org_goal_create(
            actor=self.request.user,
            year=data["year"],
            text=data["text"],
            source=data["source"],
            indicator=data.get("indicator", ""),
            target=data.get("target", ""),
            unit=data.get("unit"),
        )


class PdfRenderer(BaseRenderer):
    """Passes a PDF through (so that `Accept: application/pdf` is served); a refusal,
    which has no PDF, is written as JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)


class SkpVerificationSerializer(serializers.Serializer):
    skp = serializers.IntegerField(source="version.skp_id")
    format = serializers.CharField(source="version.content.format")
    year = serializers.IntegerField(source="version.content.year")
    version = serializers.IntegerField(source="version.number")
    content_hash = serializers.CharField(source="version.content_hash")
    employee_name = serializers.CharField(source="version.content.employee.name")
    employee_nip = serializers.CharField(source="version.content.employee.nip")
    approved_by_name = serializers.CharField(source="version.approved_by_name")
    approved_at = serializers.DateTimeField(source="version.approved_at")
    is_latest = serializers.BooleanField(help_text="False when a newer version was approved.")


class SkpVerificationViewSet(viewsets.GenericViewSet):
    """Public, as the verification page: the token of a printed SKP's QR code proves the
    paper is an approved version (document, version, content hash, approver, time), with
    nothing beyond what the paper prints."""

    permission_classes = [AllowAny]
    serializer_class = SkpVerificationSerializer
    lookup_field = "token"
    lookup_value_regex = (
        "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
    )

    def retrieve(self, request, token=None):
        version, is_latest = selectors.version_by_token(token)
        return Response(
            SkpVerificationSerializer({"version": version, "is_latest": is_latest}).data
        )


class SkpViewSet(ScopedObjectMixin, viewsets.ReadOnlyModelViewSet):
    """SKP the user may see: own, subordinates' (by the org chart and as rater),
    the whole agency for admin BKD. Filter with ?year=<id>&scope=own|team."""

    serializer_class = SkpSerializer

    def get_queryset(self):
        access = get_access(self.request)
        qs = selectors.skp_queryset(access).order_by("year", "employee__name", "pk")
        params = self.request.query_params
        if params.get("year"):
            qs = qs.filter(year_id=params["year"])
        if params.get("scope") == "own" and access.employee:
            qs = qs.filter(employee=access.employee)
        elif params.get("scope") == "team" and access.employee:
            qs = qs.exclude(employee=access.employee)
        return qs

    def _done(self, skp):
        skp = self.get_queryset().get(pk=skp.pk)
        return Response(SkpSerializer(skp).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "version", int, description="an approved version's number (default: the latest)"
            )
        ],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], renderer_classes=[PdfRenderer, JSONRenderer])
    def pdf(self, request, pk=None):
        """The printed SKP, as the page prints it: the approved version with its QR
        code for verification, or the draft marked KONSEP. Recorded as a print."""
        skp = self.get_object()
        version = None
        wanted = request.query_params.get("version", "")
        if wanted:
            if not wanted.isdigit():
                raise Http404
            version = selectors.version_by_number(skp, wanted)
        data, filename = services.skp_print(
            actor=request.user,
            skp=skp,
            base_url=request.build_absolute_uri("/").rstrip("/"),
            version=version,
        )
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        skp = self.get_object()
        services.skp_submit(actor=request.user, skp=skp)
        return self._done(skp)

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        skp = self.get_object()
        version = services.skp_approve(
            actor=request.user, skp=skp, note=_data(NoteSerializer, request)["note"]
        )
        data = self._done(skp).data
        data["content_hash"] = version.content_hash
        data["verification_token"] = str(version.token)
        return Response(data)

    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        skp = self.get_object()
        services.skp_return(
            actor=request.user, skp=skp, note=_data(NoteSerializer, request)["note"]
        )
        return self._done(skp)

    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        skp = self.get_object()
        services.skp_revise(
            actor=request.user, skp=skp, reason=_data(ReasonSerializer, request)["reason"]
        )
        return self._done(skp)

    @action(detail=True, methods=["post"])
    def lampiran(self, request, pk=None):
        skp = self.get_object()
        services.skp_lampiran_set(actor=request.user, skp=skp, **_data(LampiranSerializer, request))
        return self._done(skp)

    @action(detail=True, methods=["post"])
    def expectations(self, request, pk=None):
        skp = self.get_object()
        values = _data(ExpectationsSerializer, request)["values"]
        try:
            values = {int(k): v for k, v in values.items()}
        except ValueError as exc:
            raise ValidationError(_("Nilai BerAKHLAK harus 1 sampai 7.")) from exc
        services.skp_expectations_set(actor=request.user, skp=skp, values=values)
        return self._done(skp)


def _rhk_access_q(request, prefix):
    return selectors.skp_filter(get_access(request), prefix)


class RhkViewSet(ScopedObjectMixin, viewsets.ModelViewSet):
    serializer_class = RhkSerializer

    def get_queryset(self):
        qs = (
            Rhk.objects.filter(_rhk_access_q(self.request, "skp__"))
            .select_related("skp", "skp__year", "skp__position", "skp__rater_position")
            .prefetch_related("ikis")
            .order_by("skp", "kind", "order", "pk")
        )
        if self.request.query_params.get("skp"):
            qs = qs.filter(skp_id=self.request.query_params["skp"])
        return qs

    def _ids(self):
        data = self.request.data if isinstance(self.request.data, dict) else {}
        return data.get("skp"), data.get("parent"), data.get("org_goal")

    def create(self, request, *args, **kwargs):
        skp_id, parent_id, goal_id = self._ids()
        skp = get_visible_or_404(
            request,
            Skp.objects.select_related("year", "position", "rater_position"),
            access_filter=selectors.skp_filter(get_access(request)),
            pk=skp_id or 0,
        )
        rhk = services.rhk_add(
            actor=request.user,
            skp=skp,
            text=request.data.get("text", ""),
            kind=request.data.get("kind") or Rhk.Kind.UTAMA,
            source=request.data.get("source") or Rhk.Source.INTERVENSI,
            parent=selectors.parent_rhk(skp, parent_id),
            org_goal=selectors.org_goal_or_404(skp, goal_id),
            assigned_by=request.data.get("assigned_by", ""),
        )
        return Response(RhkSerializer(rhk).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        rhk = self.get_object()
        data = request.data
        services.rhk_update(
            actor=request.user,
            rhk=rhk,
            text=data.get("text"),
            kind=data.get("kind"),
            source=data.get("source"),
            assigned_by=data.get("assigned_by"),
        )
        if "parent" in data or "org_goal" in data:
            services.rhk_link(
                actor=request.user,
                rhk=rhk,
                parent=selectors.parent_rhk(rhk.skp, data.get("parent")),
                org_goal=selectors.org_goal_or_404(rhk.skp, data.get("org_goal")),
            )
        return Response(RhkSerializer(self.get_queryset().get(pk=rhk.pk)).data)

    def destroy(self, request, *args, **kwargs):
        services.rhk_delete(actor=request.user, rhk=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"], url_path="matrix-assign", url_name="matrix-assign")
    def matrix_assign(self, request, pk=None):
        """Hand this RHK (the superior's own) to many subordinates' SKP at once."""
        rhk = self.get_object()
        data = _data(MatrixAssignSerializer, request)
        result = services.rhk_matrix_assign(
            actor=request.user,
            parent_rhk=rhk,
            skp_ids=data["skp_ids"],
            text=data["text"],
            kind=data["kind"],
        )
        return Response(result)


class IkiViewSet(ScopedObjectMixin, viewsets.ModelViewSet):
    serializer_class = IkiSerializer

    def get_queryset(self):
        return (
            Iki.objects.filter(_rhk_access_q(self.request, "rhk__skp__"))
            .select_related("rhk__skp__year", "rhk__skp__position")
            .order_by("rhk", "order", "pk")
        )

    def _values(self):
        data = {k: v for k, v in self.request.data.items() if k in services.IKI_FIELDS}
        shape = IkiSerializer(data=data, partial=True)
        shape.fields.pop("rhk")
        shape.is_valid(raise_exception=True)
        return dict(shape.validated_data)

    def create(self, request, *args, **kwargs):
        rhk = get_visible_or_404(
            request,
            Rhk.objects.select_related("skp__year", "skp__position"),
            access_filter=_rhk_access_q(request, "skp__"),
            pk=request.data.get("rhk") or 0,
        )
        iki = services.iki_add(actor=request.user, rhk=rhk, **self._values())
        data = IkiSerializer(iki).data
        data["warnings"] = iki.warnings
        return Response(data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        iki = self.get_object()
        iki = services.iki_update(actor=request.user, iki=iki, **self._values())
        data = IkiSerializer(iki).data
        data["warnings"] = iki.warnings
        return Response(data)

    def destroy(self, request, *args, **kwargs):
        services.iki_delete(actor=request.user, iki=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"])
    def manual(self, request, pk=None):
        iki = self.get_object()
        manual = services.iki_manual_set(
            actor=request.user, iki=iki, **_data(ManualSerializer, request)
        )
        return Response(
            {
                "iki": iki.pk,
                "definition": manual.definition,
                "formula": manual.formula,
                "unit": manual.unit,
                "data_source": manual.data_source,
                "reporting_period": manual.reporting_period,
            }
        )


# --- the year's calendar -------------------------------------------------------------


class CalendarViewSet(viewsets.GenericViewSet):
    """The calendar that applies to the user (their unit's) for a year (?year=<number>;
    default: the current year) and where the year stands."""

    serializer_class = MyCalendarSerializer

    @extend_schema(parameters=[OpenApiParameter("year", int, required=False)])
    def list(self, request):
        access = get_access(request)
        if access.agency_id is None:
            raise Http404
        chosen = request.query_params.get("year", "")
        year = (
            selectors.years(access.agency_id).filter(year=chosen).first()
            if chosen.isdigit()
            else selectors.current_year(access.agency_id)
        )
        if year is None:
            raise Http404
        cal = calendar_selectors.calendar_for(access.employee, year)
        position = calendar_selectors.year_position(cal, timezone.localdate())
        return Response(MyCalendarSerializer({"calendar": cal, "position": position}).data)


class CalendarOverrideViewSet(ScopedObjectMixin, viewsets.ModelViewSet):
    """Units' own dates (admin BKD): ?year=<id> to filter. Create, change (start, end,
    reason) and remove call the same services as the page."""

    serializer_class = CalendarOverrideSerializer

    def get_queryset(self):
        access = get_access(self.request)
        if not access.is_admin:
            return CalendarOverride.objects.none()
        qs = CalendarOverride.objects.filter(_agency_q(access)).select_related(
            "unit", "period", "created_by"
        )
        if self.request.query_params.get("year", "").isdigit():
            qs = qs.filter(year_id=self.request.query_params["year"])
        return qs.order_by("year", "unit__path", "window", "period__number")

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        access = get_access(self.request)
        fields = getattr(serializer, "fields", {})
        if "year" in fields and not getattr(fields["year"], "read_only", True):
            fields["year"].queryset = PerformanceYear.objects.filter(_agency_q(access))
            fields["unit"].queryset = fields["unit"].queryset.filter(_agency_q(access))
            fields["period"].queryset = fields["period"].queryset.filter(_agency_q(access))
        return serializer

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.calendar_override_add(
            actor=self.request.user,
            year=data["year"],
            unit=data["unit"],
            window=data["window"],
            period=data.get("period"),
            start=data.get("start") or data["end"],
            end=data["end"],
            reason=data.get("reason", ""),
        )

    def update(self, request, *args, **kwargs):
        override = self.get_object()
        serializer = self.get_serializer(override, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        override = services.calendar_override_update(
            actor=request.user,
            override=override,
            start=data.get("start", override.start),
            end=data.get("end", override.end),
            reason=data.get("reason", override.reason),
        )
        return Response(self.get_serializer(override).data)

    def perform_destroy(self, instance):
        services.calendar_override_remove(actor=self.request.user, override=instance)


def _year_calendar(year):
    return CalendarSerializer(calendar_selectors.agency_calendar(year)).data


def register(router):
    router.register("performance-years", PerformanceYearViewSet, basename="performanceyear")
    router.register("org-goals", OrgGoalViewSet, basename="orggoal")
    router.register("calendar", CalendarViewSet, basename="calendar")
    router.register("calendar-overrides", CalendarOverrideViewSet, basename="calendaroverride")
    router.register("skp", SkpViewSet, basename="skp")
    router.register("skp-verifications", SkpVerificationViewSet, basename="skpverification")
    router.register("rhk", RhkViewSet, basename="rhk")
    router.register("iki", IkiViewSet, basename="iki")
