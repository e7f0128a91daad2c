"""The library's exception classes, kept small so callers can catch exactly what they mean."""


class InvalidParameterError(ValueError):
    """A parameter is outside its valid range; the message is one sentence a user can act on."""
