"""The accounts app's domain errors."""

from core.errors import DomainError


class AccountsError(DomainError):
    pass
