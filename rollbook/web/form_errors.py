"""Showing a service's validation error on the form that sent the request."""

from __future__ import annotations

from django import forms


def add_field_error(form: forms.Form, error: Exception) -> None:
    """Attach ``error`` to the field its ``field`` attribute names, or to the whole form.

    Services raise errors that name a field of their own; when the form has no field of that
    name, the message goes to the top of the form instead of being lost.
    """
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error))
