"""REST API of what admin BKD sets for assessment: organisation grades (the
tree, one unit, a subtree, many units, an import with its dry run), the
agency's assessment settings and its distribution policy. The same services
and selectors as the pages; another agency's unit or year is a 404."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from kinerja.api import ScopedObjectMixin
from kinerja.audit.services import record_denied
from kinerja.authz import admin_access
from kinerja.org.models import OrgUnit
from kinerja.planning import selectors as planning_selectors

from . import selectors, services
from .models import AssessmentSettings, OrgPerformance
from .services.policy import SETTINGS_FIELDS

YEAR = OpenApiParameter("year", int, description="PerformanceYear id (default: the current year)")
PERIOD = OpenApiParameter("period", int, description="Period id (blank: the year's grade)")
PARENT = OpenApiParameter("parent", int, description="Unit id whose children to list")
OFFSET = OpenApiParameter("offset", int, description="First child to list (pages of 100)")


def _scope(request, data=None):
    """(year, period) from the query (or `data`): the agency's only, else 404."""
    access = admin_access(request)
    source = data if data is not None else request.query_params
    years = planning_selectors.years(access.agency_id)
    year_id = source.get("year")
    year = (
        years.filter(pk=year_id).first()
        if year_id
        else planning_selectors.current_year(access.agency_id)
    )
    if year is None:
        raise Http404
    period = None
    if source.get("period"):
        period = selectors.period_of_year(year.pk, source.get("period"))
        if period is None:
            raise Http404
    return year, period


class EffectiveGradeSerializer(serializers.Serializer):
    grade = serializers.CharField()
    inherited = serializers.BooleanField()
    layer = serializers.CharField(help_text="period, year or previous_year")
    origin_unit = serializers.IntegerField(source="row.unit_id")
    origin_unit_name = serializers.CharField(source="row.unit.name")
    source = serializers.CharField(source="row.source")
    note = serializers.CharField(source="row.note")
    set_by = serializers.CharField()
    set_at = serializers.DateTimeField(source="row.updated_at")


class GradeNodeSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    code = serializers.CharField(source="unit.code")
    name = serializers.CharField(source="unit.name")
    has_children = serializers.BooleanField()
    grade = EffectiveGradeSerializer(allow_null=True)


class GradeLevelSerializer(serializers.Serializer):
    results = GradeNodeSerializer(many=True)
    next_offset = serializers.IntegerField(allow_null=True)


class GradeSetSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False)
    period = serializers.IntegerField(required=False, allow_null=True)
    grade = serializers.CharField(
        allow_blank=True, help_text="istimewa, baik, butuh_perbaikan, ..."
    )
    source = serializers.CharField(
        default=OrgPerformance.Source.ENTERED, help_text="entered or from_head"
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    subtree = serializers.BooleanField(
        required=False, default=False, help_text="Also set every unit below (their own grade)."
    )


class GradeEntrySerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    grade = serializers.CharField(allow_blank=True)
    source = serializers.CharField(default=OrgPerformance.Source.ENTERED)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class GradeBulkSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False)
    period = serializers.IntegerField(required=False, allow_null=True)
    entries = GradeEntrySerializer(many=True)


class ChangedSerializer(serializers.Serializer):
    changed = serializers.IntegerField(help_text="How many own grades changed")


class GradeImportSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False)
    file = serializers.FileField(
        help_text=".xlsx or .csv: kode_unit, periode, predikat, sumber, catatan"
    )
    apply = serializers.BooleanField(
        required=False, default=False, help_text="false: dry run (check only); true: apply"
    )


class GradeImportResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    applied = serializers.IntegerField()
    rows = serializers.ListField(child=serializers.DictField())
    errors = serializers.ListField(child=serializers.DictField())


