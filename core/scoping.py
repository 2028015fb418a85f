"""Who sees which rows, declared once per model and applied alike by pages, API lists, filters and exports.

A model says who sees its rows in a class attribute ``visibility = Visibility(...)`` that maps audiences to rules, in
order; its queryset (a :class:`ScopedQuerySet`) answers ``visible_to(user)`` from that declaration and from nothing
else. The first audience the user belongs to decides; a user in none of them, or not signed in, sees nothing.

A rule is :data:`EVERYTHING`, a ``Q`` (the same rows for every user of the audience), or a function of the user
returning a ``Q`` (for example :func:`own`: the rows of the user's organisation, which combines with ``|``). Which
audiences a user belongs to is the project's business, not this module's: ``settings.SCOPE_AUDIENCES`` names a
function ``user -> set of audience names``, so core knows no role.
"""

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.db import models
from django.utils.module_loading import import_string

EVERYTHING = object()

Rule = object  # EVERYTHING, a Q, or a callable(user) -> Q


class UserRule:
    """A rule that depends on the user. It combines with ``Q`` objects and other rules when it comes first
    (``Q`` refuses to combine with anything else): ``own("supplier") | Q(status="listed")`` is the user's own rows
    and the listed ones."""

    def __init__(self, condition: Callable[[object], models.Q]) -> None:
        self.condition = condition

    def __call__(self, user) -> models.Q:
        return self.condition(user)

    def _other(self, other: "UserRule | models.Q", user) -> models.Q:
        return other(user) if isinstance(other, UserRule) else other

    def __or__(self, other: "UserRule | models.Q") -> "UserRule":
        return UserRule(lambda user: self(user) | self._other(other, user))

    def __and__(self, other: "UserRule | models.Q") -> "UserRule":
        return UserRule(lambda user: self(user) & self._other(other, user))


def own(field: str) -> UserRule:
    """The rows where ``field`` (a foreign key to the organisation) is the user's organisation."""
    lookup = field if field.endswith("_id") else f"{field}_id"
    return UserRule(lambda user: models.Q(**{lookup: user.organisation_id}))


@cache
def _audiences_function(path: str) -> Callable[[object], frozenset[str]]:
    return import_string(path)


def audiences_of(user) -> frozenset[str]:
    if user is None or not user.is_authenticated:
        return frozenset()
    return frozenset(_audiences_function(settings.SCOPE_AUDIENCES)(user))


class Visibility:
    """``Visibility(authority=EVERYTHING, supplier=own("supplier"))``: audience names in the order they are tried."""

    def __init__(self, **rules: Rule) -> None:
        if not rules:
            raise ValueError("A scope names at least one audience.")
        for audience, rule in rules.items():
            if not (rule is EVERYTHING or isinstance(rule, models.Q) or callable(rule)):
                raise TypeError(f"Rule for {audience!r} must be EVERYTHING, a Q or a function of the user.")
        self.rules = rules

    @property
    def audiences(self) -> tuple[str, ...]:
        return tuple(self.rules)

    def condition(self, user) -> models.Q | None:
        """The filter ``user`` sees the rows through: None for every row; a ``Q`` matching nothing when none."""
        member_of = audiences_of(user)
        for audience, rule in self.rules.items():
            if audience in member_of:
                if rule is EVERYTHING:
                    return None
                return rule if isinstance(rule, models.Q) else rule(user)
        return models.Q(pk__in=[])

    def apply(self, queryset: models.QuerySet, user) -> models.QuerySet:
        condition = self.condition(user)
        if condition is None:
            return queryset
        if condition == models.Q(pk__in=[]):
            return queryset.none()
        return queryset.filter(condition)


class ScopedQuerySet(models.QuerySet):
    """The queryset of a model that declares ``visibility``: ``visible_to(user)`` is the only way pages, the API,
    filters and exports narrow it to what the user may see."""

    def visible_to(self, user) -> "ScopedQuerySet":
        scope = getattr(self.model, "visibility", None)
        if not isinstance(scope, Visibility):
            raise TypeError(f"{self.model.__name__} declares no visibility scope.")
        return scope.apply(self, user)


def scoped_models() -> list[type[models.Model]]:
    """Every installed model that declares a scope (for the checks that every audience named exists)."""
    from django.apps import apps

    return [model for model in apps.get_models() if isinstance(getattr(model, "visibility", None), Visibility)]
