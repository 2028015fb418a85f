"""Domain errors: a stable machine code and a translatable message."""


class DomainError(Exception):
    """Base of every app's domain error; views show the message, the API answers 400/409 with the code."""

    status_code = 400

    def __init__(self, message, *, code: str = "invalid", details: list | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.details = details or []


class ConflictError(DomainError):
    status_code = 409
