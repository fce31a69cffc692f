"""A pupil's casework page and the forms that add to it: stages, log entries, plans, meetings, evidence.

Access: ``Permission.VIEW_CASEWORK`` shows the whole record; ``Permission.VIEW_CASE_STAGE``
alone (a class teacher) shows the trigger stage and its dates, which the policy tells the
class teacher, and nothing of the log. Changes need ``Permission.MANAGE_CASEWORK``, apart
from log entries (``Permission.LOG_CORRESPONDENCE``). A pupil out of the user's reach is
"not found".
"""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from rollbook.letters.kinds import LetterKind
from rollbook.letters.services import pdf_filename
from rollbook.policy.trigger_stages import Stage
from rollbook.schools.models import Contact, Pupil, School
from rollbook.web import views as web_views
from rollbook.web.access import Permission, can, current_year, require, school_or_404, visible_pupils
from rollbook.web.form_errors import add_field_error

from . import letters as casework_letters
from . import stages, support
from .forms import (
    CloseCaseForm,
    EvidenceForm,
    LogEntryForm,
    MeetingForm,
    MeetingRecordForm,
    PlanForm,
    PlanReviewForm,
    letter_form_class,
)
from .log import EntryInvalid, log_entry, pupil_log
from .models import CaseStatus, Incident, MedicalEvidence, Meeting, SupportPlan, TriggerCase
from .people import class_name_on

logger = logging.getLogger(__name__)


def pupil_or_404(user, school: School, pupil_id: int) -> Pupil:
    pupil = visible_pupils(user, school, on=web_views.today()).filter(pk=pupil_id).first()
    if pupil is None:
        raise Http404("No such pupil.")
    return pupil


def _case_or_404(user, school: School, case_id: int) -> TriggerCase:
    case = TriggerCase.objects.filter(school=school, pk=case_id).select_related("pupil", "academic_year").first()
    if case is None or not visible_pupils(user, school, on=web_views.today()).filter(pk=case.pupil_id).exists():
        raise Http404("No such case.")
    return case


def posted_data(request):
    """Return the POST data of a POST, even when empty, so an empty form is bound and rejected; else None."""
    return request.POST if request.method == "POST" else None


def _back(school: School, pupil: Pupil) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("casework:pupil", args=[school.pk, pupil.pk]))


@login_required
def pupil_casework(request, school_id: int, pupil_id: int):
    """Show a pupil's trigger stages and, to those allowed, the whole casework record."""
    school = school_or_404(request.user, school_id)
    full = can(request.user, school, Permission.VIEW_CASEWORK)
    if not full:
        require(request.user, school, Permission.VIEW_CASE_STAGE)
    pupil = pupil_or_404(request.user, school, pupil_id)
    today = web_views.today()
    year = current_year(school, today)
    manage = can(request.user, school, Permission.MANAGE_CASEWORK)

    cases = list(TriggerCase.objects.filter(pupil=pupil).prefetch_related("steps").select_related("academic_year"))
    open_case = next((case for case in cases if case.status == CaseStatus.OPEN), None)
    context = {
        "school": school,
        "pupil": pupil,
        "class_name": class_name_on(pupil, year, today) if year else "",
        "today": today,
        "full": full,
        "manage": manage,
        "can_log": can(request.user, school, Permission.LOG_CORRESPONDENCE),
        "can_incidents": can(request.user, school, Permission.RECORD_INCIDENTS),
        "cases": cases,
        "open_case": open_case,
        "current_step": open_case.current_step() if open_case else None,
        "letter_kind": casework_letters.STAGE_LETTERS[Stage(open_case.stage)].value if open_case else "",
        "improved_letter_due": any(
            case.status == CaseStatus.IMPROVED and not case.improved_letter_reference for case in cases
        ) and open_case is None,
        "review_due": bool(open_case and open_case.current_step().review_on <= today),
        "stage_1": stages.stage_1_finding(pupil, today) if manage and open_case is None else None,
    }
    if full:
        context |= {
            "log": pupil_log(pupil),
            "plans": SupportPlan.objects.filter(pupil=pupil),
            "meetings": Meeting.objects.filter(pupil=pupil),
            "evidence": MedicalEvidence.objects.filter(pupil=pupil),
            "incidents": Incident.objects.filter(pupil=pupil),
            "illness_without_evidence": stages.illness_without_evidence(open_case, today) if open_case else [],
            "weekly_reports": open_case.weekly_reports.all() if open_case else [],
        }
    return render(request, "casework/pupil.html", context)


