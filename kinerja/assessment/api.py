"""REST API of penilaian kinerja, scoped exactly like the pages; every write goes
through kinerja.assessment.services, every read through its selectors. Another
agency's id is a 404."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from kinerja.api import ScopedObjectMixin
from kinerja.audit.services import record_denied
from kinerja.files import private_file_response
from kinerja.monitoring import uploads
from kinerja.org.access import get_access
from kinerja.planning import selectors as planning_selectors
from kinerja.planning.models import PerformanceYear, Skp

from . import selectors, services
from .models import Appeal, AppealEvidence, Calibration, Evaluation, PeerInput


def get_visible_skp_or_404(request, pk: int) -> Skp:
    """An SKP the user may see, else a refused access recorded and 404."""
    skp = (
        Skp.objects.filter(planning_selectors.skp_filter(get_access(request)), pk=pk)
        .select_related("year")
        .first()
    )
    if skp is None:
        record_denied(
            "planning.skp.view", actor=request.user, target_type="planning.skp", target_id=pk
        )
        raise Http404
    return skp


class RhkRowSerializer(serializers.Serializer):
    rhk = serializers.IntegerField(source="rhk_id")
    text = serializers.CharField(source="rhk.text")
    kind = serializers.CharField(source="rhk.kind")
    rating = serializers.CharField()
    feedback = serializers.CharField()


class BehaviourRowSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    rating = serializers.CharField()
    feedback = serializers.CharField()


class EvaluationSerializer(serializers.ModelSerializer):
    employee_name = serializers.CharField(source="employee.full_name", read_only=True)
    period_label = serializers.CharField(source="period.label", read_only=True, default=None)
    predikat_final = serializers.SerializerMethodField()
    predikat_current = serializers.SerializerMethodField(
        help_text="The predikat that holds now (after calibration or an appeal decision)."
    )
    # Plain strings (machine codes of kinerja.rules.predikat): several fields share
    # one choice set, which drf-spectacular would otherwise name twice.
    org_grade = serializers.CharField(read_only=True)
    hasil = serializers.CharField(read_only=True)
    hasil_proposed = serializers.CharField(read_only=True)
    perilaku = serializers.CharField(read_only=True)
    predikat = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "year",
            "period",
            "period_label",
            "employee",
            "employee_name",
            "rater",
            "org_grade",
            "hasil",
            "hasil_proposed",
            "hasil_reasons",
            "hasil_differ_reason",
            "perilaku",
            "predikat",
            "predikat_final",
            "predikat_current",
            "status",
            "is_final_no_appeal",
            "deliver_due",
            "acknowledge_due",
            "appeal_due",
            "report_due",
        ]

    def _final_visible(self, obj) -> bool:
        """The employee sees an annual predikat once the calibration published it."""
        request = self.context.get("request")
        access = get_access(request) if request else None
        is_employee = (
            access is not None and access.employee and access.employee.pk == obj.employee_id
        )
        return bool(obj.published or not is_employee)

    def get_predikat_final(self, obj) -> str:
        return obj.predikat_final if self._final_visible(obj) else ""

    def get_predikat_current(self, obj) -> str:
        return selectors.current_predikat(obj) if self._final_visible(obj) else ""


class PredikatStepSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="proposed, rated, calibration or appeal")
    predikat = serializers.CharField()
    label = serializers.CharField()
    by = serializers.CharField()
    at = serializers.CharField(allow_null=True)
    reason = serializers.CharField()


class EvaluationDetailSerializer(EvaluationSerializer):
    rhk_rows = RhkRowSerializer(many=True, read_only=True)
    behaviour_rows = BehaviourRowSerializer(many=True, read_only=True)
    predikat_history = serializers.SerializerMethodField()

    class Meta(EvaluationSerializer.Meta):
        fields = [
            *EvaluationSerializer.Meta.fields,
            "rhk_rows",
            "behaviour_rows",
            "predikat_history",
        ]

    @extend_schema_field(PredikatStepSerializer(many=True))
    def get_predikat_history(self, obj) -> list[dict[str, object]]:
        if not self._final_visible(obj):
            return []
        return [
            {
                "kind": step.kind,
                "predikat": step.predikat,
                "label": step.label,
                "by": step.by,
                "at": step.at.isoformat() if step.at else None,
                "reason": step.reason,
            }
            for step in selectors.predikat_history(obj)
        ]


class RateItemSerializer(serializers.Serializer):
    rating = serializers.CharField(allow_blank=True, help_text="di_atas, sesuai, di_bawah or ''")
    feedback = serializers.CharField(required=False, allow_blank=True, default="")


class RateSerializer(serializers.Serializer):
    rhk = serializers.DictField(child=RateItemSerializer(), required=False)
    behaviour = serializers.DictField(child=RateItemSerializer(), required=False)
    hasil = serializers.CharField(required=False, allow_blank=True)
    hasil_differ_reason = serializers.CharField(required=False, allow_blank=True)
    hasil_feedback = serializers.CharField(required=False, allow_blank=True)
    perilaku = serializers.CharField(required=False, allow_blank=True)
    perilaku_feedback = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class AppealFileSerializer(serializers.Serializer):
    reasons = serializers.CharField()
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="evidence files (multipart), checked like realisasi evidence",
    )


class UploadLimitMixin:
    """Files over the size limit are skipped while streaming (never stored); the
    action then refuses with the limit's message (`refuse_too_large`)."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def initialize_request(self, request, *args, **kwargs):
        uploads.install_limit(request)
        return super().initialize_request(request, *args, **kwargs)

    @staticmethod
    def refuse_too_large(request):
        request.data  # noqa: B018 - parse the body: the handler marks a skipped file
        if getattr(request._request, "upload_too_large", False):
            raise uploads.too_large_error()


