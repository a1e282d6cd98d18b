"""Read-only representations of the safety registers. The care register has no API on purpose:
it is sensitive personal data, read only on audited console pages."""

from __future__ import annotations

from rest_framework import serializers

from ..choices import Timeliness
from ..models import Hazard, Incident, PatrolTask, Whistle


class HazardSerializer(serializers.ModelSerializer):
    grade_display = serializers.CharField(source="get_grade_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    place_name = serializers.CharField(source="place.name", read_only=True)

    class Meta:
        model = Hazard
        fields = ["id", "title", "grade", "grade_display", "state", "state_display", "source", "place", "place_name",
                  "found_at", "deadline", "fixed_at", "closed_at", "escalation", "request_id", "measures"]
        read_only_fields = fields


class PatrolTaskSerializer(serializers.ModelSerializer):
    route = serializers.CharField(source="plan.route.name", read_only=True)
    # Blank until the round is settled (a task still open has no timeliness yet).
    timeliness = serializers.ChoiceField(choices=Timeliness.choices, allow_blank=True, read_only=True)

    class Meta:
        model = PatrolTask
        fields = ["id", "route", "day", "shift", "window_start", "window_end", "state", "timeliness", "points_due",
                  "points_done"]
        read_only_fields = fields


class IncidentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Incident
        fields = ["id", "kind", "title", "place", "reported_at", "closed_at"]
        read_only_fields = fields


class WhistleSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = Whistle
        fields = ["id", "subject", "department", "department_name", "request_id", "hazard", "called_at", "due_at",
                  "responded_at"]
        read_only_fields = fields
