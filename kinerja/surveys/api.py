"""REST API of the survey app, scoped like the pages (admin BKD: agency; unit heads: their
unit subtree; foreign or invisible ids: 404). The public submission endpoint by token is the
only one without login; it runs the same service function as the public form."""

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response as ApiResponse

from kinerja.api import ScopedObjectMixin
from kinerja.authz import manager_access
from kinerja.org.access import Access, get_access

from . import selectors, services
from .elements import QUESTIONNAIRE
from .hashing import client_address
from .models import ELEMENT_FIELDS, Kiosk, Response, Service, SurveyPeriod
from .services.moderation import RESPONSE_ACTIONS


def _index_payload(summary):
    result = summary.result
    data = {
        "responses": summary.responses,
        "population": summary.population,
        "min_sample": summary.min_sample,
        "below_min_sample": summary.below_min_sample,
        "ikm": None,
        "converted": None,
        "mutu": None,
        "kinerja": None,
        "elements": [],
    }
    if result is not None:
        data.update(
            ikm=str(result.ikm),
            converted=str(result.converted),
            mutu=result.mutu,
            kinerja=result.kinerja,
            elements=[
                {
                    "code": e.code,
                    "name": str(e.name),
                    "nrr": str(result.nrr[e.code]),
                    "weighted_nrr": str(result.weighted_nrr[e.code]),
                    "count": result.counts[e.code],
                    "distribution": summary.distribution[e.code],
                }
                for e in QUESTIONNAIRE
            ],
        )
    return data


class ElementIndexSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    nrr = serializers.CharField()
    weighted_nrr = serializers.CharField()
    count = serializers.IntegerField()
    distribution = serializers.ListField(child=serializers.IntegerField())


class IndexSerializer(serializers.Serializer):
    """IKM of a scope. Decimal values as strings; null when no counted response exists."""

    unit = serializers.IntegerField(required=False)
    responses = serializers.IntegerField()
    population = serializers.IntegerField(allow_null=True)
    min_sample = serializers.IntegerField(allow_null=True)
    below_min_sample = serializers.BooleanField()
    ikm = serializers.CharField(allow_null=True)
    converted = serializers.CharField(allow_null=True)
    mutu = serializers.CharField(allow_null=True)
    kinerja = serializers.CharField(allow_null=True)
    elements = ElementIndexSerializer(many=True)


class ServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = [
            "id",
            "unit",
            "name",
            "description",
            "token",
            "served_population",
            "requires_code",
            "is_active",
        ]
        read_only_fields = ["token"]


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = SurveyPeriod
        fields = ["id", "name", "start", "end", "unit", "service", "is_closed"]


class ResponseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Response
        fields = [
            "id",
            "service",
            "period",
            "submitted_at",
            *ELEMENT_FIELDS,
            "age_group",
            "sex",
            "education",
            "occupation",
            "comment",
            "moderation",
            "moderation_reason",
            "flag",
            "flag_reason",
            "is_complaint",
            "complaint_status",
            "complaint_answer",
            "answered_at",
        ]


class _Scoped:
    """Survey staff endpoints: a list or a write without an object needs a survey role (403
    otherwise); an object outside the user's scope is a 404 (the scope is empty without a
    role)."""

    def access(self) -> Access:
        if getattr(self, "detail", False):
            return get_access(self.request)
        return manager_access(self.request)

    def period_param(self, agency_id):
        """The ?period= of an index (a survey period of the agency), None when absent."""
        wanted = self.request.query_params.get("period")
        if not wanted:
            return None
        period = selectors.period_of_agency(agency_id, wanted)
        if period is None:
            raise Http404
        return period


