"""Error pages in the platform's layout."""

from django.shortcuts import render


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors that touch the database: the error may be the database itself.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())


def bad_request(request, exception=None):
    """400: the page names what was wrong when the refusal said so (``InvalidParameter``); other refusals (a bad
    host header, say) get the general text."""
    from .params import InvalidParameter

    message = exception.message if isinstance(exception, InvalidParameter) else ""
    return render(request, "400.html", {"message": message}, status=400)
