"""Filters of the credit API."""

import django_filters

from ..engines.rating import NONE, levels_of
from ..models import Level, RatingSnapshot


def levels_in_force():
    """The levels of the catalog edition in force (2020: four, 2025: three), with none: the two editions' levels
    are never offered together."""
    from ..services import catalog_in_force

    return [(code, Level(code).label) for code in (NONE, *levels_of(catalog_in_force().family))]


class RatingFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=levels_in_force)

    class Meta:
        model = RatingSnapshot
        fields = ["as_of", "level", "supplier"]
