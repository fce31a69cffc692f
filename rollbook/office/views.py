"""Office pages: the first-day call list, following up one absence, recording a report, open N marks.

Each view reads the clock once, checks access with ``rollbook.web.access`` and hands the work to
``calls``, ``open_n`` or ``rollbook.absences.services``. A pupil or school the user may not
reach is "not found".
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rollbook.absences.services import ReportInvalid, record_report
from rollbook.policy.calendar import Session
from rollbook.registers.services import CLOSURE_CODE, MarksConflict, MarksRejected, YearContext
from rollbook.registers.taking import NO_REASON_CODE, ReasonMissing, local_time, mark_history, year_on
from rollbook.schools.models import Contact, School
from rollbook.web.access import Permission, actor_for, can, register_codes, require, school_or_404, visible_pupils
from rollbook.web.form_errors import add_field_error

from . import calls
from .forms import OTHER_CONTACT, CallForm, CodeForm, ReportForm
from .open_n import open_n_report


def _session_from(value: str | None) -> Session:
    if not value:
        return Session.AM
    try:
        return Session(value.upper())
    except ValueError:
        raise Http404("No such session.") from None


def _date_from(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Http404("No such date.") from None


def _visible_pupil(user, school: School, pupil_id: int, on: dt.date):
    pupil = visible_pupils(user, school, on=on).filter(pk=pupil_id).prefetch_related("enrolments", "placements").first()
    if pupil is None:
        raise Http404("No such pupil.")
    return pupil


def _call_list_context(request, school_id: int) -> dict:
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.CALL_LIST)
    now = timezone.now()
    today = local_time(now).date()
    session = _session_from(request.GET.get("session"))
    visible = visible_pupils(request.user, school, on=today).values_list("pk", flat=True)
    listing = calls.call_list(school, today, session, now, pupil_ids=list(visible))
    return {
        "school": school, "today": today, "now": local_time(now), "session": session, "listing": listing,
        "can_report": can(request.user, school, Permission.RECORD_REPORTS),
    }


@login_required
@require_GET
def call_list(request, school_id: int):
    """Show the pupils absent with no reason for a session (morning unless ?session=PM), refreshing itself."""
    return render(request, "office/call_list.html", _call_list_context(request, school_id))


@login_required
@require_GET
def call_rows(request, school_id: int):
    """Return the call list's table alone, for the page to refresh every 20 seconds."""
    return render(request, "office/_call_rows.html", _call_list_context(request, school_id))


def _follow_up_page(request, school, pupil, day, session, *, call_form=None, code_form=None, problems=(), conflicts=(), status=200):
    context = YearContext.load(year_on(school, day))
    history = mark_history(pupil, day, session)
    current = history[-1] if history else None
    can_code = can(request.user, school, Permission.AMEND_MARKS)
    contacts = calls.contacts_to_call(pupil)
    if call_form is None:
        call_form = CallForm(contacts=contacts)
    if code_form is None and can_code:
        code_form = CodeForm(codes=_codes_for(request.user, school, context), initial={"loaded": current.pk if current else None})
    return render(request, "office/follow_up.html", {
        "school": school, "pupil": pupil, "day": day, "session": session, "current": current,
        "contacts": contacts, "attempts": calls.attempts_for(pupil, day, session),
        "call_form": call_form, "code_form": code_form if can_code else None, "problems": problems,
        "conflicts": conflicts, "can_report": can(request.user, school, Permission.RECORD_REPORTS),
        "is_today": day == local_time(timezone.now()).date(),
    }, status=status)


def _codes_for(user, school: School, context: YearContext) -> list[tuple[str, str]]:
    """Return the codes the user may give an absence: their codes less N and the closure code."""
    code_set = context.policy.code_set
    allowed = register_codes(user, school, context.policy)
    return [(code, code_set.codes[code].meaning) for code in allowed if code not in (NO_REASON_CODE, CLOSURE_CODE)]


def _follow_up_target(request, school_id: int, pupil_id: int, date: str, session: str):
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.CALL_LIST)
    day, session_value = _date_from(date), _session_from(session)
    if year_on(school, day) is None:
        raise Http404("No academic year is set up for this date.")
    pupil = _visible_pupil(request.user, school, pupil_id, day)
    return school, pupil, day, session_value


@login_required
@require_GET
def follow_up(request, school_id: int, pupil_id: int, date: str, session: str):
    """Show one absence to follow up: the contacts to call, the calls so far, and the forms."""
    school, pupil, day, session_value = _follow_up_target(request, school_id, pupil_id, date, session)
    return _follow_up_page(request, school, pupil, day, session_value)


