from core.errors import DomainError


class CreditError(DomainError):
    """A credit rule refused the action."""
