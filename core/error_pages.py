"""Error pages in the platform's layout; under ``/api/`` the same errors as the API's JSON error body (the schema
documents no HTML answer)."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def api_error(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"code": code, "detail": str(detail), "errors": None}, status=status)


def permission_denied(request, exception=None):
    if is_api(request):
        return api_error(403, "permission_denied", _("You do not have permission to perform this action."))
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    if is_api(request):
        return api_error(404, "not_found", _("No such address in the API."))
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors that touch the database: the error may be the database itself.
    from django.http import HttpResponseServerError
    from django.template import loader

    if is_api(request):
        return api_error(500, "server_error", _("Server error."))
    return HttpResponseServerError(loader.get_template("500.html").render())


def bad_request(request, exception=None):
    """400: the page names what was wrong when the refusal said so (``InvalidParameter``); other refusals (a bad
    host header, say) get the general text."""
    from .params import InvalidParameter

    message = exception.message if isinstance(exception, InvalidParameter) else ""
    if is_api(request):
        return api_error(400, "invalid_parameter" if message else "bad_request", message or _("Bad request."))
    return render(request, "400.html", {"message": message}, status=400)


class FriendlyErrorsMiddleware:
    """In debug mode (``make run``) Django answers a missing page with a technical page that lists every URL
    pattern, and a crash with the traceback and the settings. With ``FRIENDLY_ERROR_PAGES`` (on unless
    ``DJANGO_FRIENDLY_ERRORS=0``) the platform's own pages answer there too, as in production; the traceback still
    goes to the console log."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.active = settings.DEBUG and getattr(settings, "FRIENDLY_ERROR_PAGES", True)

    def __call__(self, request):
        response = self.get_response(request)
        if (
            self.active
            and response.status_code == 404
            and "text/html" in response.get("Content-Type", "")
            and not getattr(response, "friendly", False)
        ):
            return self._mark(page_not_found(request))
        return response

    def process_exception(self, request, exception):
        import logging

        from django.core.exceptions import PermissionDenied
        from django.http import Http404

        if not self.active:
            return None
        if isinstance(exception, Http404):
            return self._mark(page_not_found(request, exception))
        if isinstance(exception, PermissionDenied):
            return permission_denied(request, exception)
        from django.core.exceptions import BadRequest, SuspiciousOperation

        if isinstance(exception, BadRequest | SuspiciousOperation):
            return None  # BadRequestMiddleware and Django's own handling answer these
        logging.getLogger("django.request").error(
            "Internal Server Error: %s", request.path, exc_info=(type(exception), exception, exception.__traceback__)
        )
        return server_error(request)

    @staticmethod
    def _mark(response):
        response.friendly = True
        return response