class SelfOpenSerializer(serializers.Serializer):
    skp = serializers.IntegerField()
    period = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="null: the annual evaluation"
    )


class SelfItemSerializer(serializers.Serializer):
    rating = serializers.CharField(help_text="di_atas, sesuai or di_bawah")
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = serializers.CharField(required=False, allow_blank=True, default="")


class SelfAssessmentInputSerializer(serializers.Serializer):
    rhk = serializers.DictField(child=SelfItemSerializer(), required=False)
    behaviour = serializers.DictField(child=SelfItemSerializer(), required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SelfAssessmentItemSerializer(serializers.Serializer):
    rhk = serializers.IntegerField(source="rhk_id", allow_null=True)
    value = serializers.IntegerField(allow_null=True)
    rating = serializers.CharField()
    comment = serializers.CharField()
    evidence = serializers.CharField()


class SelfAssessmentSerializer(serializers.Serializer):
    evaluation = serializers.IntegerField(source="evaluation_id")
    note = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    items = SelfAssessmentItemSerializer(many=True, source="items.all")


class PeerRequestSerializer(serializers.Serializer):
    peers = serializers.ListField(
        child=serializers.IntegerField(), help_text="ids of the agency's employees to ask"
    )


class EvaluationPeerSerializer(serializers.Serializer):
    """A peer input as the evaluation's page shows it: the peer's name only where
    the viewer may see it (not the employee, unless the agency shows names)."""

    id = serializers.IntegerField()
    peer_name = serializers.CharField(allow_null=True)
    ratings = serializers.DictField(child=serializers.CharField())
    comment = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)


