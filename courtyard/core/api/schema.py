"""The OpenAPI schema: drf-spectacular's, plus every error status an endpoint can answer with."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

# One class, so the schema has one "Error" component.
ERROR = inline_serializer(name="Error", fields={"detail": serializers.CharField()})


class CourtyardAutoSchema(AutoSchema):
    """drf-spectacular's schema, plus the error answers every endpoint can give.

    403: not logged in (session authentication answers 403, not 401) or no permission;
    404: an id that is not in your scope; 400: a filter, page or body that does not parse;
    429: a throttled endpoint called too often.
    """

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        method = self.method.upper()
        has_path_params = "{" in self.path
        parses_input = method in ("POST", "PUT", "PATCH") or bool(self._get_filter_parameters()) or bool(
            self._get_pagination_parameters())
        extra = {"403": "Not logged in, or no permission for this."}
        if has_path_params:
            extra["404"] = "No such object in your scope."
        if parses_input:
            extra["400"] = "A parameter or the request body is not valid."
        if getattr(self.view, "throttle_classes", None) or getattr(self.view, "may_throttle", False):
            extra["429"] = "Too many requests; wait and try again."
        error = self.resolve_serializer(ERROR, "response").ref
        for code, description in extra.items():
            # A 400 names the fields it refuses ({"field": ["message"]}) or carries a "detail".
            schema = {"type": "object", "additionalProperties": True} if code == "400" else error
            responses.setdefault(code, {"content": {"application/json": {"schema": schema}},
                                        "description": description})
        return responses
