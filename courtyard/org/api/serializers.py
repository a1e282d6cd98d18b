"""Read-only representations of the registry. Personal numbers only ever leave masked;
the full value is returned by the audited reveal action alone."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from courtyard.core.access import ROLES

from ..choices import Gender
from ..models import Dwelling, DwellingArea, Person, Place, RoleGrant


class PlaceSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Place
        fields = ["id", "kind", "kind_display", "name", "code", "parent", "depth", "community", "courtyard",
                  "floors", "map_x", "map_y"]
        read_only_fields = fields


class DwellingAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = DwellingArea
        fields = ["source", "area_m2", "reference", "recorded_at"]
        read_only_fields = fields


class DwellingSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    courtyard_name = serializers.CharField(source="courtyard.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, allow_null=True, default=None)
    areas = DwellingAreaSerializer(many=True, read_only=True)

    class Meta:
        model = Dwelling
        fields = ["id", "label", "number", "floor", "area_m2", "area_source", "areas", "property_type", "occupancy",
                  "developer_unsold", "entrance", "building", "courtyard", "courtyard_name", "unit", "unit_name",
                  "community", "updated_at"]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer):
    """Phone and ID numbers appear masked (138****5678); there is no field with the plain value."""

    gender = serializers.ChoiceField(choices=Gender.choices, allow_blank=True, read_only=True)
    phone_masked = serializers.CharField(source="masked_phone", read_only=True)
    id_number_masked = serializers.CharField(source="masked_id_number", read_only=True)
    home_label = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", "name", "gender", "birth_year", "residence_status", "phone_masked", "id_number_masked",
                  "home", "home_label", "community", "unit", "active", "tags"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_home_label(self, obj: Person) -> str | None:
        return obj.home.label if obj.home_id else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, obj: Person) -> list[str]:
        return [t.code for t in obj.tags.all()]


class RevealRequestSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=[("phone", "phone"), ("id_number", "id_number")])


class RevealResponseSerializer(serializers.Serializer):
    field = serializers.CharField()
    value = serializers.CharField(allow_blank=True, help_text="The full value; empty when none is recorded.")


class RoleGrantSerializer(serializers.ModelSerializer):
    role_label = serializers.SerializerMethodField()
    user_name = serializers.CharField(source="user.display_name", read_only=True)
    scope_name = serializers.SerializerMethodField()
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = RoleGrant
        fields = ["id", "role", "role_label", "user", "user_name", "place", "unit", "scope_name", "title",
                  "start_date", "end_date", "is_current", "community"]
        read_only_fields = fields

    def get_role_label(self, obj: RoleGrant) -> str:
        role = ROLES.get(obj.role)
        return str(role.label) if role else obj.role

    def get_scope_name(self, obj: RoleGrant) -> str:
        return str(obj.scope)
