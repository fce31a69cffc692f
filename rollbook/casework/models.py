"""Casework: the correspondence log, trigger stages, actions decided, support plans, meetings, incidents."""

from .models_log import CorrespondenceEntry, EntryKind  # noqa: F401