@login_required
@require_POST
def log_call(request, school_id: int, pupil_id: int, date: str, session: str):
    """Log one call attempt about an absence, whatever its outcome."""
    school, pupil, day, session_value = _follow_up_target(request, school_id, pupil_id, date, session)
    contacts = calls.contacts_to_call(pupil)
    form = CallForm(request.POST, contacts=contacts)
    if form.is_valid():
        data = form.cleaned_data
        contact = None
        if data["contact"] != OTHER_CONTACT:
            contact = Contact.objects.filter(pupil=pupil, pk=int(data["contact"])).first()
        try:
            calls.log_call(
                pupil, day, session_value, outcome=data["outcome"], contact=contact,
                other_contact=data["other_contact"], note=data["note"], user=request.user,
                made_by_name=actor_for(request.user, school).name, at=timezone.now(),
            )
        except calls.CallInvalid as error:
            add_field_error(form, error)
        else:
            messages.success(request, f"Call logged: {dict(form.fields['outcome'].choices)[data['outcome']]}.")
            return HttpResponseRedirect(reverse("office:follow_up", args=[school.pk, pupil.pk, day.isoformat(), session_value.value]))
    return _follow_up_page(request, school, pupil, day, session_value, call_form=form, status=400)


@login_required
@require_POST
def code_absence(request, school_id: int, pupil_id: int, date: str, session: str):
    """Turn the reason given into the session's code, as one amendment that keeps the reason."""
    school, pupil, day, session_value = _follow_up_target(request, school_id, pupil_id, date, session)
    require(request.user, school, Permission.AMEND_MARKS)
    context = YearContext.load(year_on(school, day))
    codes = _codes_for(request.user, school, context)
    form = CodeForm(request.POST, codes=codes)
    problems, conflicts = [], []
    if form.is_valid():
        data = form.cleaned_data
        try:
            calls.code_absence(
                context, pupil, day, session_value, data["code"], data["reason"], actor_for(request.user, school),
                timezone.now(), [code for code, _ in codes], data["loaded"],
            )
        except ReasonMissing:
            form.add_error("reason", "Give the reason for the change.")
        except MarksRejected as error:
            problems = [problem.message for problem in error.problems]
        except MarksConflict as error:
            conflicts = list(error.conflicts)
        else:
            messages.success(request, f"{pupil.forename} {pupil.surname}: {session_value.value} on {day:%-d %B} coded {data['code']}.")
            return HttpResponseRedirect(reverse("office:call_list", args=[school.pk]) + f"?session={session_value.value}")
    return _follow_up_page(
        request, school, pupil, day, session_value, code_form=form, problems=problems, conflicts=conflicts, status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_absence(request, school_id: int, pupil_id: int):
    """Record an absence report received by phone, e-mail or in person on a parent's behalf."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.RECORD_REPORTS)
    now = timezone.now()
    today = local_time(now).date()
    pupil = _visible_pupil(request.user, school, pupil_id, today)

    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                record_report(
                    pupil, start_date=data["start_date"], end_date=data["end_date"], reason=data["reason"],
                    channel=data["channel"], reported_by=data["reported_by"], received_at=now,
                    start_session=Session(data["start_session"]), end_session=Session(data["end_session"]),
                    message=data["message"], recorded_by=request.user,
                )
            except ReportInvalid as error:
                add_field_error(form, error)
            else:
                messages.success(request, f"Absence report recorded for {pupil.forename} {pupil.surname}.")
                return HttpResponseRedirect(_back_to(request, school))
    else:
        form = ReportForm(initial={"start_date": today, "end_date": today})
    return render(request, "office/report_absence.html", {
        "school": school, "pupil": pupil, "form": form, "next": _back_to(request, school),
    }, status=400 if request.method == "POST" else 200)


def _back_to(request, school: School) -> str:
    """Return where to go after recording a report: the pupil's page or, by default, the call list."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path inside this school's pages, so the link cannot send anyone elsewhere.
    prefix = f"/schools/{school.pk}/"
    if target.startswith(prefix) and "//" not in target and "\\" not in target:
        return target
    return reverse("office:call_list", args=[school.pk])


@login_required
@require_GET
def open_n(request, school_id: int):
    """Show every open N mark at the end of today, oldest first, with the overdue ones marked."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.VIEW_OPEN_N)
    today = local_time(timezone.now()).date()
    visible = visible_pupils(request.user, school, on=today).values_list("pk", flat=True)
    report = open_n_report(school, today, pupil_ids=list(visible))
    return render(request, "office/open_n.html", {
        "school": school, "today": today, "report": report,
        "can_amend": can(request.user, school, Permission.AMEND_MARKS),
    })
