"""Helpers of the login protections (django-axes)."""

from axes.conf import settings as axes_settings


def axes_username(request, credentials: dict | None = None) -> str | None:
    """The user name a login attempt is counted under, read as django-axes reads it (the credentials, else the
    request's data), cut to the longest user name a user can have: a longer one names no user, and the attempts
    table stores at most 255 characters (a 5 000-character name was a server error)."""
    field = axes_settings.AXES_USERNAME_FORM_FIELD
    username = credentials.get(field) if credentials else getattr(request, "data", request.POST).get(field)
    return str(username)[:150] if username else None


def lockout_response(request, original_response=None, credentials=None):
    """A locked-out login attempt: the lockout page, or under /api/ the API's error body (429)."""
    from django.shortcuts import render
    from django.utils.translation import gettext as _

    from core.error_pages import api_error, is_api

    status = axes_settings.AXES_HTTP_RESPONSE_CODE
    if is_api(request):
        return api_error(status, "locked_out", _("Too many failed logins: try again later."))
    return render(
        request,
        axes_settings.AXES_LOCKOUT_TEMPLATE,
        {"failure_limit": axes_settings.AXES_FAILURE_LIMIT},
        status=status,
    )
