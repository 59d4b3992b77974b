"""Errors that API endpoints raise; kunnskap.api turns them into JSON that names the field."""


class FieldError(Exception):
    """A value that is well-formed but wrong, such as the number of no municipality."""

    def __init__(self, field: str, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.field, self.message, self.status = field, message, status
