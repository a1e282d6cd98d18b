"""REST API of insight: snapshots and warning cases, read-only, scoped like the console pages.
Values travel as exact parts (numerator, denominator) with the value as a decimal string."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from courtyard.core.indicators import decimal_str, ratio
from courtyard.org.api.views import HasScopedPerm

from .. import permissions as P
from ..models import Snapshot, WarningCase


class ListOnly(mixins.ListModelMixin, viewsets.GenericViewSet):
    """A scoped, read-only list (filters select one node, period or case; no per-row endpoint)."""

    permission_classes = [HasScopedPerm]
    required_perm: str
    model: type

    def base_queryset(self):
        return self.model.objects.visible_to(self.request.user, self.required_perm)


class SnapshotSerializer(serializers.ModelSerializer):
    value = serializers.SerializerMethodField()

    class Meta:
        model = Snapshot
        fields = ["id", "scope_kind", "scope_key", "scope_name", "period_kind", "period_key", "period_start", "code",
                  "numerator", "denominator", "value", "stage", "colour", "computed_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_value(self, obj) -> str | None:
        return decimal_str(ratio(obj.numerator, obj.denominator))


class WarningCaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = WarningCase
        fields = ["id", "scope_kind", "scope_key", "scope_name", "code", "period_key", "level", "status", "numerator",
                  "denominator", "lead_place", "owner", "deadline", "opened_at", "closed_at", "closure"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="Indicator snapshots in your scope", tags=["insight"]),
)
class SnapshotViewSet(ListOnly):
    model = Snapshot
    required_perm = P.VIEW
    serializer_class = SnapshotSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["scope_key", "scope_kind", "period_kind", "period_key", "code", "colour"]

    def get_queryset(self):
        return self.base_queryset().order_by("scope_key", "period_start", "code", "id")


@extend_schema_view(
    list=extend_schema(summary="Warning cases in your scope", tags=["insight"]),
)
class WarningCaseViewSet(ListOnly):
    model = WarningCase
    required_perm = P.VIEW
    serializer_class = WarningCaseSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["scope_key", "code", "level", "status"]

    def get_queryset(self):
        return self.base_queryset().order_by("-opened_at", "-id")
