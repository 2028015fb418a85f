"""Form widgets of the platform's pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SearchableSelect(forms.Select):
    """A select of many organisations or products: the page turns it into a box that filters the options as one
    types (static/js/app.js, Tom Select); without JavaScript it stays a plain select."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-searchable": "", "data-no-results": _("No match"), **(attrs or {})}, choices)


class SearchableSelectMultiple(forms.SelectMultiple):
    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-searchable": "", "data-no-results": _("No match"), **(attrs or {})}, choices)
