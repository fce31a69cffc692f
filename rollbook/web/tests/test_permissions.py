"""Every page of Rollbook, requested by every persona: the status each must get.

The tables name every URL of the project. A new URL without a row fails
``test_permissions_table_covers_every_url``, so each view gets its access decided here.
Objects in the URLs belong to Larkspur: Mila (3 Cedar) and her morning mark on the last
school day, and one of her contacts. Requests are made at 10:00 that day, after the morning
register closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from rollbook.absences.models import AbsenceReport
from rollbook.casework.models import (
    ActionDecision,
    CorrespondenceEntry,
    Incident,
    IncidentStep,
    Meeting,
    SupportPlan,
    TriggerCase,
)
from rollbook.casework.tests.permission_objects import make_casework
from rollbook.duties.models import (
    LaNotification,
    NotificationKind,
    PenaltyNotice,
    RemovalDecision,
    RemovalEnquiry,
    RemovalReview,
)
from rollbook.duties.notifications import prepare_block_notification
from rollbook.letters.engine import default_template
from rollbook.letters.kinds import LetterKind
from rollbook.letters import models as letters_models
from rollbook.letters.models import AttendanceTarget, DeliveryMethod, Letter
from rollbook.mail.models import OutgoingEmail
from rollbook.policy.arrivals import SCHOOL_TIME_ZONE
from rollbook.policy.requests import RequestKind
from rollbook.registers.models import MarkRevision, SigningEvent
from rollbook.registers.services import Actor
from rollbook.requests.decisions import decide
from rollbook.requests.models import AbsenceRequest, DecisionLetter, LetterTemplate, LunchtimeSigning
from rollbook.requests.services import RequestDetails, submit_request
from rollbook.schools.models import AcademicYear, CalendarEntry, Contact, Enrolment, Pupil, StaffRole

from .conftest import JONAH_UPN, LAST_DAY, RUTH_UPN

NOW = dt.datetime.combine(LAST_DAY, dt.time(10, 0), tzinfo=SCHOOL_TIME_ZONE)
CLASS_NAME = "3 Cedar"

PERSONAS = (
    "office",
    "teacher",
    "other_class_teacher",
    "attendance_lead",
    "senior_leader",
    "governor",
    "la_officer",
    "parent",
    "other_parent",
    "administrator",
    "anonymous",
    "other_school_administrator",
)


def statuses(
    *, office, teacher, other_class_teacher, attendance_lead, senior_leader, governor, la_officer, parent,
    other_parent, administrator, anonymous, other_school_administrator,
) -> dict[str, int]:
    """Return one row of a table; every persona is a required argument, so none can be left out."""
    return dict(locals())


# 200 shown, 302 sent to sign in (or, for the sign-in page, home), 403 refused for the role,
# 404 the school, class, pupil or contact is out of the persona's reach, 405 method not allowed.
GET_EXPECTED: dict[str, dict[str, int]] = {
    "home": statuses(
        office=200, teacher=200, other_class_teacher=200, attendance_lead=200, senior_leader=200, governor=200,
        la_officer=200, parent=200, other_parent=200, administrator=200, anonymous=302, other_school_administrator=200,
    ),
    "school_home": statuses(
        office=200, teacher=200, other_class_teacher=200, attendance_lead=200, senior_leader=200, governor=200,
        la_officer=200, parent=200, other_parent=200, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "login": statuses(
        office=302, teacher=302, other_class_teacher=302, attendance_lead=302, senior_leader=302, governor=302,
        la_officer=302, parent=302, other_parent=302, administrator=302, anonymous=200, other_school_administrator=302,
    ),
    "logout": statuses(
        office=405, teacher=405, other_class_teacher=405, attendance_lead=405, senior_leader=405, governor=405,
        la_officer=405, parent=405, other_parent=405, administrator=405, anonymous=405, other_school_administrator=405,
    ),
    "registers:list": statuses(
        office=200, teacher=200, other_class_teacher=200, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "registers:take": statuses(
        office=200, teacher=200, other_class_teacher=404, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "registers:missing": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "registers:board_rows": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "registers:signing_book": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=403, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "registers:pupil": statuses(
        office=200, teacher=200, other_class_teacher=404, attendance_lead=200, senior_leader=200, governor=404,
        la_officer=200, parent=200, other_parent=404, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "registers:mark_history": statuses(
        office=200, teacher=200, other_class_teacher=404, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=200, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "registers:amend": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "contacts:pupil": statuses(
        office=200, teacher=200, other_class_teacher=404, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=200, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "contacts:missing": statuses(
        office=200, teacher=200, other_class_teacher=200, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=200, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "contacts:add": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=403, senior_leader=403, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "contacts:edit": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=403, senior_leader=403, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "letters:recognition": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "letters:attendance_target": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "letters:templates": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "letters:template_download": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "letters:template_withdraw": statuses(
        office=405, teacher=405, other_class_teacher=405, attendance_lead=405, senior_leader=405, governor=405,
        la_officer=405, parent=405, other_parent=405, administrator=405, anonymous=302, other_school_administrator=405,
    ),
    "letters:batch": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "letters:pupil": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "letters:write": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "letters:letter_pdf": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "duties:index": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=200, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "duties:prepare_notification": statuses(
        office=405, teacher=405, other_class_teacher=405, attendance_lead=405, senior_leader=405, governor=405,
        la_officer=405, parent=405, other_parent=405, administrator=405, anonymous=302, other_school_administrator=405,
    ),
    "duties:notification": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=200, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "duties:notification_csv": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=200, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "duties:long_health_absence": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "duties:open_removal": statuses(
        office=405, teacher=405, other_class_teacher=405, attendance_lead=405, senior_leader=405, governor=405,
        la_officer=405, parent=405, other_parent=405, administrator=405, anonymous=302, other_school_administrator=405,
    ),
    "duties:removal": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=200, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "duties:decide_removal": statuses(
        office=405, teacher=405, other_class_teacher=405, attendance_lead=405, senior_leader=405, governor=405,
        la_officer=405, parent=405, other_parent=405, administrator=405, anonymous=302, other_school_administrator=405,
    ),
    "duties:deletion_return_csv": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=200, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "duties:deletion_return_sent": statuses(
        office=405, teacher=405, other_class_teacher=405, attendance_lead=405, senior_leader=405, governor=405,
        la_officer=405, parent=405, other_parent=405, administrator=405, anonymous=302, other_school_administrator=405,
    ),
    "duties:penalties": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "duties:evidence_pack": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "duties:notice": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    # Casework: an attendance lead's pages; a class teacher sees the trigger stage only.
    "casework:actions": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "casework:decide": statuses(
        office=405, teacher=405, other_class_teacher=405, attendance_lead=405, senior_leader=405, governor=405,
        la_officer=405, parent=405, other_parent=405, administrator=405, anonymous=302, other_school_administrator=405,
    ),
    "casework:pupil": statuses(
        office=200, teacher=200, other_class_teacher=404, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=200, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "casework:start_stage_1": statuses(
        office=405, teacher=405, other_class_teacher=405, attendance_lead=405, senior_leader=405, governor=405,
        la_officer=405, parent=405, other_parent=405, administrator=405, anonymous=302, other_school_administrator=405,
    ),
    "casework:add_log_entry": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "casework:add_plan": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "casework:review_plan": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "casework:add_meeting": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "casework:record_meeting": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "casework:add_evidence": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "casework:send_letter": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "casework:open_incident": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "casework:review_case": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "casework:close_case": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "casework:weekly_report": statuses(
        office=405, teacher=405, other_class_teacher=405, attendance_lead=405, senior_leader=405, governor=405,
        la_officer=405, parent=405, other_parent=405, administrator=405, anonymous=302, other_school_administrator=405,
    ),
    "casework:incidents": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "casework:incident": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "office:call_list": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "office:call_rows": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "office:follow_up": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    # Sending a form only: any signed-in GET is "method not allowed", before access is checked.
    "office:log_call": statuses(
        office=405, teacher=405, other_class_teacher=405, attendance_lead=405, senior_leader=405, governor=405,
        la_officer=405, parent=405, other_parent=405, administrator=405, anonymous=302, other_school_administrator=405,
    ),
    "office:code_absence": statuses(
        office=405, teacher=405, other_class_teacher=405, attendance_lead=405, senior_leader=405, governor=405,
        la_officer=405, parent=405, other_parent=405, administrator=405, anonymous=302, other_school_administrator=405,
    ),
    "office:report_absence": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "office:open_n": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=200, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "statistics:benchmarks": statuses(
        office=200, teacher=200, other_class_teacher=200, attendance_lead=200, senior_leader=200, governor=200,
        la_officer=200, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "statistics:policies": statuses(
        office=200, teacher=200, other_class_teacher=200, attendance_lead=200, senior_leader=200, governor=200,
        la_officer=200, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "statistics:governors": statuses(
        office=200, teacher=200, other_class_teacher=200, attendance_lead=200, senior_leader=200, governor=200,
        la_officer=200, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "statistics:spreadsheet": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "analysis:school": statuses(
        office=200, teacher=200, other_class_teacher=200, attendance_lead=200, senior_leader=200, governor=200,
        la_officer=200, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "analysis:year_group": statuses(
        office=200, teacher=200, other_class_teacher=200, attendance_lead=200, senior_leader=200, governor=200,
        la_officer=200, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "analysis:class": statuses(
        office=200, teacher=200, other_class_teacher=200, attendance_lead=200, senior_leader=200, governor=200,
        la_officer=200, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "analysis:groups": statuses(
        office=200, teacher=200, other_class_teacher=200, attendance_lead=200, senior_leader=200, governor=200,
        la_officer=200, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "analysis:group": statuses(
        office=200, teacher=200, other_class_teacher=200, attendance_lead=200, senior_leader=200, governor=200,
        la_officer=200, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "analysis:patterns": statuses(
        office=200, teacher=200, other_class_teacher=200, attendance_lead=200, senior_leader=200, governor=200,
        la_officer=200, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "analysis:at_risk": statuses(
        office=200, teacher=200, other_class_teacher=200, attendance_lead=200, senior_leader=200, governor=200,
        la_officer=200, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "analysis:pupils": statuses(
        office=200, teacher=200, other_class_teacher=200, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=200, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "analysis:pupil": statuses(
        office=200, teacher=200, other_class_teacher=404, attendance_lead=200, senior_leader=200, governor=404,
        la_officer=200, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "requests:list": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "requests:detail": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "requests:withdraw": statuses(
        office=405, teacher=405, other_class_teacher=405, attendance_lead=405, senior_leader=405, governor=405,
        la_officer=405, parent=405, other_parent=405, administrator=405, anonymous=302, other_school_administrator=405,
    ),
    "requests:letter": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "requests:assessments": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "requests:assessment_delete": statuses(
        office=405, teacher=405, other_class_teacher=405, attendance_lead=405, senior_leader=405, governor=405,
        la_officer=405, parent=405, other_parent=405, administrator=405, anonymous=302, other_school_administrator=405,
    ),
    "requests:letter_templates": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "requests:letter_template_file": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "requests:refused_taken": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=200, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "requests:lunchtime": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=200, senior_leader=403, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "parents:child": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=403, senior_leader=403, governor=403,
        la_officer=403, parent=200, other_parent=404, administrator=403, anonymous=302, other_school_administrator=404,
    ),
    "parents:report_absence": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=403, senior_leader=403, governor=403,
        la_officer=403, parent=200, other_parent=404, administrator=403, anonymous=302, other_school_administrator=404,
    ),
    "parents:new_request": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=403, senior_leader=403, governor=403,
        la_officer=403, parent=200, other_parent=404, administrator=403, anonymous=302, other_school_administrator=404,
    ),
    "parents:request": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=403, senior_leader=403, governor=403,
        la_officer=403, parent=200, other_parent=404, administrator=403, anonymous=302, other_school_administrator=404,
    ),
    "parents:withdraw": statuses(
        office=405, teacher=405, other_class_teacher=405, attendance_lead=405, senior_leader=405, governor=405,
        la_officer=405, parent=405, other_parent=405, administrator=405, anonymous=302, other_school_administrator=405,
    ),
    "parents:letter": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=403, senior_leader=403, governor=403,
        la_officer=403, parent=200, other_parent=404, administrator=403, anonymous=302, other_school_administrator=404,
    ),
}

# The same to every URL that changes something. Where the role may act, the
# empty form is rejected (400 on register pages, 200 with errors on the others), and a refused
# request changes nothing.
POST_EXPECTED: dict[str, dict[str, int]] = {
    "login": statuses(
        office=302, teacher=302, other_class_teacher=302, attendance_lead=302, senior_leader=302, governor=302,
        la_officer=302, parent=302, other_parent=302, administrator=302, anonymous=200, other_school_administrator=302,
    ),
    "logout": statuses(
        office=302, teacher=302, other_class_teacher=302, attendance_lead=302, senior_leader=302, governor=302,
        la_officer=302, parent=302, other_parent=302, administrator=302, anonymous=302, other_school_administrator=302,
    ),
    "registers:take": statuses(
        office=400, teacher=400, other_class_teacher=404, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "registers:signing_book": statuses(
        office=400, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=403, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "registers:amend": statuses(
        office=400, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "contacts:add": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=403, senior_leader=403, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "contacts:edit": statuses(
        office=200, teacher=403, other_class_teacher=403, attendance_lead=403, senior_leader=403, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "letters:recognition": statuses(
        office=400, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    # An empty target form removes the pupil's target; Mila has none, so nothing changes.
    "letters:attendance_target": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=302, senior_leader=302, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=302, anonymous=302, other_school_administrator=404,
    ),
    "letters:templates": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "letters:template_withdraw": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "letters:batch": statuses(
        office=400, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "letters:write": statuses(
        office=400, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "duties:prepare_notification": statuses(
        office=302, teacher=403, other_class_teacher=403, attendance_lead=302, senior_leader=302, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=302, anonymous=302, other_school_administrator=404,
    ),
    "duties:notification": statuses(
        office=400, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "duties:long_health_absence": statuses(
        office=400, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "duties:open_removal": statuses(
        office=302, teacher=403, other_class_teacher=403, attendance_lead=302, senior_leader=302, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=302, anonymous=302, other_school_administrator=404,
    ),
    "duties:removal": statuses(
        office=400, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=400, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "duties:decide_removal": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "duties:deletion_return_sent": statuses(
        office=400, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "duties:penalties": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "duties:notice": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    # A stage 1 start for a pupil below no threshold, or a weekly report without a week, is
    # turned back to the casework page with a message.
    "casework:decide": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "casework:start_stage_1": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=302, senior_leader=302, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=302, anonymous=302, other_school_administrator=404,
    ),
    "casework:add_log_entry": statuses(
        office=400, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "casework:add_plan": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "casework:review_plan": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "casework:add_meeting": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "casework:record_meeting": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "casework:add_evidence": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "casework:send_letter": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "casework:open_incident": statuses(
        office=400, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "casework:close_case": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "casework:weekly_report": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=302, senior_leader=302, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=302, anonymous=302, other_school_administrator=404,
    ),
    "casework:incident": statuses(
        office=400, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "office:log_call": statuses(
        office=400, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "office:code_absence": statuses(
        office=400, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "office:report_absence": statuses(
        office=400, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "statistics:policies": statuses(
        office=200, teacher=200, other_class_teacher=200, attendance_lead=200, senior_leader=200, governor=200,
        la_officer=200, parent=403, other_parent=403, administrator=200, anonymous=302, other_school_administrator=404,
    ),
    "requests:detail": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=403, anonymous=302, other_school_administrator=404,
    ),
    "requests:withdraw": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=403, anonymous=302, other_school_administrator=404,
    ),
    "requests:assessments": statuses(
        office=400, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "requests:assessment_delete": statuses(
        office=400, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "requests:letter_templates": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "requests:refused_taken": statuses(
        office=400, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=400, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "requests:lunchtime": statuses(
        office=400, teacher=403, other_class_teacher=403, attendance_lead=400, senior_leader=403, governor=403,
        la_officer=403, parent=403, other_parent=403, administrator=400, anonymous=302, other_school_administrator=404,
    ),
    "parents:report_absence": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=403, senior_leader=403, governor=403,
        la_officer=403, parent=400, other_parent=404, administrator=403, anonymous=302, other_school_administrator=404,
    ),
    "parents:new_request": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=403, senior_leader=403, governor=403,
        la_officer=403, parent=400, other_parent=404, administrator=403, anonymous=302, other_school_administrator=404,
    ),
    "parents:withdraw": statuses(
        office=403, teacher=403, other_class_teacher=403, attendance_lead=403, senior_leader=403, governor=403,
        la_officer=403, parent=400, other_parent=404, administrator=403, anonymous=302, other_school_administrator=404,
    ),
}

REFUSED = {302, 403, 404, 405}


def url_names(patterns=None, namespace: str = "") -> Iterator[str]:
    """Yield the name of every URL pattern in the project, with its namespace, such as ``contacts:pupil``."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern.pattern}>"


