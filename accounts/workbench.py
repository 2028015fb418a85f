"""The home page's panels: each domain app registers what its part of a user's home shows (from its
AppConfig.ready), and the home page gathers them, so that accounts imports no domain app."""

from collections.abc import Callable

PANELS: list[Callable[[object], dict]] = []


def register(panel: Callable[[object], dict]) -> None:
    """``panel(user)`` returns the template context its part of the user's home needs (empty when it shows
    nothing to this user)."""
    if panel not in PANELS:
        PANELS.append(panel)


def context_for(user) -> dict:
    context = {}
    for panel in PANELS:
        context.update(panel(user))
    return context
