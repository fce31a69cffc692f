class DutyError(ValueError):
    """A duty step that cannot be recorded; ``field`` names the input at fault, if any."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field
