"""REST API of household fees (SVC-13): read-only fee plans and bills, scoped like the console. Payments
are written through the services (console, or the payment adapter's callback), never through this API."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from courtyard.org.api.views import ScopedViewSet

from .. import permissions as p
from ..fee_models import FeeBill, HouseholdFeePlan


class FeePlanSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = HouseholdFeePlan
        fields = ["id", "account", "kind", "kind_display", "name", "basis", "rate_fen", "period", "uses",
                  "resolution_ref", "starts_on", "active"]
        read_only_fields = fields


class FeeBillSerializer(serializers.ModelSerializer):
    owed_fen = serializers.IntegerField(read_only=True)

    class Meta:
        model = FeeBill
        fields = ["id", "plan", "dwelling", "building", "period_start", "period_end", "due_on", "area_m2",
                  "amount_fen", "paid_fen", "offset_fen", "owed_fen", "reminded_at"]
        read_only_fields = fields


@extend_schema_view(list=extend_schema(summary="Household fees in your scope", tags=["fees"]),
                    retrieve=extend_schema(summary="One household fee", tags=["fees"]))
class FeePlanViewSet(ScopedViewSet):
    model = HouseholdFeePlan
    required_perm = p.VIEW_LEDGER
    serializer_class = FeePlanSerializer

    def get_queryset(self):
        return self.base_queryset().order_by("id")


@extend_schema_view(list=extend_schema(summary="Fee bills in your scope", tags=["fees"]),
                    retrieve=extend_schema(summary="One fee bill", tags=["fees"]))
class FeeBillViewSet(ScopedViewSet):
    model = FeeBill
    required_perm = p.VIEW_LEDGER
    serializer_class = FeeBillSerializer

    def get_queryset(self):
        qs = self.base_queryset().order_by("id")
        plan = self.request.query_params.get("plan")
        return qs.filter(plan_id=plan) if plan and plan.isdigit() else qs
