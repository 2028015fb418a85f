from accounts.exceptions import ConflictError, DomainError


class ProcurementError(DomainError):
    """A procurement rule refused the action."""


class ProcurementConflict(ConflictError):
    """The action collides with another one (a duplicate, a concurrent change)."""