class ServiceViewSet(
    ScopedObjectMixin,
    _Scoped,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Services: list, read, create, change (no delete: responses keep their service)."""

    serializer_class = ServiceSerializer

    def get_queryset(self):
        return selectors.service_queryset(self.access()).order_by("unit__path", "name", "pk")

    def perform_create(self, serializer):
        unit = serializer.validated_data.pop("unit")
        if not selectors.visible_units(self.access()).filter(pk=unit.pk).exists():
            raise Http404
        serializer.instance = services.service_create(
            actor=self.request.user,
            agency=self.request.user.agency,
            unit=unit,
            **serializer.validated_data,
        )

    def perform_update(self, serializer):
        unit = serializer.validated_data.get("unit")
        if unit and not selectors.visible_units(self.access()).filter(pk=unit.pk).exists():
            raise Http404
        serializer.instance = services.service_update(
            actor=self.request.user, service=serializer.instance, **serializer.validated_data
        )

    @extend_schema(
        responses=IndexSerializer,
        parameters=[OpenApiParameter("period", int, description="id periode (opsional)")],
    )
    @action(detail=True, methods=["get"])
    def index(self, request, pk=None):
        """The IKM of the service; ?period=<id> for one period (default: all periods)."""
        service = self.get_object()
        period = self.period_param(service.agency_id)
        return ApiResponse(_index_payload(selectors.service_index(service=service, period=period)))


class KioskSerializer(serializers.ModelSerializer):
    service = serializers.PrimaryKeyRelatedField(read_only=True)
    active = serializers.SerializerMethodField()

    class Meta:
        model = Kiosk
        fields = ["id", "service", "name", "created_at", "last_used_at", "revoked_at", "active"]

    def get_active(self, obj) -> bool:
        return obj.revoked_at is None


class KioskCreateSerializer(serializers.Serializer):
    service = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    name = serializers.CharField(max_length=200, allow_blank=True)


class KioskIssuedSerializer(KioskSerializer):
    activation_url = serializers.CharField(
        help_text="Ditampilkan sekali: buka sekali pada perangkat kios."
    )

    class Meta(KioskSerializer.Meta):
        fields = [*KioskSerializer.Meta.fields, "activation_url"]


class KioskViewSet(
    ScopedObjectMixin,
    _Scoped,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Kiosks (a counter's tablet) of the services in the user's scope: issue one (its
    activation link is in the answer, once), list, revoke. A device that opened the link,
    or a client sending its key as X-Kiosk-Key to the public submission, is held to the
    kiosk's hourly limit instead of the per-address one."""

    serializer_class = KioskSerializer

    def get_queryset(self):
        return (
            Kiosk.objects.filter(selectors.kiosk_filter(self.access()))
            .select_related("service")
            .order_by("service", "-created_at", "pk")
        )

    @extend_schema(request=KioskCreateSerializer, responses={201: KioskIssuedSerializer})
    def create(self, request):
        data = KioskCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        service = (
            selectors.service_queryset(self.access())
            .filter(pk=data.validated_data["service"])
            .first()
        )
        if service is None:
            raise Http404
        kiosk, key = services.kiosk_issue(
            actor=request.user, service=service, name=data.validated_data["name"]
        )
        kiosk.activation_url = request.build_absolute_uri(
            reverse("surveys:kiosk_activate", args=[service.token, key])
        )
        return ApiResponse(KioskIssuedSerializer(kiosk).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=KioskSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        kiosk = services.kiosk_revoke(actor=request.user, kiosk=self.get_object())
        return ApiResponse(KioskSerializer(kiosk).data)


class PeriodViewSet(ScopedObjectMixin, _Scoped, viewsets.ReadOnlyModelViewSet):
    serializer_class = PeriodSerializer

    def get_queryset(self):
        return SurveyPeriod.objects.filter(selectors.period_filter(self.access())).order_by(
            "-start", "pk"
        )


class ResponseActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(RESPONSE_ACTIONS)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    # open / in_progress / answered, checked by services.complaint_update (a plain string here
    # keeps the schema free of a second enum named "status").
    status = serializers.CharField(required=False, allow_blank=True, max_length=12)
    answer = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class ResponseViewSet(ScopedObjectMixin, _Scoped, viewsets.ReadOnlyModelViewSet):
    """Responses, read for staff (?service=<id>); `act` moderates, routes complaints and
    reviews flagged responses exactly like the comment page."""

    serializer_class = ResponseSerializer

    def get_queryset(self):
        qs = Response.objects.filter(selectors.response_filter(self.access())).order_by("-pk")
        service = self.request.query_params.get("service")
        if service and service.isdigit():
            qs = qs.filter(service_id=service)
        return qs

    @extend_schema(request=ResponseActionSerializer, responses=ResponseSerializer)
    @action(detail=True, methods=["post"])
    def act(self, request, pk=None):
        response = self.get_object()  # before reading the body: a foreign id is a 404
        payload = ResponseActionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        services.response_apply_action(
            actor=request.user,
            response=response,
            action=data["action"],
            reason=data.get("reason"),
            status=data.get("status", ""),
            answer=data.get("answer", ""),
        )
        return ApiResponse(ResponseSerializer(response).data)


class UnitIndexViewSet(ScopedObjectMixin, _Scoped, viewsets.GenericViewSet):
    """IKM of a unit subtree: /survey-unit-index/<unit id>/?period=<id>."""

    serializer_class = IndexSerializer

    def get_queryset(self):
        return selectors.visible_units(self.access())

    @extend_schema(
        parameters=[OpenApiParameter("period", int, description="id periode (opsional)")]
    )
    def retrieve(self, request, pk=None):
        unit = self.get_object()
        period = self.period_param(unit.agency_id)
        payload = _index_payload(selectors.unit_index(unit=unit, period=period))
        return ApiResponse({"unit": unit.pk, **payload})


class PublicSubmissionSerializer(serializers.Serializer):
    """Shape only (for the schema); validation is services.response_submit's."""

    u1 = serializers.IntegerField(min_value=1, max_value=4)
    u2 = serializers.IntegerField(min_value=1, max_value=4)
    u3 = serializers.IntegerField(min_value=1, max_value=4)
    u4 = serializers.IntegerField(min_value=1, max_value=4)
    u5 = serializers.IntegerField(min_value=1, max_value=4)
    u6 = serializers.IntegerField(min_value=1, max_value=4)
    u7 = serializers.IntegerField(min_value=1, max_value=4)
    u8 = serializers.IntegerField(min_value=1, max_value=4)
    u9 = serializers.IntegerField(min_value=1, max_value=4)
    age_group = serializers.ChoiceField(Response.AgeGroup.choices, required=False)
    sex = serializers.ChoiceField(Response.Sex.choices, required=False)
    education = serializers.ChoiceField(Response.Education.choices, required=False)
    occupation = serializers.ChoiceField(Response.Occupation.choices, required=False)
    comment = serializers.CharField(required=False, max_length=2000)
    code = serializers.CharField(required=False, max_length=16)


class PublicSurveySerializer(serializers.Serializer):
    service = serializers.CharField()
    unit = serializers.CharField()
    requires_code = serializers.BooleanField()
    elements = serializers.ListField(child=serializers.DictField())


class PublicSurveyViewSet(viewsets.GenericViewSet):
    """No login. GET: the questionnaire of a service by token; POST submit: one response.
    Same validation as the public form; errors are 400 with messages by field."""

    authentication_classes = []
    permission_classes = [AllowAny]
    lookup_field = "token"
    lookup_value_regex = "[A-Za-z0-9_-]+"
    serializer_class = PublicSubmissionSerializer

    @extend_schema(responses=PublicSurveySerializer, auth=[])
    def retrieve(self, request, token=None):
        service = selectors.public_service_or_404(token)
        return ApiResponse(
            {
                "service": service.name,
                "unit": service.unit.name,
                "requires_code": service.requires_code,
                "elements": [
                    {
                        "field": e.field,
                        "code": e.code,
                        "name": str(e.name),
                        "question": str(e.question),
                        "choices": [{"value": v, "label": str(label)} for v, label in e.choices],
                    }
                    for e in QUESTIONNAIRE
                ],
            }
        )

    @extend_schema(
        request=PublicSubmissionSerializer,
        responses={
            201: inline_serializer("SurveyReceived", {"received": serializers.BooleanField()})
        },
        auth=[],
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, token=None):
        service = selectors.public_service_or_404(token)
        response = services.response_submit(
            service=service,
            data=request.data,
            device_id=request.headers.get("X-Device-Id", ""),
            address=client_address(request),
            kiosk_key=request.headers.get("X-Kiosk-Key", ""),
        )
        del response  # nothing about the stored row goes back to an anonymous caller
        return ApiResponse({"received": True}, status=status.HTTP_201_CREATED)


def register(router):
    router.register("survey-services", ServiceViewSet, basename="survey-service")
    router.register("survey-periods", PeriodViewSet, basename="survey-period")
    router.register("survey-kiosks", KioskViewSet, basename="survey-kiosk")
    router.register("survey-responses", ResponseViewSet, basename="survey-response")
    router.register("survey-unit-index", UnitIndexViewSet, basename="survey-unit-index")
    router.register("survey-public", PublicSurveyViewSet, basename="survey-public")
