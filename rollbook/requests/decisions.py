"""Deciding a request: who decided, when and why, the formal letter, and its e-mail to the parent.

A decision is one transaction: the request's new status, its letter (Word and PDF) and the
queued e-mail are saved together, and the e-mail is sent only after the commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.db import transaction

from rollbook.mail.outbox import Attachment, queue_email
from rollbook.policy.arrivals import SCHOOL_TIME_ZONE
from rollbook.policy.calendar import SchoolCalendar, academic_year_of
from rollbook.policy.requests import Licence, RequestKind, granted_code, refusals, sign_out_window
from rollbook.registers.services import Actor
from rollbook.schools.models import AcademicYear, Contact, StaffRole

from .errors import RequestInvalid
from .figures import requested_days
from .letters import render_letter
from .models import AbsenceRequest, DecisionLetter, LetterPurpose, Status

log = logging.getLogger(__name__)

SYSTEM_ACTOR = Actor(name="Rollbook", role="system")


def _day(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def term_end(calendar: SchoolCalendar, day: dt.date) -> dt.date | None:
    """Return the last day of the term containing ``day``, or of the next term when ``day`` is in a holiday."""
    upcoming = [half for half in calendar.half_terms if half.end >= day]
    if not upcoming:
        return None
    term = min(upcoming, key=lambda half: half.start).term
    return max(half.end for half in calendar.half_terms if half.term == term)


def decide(
    request: AbsenceRequest,
    *,
    grant: bool,
    actor: Actor,
    at: dt.datetime,
    reasons: str = "",
    exceptional_circumstances: str = "",
    granted_days: Iterable[dt.date] | None = None,
    user=None,
) -> DecisionLetter:
    """Record the decision on a request awaiting one, make its letter and queue it to the parent.

    Granting is refused (``RequestInvalid``) while a policy check still refuses the request; a
    family holiday is lifted only by recording exceptional circumstances. A licence without
    dates is granted day by day (``granted_days``), never on a day that would bring attendance
    below the policy's minimum. A refusal needs reasons; when none are typed, the refusing
    checks' explanations are used.
    """
    if request.status != Status.PENDING:
        raise RequestInvalid("decision", f"this request is already {request.get_status_display().lower()}; it cannot be decided again")
    exceptional = exceptional_circumstances.strip()
    reason_lines = [line.strip() for line in reasons.splitlines() if line.strip()]
    kind = request.request_kind
    days = requested_days(request)
    year = None
    if request.first_day is not None:
        year = AcademicYear.objects.get(school_id=request.school_id, start_year=academic_year_of(request.first_day))

    status, chosen = (Status.GRANTED, days) if grant else (Status.REFUSED, [])
    if grant:
        still_refusing = refusals(request.check_findings, exceptional)
        if still_refusing:
            raise RequestInvalid(
                "decision",
                "the request cannot be granted because the policy refuses it: "
                + " ".join(finding.explanation for finding in still_refusing),
            )
        if kind is RequestKind.LICENCE and request.licence == Licence.WITHOUT_DATES.value:
            chosen, status = _licence_days_granted(request, days, granted_days)
    else:
        if not reason_lines:
            reason_lines = [finding.explanation for finding in request.refusing_findings]
        if not reason_lines:
            raise RequestInvalid("reasons", "the reasons for refusing are missing; give at least one reason")

    with transaction.atomic():
        locked = AbsenceRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != Status.PENDING:
            raise RequestInvalid("decision", f"this request was decided by {locked.decided_by_name} meanwhile; reload it")
        request.status = status
        request.decided_at = at
        request.decided_by = user
        request.decided_by_name = actor.name
        request.decided_by_role = actor.role
        request.decision_reasons = "\n".join(reason_lines)
        request.exceptional_circumstances = exceptional
        request.granted_days = [day.isoformat() for day in chosen]
        if kind is RequestKind.LUNCHTIME and grant:
            request.valid_until = _lunchtime_valid_until(request, at)
        request.save()
        letter = _make_letter(request, year, reason_lines, days, chosen, at)
    log.info("request %s %s by %s for school %s", request.pk, status, actor.role or "staff", request.school_id)
    return letter


def _licence_days_granted(request: AbsenceRequest, days: list[dt.date], granted_days) -> tuple[list[dt.date], Status]:
    chosen = sorted(set(granted_days or ()))
    if not chosen:
        raise RequestInvalid("granted_days", "no day is chosen; tick the days to grant, or refuse the request")
    outside = [day for day in chosen if day not in days]
    if outside:
        raise RequestInvalid("granted_days", f"{', '.join(map(_day, outside))} is not a requested school day")
    too_low = {d.day for d in request.projected_licence_days if d.below_minimum}
    refused = [day for day in chosen if day in too_low]
    if refused:
        raise RequestInvalid(
            "granted_days",
            f"{', '.join(map(_day, refused))} would bring attendance below the policy's minimum, so it must be refused",
        )
    return chosen, Status.GRANTED if len(chosen) == len(days) else Status.PARTLY_GRANTED


def _lunchtime_valid_until(request: AbsenceRequest, at: dt.datetime) -> dt.date:
    today = at.astimezone(SCHOOL_TIME_ZONE).date()
    year = AcademicYear.objects.filter(school_id=request.school_id, start_year=academic_year_of(today)).first()
    end = None
    if year is not None:
        calendar = year.calendar()
        end = term_end(calendar, today) if year.policy().lunchtime.renew_each_term else calendar.end
    if end is None:
        raise RequestInvalid("decision", f"no term is set up on or after {today:%d/%m/%Y}; add the term dates first")
    return end


def letter_context(request: AbsenceRequest, year: AcademicYear | None, reasons: list[str], days, chosen, at) -> dict:
    """Return the values of a decision letter's placeholders (see ``letters.PLACEHOLDERS``)."""
    policy = (year or AcademicYear.objects.filter(school_id=request.school_id).order_by("-start_year").first()).policy()
    kind = request.request_kind
    code = refused_code = ""
    if kind is not RequestKind.LUNCHTIME:
        code = granted_code(kind, request.family_holiday, policy.leave)
    if kind is RequestKind.LEAVE:
        refused_code = policy.leave.refused_taken_code
    codes = policy.code_set.codes
    window = sign_out_window(policy.lunchtime)

    dates = ""
    if request.first_day is not None:
        dates = (
            f", from {_day(request.first_day)} ({request.first_session}) to {_day(request.last_day)} ({request.last_session})"
        )
    title = request.get_kind_display()

    return {
        "school_name": request.school.name,
        "letter_date": f"{at.astimezone(SCHOOL_TIME_ZONE):%-d %B %Y}",
        "parent_name": request.submitted_by_name,
        "pupil_name": f"{request.pupil.forename} {request.pupil.surname}",
        "request_title": title,
        "request_kind": title[0].lower() + title[1:] if title != "Traveller absence" else title,
        "asked_on": f"{request.asked_on:%-d %B %Y}",
        "dates_requested": dates,
        "granted_days": ", ".join(map(_day, chosen)),
        "refused_days": ", ".join(_day(day) for day in days if day not in set(chosen)) if chosen else "",
        "code": code,
        "code_meaning": codes[code].meaning if code else "",
        "refused_code": refused_code,
        "refused_code_meaning": codes[refused_code].meaning if refused_code else "",
        "reasons": reasons,
        "exceptional_circumstances": request.exceptional_circumstances,
        "is_lunchtime": kind is RequestKind.LUNCHTIME,
        "valid_until": f"{request.valid_until:%-d %B %Y}" if request.valid_until else "",
        "sign_out_from": f"{window.earliest_out:%H:%M}",
        "back_by": f"{window.latest_back:%H:%M}",
        "decided_by": request.decided_by_name,
        "decided_role": _role_title(request.decided_by_role),
        "reference": str(request.pk),
    }


