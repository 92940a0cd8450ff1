"""REST API of execution and monitoring; `register(router)` is called from
kinerja/api_urls.py. Every viewset's queryset is limited to what the user may
see (a foreign id is a 404 through ScopedObjectMixin) and every write goes
through the same service as the pages."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from kinerja.api import ScopedObjectMixin
from kinerja.authz import require_employee
from kinerja.files import private_file_response
from kinerja.org.access import get_access
from kinerja.org.models import Employee
from kinerja.planning.models import Iki, Period, Rhk
from kinerja.planning.selectors import skp_filter

from . import selectors, services, uploads
from .models import (
    ActionPlanStep,
    AgreedAction,
    CoachingSession,
    DailyLog,
    Dialogue,
    Evidence,
    Feedback,
    Notification,
    ProjectReport,
    Realisasi,
    RhkTakeover,
)

# --- serializers --------------------------------------------------------------------------


class RealisasiSerializer(serializers.ModelSerializer):
    class Meta:
        model = Realisasi
        fields = ["id", "employee", "iki", "period", "value", "narrative", "updated_at"]
        read_only_fields = ["employee", "updated_at"]
        validators = []  # (iki, period) is an upsert: the service decides


class EvidenceSerializer(serializers.ModelSerializer):
    # The link of a link evidence; blank for a file (so not a "uri" in the schema).
    url = serializers.CharField(read_only=True)

    class Meta:
        model = Evidence
        fields = [
            "id",
            "owner",
            "realisasi",
            "log",
            "kind",
            "url",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "status",
            "review_note",
            "created_at",
        ]
        read_only_fields = fields


class EvidenceCreateSerializer(serializers.Serializer):
    realisasi = serializers.IntegerField(required=False)
    log = serializers.IntegerField(required=False)
    file = serializers.FileField(required=False, allow_empty_file=True)
    url = serializers.CharField(required=False, allow_blank=True)


class ReviewSerializer(serializers.Serializer):
    insufficient = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DailyLogSerializer(serializers.ModelSerializer):
    class Meta:
        model = DailyLog
        fields = ["id", "employee", "date", "rhk", "text", "duration_minutes", "created_at"]
        read_only_fields = ["employee", "created_at"]


class FeedbackSerializer(serializers.ModelSerializer):
    class Meta:
        model = Feedback
        fields = [
            "id",
            "employee",
            "author",
            "rhk",
            "realisasi",
            "log",
            "value",
            "kind",
            "source",
            "text",
            "parent",
            "request",
            "created_at",
        ]
        read_only_fields = ["author", "source", "parent", "created_at"]


class TextSerializer(serializers.Serializer):
    text = serializers.CharField()


class AskSerializer(serializers.Serializer):
    asked = serializers.IntegerField()
    rhk = serializers.IntegerField(required=False, allow_null=True)
    message = serializers.CharField(required=False, allow_blank=True, default="")


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionPlanStep
        fields = ["id", "rhk", "text", "due", "done_at"]
        read_only_fields = ["done_at"]


class DoneSerializer(serializers.Serializer):
    done = serializers.BooleanField(default=True)


class TakeoverSerializer(serializers.ModelSerializer):
    class Meta:
        model = RhkTakeover
        fields = ["id", "rhk", "by", "note", "date"]
        read_only_fields = ["by", "date"]


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectReport
        fields = ["id", "rhk", "author", "achievements", "challenges", "updated_at"]
        read_only_fields = ["author", "updated_at"]
        validators = []  # one report per (rhk, author), updated by the service


class AgreedActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgreedAction
        fields = ["id", "dialogue", "owner", "text", "due", "done_at"]
        read_only_fields = ["dialogue", "done_at"]


class DialogueSerializer(serializers.ModelSerializer):
    actions = AgreedActionSerializer(many=True, read_only=True)

    class Meta:
        model = Dialogue
        fields = [
            "id",
            "superior",
            "participants",
            "scheduled_at",
            "agenda",
            "notes",
            "held_at",
            "actions",
        ]
        read_only_fields = ["superior", "notes", "held_at", "actions"]
        extra_kwargs = {"participants": {"queryset": Employee.objects.none()}}


class NotesSerializer(serializers.Serializer):
    notes = serializers.CharField()


class CoachingSerializer(serializers.ModelSerializer):
    class Meta:
        model = CoachingSession
        fields = [
            "id",
            "kind",
            "employee",
            "coach",
            "date",
            "place",
            "topic",
            "value",
            "details",
            "follow_up",
            "employee_answers",
            "employee_comment",
            "competency_scores",
            "competency_recommendation",
        ]
        read_only_fields = [
            "coach",
            "employee_answers",
            "employee_comment",
            "competency_scores",
            "competency_recommendation",
        ]
        extra_kwargs = {"employee": {"queryset": Employee.objects.none()}}


class SessionFeedbackSerializer(serializers.Serializer):
    answers = serializers.ListField(child=serializers.BooleanField())
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class CompetencySerializer(serializers.Serializer):
    scores = serializers.ListField(child=serializers.DictField())
    recommendation = serializers.CharField(required=False, allow_blank=True, default="")


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "url", "created_at", "read_at"]
        read_only_fields = fields


class PreferenceSerializer(serializers.Serializer):
    email_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=Notification.Kind.choices)
    )


# --- helpers ---------------------------------------------------------------------------------


def _agency_get(model_qs, agency_id, pk, label):
    """An object of the user's agency chosen in a request body (a foreign id is
    a validation error naming the field, never another agency's object)."""
    obj = model_qs.filter(agency_id=agency_id, pk=pk).first() if pk else None
    if obj is None:
        raise ValidationError({label: ["Tidak ditemukan."]})
    return obj


