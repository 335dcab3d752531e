"""GET /api/v1/metrics/: the metrics table as JSON (same rows as the page and the export)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wenming.api.permissions import IsStaffMember
from wenming.core.validators import validate_day_in_range

from . import selectors
from .metrics import METRIC_KEYS
from .models import PeriodKind
from .periods import period_parse


class MetricsInputSerializer(serializers.Serializer):
    period = serializers.ChoiceField(choices=PeriodKind.choices, required=False, default="month")
    date = serializers.DateField(
        validators=[validate_day_in_range],
        required=False,
        help_text="A day in the period (default today).",
    )
    by = serializers.ChoiceField(choices=["unit", "region"], required=False, default="unit")
    region = serializers.CharField(
        required=False, help_text="Region code: units under it, or its child regions."
    )


class MetricRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    metrics = serializers.DictField(child=serializers.FloatField(allow_null=True))
    counts = serializers.DictField(child=serializers.IntegerField())


class MetricsOutputSerializer(serializers.Serializer):
    period = serializers.DictField()
    by = serializers.CharField()
    results = MetricRowSerializer(many=True)


class MetricsView(APIView):
    """Metrics per unit or per region for a day, week, month, quarter or year. Rates are
    percentages with one decimal (null: nothing to divide by). Formulas: docs/metrics.md."""

    permission_classes = [IsStaffMember]

    @extend_schema(
        parameters=[MetricsInputSerializer],
        responses=MetricsOutputSerializer,
        tags=["accountability"],
    )
    def get(self, request: Request) -> Response:
        params = MetricsInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        selectors.require_metric_role(request.user)
        day = data.get("date")
        period = period_parse(data["period"], day.isoformat() if day else None)
        code = data.get("region")
        region = selectors.region_get(request.user, code) if code else None
        if data["by"] == "region":
            rows = selectors.region_metrics(user=request.user, period=period, parent=region)
        else:
            rows = selectors.unit_metrics(user=request.user, period=period, region=region)
        body = {
            "period": {
                "kind": period.kind,
                "start": period.start.isoformat(),
                "end": period.last_day.isoformat(),
                "label": period.label,
            },
            "by": data["by"],
            "results": [
                {
                    "id": r.id,
                    "code": r.code,
                    "name": r.name,
                    "metrics": {k: r.values()[k] for k in METRIC_KEYS},
                    "counts": r.counts,
                }
                for r in rows
            ],
        }
        return Response(body)
