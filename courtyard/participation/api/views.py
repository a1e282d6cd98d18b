"""REST API (read-only, session-authenticated, scoped like the console): events with their counts, points
accounts and the points shop of the units in the user's scope."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from courtyard.org.api.views import ScopedViewSet

from .. import selectors
from ..models import Event, PointsAccount, ShopItem
from ..permissions import VIEW


class EventSerializer(serializers.ModelSerializer):
    taken = serializers.IntegerField(read_only=True)
    waiting = serializers.IntegerField(read_only=True)
    attended = serializers.IntegerField(read_only=True)

    class Meta:
        model = Event
        fields = ["id", "unit", "title", "target_group", "starts_at", "ends_at", "venue", "capacity",
                  "cross_courtyard", "taken", "waiting", "attended"]


class AccountSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = PointsAccount
        fields = ["id", "unit", "person", "person_name", "balance", "earned", "head_seq", "head_hash"]


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ShopItem
        fields = ["id", "unit", "name", "kind", "cost", "stock", "description", "active"]


@extend_schema_view(list=extend_schema(summary="Events in your scope", tags=["participation"]),
                    retrieve=extend_schema(summary="One event", tags=["participation"]))
class EventViewSet(ScopedViewSet):
    model = Event
    required_perm = VIEW
    serializer_class = EventSerializer

    def get_queryset(self):
        return selectors.events_for(self.request.user).order_by("-starts_at", "-pk")


@extend_schema_view(list=extend_schema(summary="Points accounts in your scope", tags=["participation"]),
                    retrieve=extend_schema(summary="One points account", tags=["participation"]))
class AccountViewSet(ScopedViewSet):
    model = PointsAccount
    required_perm = VIEW
    serializer_class = AccountSerializer

    def get_queryset(self):
        return self.base_queryset().select_related("person").order_by("-balance", "pk")


@extend_schema_view(list=extend_schema(summary="Points shop items in your scope", tags=["participation"]),
                    retrieve=extend_schema(summary="One shop item", tags=["participation"]))
class ItemViewSet(ScopedViewSet):
    model = ShopItem
    required_perm = VIEW
    serializer_class = ItemSerializer

    def get_queryset(self):
        return self.base_queryset().order_by("unit_id", "cost", "pk")
