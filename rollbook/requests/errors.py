"""The error every request and decision check raises."""


class RequestInvalid(ValueError):
    """A request or decision that cannot be recorded; the message names the value and the fix."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