@login_required
@require_POST
def start_stage_1(request, school_id: int, pupil_id: int):
    """Start stage 1 for a pupil who meets the stage 1 rule today."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.MANAGE_CASEWORK)
    pupil = pupil_or_404(request.user, school, pupil_id)
    try:
        stages.start_stage_1(pupil, web_views.today(), request.user, timezone.now())
    except stages.StageError as error:
        messages.error(request, f"Stage 1 was not started: {error}.")
        return _back(school, pupil)
    messages.success(request, "Stage 1 started. The class teacher has been told; the stage 1 letter is due.")
    return _back(school, pupil)


@login_required
@require_http_methods(["GET", "POST"])
def review_case(request, school_id: int, case_id: int):
    """Show the improvement test for the current stage's monitoring period, and record the review on POST."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.MANAGE_CASEWORK)
    case = _case_or_404(request.user, school, case_id)
    today = web_views.today()
    try:
        preview = stages.preview_review(case, today)
    except stages.StageError as error:
        return render(request, "casework/review.html", {"school": school, "case": case, "problem": str(error)}, status=409)
    if request.method == "POST":
        try:
            stages.review_stage(case, today, request.user, timezone.now())
        except stages.StageError as error:
            return render(request, "casework/review.html",
                          {"school": school, "case": case, "preview": preview, "problem": str(error)}, status=409)
        messages.success(request, f"Review recorded: {preview.test.describe()}.")
        return _back(school, case.pupil)
    return render(request, "casework/review.html", {"school": school, "case": case, "preview": preview})


@login_required
@require_http_methods(["GET", "POST"])
def close_case(request, school_id: int, case_id: int):
    """Close an open case without an improvement review, with a reason."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.MANAGE_CASEWORK)
    case = _case_or_404(request.user, school, case_id)
    form = CloseCaseForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            stages.close_case(case, form.cleaned_data["reason"], web_views.today(), request.user, timezone.now())
        except stages.StageError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Trigger case closed.")
            return _back(school, case.pupil)
    return _form_page(request, school, case.pupil, form, "Close the trigger case", "Close the case")


def _form_page(request, school, pupil, form, title, button, status=None):
    if status is None:
        status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "casework/form.html",
                  {"school": school, "pupil": pupil, "form": form, "title": title, "button": button}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def add_log_entry(request, school_id: int, pupil_id: int):
    """Add a call, letter, meeting, note or formal step to a pupil's correspondence log."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.LOG_CORRESPONDENCE)
    pupil = pupil_or_404(request.user, school, pupil_id)
    form = LogEntryForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        at = form.cleaned_data["at"]
        if at > timezone.now():
            form.add_error("at", "Enter a time that has passed: the log records what has happened.")
        else:
            try:
                log_entry(pupil, form.cleaned_data["kind"], form.cleaned_data["summary"], request.user, at,
                          details=form.cleaned_data["details"])
            except EntryInvalid as error:
                add_field_error(form, error)
            else:
                messages.success(request, "Added to the correspondence log.")
                return _back(school, pupil)
    return _form_page(request, school, pupil, form, "Add to the correspondence log", "Add to the log")


@login_required
@require_http_methods(["GET", "POST"])
def add_plan(request, school_id: int, pupil_id: int):
    """Record an agreed support plan with its review date."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.MANAGE_CASEWORK)
    pupil = pupil_or_404(request.user, school, pupil_id)
    form = PlanForm(posted_data(request), initial={"agreed_on": web_views.today()})
    if request.method == "POST" and form.is_valid():
        support.add_plan(pupil, case=stages.open_case(pupil), by=request.user, at=timezone.now(), **form.cleaned_data)
        messages.success(request, "Support plan recorded.")
        return _back(school, pupil)
    return _form_page(request, school, pupil, form, "Record a support plan", "Record the plan")


@login_required
@require_http_methods(["GET", "POST"])
def review_plan(request, school_id: int, pupil_id: int, plan_id: int):
    """Record a support plan's review, with the next review date or the end of the plan."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.MANAGE_CASEWORK)
    pupil = pupil_or_404(request.user, school, pupil_id)
    plan = SupportPlan.objects.filter(pupil=pupil, pk=plan_id, ended_on__isnull=True).first()
    if plan is None:
        raise Http404("No such open support plan.")
    form = PlanReviewForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            support.review_plan(plan, notes=form.cleaned_data["notes"], next_review_on=form.cleaned_data["next_review_on"],
                                on=web_views.today(), by=request.user, at=timezone.now())
        except support.SupportInvalid as error:
            add_field_error(form, error)
        else:
            messages.success(request, "Support plan review recorded.")
            return _back(school, pupil)
    return _form_page(request, school, pupil, form, f"Review the support plan \"{plan.title}\"", "Record the review")


