"""REST API of the follow-up app; `register(router)` is called from kinerja/api_urls.py.

Every viewset's queryset is limited to what the user may see (a foreign id is a 404 through
ScopedObjectMixin, recorded as a refused access) and every write goes through the same service
as the pages."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.response import Response

from kinerja.api import ScopedObjectMixin
from kinerja.authz import admin_access, manager_access
from kinerja.org.access import get_access, get_employee_or_404

from . import selectors, services
from .models import (
    Award,
    Candidate,
    CreditPoints,
    DevelopmentPlan,
    FollowupRule,
    MentorPairing,
    Sanction,
    TrainingCourse,
    TrainingRecord,
)

# --- serializers ----------------------------------------------------------------------------


class RuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowupRule
        fields = ["id", "outcome", "years", "predikat", "consecutive", "legal_basis", "active"]


class CandidateSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="year.year", read_only=True)

    class Meta:
        model = Candidate
        fields = [
            "id",
            "year",
            "employee",
            "outcome",
            "rule",
            "evaluation",
            "history",
            "status",
            "decided_by",
            "decided_at",
            "note",
        ]
        read_only_fields = fields


class DecideSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


DOCUMENT_FIELDS = ["document_name", "document_type", "document_size"]
#: A withdrawn record stays listed, with who withdrew it, when and why.
WITHDRAWAL_FIELDS = ["withdrawn_at", "withdrawn_by", "withdrawn_reason"]


class AwardSerializer(serializers.ModelSerializer):
    document = serializers.FileField(write_only=True, required=False)

    class Meta:
        model = Award
        fields = [
            "id",
            "employee",
            "kind",
            "basis",
            "date",
            "evaluation",
            "candidate",
            "document",
            *DOCUMENT_FIELDS,
            "created_at",
            *WITHDRAWAL_FIELDS,
        ]
        read_only_fields = [*DOCUMENT_FIELDS, "created_at", *WITHDRAWAL_FIELDS]


class SanctionSerializer(serializers.ModelSerializer):
    document = serializers.FileField(write_only=True, required=False)
    legal_basis = serializers.CharField(allow_blank=True)

    class Meta:
        model = Sanction
        fields = [
            "id",
            "employee",
            "kind",
            "legal_basis",
            "start",
            "end",
            "status",
            "evaluation",
            "candidate",
            "note",
            "document",
            *DOCUMENT_FIELDS,
            "created_at",
            *WITHDRAWAL_FIELDS,
        ]
        read_only_fields = [*DOCUMENT_FIELDS, "created_at", *WITHDRAWAL_FIELDS]


class CourseSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrainingCourse
        fields = ["id", "title", "kind", "hours_jp", "provider", "active"]


class TrainingRecordSerializer(serializers.ModelSerializer):
    document = serializers.FileField(write_only=True, required=False)
    title = serializers.CharField(required=False, allow_blank=True)
    kind = serializers.CharField(required=False, allow_blank=True)
    hours_jp = serializers.IntegerField(required=False, min_value=-(2**31))

    class Meta:
        model = TrainingRecord
        fields = [
            "id",
            "employee",
            "course",
            "title",
            "kind",
            "start",
            "end",
            "hours_jp",
            "document",
            *DOCUMENT_FIELDS,
            "created_at",
        ]
        read_only_fields = [*DOCUMENT_FIELDS, "created_at"]
        validators = []


class CreditPointsSerializer(serializers.ModelSerializer):
    predikat = serializers.CharField(required=False, allow_blank=True)

    class Meta:
        model = CreditPoints
        fields = [
            "id",
            "employee",
            "year",
            "position_name",
            "jenjang",
            "predikat",
            "months",
            "points",
            "evaluation",
            "created_at",
            *WITHDRAWAL_FIELDS,
        ]
        read_only_fields = [
            "position_name",
            "jenjang",
            "points",
            "evaluation",
            "created_at",
            *WITHDRAWAL_FIELDS,
        ]
        validators = []


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class AwardCorrectSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
    kind = serializers.CharField()
    basis = serializers.CharField(allow_blank=True)
    date = serializers.DateField()


class SanctionCorrectSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
    kind = serializers.CharField()
    legal_basis = serializers.CharField(allow_blank=True)
    start = serializers.DateField()
    end = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CreditPointsCorrectSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
    months = serializers.IntegerField()
    predikat = serializers.CharField()


class MentorPairingSerializer(serializers.ModelSerializer):
    mentor_name = serializers.CharField(source="mentor.full_name", read_only=True)
    mentee_name = serializers.CharField(source="mentee.full_name", read_only=True)

    class Meta:
        model = MentorPairing
        fields = [
            "id",
            "mentor",
            "mentor_name",
            "mentee",
            "mentee_name",
            "goals",
            "notes",
            "start",
            "end",
            "created_at",
            *WITHDRAWAL_FIELDS,
        ]
        read_only_fields = ["created_at", *WITHDRAWAL_FIELDS]
        validators = []


class MentorPairingCreateSerializer(serializers.Serializer):
    mentee = serializers.IntegerField(help_text="an employee the user may see")
    mentor = serializers.IntegerField(help_text="any employee of the agency")
    goals = serializers.CharField(allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    start = serializers.DateField()
    end = serializers.DateField(required=False, allow_null=True, default=None)


class PairingCorrectSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
    goals = serializers.CharField(allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    start = serializers.DateField()
    end = serializers.DateField(required=False, allow_null=True, default=None)


class DevelopmentPlanSerializer(serializers.ModelSerializer):
    employee_name = serializers.CharField(source="employee.full_name", read_only=True)
    planned_courses = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = DevelopmentPlan
        fields = [
            "id",
            "employee",
            "employee_name",
            "year",
            "evaluation",
            "areas",
            "goals",
            "planned_courses",
            "updated_at",
            *WITHDRAWAL_FIELDS,
        ]
        read_only_fields = fields


class DevelopmentPlanSaveSerializer(serializers.Serializer):
    employee = serializers.IntegerField(help_text="an employee the user manages")
    year = serializers.IntegerField(min_value=1980, max_value=9999)
    goals = serializers.CharField(required=False, allow_blank=True, default="")
    courses = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list, help_text="course ids"
    )


# --- helpers --------------------------------------------------------------------------------


def _employee(request, employee):
    """The employee of a write, through the user's access (unknown or foreign -> 404, recorded
    as a refused access)."""
    return get_employee_or_404(request, employee.pk, queryset=selectors.employee_queryset())


# --- viewsets -------------------------------------------------------------------------------


class RuleViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = RuleSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        access = get_access(self.request)
        if not access.is_admin:
            return FollowupRule.objects.none()
        return FollowupRule.objects.filter(agency_id=access.agency_id)

    def create(self, request, *args, **kwargs):
        admin_access(request)  # before the body: only admin BKD writes rules
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.rule_save(
            actor=self.request.user, agency=self.request.user.agency, **data
        )

    def perform_update(self, serializer):
        data = {**RuleSerializer(serializer.instance).data, **serializer.validated_data}
        data.pop("id", None)
        serializer.instance = services.rule_save(
            actor=self.request.user,
            agency=self.request.user.agency,
            rule=serializer.instance,
            **data,
        )


class CandidateViewSet(ScopedObjectMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CandidateSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        access = get_access(self.request)
        qs = selectors.candidate_queryset(access)
        if not (access.is_admin or access.is_unit_head):
            # Employees see their records, not the deliberation about them.
            return qs.none()
        params = self.request.query_params
        if params.get("outcome"):
            qs = qs.filter(outcome=params["outcome"])
        if params.get("year", "").isdigit():
            qs = qs.filter(year__year=int(params["year"]))
        return qs.order_by("pk")

    @action(detail=True, methods=["post"], serializer_class=DecideSerializer)
    def decide(self, request, pk=None):
        candidate = self.get_object()
        body = DecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.candidate_decide(
            actor=request.user,
            candidate=candidate,
            accept=body.validated_data["accept"],
            note=body.validated_data["note"],
        )
        return Response(CandidateSerializer(candidate).data)


class _EmployeeRecordViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Records of an employee (awards, sanctions, training, credit points): listed through
    the user's access, created through the page's service (`create_row`)."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    model = None
    select = ("employee",)
    #: Only admin BKD records these (checked before the body is read).
    admin_only = True

    def get_queryset(self):
        access = get_access(self.request)
        qs = self.model.objects.filter(access.employee_filter("employee__")).select_related(
            *self.select
        )
        employee = self.request.query_params.get("employee", "")
        if employee.isdigit():
            qs = qs.filter(employee_id=int(employee))
        return qs.order_by("-pk")

    def create(self, request, *args, **kwargs):
        if self.admin_only:
            admin_access(request)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        row = self.create_row(request, data, employee=_employee(request, data["employee"]))
        return Response(self.get_serializer_class()(row).data, status=status.HTTP_201_CREATED)

    def create_row(self, request, data, *, employee):
        raise NotImplementedError


class _CorrectableMixin:
    """`correct` and `withdraw` of a record (with a reason; never a deletion), through the
    same services as the pages. The record is fetched first: a foreign id is a 404."""

    correct_serializer: type[serializers.Serializer]

    def correct_row(self, request, row, data):
        raise NotImplementedError

    def withdraw_row(self, request, row, reason):
        raise NotImplementedError

    def _body(self, serializer_class):
        body = serializer_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data

    @extend_schema(request=WithdrawSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        row = self.get_object()
        data = self._body(WithdrawSerializer)
        row = self.withdraw_row(request, row, data["reason"])
        return Response(self.get_serializer_class()(row).data)

    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        row = self.get_object()
        data = self._body(self.correct_serializer)
        row = self.correct_row(request, row, data)
        return Response(self.get_serializer_class()(row).data)


@extend_schema_view(correct=extend_schema(request=AwardCorrectSerializer))
class AwardViewSet(_CorrectableMixin, _EmployeeRecordViewSet):
    serializer_class = AwardSerializer
    model = Award
    correct_serializer = AwardCorrectSerializer

    def correct_row(self, request, row, data):
        return services.award_correct(actor=request.user, award=row, **data)

    def withdraw_row(self, request, row, reason):
        return services.award_withdraw(actor=request.user, award=row, reason=reason)

    def create_row(self, request, data, *, employee):
        return services.award_create(
            actor=request.user,
            employee=employee,
            kind=data["kind"],
            basis=data["basis"],
            date=data["date"],
            evaluation=data.get("evaluation"),
            candidate=data.get("candidate"),
            upload=data.get("document"),
        )


@extend_schema_view(correct=extend_schema(request=SanctionCorrectSerializer))
class SanctionViewSet(_CorrectableMixin, _EmployeeRecordViewSet):
    serializer_class = SanctionSerializer
    model = Sanction
    correct_serializer = SanctionCorrectSerializer

    def correct_row(self, request, row, data):
        return services.sanction_correct(actor=request.user, sanction=row, **data)

    def withdraw_row(self, request, row, reason):
        return services.sanction_withdraw(actor=request.user, sanction=row, reason=reason)

    def create_row(self, request, data, *, employee):
        return services.sanction_create(
            actor=request.user,
            employee=employee,
            kind=data["kind"],
            legal_basis=data["legal_basis"],
            start=data["start"],
            end=data.get("end"),
            status=data.get("status", Sanction.Status.PROPOSED),
            evaluation=data.get("evaluation"),
            candidate=data.get("candidate"),
            note=data.get("note", ""),
            upload=data.get("document"),
        )


class TrainingRecordViewSet(_EmployeeRecordViewSet):
    serializer_class = TrainingRecordSerializer
    model = TrainingRecord
    select = ("employee", "course")
    admin_only = False  # employees record their own; the service checks who may

    def create_row(self, request, data, *, employee):
        course = data.get("course")
        if course is not None and course.agency_id != get_access(request).agency_id:
            course = None
        return services.training_record_create(
            actor=request.user,
            employee=employee,
            course=course,
            title=data.get("title", ""),
            kind=data.get("kind") or None,
            start=data["start"],
            end=data["end"],
            hours_jp=data.get("hours_jp"),
            upload=data.get("document"),
        )


@extend_schema_view(correct=extend_schema(request=CreditPointsCorrectSerializer))
class CreditPointsViewSet(_CorrectableMixin, _EmployeeRecordViewSet):
    serializer_class = CreditPointsSerializer
    model = CreditPoints
    correct_serializer = CreditPointsCorrectSerializer

    def correct_row(self, request, row, data):
        return services.credit_points_correct(actor=request.user, row=row, **data)

    def withdraw_row(self, request, row, reason):
        return services.credit_points_withdraw(actor=request.user, row=row, reason=reason)

    def create_row(self, request, data, *, employee):
        return services.credit_points_record(
            actor=request.user,
            employee=employee,
            year=data["year"],
            months=data.get("months", 12),
            predikat=data.get("predikat") or None,
        )


@extend_schema_view(
    create=extend_schema(request=MentorPairingCreateSerializer),
    correct=extend_schema(request=PairingCorrectSerializer),
)
class MentorPairingViewSet(
    _CorrectableMixin,
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Mentor pairings whose mentee or mentor the user may see. Admin BKD and the pimpinan
    unit pair a mentor with an employee they manage (POST), and correct or withdraw a pairing
    with a reason, through the mentors page's services."""

    serializer_class = MentorPairingSerializer
    permission_classes = [IsAuthenticated]
    correct_serializer = PairingCorrectSerializer

    def get_queryset(self):
        qs = selectors.pairings(get_access(self.request))
        mentee = self.request.query_params.get("mentee", "")
        if mentee.isdigit():
            qs = qs.filter(mentee_id=int(mentee))
        return qs.order_by("-pk")

    def create(self, request, *args, **kwargs):
        access = manager_access(request)  # before the body, as the mentors page
        body = MentorPairingCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        mentee = get_employee_or_404(
            request, data.pop("mentee"), queryset=selectors.employee_queryset()
        )
        mentor = selectors.agency_employee(access.agency_id, data.pop("mentor"))
        if mentor is None:
            message = _("Pilih mentor dan pegawai yang dibimbing.")
            raise serializers.ValidationError({"mentor": [message]})
        pairing = services.mentor_pairing_create(
            actor=request.user, mentor=mentor, mentee=mentee, **data
        )
        return Response(MentorPairingSerializer(pairing).data, status=status.HTTP_201_CREATED)

    def correct_row(self, request, row, data):
        return services.mentor_pairing_correct(actor=request.user, pairing=row, **data)

    def withdraw_row(self, request, row, reason):
        return services.mentor_pairing_withdraw(actor=request.user, pairing=row, reason=reason)