class EvaluationViewSet(UploadLimitMixin, ScopedObjectMixin, viewsets.ReadOnlyModelViewSet):
    """Evaluations the user may see (own, the chart below, those they rate)."""

    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return (
            selectors.evaluation_queryset(get_access(self.request))
            .prefetch_related("rhk_rows__rhk", "behaviour_rows")
            .order_by("pk")
        )

    def get_serializer_class(self):
        return EvaluationDetailSerializer if self.action != "list" else EvaluationSerializer

    def _detail_response(self, evaluation):
        evaluation = self.get_queryset().get(pk=evaluation.pk)
        return Response(
            EvaluationDetailSerializer(evaluation, context={"request": self.request}).data
        )

    @extend_schema(request=RateSerializer, responses=EvaluationDetailSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        evaluation = self.get_object()
        data = RateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.evaluation_rate(actor=request.user, evaluation=evaluation, **data.validated_data)
        return self._detail_response(evaluation)

    def _evaluation_step(self, service):
        evaluation = self.get_object()
        service(actor=self.request.user, evaluation=evaluation)
        return self._detail_response(evaluation)

    @extend_schema(request=None, responses=EvaluationDetailSerializer)
    @action(detail=True, methods=["post"])
    def finalise(self, request, pk=None):
        return self._evaluation_step(services.evaluation_finalise)

    @extend_schema(request=None, responses=EvaluationDetailSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        return self._evaluation_step(services.evaluation_sign)

    @extend_schema(request=None, responses=EvaluationDetailSerializer)
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        return self._evaluation_step(services.evaluation_deliver)

    @extend_schema(request=None, responses=EvaluationDetailSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return self._evaluation_step(services.evaluation_acknowledge)

    @extend_schema(request=SelfOpenSerializer, responses=EvaluationDetailSerializer)
    @action(detail=False, methods=["post"], url_path="self-open")
    def self_open(self, request):
        """The employee opens their own evaluation (created on demand) to assess themselves."""
        data = SelfOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        skp = get_visible_skp_or_404(request, data.validated_data["skp"])
        period = None
        if data.validated_data["period"] is not None:
            period = selectors.period_of_year(skp.year_id, data.validated_data["period"])
            if period is None:
                raise serializers.ValidationError(
                    {"period": ["Periode tidak termasuk tahun SKP ini."]}
                )
        evaluation = services.self_assessment_open(actor=request.user, skp=skp, period=period)
        return self._detail_response(evaluation)

    @extend_schema(methods=["GET"], request=None, responses=SelfAssessmentSerializer)
    @extend_schema(
        methods=["POST"], request=SelfAssessmentInputSerializer, responses=SelfAssessmentSerializer
    )
    @action(detail=True, methods=["get", "post"], url_path="self-assessment")
    def self_assessment(self, request, pk=None):
        """The employee's self-assessment per RHK and core value (POST: the employee submits)."""
        evaluation = self.get_object()
        if request.method == "POST":
            data = SelfAssessmentInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            services.self_assessment_submit(
                actor=request.user, evaluation=evaluation, **data.validated_data
            )
        found = selectors.self_assessment_of(evaluation)
        if found is None:  # nothing submitted yet
            empty = {"evaluation": evaluation.pk, "note": "", "submitted_at": None, "items": []}
            return Response(empty)
        return Response(SelfAssessmentSerializer(found).data)

    @extend_schema(methods=["GET"], request=None, responses=EvaluationPeerSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=PeerRequestSerializer,
        responses={201: EvaluationPeerSerializer(many=True)},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def peers(self, request, pk=None):
        """The rekan kerja asked for input on this evaluation (POST: the rater or admin
        BKD asks more). Their input informs the rater; it is never the rating."""
        evaluation = self.get_object()
        status = 200
        if request.method == "POST":
            data = PeerRequestSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            wanted = set(data.validated_data["peers"])
            found = selectors.employees_in_agency(evaluation.agency_id, wanted)
            if len(found) != len(wanted):
                raise serializers.ValidationError(
                    {"peers": [_("Rekan kerja tidak ditemukan di instansi ini.")]}
                )
            services.peer_input_request(actor=request.user, evaluation=evaluation, peers=found)
            status = 201
        access = get_access(request)
        is_employee = access.employee is not None and access.employee.pk == evaluation.employee_id
        names = not is_employee or selectors.settings_for(evaluation.agency_id).peer_names_visible
        rows = [
            {
                "id": p.pk,
                "peer_name": p.peer.full_name if names else None,
                "ratings": p.ratings if p.submitted_at else {},
                "comment": p.comment if p.submitted_at else "",
                "submitted_at": p.submitted_at,
            }
            for p in selectors.evaluation_peers(evaluation)
        ]
        return Response(EvaluationPeerSerializer(rows, many=True).data, status=status)

    @extend_schema(request=AppealFileSerializer, responses=EvaluationDetailSerializer)
    @action(detail=True, methods=["post"])
    def appeal(self, request, pk=None):
        """The employee files an appeal (JSON, or multipart with evidence `files`)."""
        evaluation = self.get_object()
        self.refuse_too_large(request)
        data = AppealFileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.appeal_file(actor=request.user, evaluation=evaluation, **data.validated_data)
        return self._detail_response(evaluation)


class PeerInputSerializer(serializers.ModelSerializer):
    """A request for the user's input on a colleague's behaviour: whom and which
    period, and the user's own answer; never the evaluation, its ratings or predikat."""

    employee_name = serializers.CharField(source="evaluation.employee.full_name", read_only=True)
    year = serializers.IntegerField(source="evaluation.year.year", read_only=True)
    period_label = serializers.CharField(
        source="evaluation.period.label", read_only=True, default=None
    )
    is_open = serializers.SerializerMethodField(
        help_text="False once the evaluation is finalised: the input can no longer change."
    )

    class Meta:
        model = PeerInput
        fields = [
            "id",
            "employee_name",
            "year",
            "period_label",
            "ratings",
            "comment",
            "submitted_at",
            "is_open",
        ]
        read_only_fields = fields

    def get_is_open(self, obj) -> bool:
        return not obj.evaluation.is_locked


class PeerInputSubmitSerializer(serializers.Serializer):
    ratings = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        help_text='{"<core value 1-7>": "di_atas" | "sesuai" | "di_bawah" | ""}',
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_ratings(self, value):
        if not all(str(key).isdigit() for key in value):
            raise serializers.ValidationError(_("Nilai perilaku tidak dikenal."))
        return value


class PeerInputViewSet(ScopedObjectMixin, viewsets.ReadOnlyModelViewSet):
    """The user's requests for peer input (admin BKD: the agency's); ?open=1 lists
    only those not answered yet. The peer answers with POST .../submit/."""

    permission_classes = [IsAuthenticated]
    serializer_class = PeerInputSerializer

    def get_queryset(self):
        queryset = selectors.peer_input_queryset(get_access(self.request))
        if self.action == "list" and self.request.query_params.get("open") in ("1", "true"):
            queryset = queryset.filter(submitted_at__isnull=True)
        return queryset

    @extend_schema(request=PeerInputSubmitSerializer, responses=PeerInputSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        peer_input = self.get_object()
        data = PeerInputSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.peer_input_submit(actor=request.user, peer_input=peer_input, **data.validated_data)
        return Response(PeerInputSerializer(self.get_queryset().get(pk=peer_input.pk)).data)


class CalibrationSerializer(serializers.ModelSerializer):
    org_grade = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Calibration
        fields = [
            "id",
            "year",
            "unit",
            "unit_name",
            "member_unit_ids",
            "org_grade",
            "status",
            "round",
            "before",
            "after",
            "violations_at_close",
            "override_reason",
        ]


class CalibrationChangeSerializer(serializers.Serializer):
    evaluation = serializers.IntegerField()
    predikat = serializers.CharField(help_text="sangat_baik, baik, butuh_perbaikan, ...")
    reason = serializers.CharField(allow_blank=True)


class CalibrationCloseSerializer(serializers.Serializer):
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")


class CalibrationViewSet(ScopedObjectMixin, viewsets.ReadOnlyModelViewSet):
    """Calibrations of the agency: the tim penilai kinerja (and admin BKD) only."""

    permission_classes = [IsAuthenticated]
    serializer_class = CalibrationSerializer

    def get_queryset(self):
        access = get_access(self.request)
        return Calibration.objects.filter(selectors.calibration_filter(access)).select_related(
            "unit"
        )

    def retrieve(self, request, *args, **kwargs):
        calibration = self.get_object()
        state = selectors.calibration_state(calibration)
        data = CalibrationSerializer(calibration).data
        data["counts"] = state.counts
        data["violations"] = state.violations
        data["quota"] = state.quota
        changes = selectors.calibration_grade_changes(calibration)
        data["grade_changes"] = {
            "org_grade_before": changes.grade_before,
            "org_grade_after": changes.grade_after,
            "evaluations": [
                {
                    "evaluation": row.pk,
                    "employee": row.employee_id,
                    "org_grade_before": row.grade_before,
                    "org_grade_after": row.grade_after,
                    "hasil_before": row.hasil_before,
                    "hasil_after": row.hasil_after,
                    "predikat_before": row.predikat_before,
                    "predikat_after": row.predikat_after,
                }
                for row in changes.rows
            ],
            "pending": changes.any,
        }
        # This round's employees; the others of the pool count in the quotas.
        data["evaluations"] = [row.pk for row in state.evaluations]
        data["other_rounds"] = state.other_rounds
        data["awaiting_follow_up"] = state.awaiting
        data["rounds"] = [{"id": r.pk, "round": r.round, "status": r.status} for r in state.rounds]
        return Response(data)

    @extend_schema(request=CalibrationChangeSerializer, responses=CalibrationSerializer)
    @action(detail=True, methods=["post"])
    def change(self, request, pk=None):
        calibration = self.get_object()
        data = CalibrationChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        evaluation = selectors.evaluation_in_agency(
            calibration.agency_id, data.validated_data["evaluation"]
        )
        if evaluation is None:
            raise serializers.ValidationError(
                {"evaluation": ["Evaluasi ini tidak termasuk kalibrasi unit ini."]}
            )
        services.calibration_change(
            actor=request.user,
            calibration=calibration,
            evaluation=evaluation,
            predikat=data.validated_data["predikat"],
            reason=data.validated_data["reason"],
        )
        return self.retrieve(request, pk=pk)

    @extend_schema(request=CalibrationCloseSerializer, responses=CalibrationSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        calibration = self.get_object()
        data = CalibrationCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.calibration_close(
            actor=request.user, calibration=calibration, **data.validated_data
        )
        return self.retrieve(request, pk=pk)

    @extend_schema(request=None, responses=CalibrationSerializer)
    @action(detail=True, methods=["post"], url_path="reapply-grades")
    def reapply_grades(self, request, pk=None):
        """The organisation grade changed while the calibration is open: apply the grade
        that holds now to the affected proposals (the same service as the page)."""
        calibration = self.get_object()
        services.calibration_reapply_grades(actor=request.user, calibration=calibration)
        return self.retrieve(request, pk=pk)


class AppealSerializer(serializers.ModelSerializer):
    predikat_before = serializers.CharField(read_only=True)
    new_predikat = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    decision = serializers.CharField(read_only=True)

    class Meta:
        model = Appeal
        fields = [
            "id",
            "evaluation",
            "filed_on",
            "reasons",
            "evidence",
            "decider",
            "decide_due",
            "explanation_requested_at",
            "rater_explanation",
            "employee_explanation",
            "status",
            "decision",
            "predikat_before",
            "new_predikat",
            "decision_reason",
            "recommendation",
            "decided_on",
            "escalated",
        ]


class AppealDecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Appeal.Decision.values)
    reason = serializers.CharField(allow_blank=True)
    new_predikat = serializers.CharField(required=False, allow_blank=True, default="")
    recommendation = serializers.CharField(required=False, allow_blank=True, default="")


class AppealExplainSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, max_length=4000)


class AppealEvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = AppealEvidence
        fields = ["id", "appeal", "original_name", "content_type", "size", "sha256", "created_at"]
        read_only_fields = fields


class AppealEvidenceUploadSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(), allow_empty=False)


class AppealViewSet(UploadLimitMixin, ScopedObjectMixin, viewsets.ReadOnlyModelViewSet):
    """Appeals the user filed, decides, is the rater of, or (admin BKD) the agency's."""

    permission_classes = [IsAuthenticated]
    serializer_class = AppealSerializer

    def get_queryset(self):
        access = get_access(self.request)
        return Appeal.objects.filter(selectors.appeal_filter(access)).order_by("pk")

    @extend_schema(request=AppealDecideSerializer, responses=AppealSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        appeal = self.get_object()
        data = AppealDecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appeal = services.appeal_decide(actor=request.user, appeal=appeal, **data.validated_data)
        return Response(AppealSerializer(appeal).data)

    @extend_schema(request=None, responses=AppealSerializer)
    @action(detail=True, methods=["post"], url_path="request-explanations")
    def request_explanations(self, request, pk=None):
        """The decider asks the rater and the employee to explain (both are notified)."""
        appeal = services.appeal_request_explanations(actor=request.user, appeal=self.get_object())
        return Response(AppealSerializer(appeal).data)

    @extend_schema(request=AppealExplainSerializer, responses=AppealSerializer)
    @action(detail=True, methods=["post"])
    def explain(self, request, pk=None):
        """The rater's or the employee's explanation (whichever of them sends it)."""
        appeal = self.get_object()
        data = AppealExplainSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appeal = services.appeal_explain(
            actor=request.user, appeal=appeal, text=data.validated_data["text"]
        )
        return Response(AppealSerializer(appeal).data)

    @extend_schema(methods=["GET"], request=None, responses=AppealEvidenceSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": AppealEvidenceUploadSerializer},
        responses={201: AppealEvidenceSerializer(many=True)},
    )
    @action(detail=True, methods=["get", "post"])
    def files(self, request, pk=None):
        """The appeal's evidence files, for the employee and the decider (POST: the
        employee adds files while the appeal is open). Each file downloads from
        /api/appeal-files/<id>/download/."""
        appeal = self.get_object()
        if not selectors.may_see_appeal_evidence(get_access(request), appeal):
            raise PermissionDenied(
                _(
                    "Hanya pegawai yang mengajukan keberatan dan atasan pejabat penilai "
                    "yang dapat melihat berkas bukti keberatan."
                )
            )
        status = 200
        if request.method == "POST":
            self.refuse_too_large(request)
            data = AppealEvidenceUploadSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            services.appeal_evidence_add(
                actor=request.user, appeal=appeal, files=data.validated_data["files"]
            )
            status = 201
        files = selectors.appeal_evidence_of(appeal)
        return Response(AppealEvidenceSerializer(files, many=True).data, status=status)


class AppealEvidenceViewSet(ScopedObjectMixin, viewsets.ReadOnlyModelViewSet):
    """Evidence files of the appeals the user filed or decides; anyone else gets 404."""

    permission_classes = [IsAuthenticated]
    serializer_class = AppealEvidenceSerializer

    def get_queryset(self):
        access = get_access(self.request)
        return (
            selectors.appeal_evidence_queryset()
            .filter(selectors.appeal_evidence_filter(access))
            .order_by("pk")
        )

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The file, as an attachment; each download is recorded."""
        evidence = self.get_object()
        response = private_file_response(
            lambda: services.appeal_evidence_path(evidence),
            filename=evidence.original_name,
            content_type=evidence.content_type,
        )
        services.appeal_evidence_record_download(actor=request.user, evidence=evidence)
        return response


class CloseGapsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    last_window_opens = serializers.DateField(allow_null=True)
    employees = serializers.IntegerField()
    with_result = serializers.IntegerField()
    without_result = serializers.IntegerField()
    no_skp = serializers.IntegerField()
    skp_not_approved = serializers.IntegerField(
        help_text="Employees whose SKP of the year was never set: no result, no calibration."
    )
    not_rated = serializers.IntegerField()
    not_finalised = serializers.IntegerField()


class AnnualCloseSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class AnnualCloseViewSet(ScopedObjectMixin, viewsets.GenericViewSet):
    """Admin BKD: what the annual close of a year (its id) would leave without a final
    result (GET), and starting it (POST .../start/, with a reason before the last period's
    evaluation window opens)."""

    permission_classes = [IsAuthenticated]
    serializer_class = CloseGapsSerializer

    def get_queryset(self):
        access = get_access(self.request)
        if not access.is_admin:
            return PerformanceYear.objects.none()
        return PerformanceYear.objects.filter(agency_id=access.agency_id)

    def retrieve(self, request, pk=None):
        year = self.get_object()
        data = {
            "year": year.year,
            "last_window_opens": selectors.last_window_opens(year),
            **selectors.close_gaps(year).as_dict(),
        }
        return Response(CloseGapsSerializer(data).data)

    @extend_schema(request=AnnualCloseSerializer, responses={202: None})
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        year = self.get_object()
        body = AnnualCloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        job = services.annual_close_start(
            actor=request.user, year=year, reason=body.validated_data["reason"]
        )
        return Response({"job": job.pk, "status": job.status}, status=202)


def register(router):
    router.register("evaluations", EvaluationViewSet, basename="evaluation")
    router.register("calibrations", CalibrationViewSet, basename="calibration")
    router.register("appeals", AppealViewSet, basename="appeal")
    router.register("peer-inputs", PeerInputViewSet, basename="peerinput")
    router.register("appeal-files", AppealEvidenceViewSet, basename="appealevidence")
    router.register("annual-close", AnnualCloseViewSet, basename="annualclose")
