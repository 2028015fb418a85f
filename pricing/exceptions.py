"""The pricing app's domain error."""

from core.errors import DomainError


class PricingError(DomainError):
    """A pricing rule refused the action."""
