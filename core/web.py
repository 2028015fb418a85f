"""How a page runs a service: the service decides and raises a ``DomainError`` when it refuses; the page only
shows the outcome. Two shapes cover every page: a button (POST, then back to a page with a message) and a form
(a refusal becomes the form's error, and what was typed stays in the form)."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.contrib import messages
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect

from .errors import DomainError


def perform(request, action: Callable[[], object], success: str, target, *args, **kwargs) -> HttpResponse:
    """Run ``action()`` for a button's POST: show ``success``, or the refusal's message, then go to ``target``
    (anything ``redirect`` takes, with its arguments)."""
    try:
        action()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(target, *args, **kwargs)


@contextmanager
def refusals_on(form, field: str | None = None) -> Iterator[None]:
    """Run the block's service call for a form; a refusal becomes the form's error (of ``field``, or of the whole
    form), ``form.is_valid()`` is then false and the page shows it beside what the user typed::

        with refusals_on(form):
            services.do(...)
        if form.is_valid():
            return redirect(...)
    """
    try:
        yield
    except DomainError as error:
        form.add_error(field, error.message)


def moved(prefix: str) -> Callable:
    """A view for pages that moved to ``prefix``: ``rest`` (the path after the old prefix) and the query string
    follow, with a permanent redirect that keeps the method and body (308), so an old bookmark or a form posted to
    the old address still works."""

    def view(request, rest: str = ""):
        target = prefix + rest
        if request.META.get("QUERY_STRING"):
            target += "?" + request.META["QUERY_STRING"]
        return HttpResponsePermanentRedirect(target, preserve_request=True)

    return view


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_download(content: bytes, filename: str) -> HttpResponse:
    """A workbook the browser saves under ``filename`` (the exports and the upload templates)."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
