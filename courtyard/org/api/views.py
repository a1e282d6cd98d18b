"""REST API for the registry (X-7): read-only, session-authenticated, scoped like the console.

Lists come from `Model.objects.visible_to(user)`; an object outside the user's scope is a 404
and a missing permission a 403, exactly as on the console pages.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled
from rest_framework.response import Response

from courtyard.core.audit import Actor
from courtyard.core.models import Channel

from .. import access, services
from ..filters import DwellingFilter, GrantFilter, PersonFilter
from ..models import Dwelling, Person, Place, RoleGrant, Tag
from ..reveal import TooManyReveals
from . import serializers as s


class ScopedFilterBackend(DjangoFilterBackend):
    """The console's filter sets, given the acting user so choice lists stay in scope."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        kwargs["user"] = request.user
        return kwargs


class HasScopedPerm(permissions.BasePermission):
    """The view's `required_perm` from roles.py: held through some current grant, and covering the object."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(view.required_perm))

    def has_object_permission(self, request, view, obj) -> bool:
        return request.user.has_perm(view.required_perm, obj)


class ScopedViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasScopedPerm]
    required_perm: str
    model: type

    def base_queryset(self):
        return self.model.objects.visible_to(self.request.user, self.required_perm)


@extend_schema_view(
    list=extend_schema(summary="Places in your scope", tags=["registry"]),
    retrieve=extend_schema(summary="One place", tags=["registry"]),
)
class PlaceViewSet(ScopedViewSet):
    """Nodes of the place tree (district … entrance) in the user's scope."""

    model = Place
    required_perm = access.VIEW_PLACE
    serializer_class = s.PlaceSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["kind", "parent", "community"]

    def get_queryset(self):
        return self.base_queryset().select_related("courtyard").order_by("path")


@extend_schema_view(
    list=extend_schema(summary="Dwellings in your scope", tags=["registry"]),
    retrieve=extend_schema(summary="One dwelling", tags=["registry"]),
)
class DwellingViewSet(ScopedViewSet):
    model = Dwelling
    required_perm = access.VIEW_DWELLING
    serializer_class = s.DwellingSerializer
    filter_backends = [ScopedFilterBackend]
    filterset_class = DwellingFilter

    def get_queryset(self):
        return (
            self.base_queryset()
            .select_related("courtyard", "building", "entrance", "unit")
            .prefetch_related("areas")
            .order_by("entrance_id", "number")  # the unique index: a page stops after its rows
        )


@extend_schema_view(
    list=extend_schema(summary="People in your scope (phone and ID numbers masked)", tags=["registry"]),
    retrieve=extend_schema(summary="One person (phone and ID numbers masked)", tags=["registry"]),
)
class PersonViewSet(ScopedViewSet):
    model = Person
    required_perm = access.VIEW_PERSON
    serializer_class = s.PersonSerializer
    filter_backends = [ScopedFilterBackend]
    filterset_class = PersonFilter
    may_throttle = True  # ?phone= / ?id_number= spend from the reveal budget (schema: 429)

    def get_queryset(self):
        return (
            self.base_queryset()
            .select_related("home__courtyard", "home__building", "home__entrance")
            .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("code")))
            .order_by("path", "name", "id")
            .distinct()
        )

    def list(self, request, *args, **kwargs):
        try:
            response = super().list(request, *args, **kwargs)
        except TooManyReveals as exc:
            raise Throttled(wait=exc.wait) from exc
        if request.query_params.get("phone") or request.query_params.get("id_number"):
            response["Cache-Control"] = "no-store"  # a search by full number is a reveal
        return response

    @extend_schema(
        summary="Reveal a full phone or ID number (audited)",
        description="Needs the reveal permission on this person. Every call is written to the audit trail.",
        request=s.RevealRequestSerializer,
        responses={
            200: s.RevealResponseSerializer,
            400: OpenApiResponse(description="Unknown field."),
            403: OpenApiResponse(description="You may not see this person's full details."),
            404: OpenApiResponse(description="No such person in your scope."),
            429: OpenApiResponse(description="Your reveal budget is spent (10 a minute); wait and retry."),
        },
        tags=["registry"],
    )
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        person = self.get_object()
        body = s.RevealRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        field = body.validated_data["field"]
        try:
            value = services.reveal_pii(by=Actor.from_request(request, channel=Channel.API), person=person,
                                        field=field)
        except TooManyReveals as exc:
            raise Throttled(wait=exc.wait) from exc
        response = Response(s.RevealResponseSerializer({"field": field, "value": value or ""}).data)
        response["Cache-Control"] = "no-store"
        return response


@extend_schema_view(
    list=extend_schema(summary="Role grants in your scope", tags=["roles"]),
    retrieve=extend_schema(summary="One role grant", tags=["roles"]),
)
class RoleGrantViewSet(ScopedViewSet):
    model = RoleGrant
    required_perm = access.VIEW_GRANTS
    serializer_class = s.RoleGrantSerializer
    filter_backends = [ScopedFilterBackend]
    filterset_class = GrantFilter

    def get_queryset(self):
        return self.base_queryset().select_related("user", "place", "unit").order_by("role", "id")