@login_required
@require_http_methods(["GET", "POST"])
def add_meeting(request, school_id: int, pupil_id: int):
    """Arrange a meeting about the pupil's attendance."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.MANAGE_CASEWORK)
    pupil = pupil_or_404(request.user, school, pupil_id)
    form = MeetingForm(posted_data(request), initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        try:
            support.schedule_meeting(pupil, case=stages.open_case(pupil), by=request.user, at=timezone.now(),
                                     **form.cleaned_data)
        except support.SupportInvalid as error:
            add_field_error(form, error)
        else:
            messages.success(request, "Meeting arranged.")
            return _back(school, pupil)
    return _form_page(request, school, pupil, form, "Arrange a meeting", "Arrange the meeting")


@login_required
@require_http_methods(["GET", "POST"])
def record_meeting(request, school_id: int, pupil_id: int, meeting_id: int):
    """Record that a meeting was held: attendees and outcome."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.MANAGE_CASEWORK)
    pupil = pupil_or_404(request.user, school, pupil_id)
    meeting = Meeting.objects.filter(pupil=pupil, pk=meeting_id).first()
    if meeting is None:
        raise Http404("No such meeting.")
    form = MeetingRecordForm(posted_data(request), initial={"held_at": meeting.scheduled_for})
    if request.method == "POST" and form.is_valid():
        try:
            support.record_meeting(meeting, by=request.user, at=timezone.now(), **form.cleaned_data)
        except support.SupportInvalid as error:
            add_field_error(form, error)
        else:
            messages.success(request, "Meeting recorded.")
            return _back(school, pupil)
    return _form_page(request, school, pupil, form, f"Record the meeting: {meeting.get_kind_display()}", "Record the meeting")


@login_required
@require_http_methods(["GET", "POST"])
def add_evidence(request, school_id: int, pupil_id: int):
    """Record medical evidence received for absence for illness."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.MANAGE_CASEWORK)
    pupil = pupil_or_404(request.user, school, pupil_id)
    form = EvidenceForm(posted_data(request), initial={"received_on": web_views.today()})
    if request.method == "POST" and form.is_valid():
        support.add_evidence(pupil, by=request.user, at=timezone.now(), **form.cleaned_data)
        messages.success(request, "Medical evidence recorded.")
        return _back(school, pupil)
    return _form_page(request, school, pupil, form, "Record medical evidence", "Record the evidence")


@login_required
@require_POST
def weekly_report(request, school_id: int, case_id: int):
    """Send the stage 3 weekly report for one school week (``week`` is its Monday, YYYY-MM-DD)."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.MANAGE_CASEWORK)
    case = _case_or_404(request.user, school, case_id)
    try:
        week = dt.date.fromisoformat(request.POST.get("week", ""))
    except ValueError:
        messages.error(request, f"The week {request.POST.get('week', '')!r} is not a date; choose a week from the list.")
        return _back(school, case.pupil)
    if week > web_views.today():
        messages.error(request, "That week has not happened yet; report a week once it is over.")
        return _back(school, case.pupil)
    try:
        support.send_weekly_report(case, week, request.user, timezone.now())
    except stages.StageError as error:
        messages.error(request, f"The weekly report was not sent: {error}.")
        return _back(school, case.pupil)
    messages.success(request, f"Weekly report for the week beginning {week:%-d %B %Y} sent.")
    return _back(school, case.pupil)


def contacts_of(pupil: Pupil) -> list[Contact]:
    return list(Contact.objects.filter(pupil=pupil).order_by("priority", "name", "pk"))


@login_required
@require_http_methods(["GET", "POST"])
def send_letter(request, school_id: int, pupil_id: int, kind: str):
    """Write a casework letter for a pupil: e-mail it, or print it as a PDF to download."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.MANAGE_CASEWORK)
    pupil = pupil_or_404(request.user, school, pupil_id)
    try:
        letter_kind = LetterKind(kind)
    except ValueError:
        raise Http404("No such letter.") from None
    if letter_kind not in casework_letters.CASEWORK_LETTERS:
        raise Http404("No such letter.")
    try:
        casework_letters.letter_target(pupil, letter_kind)
    except stages.StageError as error:
        messages.error(request, f"The letter was not written: {error}.")
        return _back(school, pupil)

    form = letter_form_class(letter_kind)(posted_data(request), initial=casework_letters.initial_values(pupil, letter_kind))
    if request.method == "POST" and form.is_valid():
        values = {name: value for name, value in form.cleaned_data.items() if name != "method"}
        try:
            sent = casework_letters.send(
                pupil, letter_kind, form.cleaned_data["method"], on=web_views.today(), at=timezone.now(),
                user=request.user, sender_values=values,
            )
        except (casework_letters.LetterError, stages.StageError) as error:
            field = getattr(error, "field", "")
            form.add_error(field if field in form.fields else None, str(error))
        else:
            if sent.pdf is not None:
                response = HttpResponse(sent.pdf, content_type="application/pdf")
                filename = pdf_filename(letter_kind, pupil, web_views.today())
                response["Content-Disposition"] = f'attachment; filename="{filename}"'
                return response
            messages.success(request, f"{letter_kind.label} e-mailed to {sent.letter.addressed_to}.")
            return _back(school, pupil)
    return _form_page(request, school, pupil, form, letter_kind.label, "Write the letter")