class Base(ScopedObjectMixin):
    permission_classes = [IsAuthenticated]

    @property
    def access(self):
        return get_access(self.request)

    def chosen_rhk(self, pk):
        """An RHK of the user's agency chosen in the request body (the service
        checks whose it is)."""
        return _agency_get(Rhk.objects.select_related("skp"), self.access.agency_id, pk, "rhk")


# --- viewsets -----------------------------------------------------------------------------------


class RealisasiViewSet(
    Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Realisasi per IKI per period. POST creates or updates (iki, period)."""

    serializer_class = RealisasiSerializer

    def get_queryset(self):
        qs = Realisasi.objects.filter(selectors.employee_q(self.access)).order_by("period", "iki")
        if self.request.query_params.get("mine"):
            qs = qs.filter(employee=self.access.employee)
        return qs

    def create(self, request):
        data = RealisasiSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        access = self.access
        iki = get_object_or_404(
            Iki.objects.select_related("rhk__skp__year"),
            skp_filter(access, "rhk__skp__"),
            pk=data.validated_data["iki"].pk,
        )
        period = _agency_get(
            Period.objects.select_related("year"),
            access.agency_id,
            data.validated_data["period"].pk,
            "period",
        )
        obj = services.realisasi_save(
            actor=request.user,
            iki=iki,
            period=period,
            value=data.validated_data.get("value"),
            narrative=data.validated_data.get("narrative", ""),
        )
        return Response(RealisasiSerializer(obj).data, status=status.HTTP_201_CREATED)


class EvidenceViewSet(
    Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Evidence: upload a file (multipart, same checks as the pages) or a link."""

    serializer_class = EvidenceSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def initialize_request(self, request, *args, **kwargs):
        uploads.install_limit(request)
        return super().initialize_request(request, *args, **kwargs)

    def get_queryset(self):
        return Evidence.objects.filter(selectors.evidence_q(self.access)).select_related(
            "owner", "agency"
        )

    def create(self, request):
        data = EvidenceCreateSerializer(data=request.data)
        if getattr(request._request, "upload_too_large", False):
            raise uploads.too_large_error()
        data.is_valid(raise_exception=True)
        agency_id = self.access.agency_id
        realisasi = log = None
        if data.validated_data.get("realisasi"):
            realisasi = _agency_get(
                Realisasi.objects.select_related("period__year"),
                agency_id,
                data.validated_data["realisasi"],
                "realisasi",
            )
        if data.validated_data.get("log"):
            log = _agency_get(DailyLog.objects.all(), agency_id, data.validated_data["log"], "log")
        require_employee(request.user)
        upload = data.validated_data.get("file")
        if upload is not None:
            ev = services.evidence_add_file(
                actor=request.user, upload=upload, realisasi=realisasi, log=log
            )
        elif data.validated_data.get("url"):
            ev = services.evidence_add_link(
                actor=request.user, url=data.validated_data["url"], realisasi=realisasi, log=log
            )
        else:
            raise ValidationError({"file": ["Kirim berkas atau url."]})
        return Response(EvidenceSerializer(ev).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        ev = self.get_object()
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.evidence_review(actor=request.user, evidence=ev, **data.validated_data)
        return Response(EvidenceSerializer(ev).data)

    # The evidence file as uploaded (its own content type: a PDF, an image...).
    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        ev = self.get_object()
        if ev.kind != Evidence.Kind.FILE:
            raise Http404
        response = private_file_response(
            lambda: uploads.stored_path(ev), filename=ev.original_name, content_type=ev.content_type
        )
        services.evidence_record_download(actor=request.user, evidence=ev)
        return response


class DailyLogViewSet(
    Base,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = DailyLogSerializer

    def get_queryset(self):
        return DailyLog.objects.filter(selectors.employee_q(self.access)).order_by("-date", "-pk")

    def create(self, request):
        data = DailyLogSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rhk = self.chosen_rhk(data.validated_data["rhk"].pk)
        log = services.daily_log_create(
            actor=request.user,
            rhk=rhk,
            date=data.validated_data["date"],
            text=data.validated_data["text"],
            duration_minutes=data.validated_data.get("duration_minutes"),
        )
        return Response(DailyLogSerializer(log).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        """The author's correction (PUT: every field; PATCH: what changes)."""
        log = self.get_object()
        data = DailyLogSerializer(log, data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        given = data.validated_data
        log = services.daily_log_update(
            actor=request.user,
            log=log,
            rhk=self.chosen_rhk(given["rhk"].pk) if "rhk" in given else None,
            date=given.get("date"),
            text=given.get("text", log.text),
            duration_minutes=given.get("duration_minutes", log.duration_minutes),
        )
        return Response(DailyLogSerializer(log).data)

    def perform_destroy(self, instance):
        services.daily_log_delete(actor=self.request.user, log=instance)


class FeedbackViewSet(
    Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = FeedbackSerializer

    def get_queryset(self):
        return Feedback.objects.filter(selectors.feedback_q(self.access)).select_related("employee")

    def create(self, request):
        data = FeedbackSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        agency_id = self.access.agency_id
        employee = v["employee"]
        if employee.agency_id != agency_id:
            raise ValidationError({"employee": ["Pegawai berasal dari instansi lain."]})
        fb = services.feedback_give(
            actor=request.user,
            employee=employee,
            text=v["text"],
            kind=v.get("kind", Feedback.Kind.INCIDENTAL),
            rhk=v.get("rhk") and _agency_get(Rhk.objects, agency_id, v["rhk"].pk, "rhk"),
            realisasi=v.get("realisasi")
            and _agency_get(Realisasi.objects, agency_id, v["realisasi"].pk, "realisasi"),
            log=v.get("log") and _agency_get(DailyLog.objects, agency_id, v["log"].pk, "log"),
            value=v.get("value"),
            request=v.get("request"),
        )
        return Response(FeedbackSerializer(fb).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        parent = self.get_object()
        data = TextSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reply = services.feedback_reply(
            actor=request.user, parent=parent, text=data.validated_data["text"]
        )
        return Response(FeedbackSerializer(reply).data, status=status.HTTP_201_CREATED)

    @action(detail=False, methods=["post"])
    def ask(self, request):
        data = AskSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agency_id = self.access.agency_id
        asked = _agency_get(Employee.objects, agency_id, data.validated_data["asked"], "asked")
        rhk_id = data.validated_data.get("rhk")
        rhk = self.chosen_rhk(rhk_id) if rhk_id else None
        req = services.feedback_ask(
            actor=request.user, asked=asked, rhk=rhk, message=data.validated_data["message"]
        )
        return Response({"id": req.pk}, status=status.HTTP_201_CREATED)


class ActionPlanStepViewSet(
    Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = StepSerializer

    def get_queryset(self):
        return ActionPlanStep.objects.filter(selectors.rhk_q(self.access, "rhk__")).select_related(
            "rhk__skp__employee", "rhk__skp__year"
        )

    def create(self, request):
        data = StepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rhk = get_object_or_404(
            Rhk.objects.select_related("skp__employee", "skp__year"),
            selectors.rhk_q(self.access),
            pk=data.validated_data["rhk"].pk,
        )
        step = services.action_plan_step_add(
            actor=request.user,
            rhk=rhk,
            text=data.validated_data["text"],
            due=data.validated_data["due"],
        )
        return Response(StepSerializer(step).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        step = self.get_object()
        data = DoneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.action_plan_step_set_done(
            actor=request.user, step=step, done=data.validated_data["done"]
        )
        return Response(StepSerializer(step).data)


class TakeoverViewSet(Base, mixins.ListModelMixin, viewsets.GenericViewSet):
    """RHK taken over by the superior (art. 20): list, and POST to take over."""

    serializer_class = TakeoverSerializer

    def get_queryset(self):
        return RhkTakeover.objects.filter(selectors.rhk_q(self.access, "rhk__"))

    def create(self, request):
        data = TakeoverSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rhk = get_object_or_404(
            Rhk.objects.select_related("skp__employee"),
            selectors.rhk_q(self.access),
            pk=data.validated_data["rhk"].pk,
        )
        obj = services.rhk_take_over(actor=request.user, rhk=rhk, note=data.validated_data["note"])
        return Response(TakeoverSerializer(obj).data, status=status.HTTP_201_CREATED)


class ReportViewSet(Base, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Project reports on team RHK: list, and POST to create or update one's own."""

    serializer_class = ReportSerializer

    def get_queryset(self):
        return ProjectReport.objects.filter(selectors.rhk_q(self.access, "rhk__"))

    def create(self, request):
        data = ReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rhk = self.chosen_rhk(data.validated_data["rhk"].pk)
        obj = services.project_report_save(
            actor=request.user,
            rhk=rhk,
            achievements=data.validated_data["achievements"],
            challenges=data.validated_data["challenges"],
        )
        return Response(ReportSerializer(obj).data, status=status.HTTP_201_CREATED)


class DialogueViewSet(
    Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = DialogueSerializer

    def get_queryset(self):
        return (
            Dialogue.objects.filter(selectors.dialogue_q(self.access))
            .prefetch_related("participants", "actions")
            .order_by("-scheduled_at", "-pk")
        )

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        # A list (many=True) is a ListSerializer: its fields are its child's.
        field = getattr(serializer, "child", serializer).fields.get("participants")
        if field is not None and hasattr(field, "child_relation"):
            field.child_relation.queryset = Employee.objects.filter(agency_id=self.access.agency_id)
        return serializer

    def create(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = services.dialogue_create(
            actor=request.user,
            participants=data.validated_data["participants"],
            scheduled_at=data.validated_data["scheduled_at"],
            agenda=data.validated_data["agenda"],
        )
        return Response(DialogueSerializer(d).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        d = self.get_object()
        data = NotesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.dialogue_notes_save(
            actor=request.user, dialogue=d, notes=data.validated_data["notes"]
        )
        return Response(DialogueSerializer(d).data)

    @action(detail=True, methods=["post"], url_path="actions", url_name="add-action")
    def add_action(self, request, pk=None):
        d = self.get_object()
        data = AgreedActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        owner = data.validated_data["owner"]
        if owner.agency_id != d.agency_id:
            raise ValidationError({"owner": ["Tidak ditemukan."]})
        a = services.agreed_action_add(
            actor=request.user,
            dialogue=d,
            owner=owner,
            text=data.validated_data["text"],
            due=data.validated_data["due"],
        )
        return Response(AgreedActionSerializer(a).data, status=status.HTTP_201_CREATED)


class AgreedActionViewSet(
    Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = AgreedActionSerializer

    def get_queryset(self):
        qs = selectors.agreed_action_queryset().filter(selectors.agreed_action_q(self.access))
        if self.request.query_params.get("open"):
            qs = qs.filter(done_at__isnull=True)
        return qs.order_by("due", "pk")

    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        a = self.get_object()
        data = DoneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.agreed_action_set_done(
            actor=request.user, action=a, done=data.validated_data["done"]
        )
        return Response(AgreedActionSerializer(a).data)


class CoachingViewSet(
    Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = CoachingSerializer

    def get_queryset(self):
        return CoachingSession.objects.filter(selectors.coaching_q(self.access)).select_related(
            "employee", "coach"
        )

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        field = getattr(serializer, "child", serializer).fields.get("employee")
        if field is not None and hasattr(field, "queryset"):
            field.queryset = Employee.objects.filter(agency_id=self.access.agency_id)
        return serializer

    def create(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        employee = Employee.objects.select_related("position").get(pk=v["employee"].pk)
        s = services.coaching_session_create(
            actor=request.user,
            employee=employee,
            kind=v["kind"],
            date=v["date"],
            topic=v["topic"],
            details=v.get("details") or {},
            follow_up=v.get("follow_up", ""),
            place=v.get("place", ""),
            value=v.get("value"),
        )
        return Response(CoachingSerializer(s).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="employee-feedback")
    def employee_feedback(self, request, pk=None):
        s = self.get_object()
        data = SessionFeedbackSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.coaching_session_feedback_save(
            actor=request.user, session=s, **data.validated_data
        )
        return Response(CoachingSerializer(s).data)

    @action(detail=True, methods=["post"])
    def competency(self, request, pk=None):
        s = self.get_object()
        data = CompetencySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.coaching_session_competency_save(
            actor=request.user, session=s, **data.validated_data
        )
        return Response(CoachingSerializer(s).data)


class NotificationPreferenceSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    email = serializers.BooleanField()


class NotificationViewSet(
    Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The user's own notifications and e-mail preferences."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        qs = Notification.objects.filter(recipient=self.request.user)
        if self.request.query_params.get("unread"):
            qs = qs.filter(read_at__isnull=True)
        return qs.order_by("-created_at", "-pk")

    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        n = self.get_object()
        services.notifications_mark_read(actor=request.user, ids=[n.pk])
        n.refresh_from_db()
        return Response(NotificationSerializer(n).data)

    @extend_schema(
        request=None,
        responses=inline_serializer("NotificationsRead", {"updated": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"updated": services.notifications_mark_read(actor=request.user)})

    @extend_schema(
        methods=["GET"], request=None, responses=NotificationPreferenceSerializer(many=True)
    )
    @extend_schema(
        methods=["POST"],
        request=PreferenceSerializer,
        responses=NotificationPreferenceSerializer(many=True),
    )
    @action(detail=False, methods=["get", "post"], pagination_class=None)
    def preferences(self, request):
        if request.method == "POST":
            data = PreferenceSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            services.notification_preferences_save(
                actor=request.user, email_kinds=set(data.validated_data["email_kinds"])
            )
        return Response(
            [
                {"kind": kind, "label": str(label), "email": on}
                for kind, label, on in selectors.notification_preferences(request.user)
            ]
        )


def register(router):
    router.register("monitoring/realisasi", RealisasiViewSet, basename="realisasi")
    router.register("monitoring/evidence", EvidenceViewSet, basename="evidence")
    router.register("monitoring/logs", DailyLogViewSet, basename="dailylog")
    router.register("monitoring/feedback", FeedbackViewSet, basename="feedback")
    router.register("monitoring/steps", ActionPlanStepViewSet, basename="actionplanstep")
    router.register("monitoring/takeovers", TakeoverViewSet, basename="rhktakeover")
    router.register("monitoring/reports", ReportViewSet, basename="projectreport")
    router.register("monitoring/dialogues", DialogueViewSet, basename="dialogue")
    router.register("monitoring/actions", AgreedActionViewSet, basename="agreedaction")
    router.register("monitoring/coaching", CoachingViewSet, basename="coachingsession")
    router.register("monitoring/notifications", NotificationViewSet, basename="notification")
