"""The parent area: a parent's own children, their attendance in words, absence reports and requests.

A parent reaches only the children linked to their account at the school (``ParentLink``);
any other pupil is "not found". Staff reach children through the staff pages, so these pages
refuse every role but a parent's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from rollbook.absences.models import AbsenceReport, ReportChannel
from rollbook.absences.services import ReportInvalid, record_report
from rollbook.policy.arrivals import SCHOOL_TIME_ZONE
from rollbook.policy.calendar import Session
from rollbook.policy.codes import load_code_set
from rollbook.policy.measures import attendance_rate
from rollbook.policy.requests import RequestKind, decision_due
from rollbook.registers.services import YearContext
from rollbook.registers.taking import pupil_marks
from rollbook.schools.models import ParentLink, Pupil, School, StaffRole
from rollbook.web.access import current_year, roles_at, school_or_404, visible_pupils
from rollbook.web.form_errors import add_field_error

from .errors import RequestInvalid
from .figures import academic_year_on, year_to_date
from .forms import REQUEST_FORMS, ReportAbsenceForm, licence_of
from .models import AbsenceRequest, DecisionLetter, Kind, Status
from .services import RequestDetails, parse_dates, submit_request, withdraw


def _now() -> dt.datetime:
    return timezone.now()


def _parent_school(user, school_id: int) -> School:
    school = school_or_404(user, school_id)
    if StaffRole.PARENT not in roles_at(user, school):
        raise PermissionDenied("These pages are for parents; staff see pupils through the staff pages.")
    return school


def _own_child(user, school: School, pupil_id: int) -> Pupil:
    """Return the parent's linked child, or raise Http404 for any other pupil."""
    pupil = (
        visible_pupils(user, school)
        .filter(pk=pupil_id, parent_links__user=user)
        .prefetch_related("enrolments", "placements")
        .first()
    )
    if pupil is None:
        raise Http404("No such pupil.")
    return pupil


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


@dataclass(frozen=True)
class DayMarks:
    """One school day of a child's marks, each session in words."""

    day: dt.date
    morning: str
    afternoon: str


def _in_words(session_mark) -> str:
    if session_mark.revision is not None:
        revision = session_mark.revision
        code = load_code_set(revision.code_set).codes.get(revision.code)
        meaning = code.meaning if code else "Recorded"
        late = f", {revision.minutes_late} minutes late" if revision.minutes_late else ""
        return f"{meaning}{late} ({revision.code})"
    if session_mark.closure is not None:
        return f"School closed: {session_mark.closure.label or 'planned closure'}"
    return "Not recorded yet"


def child_summary(pupil: Pupil, today: dt.date) -> dict:
    """Return a child's attendance this academic year up to ``today``: counts, rate and days in words."""
    year = academic_year_on(pupil, today)
    if year is None:
        return {"year": None}
    figures = year_to_date(pupil, year, today)
    context = YearContext.load(year)
    sessions = pupil_marks(context, pupil, context.calendar.start, min(today, context.calendar.end))
    by_day: dict[dt.date, dict[Session, str]] = {}
    for mark in sessions:
        by_day.setdefault(mark.date, {})[mark.session] = _in_words(mark)
    days = [DayMarks(day, words.get(Session.AM, ""), words.get(Session.PM, "")) for day, words in by_day.items()]
    return {
        "year": year,
        "figures": figures,
        "rate": attendance_rate(figures.attended, figures.possible),
        "days": days,
    }


def parent_home(request, school: School, today: dt.date):
    """Show a parent's children at the school with this year's attendance up to ``today``, and what they can do."""
    links = ParentLink.objects.filter(user=request.user, school=school).select_related("pupil").order_by("pupil__forename")
    children = []
    for link in links:
        summary = child_summary(link.pupil, today)
        pending = AbsenceRequest.objects.filter(pupil=link.pupil, status=Status.PENDING).count()
        children.append({"pupil": link.pupil, "summary": summary, "pending": pending})
    return render(request, "requests/parent_home.html", {"school": school, "children": children, "today": today})


@login_required
def child(request, school_id: int, pupil_id: int):
    """Show one child's attendance this year, each session in words, with reports and requests."""
    school = _parent_school(request.user, school_id)
    pupil = _own_child(request.user, school, pupil_id)
    today = timezone.localdate()
    context = {
        "school": school,
        "pupil": pupil,
        "summary": child_summary(pupil, today),
        "reports": AbsenceReport.objects.filter(pupil=pupil).order_by("-start_date", "-pk")[:20],
        "requests": AbsenceRequest.objects.filter(pupil=pupil).prefetch_related("letters"),
        "kinds": [(kind.value, label) for kind, label in _kind_labels()],
    }
    return render(request, "requests/parent_child.html", context)


def _kind_labels() -> list[tuple[RequestKind, str]]:
    return [(RequestKind(value), label) for value, label in Kind.choices]


