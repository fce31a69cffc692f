"""Casework: the correspondence log, trigger stages, action decisions, support, meetings and incidents."""

from .models_actions import ActionDecision, Decision  # noqa: F401
from .models_incidents import Incident, IncidentStep  # noqa: F401
from .models_log import CorrespondenceEntry, EntryKind  # noqa: F401
from .models_stages import CaseStatus, StageStep, TriggerCase, WeeklyReport  # noqa: F401
from .models_support import MedicalEvidence, Meeting, MeetingKind, SupportPlan  # noqa: F401