def url_for(name: str, larkspur, mila) -> str:
    """Return the URL of one named page, pointing at Larkspur's objects."""
    school, pupil, day = larkspur.pk, mila.pk, LAST_DAY.isoformat()
    leave = AbsenceRequest.objects.get(pupil=mila)
    letter = leave.letters.get()
    assessment = CalendarEntry.objects.get(school=larkspur, kind=CalendarEntry.Kind.ASSESSMENT)
    args = {
        "school_home": [school],
        "registers:list": [school],
        "registers:take": [school, day, "AM", CLASS_NAME],
        "registers:missing": [school],
        "registers:board_rows": [school],
        "registers:signing_book": [school],
        "registers:pupil": [school, pupil],
        "registers:mark_history": [school, pupil, day, "AM"],
        "registers:amend": [school, pupil, day, "AM"],
        "contacts:pupil": [school, pupil],
        "contacts:missing": [school],
        "contacts:add": [school, pupil],
        "contacts:edit": [school, pupil, Contact.objects.get(pupil=mila).pk],
        "statistics:benchmarks": [school],
        "statistics:policies": [school],
        "statistics:governors": [school],
        "statistics:spreadsheet": [school],
        "analysis:school": [school],
        "analysis:year_group": [school, "3"],
        "analysis:class": [school, CLASS_NAME],
        "analysis:groups": [school],
        "analysis:group": [school, "fsm", "not-recorded"],
        "analysis:pupils": [school],
        "analysis:pupil": [school, pupil],
        "analysis:patterns": [school],
        "analysis:at_risk": [school],
        "requests:list": [school],
        "requests:detail": [school, leave.pk],
        "requests:withdraw": [school, leave.pk],
        "requests:letter": [school, leave.pk, letter.pk, "pdf"],
        "requests:assessments": [school],
        "requests:assessment_delete": [school, assessment.pk],
        "requests:letter_templates": [school],
        "requests:letter_template_file": [school, "refusal"],
        "requests:refused_taken": [school],
        "requests:lunchtime": [school],
        "parents:child": [school, pupil],
        "parents:report_absence": [school, pupil],
        "parents:new_request": [school, pupil, "leave"],
        "parents:request": [school, pupil, leave.pk],
        "parents:withdraw": [school, pupil, leave.pk],
        "parents:letter": [school, pupil, leave.pk],
        "office:call_list": [school],
        "office:call_rows": [school],
        "office:follow_up": [school, pupil, day, "AM"],
        "office:log_call": [school, pupil, day, "AM"],
        "office:code_absence": [school, pupil, day, "AM"],
        "office:report_absence": [school, pupil],
        "office:open_n": [school],
        **duty_url_args(larkspur, mila),
    }.get(name)
    if args is None and name.startswith("casework:"):
        args = _casework_args(name, school, pupil)
    return reverse(name, args=args or [])