@login_required
@require_http_methods(["GET", "POST"])
def report_absence(request, school_id: int, pupil_id: int):
    """Let a parent report an absence for today or coming days; the registers show it pre-filled."""
    school = _parent_school(request.user, school_id)
    pupil = _own_child(request.user, school, pupil_id)
    now = _now()
    today = now.astimezone(SCHOOL_TIME_ZONE).date()
    form = ReportAbsenceForm(request.POST or None, initial={"start_date": today, "end_date": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record_report(
                pupil, start_date=data["start_date"], end_date=data["end_date"],
                start_session=Session(data["start_session"]), end_session=Session(data["end_session"]),
                reason=data["reason"], channel=ReportChannel.ONLINE, reported_by=_name(request.user),
                received_at=now, message=data["message"], parent_user=request.user,
            )
        except ReportInvalid as error:
            add_field_error(form, error)
        else:
            messages.success(request, f"The school has your report of {pupil.forename}'s absence.")
            return HttpResponseRedirect(reverse("parents:child", args=[school.pk, pupil.pk]))
    status = 400 if request.method == "POST" else 200
    return render(request, "requests/parent_report.html", {"school": school, "pupil": pupil, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def new_request(request, school_id: int, pupil_id: int, kind: str):
    """Let a parent make a request of one kind; the policy checks run before anyone decides it."""
    school = _parent_school(request.user, school_id)
    pupil = _own_child(request.user, school, pupil_id)
    try:
        request_kind = RequestKind(kind)
    except ValueError:
        raise Http404("No such kind of request.") from None
    form_class = REQUEST_FORMS[request_kind]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            details = _details(request_kind, form.cleaned_data)
            absence_request = submit_request(pupil, details, at=_now(), submitted_by_name=_name(request.user), submitted_by=request.user)
        except RequestInvalid as error:
            add_field_error(form, error)
        else:
            messages.success(request, f"Your request has been sent to the school (number {absence_request.pk}).")
            return HttpResponseRedirect(reverse("parents:request", args=[school.pk, pupil.pk, absence_request.pk]))
    title = dict(_kind_labels())[request_kind]
    return render(request, "requests/parent_request_form.html", {
        "school": school, "pupil": pupil, "form": form, "title": title, "kind": request_kind.value,
    }, status=400 if request.method == "POST" else 200)


def _details(kind: RequestKind, data: dict) -> RequestDetails:
    return RequestDetails(
        kind=kind,
        reason=data["reason"],
        first_day=data.get("first_day"),
        last_day=data.get("last_day"),
        first_session=Session(data.get("first_session") or Session.AM.value),
        last_session=Session(data.get("last_session") or Session.PM.value),
        family_holiday=bool(data.get("family_holiday")),
        religious_body=data.get("religious_body", ""),
        days_set_apart=parse_dates(data.get("days_set_apart", ""), "days_set_apart"),
        occupational_travel=bool(data.get("occupational_travel")),
        licence=licence_of(data.get("licence", "")),
        licence_reference=data.get("licence_reference", ""),
        licence_dates=parse_dates(data.get("licence_dates", ""), "licence_dates"),
    )


def _own_request(user, school: School, pupil_id: int, request_id: int) -> AbsenceRequest:
    pupil = _own_child(user, school, pupil_id)
    absence_request = AbsenceRequest.objects.filter(pk=request_id, pupil=pupil, school=school).first()
    if absence_request is None:
        raise Http404("No such request.")
    return absence_request


@login_required
def request_detail(request, school_id: int, pupil_id: int, request_id: int):
    """Show a parent one of their requests: its status, the decision and its reasons, and the letter."""
    school = _parent_school(request.user, school_id)
    absence_request = _own_request(request.user, school, pupil_id, request_id)
    year = current_year(school, timezone.localdate())
    reply_by = None
    if year is not None and absence_request.kind == RequestKind.LUNCHTIME.value and absence_request.status == Status.PENDING:
        reply_by = decision_due(absence_request.asked_on, year.policy().lunchtime)
    return render(request, "requests/parent_request.html", {
        "reply_by": reply_by,
        "school": school, "pupil": absence_request.pupil, "absence_request": absence_request, "letter": absence_request.letters.first(),
        "can_withdraw": absence_request.status == Status.PENDING or (absence_request.kind == RequestKind.LUNCHTIME.value and absence_request.status == Status.GRANTED),
    })


@login_required
@require_POST
def withdraw_request(request, school_id: int, pupil_id: int, request_id: int):
    """Withdraw a parent's request awaiting a decision, or their child's lunchtime leave."""
    school = _parent_school(request.user, school_id)
    absence_request = _own_request(request.user, school, pupil_id, request_id)
    try:
        withdraw(absence_request, by_name=_name(request.user), at=_now())
    except RequestInvalid as error:
        return render(request, "requests/parent_request.html", {
            "school": school, "pupil": absence_request.pupil, "absence_request": absence_request, "letter": absence_request.letters.first(), "error": str(error),
        }, status=400)
    messages.success(request, "The request is withdrawn.")
    return HttpResponseRedirect(reverse("parents:request", args=[school.pk, absence_request.pupil_id, absence_request.pk]))


@login_required
def letter_pdf(request, school_id: int, pupil_id: int, request_id: int):
    """Send the decision letter of a parent's request as PDF."""
    school = _parent_school(request.user, school_id)
    absence_request = _own_request(request.user, school, pupil_id, request_id)
    letter: DecisionLetter | None = absence_request.letters.first()
    if letter is None:
        raise Http404("This request has no letter yet.")
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="request-{absence_request.pk}-{letter.purpose}.pdf"'
    return response
