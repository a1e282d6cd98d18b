from __future__ import annotations

from rest_framework import serializers

from ..models import Acceptance, ConsentCampaign, Facility, Inspection, Project, Survey


class ProjectSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Project
        fields = ["id", "unit", "unit_name", "title", "category", "status", "owner", "place", "budget_fen",
                  "description", "created_at"]


class SurveySerializer(serializers.ModelSerializer):
    responses = serializers.IntegerField(source="response_count", read_only=True)

    class Meta:
        model = Survey
        fields = ["id", "unit", "project", "title", "per", "state", "opened_at", "closed_at", "responses"]


class CampaignSerializer(serializers.ModelSerializer):
    households_agreeing = serializers.IntegerField(read_only=True)

    class Meta:
        model = ConsentCampaign
        fields = ["id", "unit", "project", "title", "target_percent", "is_open", "households_agreeing"]


class InspectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Inspection
        fields = ["id", "project", "kind", "inspected_on", "findings", "satisfactory", "signed_at"]


class AcceptanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Acceptance
        fields = ["id", "project", "stage", "held_on", "parties", "criteria", "passed", "note"]


class FacilitySerializer(serializers.ModelSerializer):
    next_due = serializers.DateField(read_only=True)

    class Meta:
        model = Facility
        fields = ["id", "unit", "project", "name", "kind", "place", "location", "owner", "maintenance_standard",
                  "funding_source", "maintenance_every_days", "last_maintained_on", "next_due", "warranty_ends"]