def _casework_args(name: str, school: int, pupil: int) -> list:
    """Return the arguments of a casework URL, pointing at the objects ``make_casework`` gave Mila."""
    if name in ("casework:actions", "casework:decide", "casework:incidents"):
        return [school]
    if name in ("casework:review_case", "casework:close_case", "casework:weekly_report"):
        return [school, TriggerCase.objects.get(pupil_id=pupil).pk]
    if name == "casework:incident":
        return [school, Incident.objects.get(pupil_id=pupil).pk]
    if name == "casework:review_plan":
        return [school, pupil, SupportPlan.objects.get(pupil_id=pupil).pk]
    if name == "casework:record_meeting":
        return [school, pupil, Meeting.objects.get(pupil_id=pupil).pk]
    if name == "casework:send_letter":
        return [school, pupil, "meeting_invitation"]
    return [school, pupil]


def duty_url_args(larkspur, mila) -> dict[str, list]:
    """Return the URL arguments of the letter and duty pages, pointing at the rows ``add_duty_rows`` made."""
    school, jonah = larkspur.pk, Pupil.objects.get(upn=JONAH_UPN).pk
    review = RemovalReview.objects.get(school=larkspur, decision="").pk
    removed = RemovalReview.objects.get(school=larkspur, decision=RemovalDecision.REMOVE).pk
    return {
        "letters:templates": [school],
        "letters:template_download": [school, LetterKind.TRIGGER_1.value],
        "letters:template_withdraw": [school, letters_models.LetterTemplate.objects.get(school=larkspur).pk],
        "letters:batch": [school],
        "letters:recognition": [school],
        "letters:attendance_target": [school, mila.pk],
        "letters:pupil": [school, mila.pk],
        "letters:write": [school, mila.pk, LetterKind.TRIGGER_1.value],
        "letters:letter_pdf": [school, Letter.objects.get(pupil=mila).pk],
        "duties:index": [school],
        "duties:prepare_notification": [school, jonah, NotificationKind.UNAUTHORISED_BLOCK.value],
        "duties:notification": [school, LaNotification.objects.get(school=larkspur).pk],
        "duties:notification_csv": [school, LaNotification.objects.get(school=larkspur).pk],
        "duties:long_health_absence": [school, mila.pk],
        "duties:open_removal": [school, jonah],
        "duties:removal": [school, review],
        "duties:decide_removal": [school, review],
        "duties:deletion_return_csv": [school, removed],
        "duties:deletion_return_sent": [school, removed],
        "duties:penalties": [school, jonah],
        "duties:evidence_pack": [school, jonah],
        "duties:notice": [school, PenaltyNotice.objects.get(school=larkspur).pk],
    }