@extend_schema_view(create=extend_schema(request=DevelopmentPlanSaveSerializer))
class DevelopmentPlanViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Development plans of the employees the user may see (?employee=, ?year=). POST saves
    an employee's plan of a year (one per year; saving again corrects it and puts a withdrawn
    plan back in force); .../withdraw/ withdraws it with a reason."""

    serializer_class = DevelopmentPlanSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        access = get_access(self.request)
        qs = (
            selectors.development_plan_queryset()
            .filter(access.employee_filter("employee__"))
            .prefetch_related("planned_courses")
        )
        params = self.request.query_params
        if params.get("employee", "").isdigit():
            qs = qs.filter(employee_id=int(params["employee"]))
        if params.get("year", "").isdigit():
            qs = qs.filter(year=int(params["year"]))
        return qs.order_by("-year", "-pk")

    def create(self, request, *args, **kwargs):
        body = DevelopmentPlanSaveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        employee = get_employee_or_404(
            request, data["employee"], queryset=selectors.employee_queryset()
        )
        plan = services.development_plan_save(
            actor=request.user,
            employee=employee,
            year=data["year"],
            goals=data["goals"],
            course_ids=data["courses"],
        )
        plan = self.get_queryset().get(pk=plan.pk)
        return Response(DevelopmentPlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WithdrawSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        plan = self.get_object()
        body = WithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = services.development_plan_withdraw(
            actor=request.user, plan=plan, reason=body.validated_data["reason"]
        )
        return Response(DevelopmentPlanSerializer(plan).data)


class CourseViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CourseSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        access = get_access(self.request)
        return selectors.courses(access.agency_id, active_only=not access.is_admin)

    def get_object(self):
        # A course the user cannot see is a 404; one they see but may not change a 403.
        course = super().get_object()
        if self.request.method not in SAFE_METHODS:
            admin_access(self.request)
        return course

    def create(self, request, *args, **kwargs):
        admin_access(request)  # before the body: only admin BKD writes the catalogue
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.course_save(
            actor=self.request.user, agency=self.request.user.agency, **serializer.validated_data
        )

    def perform_update(self, serializer):
        data = {**CourseSerializer(serializer.instance).data, **serializer.validated_data}
        data.pop("id", None)
        serializer.instance = services.course_save(
            actor=self.request.user,
            agency=self.request.user.agency,
            course=serializer.instance,
            **data,
        )


def register(router):
    router.register("followup/rules", RuleViewSet, basename="followup-rule")
    router.register("followup/candidates", CandidateViewSet, basename="followup-candidate")
    router.register("followup/awards", AwardViewSet, basename="followup-award")
    router.register("followup/sanctions", SanctionViewSet, basename="followup-sanction")
    router.register("followup/courses", CourseViewSet, basename="followup-course")
    router.register(
        "followup/training-records", TrainingRecordViewSet, basename="followup-training-record"
    )
    router.register(
        "followup/credit-points", CreditPointsViewSet, basename="followup-credit-points"
    )
    router.register(
        "followup/mentor-pairings", MentorPairingViewSet, basename="followup-mentor-pairing"
    )
    router.register(
        "followup/development-plans", DevelopmentPlanViewSet, basename="followup-development-plan"
    )