class OrgGradeViewSet(ScopedObjectMixin, viewsets.GenericViewSet):
    """Organisation grades per unit (admin BKD): own or inherited from the
    nearest ancestor, for the year or a period."""

    permission_classes = [IsAuthenticated]
    serializer_class = GradeNodeSerializer

    def get_queryset(self):
        access = admin_access(self.request)
        return OrgUnit.objects.filter(access.unit_filter())

    @extend_schema(parameters=[YEAR, PERIOD, PARENT, OFFSET], responses=GradeLevelSerializer)
    def list(self, request):
        """One level of the chart: the top units, or a page of `parent`'s children."""
        year, period = _scope(request)
        parent_id = request.query_params.get("parent")
        if parent_id:
            parent = self.get_queryset().filter(pk=parent_id).first()
            if parent is None:
                record_denied(
                    "org.orgunit.view",
                    actor=request.user,
                    target_type="org.orgunit",
                    target_id=parent_id,
                )
                raise Http404
            try:
                offset = max(0, int(request.query_params.get("offset") or 0))
            except ValueError:
                offset = 0
            nodes, more = selectors.grade_children(parent, year, period, offset)
        else:
            nodes, more = selectors.grade_tree(year.agency_id, year, period), None
        return Response(GradeLevelSerializer({"results": nodes, "next_offset": more}).data)

    @extend_schema(parameters=[YEAR, PERIOD], responses=EffectiveGradeSerializer)
    def retrieve(self, request, pk=None):
        """The grade that holds for one unit (null when none up its chart)."""
        unit = self.get_object()
        year, period = _scope(request)
        found = selectors.grade_map([unit], year, period)[unit.pk]
        return Response(EffectiveGradeSerializer(found).data if found else None)

    @extend_schema(request=GradeSetSerializer, responses=ChangedSerializer)
    @action(detail=True, methods=["post"], url_path="set")
    def set_grade(self, request, pk=None):
        """Set the unit's own grade (subtree: also every unit below it)."""
        unit = self.get_object()
        data = GradeSetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        year, period = _scope(request, data.validated_data)
        changed = services.org_grade_set(
            actor=request.user,
            unit=unit,
            year=year,
            period=period,
            grade=data.validated_data["grade"],
            source=data.validated_data["source"],
            note=data.validated_data["note"],
            subtree=data.validated_data["subtree"],
        )
        return Response({"changed": changed})

    @extend_schema(request=GradeBulkSerializer, responses=ChangedSerializer)
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """Set the own grade of many units at once (one set-based write)."""
        data = GradeBulkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        year, period = _scope(request, data.validated_data)
        entries = data.validated_data["entries"]
        wanted = {e["unit"] for e in entries}
        units = {u.pk: u for u in self.get_queryset().filter(pk__in=wanted)}
        for missing in sorted(wanted - set(units)):
            record_denied(
                "org.orgunit.change",
                actor=request.user,
                target_type="org.orgunit",
                target_id=missing,
            )
            raise Http404
        changed = services.org_grades_set(
            actor=request.user,
            year=year,
            period=period,
            entries=[
                services.GradeEntry(units[e["unit"]], e["grade"], e["source"], e["note"])
                for e in entries
            ],
        )
        return Response({"changed": changed})

    @extend_schema(request=GradeImportSerializer, responses=GradeImportResultSerializer)
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_file(self, request):
        """Check a grades file (dry run), or apply it (refused with every row's
        errors when any row is wrong)."""
        data = GradeImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        year, _period = _scope(request, data.validated_data)
        plan = services.org_grades_import(
            actor=request.user,
            year=year,
            upload=data.validated_data["file"],
            apply=data.validated_data["apply"],
        )
        return Response(
            {
                "ok": plan.ok,
                "applied": plan.applied,
                "rows": [r.as_dict() for r in plan.rows],
                "errors": [e.as_dict() for e in plan.errors],
            }
        )


class AssessmentSettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssessmentSettings
        fields = list(SETTINGS_FIELDS)


class AssessmentSettingsViewSet(viewsets.ViewSet):
    """The agency's assessment settings (admin BKD): GET, and PATCH to change."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=AssessmentSettingsSerializer)
    def list(self, request):
        access = admin_access(request)
        return Response(AssessmentSettingsSerializer(selectors.settings_for(access.agency_id)).data)

    @extend_schema(request=AssessmentSettingsSerializer, responses=AssessmentSettingsSerializer)
    @action(detail=False, methods=["patch"], url_path="change")
    def change(self, request):
        admin_access(request)
        data = AssessmentSettingsSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        settings = services.settings_update(
            actor=request.user, agency=request.user.agency, **data.validated_data
        )
        return Response(AssessmentSettingsSerializer(settings).data)


class PolicyRuleSerializer(serializers.Serializer):
    order = serializers.IntegerField(help_text="The rule's number in the policy")
    org_grade = serializers.CharField()
    predikat = serializers.ListField(child=serializers.CharField())
    min_pct = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    max_pct = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    at_least_one = serializers.BooleanField()


class PolicyRuleChangeSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    min_pct = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        allow_null=True,
        required=False,
        default=None,
        help_text="A share between 0 and 1",
    )
    max_pct = serializers.DecimalField(
        max_digits=5, decimal_places=4, allow_null=True, required=False, default=None
    )
    at_least_one = serializers.BooleanField(required=False, default=False)


class DistributionPolicyViewSet(viewsets.ViewSet):
    """The agency's distribution policy (admin BKD): the regulation's defaults
    until a rule is changed; a rule is known by its `order`."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=PolicyRuleSerializer(many=True))
    def list(self, request):
        access = admin_access(request)
        rules = selectors.policy_rules(access.agency_id)
        return Response(PolicyRuleSerializer(rules, many=True).data)

    @extend_schema(request=PolicyRuleChangeSerializer, responses=PolicyRuleSerializer)
    @action(detail=False, methods=["post"], url_path="change")
    def change(self, request):
        access = admin_access(request)
        data = PolicyRuleChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = data.validated_data.pop("order")
        rule = next((r for r in selectors.policy_rules(access.agency_id) if r.order == order), None)
        if rule is None:
            raise Http404
        rule = services.policy_rule_update(actor=request.user, rule=rule, **data.validated_data)
        return Response(PolicyRuleSerializer(rule).data)


def register(router):
    router.register("org-grades", OrgGradeViewSet, basename="org-grade")
    router.register(
        "assessment-settings", AssessmentSettingsViewSet, basename="assessment-settings"
    )
    router.register(
        "distribution-policy", DistributionPolicyViewSet, basename="distribution-policy"
    )