def add_duty_rows(larkspur, mila) -> None:
    """Give Larkspur a template, a letter to Mila's parents, Jonah's LA notification, removal reviews and a notice.

    The notification and the open review for Jonah exist already, so posting to prepare or open
    them again returns the existing rows and changes nothing.
    """
    actor = Actor(name="Test lead", role=StaffRole.ATTENDANCE_LEAD.value)
    jonah = Pupil.objects.get(upn=JONAH_UPN)
    letters_models.LetterTemplate.objects.create(
        school=larkspur, kind=LetterKind.IMPROVED, version=1, filename="improved.docx",
        content=default_template(LetterKind.IMPROVED), uploaded_at=NOW,
    )
    Letter.objects.create(
        school=larkspur, pupil=mila, kind=LetterKind.IMPROVED, template_version="default", method=DeliveryMethod.PRINT,
        addressed_to="Parent or carer", text="Letter\n", pdf=b"%PDF-1.3", context={}, sent_by_name="Test lead",
        sent_by_role=actor.role, sent_at=NOW, letter_date=LAST_DAY,
    )
    prepare_block_notification(jonah, NotificationKind.UNAUTHORISED_BLOCK, on=LAST_DAY, at=NOW, user=None, actor=actor)
    RemovalReview.objects.create(school=larkspur, pupil=jonah, opened_by_name=actor.name, opened_at=NOW)
    RemovalReview.objects.create(
        school=larkspur, pupil=Pupil.objects.get(upn=RUTH_UPN), opened_by_name=actor.name, opened_at=NOW,
        decision=RemovalDecision.REMOVE, ground="moved_away", reason="Moved away", decided_on=LAST_DAY,
        decided_by_name=actor.name, decided_at=NOW,
    )
    parent = Contact.objects.create(
        school=larkspur, pupil=jonah, name="Petra Pellow", phone="01632 960 556", parental_responsibility=True
    )
    PenaltyNotice.objects.create(
        school=larkspur, pupil=jonah, contact=parent, parent_name=parent.name, policy_name="school-2023",
        issued_on=LAST_DAY, number_in_period=1, early_pence=6000, late_pence=12000,
        early_deadline=LAST_DAY + dt.timedelta(days=21), final_deadline=LAST_DAY + dt.timedelta(days=28),
        issued_by_name=actor.name, recorded_at=NOW,
    )