def _role_title(role: str) -> str:
    if role == "system":
        return "On behalf of the headteacher"
    return StaffRole(role).label if role in StaffRole.values else role


def parent_addresses(request: AbsenceRequest) -> list[str]:
    """Return where the decision goes: the requesting parent's account, then contacts with parental responsibility."""
    addresses = []
    if request.submitted_by is not None and request.submitted_by.email:
        addresses.append(request.submitted_by.email)
    contacts = Contact.objects.filter(pupil_id=request.pupil_id, parental_responsibility=True).exclude(email="")
    addresses += [contact.email for contact in contacts.order_by("priority", "pk")]
    return list(dict.fromkeys(addresses))


def _make_letter(request: AbsenceRequest, year, reasons: list[str], days, chosen, at: dt.datetime) -> DecisionLetter:
    purpose = LetterPurpose.GRANT if request.status != Status.REFUSED else LetterPurpose.REFUSAL
    context = letter_context(request, year, reasons, days, chosen, at)
    rendered = render_letter(request.school_id, purpose, context, at)
    letter = DecisionLetter.objects.create(
        school_id=request.school_id, request=request, purpose=purpose.value, text=rendered.text,
        docx=rendered.docx, pdf=rendered.pdf, created_at=at,
    )
    addresses = parent_addresses(request)
    if not addresses:
        log.warning("request %s decided with no parent e-mail address for school %s; the letter must be printed", request.pk, request.school_id)
        return letter
    letter.email = queue_email(
        request.school,
        addresses,
        f"{request.school.name}: {context['request_title'].lower()} request {request.get_status_display().lower()}",
        rendered.text + "\nThe letter is attached as a PDF.\n",
        reference=f"request-decision:{request.pk}",
        attachments=[Attachment(f"request-{request.pk}-{purpose.value}.pdf", "application/pdf", rendered.pdf)],
    )
    letter.save(update_fields=["email"])
    return letter
