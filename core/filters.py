"""The platform's FilterSet, whose generated filters are labelled in the request's language.

django-filter builds a filter's form field once and keeps it (``Filter._field``); a FilterSet instance starts from
deep copies of the class's filters, so a field built on the class (the API schema generator reads them) reaches
every later page with the label it had then — for a filter generated from a model field, none, which Django forms
turn into the English field name. Each FilterSet here drops those copies' fields and generated labels, so that they
are built again from the model field's lazy verbose name in the active language."""

import django_filters


class FilterSet(django_filters.FilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, filter_ in self.filters.items():
            filter_.__dict__.pop("_field", None)
            if name not in self.declared_filters:
                filter_.label = None  # recomputed from the model field's verbose name when first read
