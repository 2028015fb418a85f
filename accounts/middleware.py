"""Two-factor login for the authority: officers and administrators reach nothing but the second-factor pages until
their session is verified with a TOTP code (django-otp). Suppliers and hospitals log in with their password."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .access import AUTHORITY_ROLES

# Paths a not-yet-verified officer may still reach: the second-factor pages themselves, logging out, static files,
# the language switch and the liveness probe.
OPEN_PREFIXES = ("/otp/", "/logout/", "/static/", "/i18n/", "/healthz")


def needs_second_factor(user) -> bool:
    return bool(
        settings.SECOND_FACTOR_REQUIRED
        and user.is_authenticated
        and (user.role in AUTHORITY_ROLES or user.is_superuser or user.is_staff)
    )


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if needs_second_factor(user) and not user.is_verified() and not request.path.startswith(OPEN_PREFIXES):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Two-factor verification is required: verify your session or use an API token.")},
                    status=403,
                )
            return redirect(f"{reverse('accounts:second_factor')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class RefuseNullCharactersMiddleware:
    """A NUL character in the path, the query string or a header cannot reach a database lookup (PostgreSQL refuses
    it mid-query): such a request is a plain 400 (found by the API fuzzing); the API's error body under /api/."""

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def refuse(request):
        from django.http import HttpResponseBadRequest
        from django.utils.translation import gettext as _

        from core.error_pages import api_error, is_api

        if is_api(request):
            return api_error(400, "null_character", _("The request holds a null character."))
        return HttpResponseBadRequest("null character in the request", content_type="text/plain")

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        headers = (value for key, value in request.META.items() if key.startswith("HTTP_") and isinstance(value, str))
        if "\x00" in request.path or "%00" in query.lower() or "\x00" in query or any("\x00" in v for v in headers):
            return self.refuse(request)
        # Form bodies too (a view may read a field outside a form): the values are parsed once here, as the CSRF
        # check would parse them anyway.
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method == "POST" and content_type.startswith(("application/x-www-form-urlencoded", "multipart/")):
            try:
                values = [value for _key, items in request.POST.lists() for value in items]
            except Exception:  # a malformed body: left to Django's own handling further on
                values = []
            if any(isinstance(value, str) and "\x00" in value for value in values):
                return self.refuse(request)
        return self.get_response(request)


class BadRequestMiddleware:
    """A page that refuses a parameter (``core.params.InvalidParameter``) answers 400 with its message in the
    platform's layout, in debug mode too (where Django would show its technical page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from core.params import InvalidParameter

        if isinstance(exception, InvalidParameter):
            from core.error_pages import bad_request

            return bad_request(request, exception)
        return None


class BoundedBodyMiddleware:
    """Every request body is bounded, whatever its content type: one whose declared length is above
    ``REQUEST_MAX_BYTES`` is refused (413) before a byte of it is read. The server reads no more than the declared
    length (Django wraps the input stream), so the declared length is the bound."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > settings.REQUEST_MAX_BYTES:
            message = _("The request body is larger than %(max)s MB, or its length is not stated correctly.") % {
                "max": settings.REQUEST_MAX_BYTES // (1024 * 1024)
            }
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "too_large", "detail": message}, status=413)
            from django.http import HttpResponse

            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
