"""The API's error bodies: a domain error becomes 400/409 with a stable code and the translated message."""

from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.errors import DomainError
from core.params import InvalidParameter


def domain_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response({"code": exc.code, "detail": str(exc.message), "errors": exc.details}, status=exc.status_code)
    if isinstance(exc, InvalidParameter):
        return Response({"code": "invalid_parameter", "detail": exc.message, "errors": None}, status=400)
    if isinstance(exc, ParseError):  # a body the API cannot read (malformed, too deep, a NUL character)
        return Response({"code": "parse_error", "detail": str(exc.detail), "errors": None}, status=400)
    return exception_handler(exc, context)


class DomainErrorSerializer(serializers.Serializer):
    """A 400 body: a domain error (``code``, ``detail``, ``errors``), a request the API could not read
    (``detail``), a field validation error (each field with its messages) or, on upload endpoints, the rejected
    upload with its line-numbered ``errors``. Documented so that clients and the schema fuzzing know them all."""

    # A field validation error names each field: a field called ``code`` or ``detail`` then holds a list.
    code = serializers.JSONField(required=False, help_text="the domain error's stable code (a string)")
    detail = serializers.JSONField(required=False, help_text="the message, in the caller's language")
    errors = serializers.JSONField(required=False, allow_null=True)
