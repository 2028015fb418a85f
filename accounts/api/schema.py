"""The OpenAPI schema tells the truth about errors: every operation documents the error answers the platform can
give on it, with their body, so that clients (and the schema fuzzing, with all its checks) know them."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from core.api.errors import DomainErrorSerializer

# Every operation: a request it cannot read or a refused parameter, no or a bad login, a role without the right,
# an object that does not exist or is not the caller's, too many anonymous writes.
READ_ERRORS = {
    "400": "The request was refused: a parameter or the body is not valid, or a domain rule refuses it (`code`).",
    "401": "No valid login or API token.",
    "403": "The caller's role may not do this.",
    "404": "No such object, or not one the caller may see.",
    "405": "The method is not allowed here.",
    "429": "Too many requests (anonymous writes are throttled).",
}
# Writes also: a concurrent duplicate of the same idempotency key, a reused key with another payload, an
# unsupported body type, a body above the size limit.
WRITE_ERRORS = {
    **READ_ERRORS,
    "409": "A conflict with the object's state, or the same request is already being processed.",
    "413": "The request body is larger than the platform accepts.",
    "415": "The body's content type is not accepted here.",
    "422": "This idempotency key was already used for a different request.",
}


def _decimal_pattern(field) -> str:
    """drf-spectacular's pattern for a decimal string admits "", "-" and "."; a number needs a digit, no sign when
    the field takes no negative value, and no zero when it must be above zero (a price)."""
    whole, places = max(field.max_whole_digits, 1), field.decimal_places
    if field.min_value is not None and field.min_value > 0:
        fractions = "|".join(rf"0{{{zeros}}}[1-9]\d{{0,{places - 1 - zeros}}}" for zeros in range(places))
        return rf"^(?:0*[1-9]\d{{0,{whole - 1}}}(?:\.\d{{0,{places}}})?|0*\.(?:{fractions}))$"
    sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
    return rf"^{sign}(?:\d{{1,{whole}}}(?:\.\d{{0,{places}}})?|\.\d{{1,{places}}})$"


class PlatformAutoSchema(AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.DecimalField) and "pattern" in schema and field.max_whole_digits:
            schema = {**schema, "pattern": _decimal_pattern(field)}
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and not field.allow_blank
            and field.trim_whitespace
            and schema.get("type") == "string"
            and "pattern" not in schema
            and "format" not in schema
        ):
            # Surrounding spaces are trimmed, so text of spaces only is blank: it needs one other character.
            schema = {**schema, "pattern": r"\S"}
        if (
            direction == "request"
            and isinstance(field, serializers.ManyRelatedField | serializers.ListField)
            and not field.allow_empty
            and schema.get("type") == "array"
            and "minItems" not in schema
        ):
            schema = {**schema, "minItems": 1}
        if isinstance(field, serializers.ListSerializer) and field.max_length and schema.get("type") == "array":
            schema = {**schema, "maxItems": field.max_length}
        return schema

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = READ_ERRORS if self.method in ("GET", "HEAD", "OPTIONS") else WRITE_ERRORS
        for status, description in errors.items():
            if status not in responses:
                responses[status] = self._get_response_for_code(
                    OpenApiResponse(DomainErrorSerializer, description=description), status, direction=direction
                )
        return responses
