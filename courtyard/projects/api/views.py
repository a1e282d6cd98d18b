"""REST API of renovation projects (issue 10 item 11): read-only, session-authenticated, scoped like the
console (`visible_to`; outside the scope a 404, without the permission a 403)."""

from __future__ import annotations

from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema, extend_schema_view

from courtyard.org.api.views import ScopedViewSet

from .. import permissions as p
from ..models import Acceptance, ConsentCampaign, Facility, Inspection, Project, Survey
from . import serializers as s


def _schema(name: str):
    return extend_schema_view(list=extend_schema(summary=f"{name} in your scope", tags=["projects"]),
                              retrieve=extend_schema(summary=f"One of the {name.lower()}", tags=["projects"]))


@_schema("Projects")
class ProjectViewSet(ScopedViewSet):
    model = Project
    required_perm = p.VIEW
    serializer_class = s.ProjectSerializer

    def get_queryset(self):
        return self.base_queryset().select_related("unit").order_by("pk")


@_schema("Surveys")
class SurveyViewSet(ScopedViewSet):
    model = Survey
    required_perm = p.VIEW
    serializer_class = s.SurveySerializer

    def get_queryset(self):
        return self.base_queryset().annotate(response_count=Count("responses")).order_by("pk")


@_schema("Consent campaigns")
class CampaignViewSet(ScopedViewSet):
    model = ConsentCampaign
    required_perm = p.VIEW
    serializer_class = s.CampaignSerializer

    def get_queryset(self):
        return self.base_queryset().annotate(
            households_agreeing=Count("consents", filter=Q(consents__answer="yes"))).order_by("pk")


@_schema("Inspections")
class InspectionViewSet(ScopedViewSet):
    model = Inspection
    required_perm = p.VIEW
    serializer_class = s.InspectionSerializer

    def get_queryset(self):
        return self.base_queryset().order_by("pk")


@_schema("Acceptances")
class AcceptanceViewSet(ScopedViewSet):
    model = Acceptance
    required_perm = p.VIEW
    serializer_class = s.AcceptanceSerializer

    def get_queryset(self):
        return self.base_queryset().order_by("pk")


@_schema("Facilities")
class FacilityViewSet(ScopedViewSet):
    model = Facility
    required_perm = p.VIEW
    serializer_class = s.FacilitySerializer

    def get_queryset(self):
        return self.base_queryset().order_by("pk")
