"""REST API of committee elections (ORG-9): read-only, scoped like the console (`visible_to`). Candidates
and results are the public facts of an election; nominators and consent records stay on the console."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from courtyard.org.api.views import ScopedViewSet

from .. import choices as c
from .. import permissions as p
from ..election_models import Election, Nomination


class CandidateSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="ballot_name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    occupation_display = serializers.CharField(source="get_occupation_display", read_only=True)

    class Meta:
        model = Nomination
        fields = ["id", "name", "kind", "kind_display", "occupation", "occupation_display", "statement"]
        read_only_fields = fields


class ElectionSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    candidates = CandidateSerializer(source="listed", many=True, read_only=True)
    outcome = serializers.JSONField(read_only=True)

    class Meta:
        model = Election
        fields = ["id", "unit", "title", "body_kind", "by_election", "seats", "electorate", "participation",
                  "term_years", "nominations_close", "quotas", "status", "status_display", "list_unmet", "vote",
                  "term_start", "term_end", "outcome", "decided_at", "candidates"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="Committee elections in your scope", tags=["elections"]),
    retrieve=extend_schema(summary="One election with its confirmed candidates and result", tags=["elections"]),
)
class ElectionViewSet(ScopedViewSet):
    model = Election
    required_perm = p.VIEW_VOTE
    serializer_class = ElectionSerializer

    def get_queryset(self):
        listed = Nomination.objects.exclude(ballot_name="").filter(status=c.NominationStatus.CONSENTED)
        return (self.base_queryset().prefetch_related(Prefetch("nominations", queryset=listed.order_by("id"),
                                                               to_attr="listed"))
                .order_by("-created_at", "-id"))
