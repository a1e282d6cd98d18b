"""REST API of the safety app: read-only, session-authenticated, scoped like the console (lists from
`visible_to`, an object outside scope is a 404, a missing permission a 403)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets

from .. import permissions as P
from ..models import Hazard, Incident, PatrolTask, Whistle
from . import serializers as s


class HasPerm(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(P.VIEW))


class _Scoped(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasPerm]
    model: type
    related: tuple = ()

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user, P.VIEW).select_related(*self.related).order_by("-pk")


@extend_schema_view(list=extend_schema(summary="Hazards in your scope", tags=["safety"]),
                    retrieve=extend_schema(summary="One hazard", tags=["safety"]))
class HazardViewSet(_Scoped):
    model, related, serializer_class = Hazard, ("place",), s.HazardSerializer


@extend_schema_view(list=extend_schema(summary="Patrol tasks in your scope", tags=["safety"]),
                    retrieve=extend_schema(summary="One patrol task", tags=["safety"]))
class PatrolTaskViewSet(_Scoped):
    model, related, serializer_class = PatrolTask, ("plan__route",), s.PatrolTaskSerializer


@extend_schema_view(list=extend_schema(summary="Incidents in your scope", tags=["safety"]),
                    retrieve=extend_schema(summary="One incident", tags=["safety"]))
class IncidentViewSet(_Scoped):
    model, serializer_class = Incident, s.IncidentSerializer


@extend_schema_view(list=extend_schema(summary="Escalations to departments in your scope", tags=["safety"]),
                    retrieve=extend_schema(summary="One escalation", tags=["safety"]))
class WhistleViewSet(_Scoped):
    model, related, serializer_class = Whistle, ("department",), s.WhistleSerializer
