from core.errors import ConflictError, DomainError


class ProcurementError(DomainError):
    """A procurement rule refused the action."""


class ProcurementConflict(ConflictError):
    """The action collides with another one (a duplicate, a concurrent change)."""


class IdempotencyKeyReused(DomainError):
    """The same idempotency key came with a different request."""

    status_code = 422