@pytest.fixture
def scene(larkspur, mila, monkeypatch):
    """Set the clock to 10:00 on the last school day; give Mila one contact and granted leave with
    its letter, the year one statutory assessment period, casework, and the letter and duty rows."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    Contact.objects.create(school=larkspur, pupil=mila, name="Tomasz Ferreira", phone="01632 960 555", priority=1)
    make_casework(mila, LAST_DAY, NOW)
    first = LAST_DAY + dt.timedelta(days=14)
    details = RequestDetails(kind=RequestKind.LEAVE, reason="A family wedding", first_day=first, last_day=first)
    leave = submit_request(mila, details, at=NOW, submitted_by_name="Ana Thornbury")
    decide(leave, grant=True, actor=Actor(name="Head", role="senior_leader"), at=NOW)
    CalendarEntry.objects.create(
        school=larkspur, academic_year=AcademicYear.objects.get(school=larkspur), kind=CalendarEntry.Kind.ASSESSMENT,
        start_date=LAST_DAY + dt.timedelta(days=21), end_date=LAST_DAY + dt.timedelta(days=22), label="Phonics check",
    )
    add_duty_rows(larkspur, mila)
    return larkspur, mila


def client_for(request, persona: str, **options) -> Client:
    client = Client(**options)
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client


def stored_rows() -> tuple:
    contacts = list(Contact.objects.order_by("pk").values_list(*(f.name for f in Contact._meta.fields)))
    requests = list(AbsenceRequest.objects.order_by("pk").values_list("pk", "status", "decided_at", "withdrawn_at"))
    casework = (CorrespondenceEntry.objects.count(), ActionDecision.objects.count(), IncidentStep.objects.count())
    duties = (
        list(letters_models.LetterTemplate.objects.order_by("pk").values_list("pk", "withdrawn_at")),
        list(AttendanceTarget.objects.order_by("pk").values_list("pk", "percent")),
        Letter.objects.count(),
        OutgoingEmail.objects.count(),
        list(LaNotification.objects.order_by("pk").values_list("pk", "sent_at")),
        list(RemovalReview.objects.order_by("pk").values_list("pk", "decision", "return_sent_at")),
        RemovalEnquiry.objects.count(),
        list(PenaltyNotice.objects.order_by("pk").values_list("pk", "paid_on", "withdrawn_on", "referred_on")),
        list(Enrolment.objects.order_by("pk").values_list("pk", "leaving_date")),
    )
    return (
        MarkRevision.objects.count(), SigningEvent.objects.count(), contacts, requests,
        AbsenceReport.objects.count(), CalendarEntry.objects.count(), LetterTemplate.objects.count(),
        LunchtimeSigning.objects.count(), DecisionLetter.objects.count(), casework, duties,
    )


def test_permissions_table_covers_every_url():
    names = set(url_names())
    assert names - set(GET_EXPECTED) == set(), "add a row to GET_EXPECTED for each new URL"
    assert set(GET_EXPECTED) - names == set(), "remove rows for URLs that no longer exist"
    assert set(POST_EXPECTED) <= names


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", GET_EXPECTED)
def test_permissions_get(request, scene, name, persona):
    client = client_for(request, persona)
    before = stored_rows()
    response = client.get(url_for(name, *scene))
    assert response.status_code == GET_EXPECTED[name][persona]
    assert stored_rows() == before
    if response.status_code in REFUSED - {302}:
        text = response.content.decode()
        assert "Thornbury" not in text
        assert "Tomasz Ferreira" not in text


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", POST_EXPECTED)
def test_permissions_post(request, scene, name, persona):
    client = client_for(request, persona)
    before = stored_rows()
    response = client.post(url_for(name, *scene), {})
    assert response.status_code == POST_EXPECTED[name][persona]
    assert stored_rows() == before


@pytest.mark.parametrize("name", [name for name in POST_EXPECTED if name not in ("login", "logout")])
def test_permissions_post_needs_csrf_token(request, scene, name):
    client = client_for(request, "administrator", enforce_csrf_checks=True)
    before = stored_rows()
    response = client.post(url_for(name, *scene), {})
    assert response.status_code == 403
    assert b"CSRF" in response.content
    assert stored_rows() == before
