"""Staff pages for requests: the list, a request with its checks and decision, letters and templates,
assessment periods, refused leave taken, and lunchtime signing at the office.

Each view reads the clock once, checks access through ``rollbook.web.access`` and hands the work
to the services. A school or request out of reach is "not found".
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from rollbook.policy.arrivals import SCHOOL_TIME_ZONE
from rollbook.policy.calendar import Session
from rollbook.policy.requests import Licence, RequestKind, decision_due, decision_overdue, sign_out_window
from rollbook.registers.services import MarksConflict, MarksRejected
from rollbook.schools.models import CalendarEntry, School
from rollbook.web.access import Permission, actor_for, can, current_year, require, school_or_404
from rollbook.web.form_errors import add_field_error

from .decisions import decide
from .errors import RequestInvalid
from .figures import requested_days
from .forms import AmendToRefusedForm, AssessmentPeriodForm, DecisionForm, LetterTemplateForm
from .granted import AmendmentInvalid, amend_refused_taken, refused_leave_taken
from .letters import PLACEHOLDERS, check_template, default_template, template_for
from .lunchtime import leave_in_force, sign_in, sign_out
from .models import AbsenceRequest, DecisionLetter, LetterPurpose, LetterTemplate, LunchtimeSigning, Status
from .services import withdraw

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _staff_school(user, school_id: int, permission: Permission) -> School:
    school = school_or_404(user, school_id)
    require(user, school, permission)
    return school


def _request_or_404(school: School, request_id: int) -> AbsenceRequest:
    absence_request = AbsenceRequest.objects.filter(school=school, pk=request_id).select_related("pupil").first()
    if absence_request is None:
        raise Http404("No such request.")
    return absence_request


def _lunch_policy(school: School, today: dt.date):
    year = current_year(school, today)
    return year.policy().lunchtime if year else None


@login_required
def request_list(request, school_id: int):
    """List requests awaiting a decision (lunchtime leave with its deadline) and those decided lately."""
    school = _staff_school(request.user, school_id, Permission.VIEW_REQUESTS)
    today = timezone.localdate()
    lunch = _lunch_policy(school, today)
    pending = []
    for absence_request in AbsenceRequest.objects.filter(school=school, status=Status.PENDING).select_related("pupil").order_by("submitted_at"):
        due = overdue = None
        if absence_request.kind == RequestKind.LUNCHTIME.value and lunch is not None:
            due = decision_due(absence_request.asked_on, lunch)
            overdue = decision_overdue(absence_request.asked_on, today, lunch)
        pending.append({"absence_request": absence_request, "refusals": len(absence_request.refusing_findings), "due": due, "overdue": overdue})
    decided = AbsenceRequest.objects.filter(school=school).exclude(status=Status.PENDING).select_related("pupil")[:50]
    return render(request, "requests/list.html", {
        "school": school, "pending": pending, "decided": decided,
        "can_assessments": can(request.user, school, Permission.MANAGE_ASSESSMENTS),
        "can_letters": can(request.user, school, Permission.EDIT_LETTERS),
        "can_amend": can(request.user, school, Permission.AMEND_MARKS),
        "can_signing": can(request.user, school, Permission.SIGNING_BOOK),
    })


def _detail_context(request, school: School, absence_request: AbsenceRequest, form: DecisionForm) -> dict:
    today = timezone.localdate()
    lunch = _lunch_policy(school, today)
    due = decision_due(absence_request.asked_on, lunch) if lunch and absence_request.kind == RequestKind.LUNCHTIME.value else None
    return {
        "school": school,
        "absence_request": absence_request,
        "form": form,
        "days": requested_days(absence_request),
        "licence_days": absence_request.projected_licence_days,
        "day_by_day": absence_request.kind == RequestKind.LICENCE.value and absence_request.licence == Licence.WITHOUT_DATES.value,
        "letters": absence_request.letters.all(),
        "can_decide": can(request.user, school, Permission.DECIDE_REQUESTS) and absence_request.status == Status.PENDING,
        "can_withdraw": can(request.user, school, Permission.DECIDE_REQUESTS)
        and absence_request.kind == RequestKind.LUNCHTIME.value and absence_request.status in (Status.PENDING, Status.GRANTED),
        "due": due,
        "overdue": due is not None and absence_request.status == Status.PENDING and today > due,
    }


@login_required
@require_http_methods(["GET", "POST"])
def request_detail(request, school_id: int, request_id: int):
    """Show a request with the policy's findings; a decision maker grants or refuses it here."""
    school = _staff_school(request.user, school_id, Permission.VIEW_REQUESTS)
    absence_request = _request_or_404(school, request_id)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        require(request.user, school, Permission.DECIDE_REQUESTS)
        if form.is_valid():
            data = form.cleaned_data
            try:
                granted_days = [dt.date.fromisoformat(text) for text in request.POST.getlist("granted_day")]
            except ValueError:
                granted_days = []
            try:
                decide(
                    absence_request, grant=data["decision"] == "grant", actor=actor_for(request.user, school), at=timezone.now(),
                    reasons=data["reasons"], exceptional_circumstances=data["exceptional_circumstances"],
                    granted_days=granted_days, user=request.user,
                )
            except RequestInvalid as error:
                add_field_error(form, error)
            else:
                messages.success(request, f"Request {absence_request.pk} is {absence_request.get_status_display().lower()}, and its letter is ready.")
                return HttpResponseRedirect(reverse("requests:detail", args=[school.pk, absence_request.pk]))
        return render(request, "requests/detail.html", _detail_context(request, school, absence_request, form), status=400)
    return render(request, "requests/detail.html", _detail_context(request, school, absence_request, form))


@login_required
@require_POST
def staff_withdraw(request, school_id: int, request_id: int):
    """Withdraw lunchtime leave on the school's side."""
    school = _staff_school(request.user, school_id, Permission.DECIDE_REQUESTS)
    absence_request = _request_or_404(school, request_id)
    if absence_request.kind != RequestKind.LUNCHTIME.value:
        return HttpResponse("Only lunchtime leave is withdrawn by the school; decide other requests instead.", status=400)
    try:
        withdraw(absence_request, by_name=actor_for(request.user, school).name, at=timezone.now())
    except RequestInvalid as error:
        return HttpResponse(str(error), status=400, content_type="text/plain")
    messages.success(request, "The lunchtime leave is withdrawn.")
    return HttpResponseRedirect(reverse("requests:detail", args=[school.pk, absence_request.pk]))


@login_required
def letter_file(request, school_id: int, request_id: int, letter_id: int, file_format: str):
    """Send a decision letter as Word (to edit) or PDF (to send)."""
    school = _staff_school(request.user, school_id, Permission.VIEW_REQUESTS)
    absence_request = _request_or_404(school, request_id)
    letter = DecisionLetter.objects.filter(pk=letter_id, request=absence_request).first()
    if letter is None or file_format not in CONTENT_TYPES:
        raise Http404("No such letter.")
    content = bytes(letter.pdf if file_format == "pdf" else letter.docx)
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="request-{absence_request.pk}-{letter.purpose}.{file_format}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def assessments(request, school_id: int):
    """List and add the statutory assessment periods of the current academic year; leave there is refused."""
    school = _staff_school(request.user, school_id, Permission.MANAGE_ASSESSMENTS)
    today = timezone.localdate()
    year = current_year(school, today)
    form = AssessmentPeriodForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if year is None:
            raise Http404("No academic year is set up.")
        if form.is_valid():
            data = form.cleaned_data
            calendar = year.calendar()
            if not (calendar.start <= data["start_date"] and data["end_date"] <= calendar.end):
                form.add_error(
                    "start_date",
                    f"{data['start_date']:%d/%m/%Y} to {data['end_date']:%d/%m/%Y} is not inside the academic year "
                    f"{year} ({calendar.start:%d/%m/%Y} to {calendar.end:%d/%m/%Y})",
                )
            else:
                CalendarEntry.objects.create(
                    school=school, academic_year=year, kind=CalendarEntry.Kind.ASSESSMENT,
                    start_date=data["start_date"], end_date=data["end_date"], label=data["label"].strip(),
                )
                messages.success(request, f"Added {data['label'].strip()}.")
                return HttpResponseRedirect(reverse("requests:assessments", args=[school.pk]))
        status = 400
    periods = CalendarEntry.objects.filter(school=school, academic_year=year, kind=CalendarEntry.Kind.ASSESSMENT) if year else []
    return render(request, "requests/assessments.html", {"school": school, "year": year, "periods": periods, "form": form}, status=status)


@login_required
@require_POST
def assessment_delete(request, school_id: int, entry_id: int):
    """Remove an assessment period entered by mistake; requests already checked keep their findings."""
    school = _staff_school(request.user, school_id, Permission.MANAGE_ASSESSMENTS)
    entry = CalendarEntry.objects.filter(school=school, pk=entry_id, kind=CalendarEntry.Kind.ASSESSMENT).first()
    if entry is None:
        raise Http404("No such assessment period.")
    if request.POST.get("confirm") != "yes":
        return HttpResponse("Removing an assessment period needs confirm=yes; use the Remove button.", status=400, content_type="text/plain")
    entry.delete()
    messages.success(request, f"Removed {entry.label or 'the assessment period'}.")
    return HttpResponseRedirect(reverse("requests:assessments", args=[school.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def letter_templates(request, school_id: int):
    """Show the decision letter templates in use and upload the school's own."""
    school = _staff_school(request.user, school_id, Permission.EDIT_LETTERS)
    form = LetterTemplateForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["template"]
            content = upload.read()
            try:
                check_template(content)
            except RequestInvalid as error:
                form.add_error("template", str(error))
            else:
                LetterTemplate.objects.create(
                    school=school, purpose=form.cleaned_data["purpose"], filename=upload.name[:200], content=content,
                    uploaded_at=timezone.now(), uploaded_by_name=actor_for(request.user, school).name,
                )
                messages.success(request, f"The new template for {LetterPurpose(form.cleaned_data['purpose']).label.lower()} letters is in use.")
                return HttpResponseRedirect(reverse("requests:letter_templates", args=[school.pk]))
        status = 400
    in_use = {purpose: LetterTemplate.objects.filter(school=school, purpose=purpose.value).first() for purpose in LetterPurpose}
    return render(request, "requests/letter_templates.html", {
        "school": school, "form": form, "in_use": in_use, "placeholders": PLACEHOLDERS,
    }, status=status)


@login_required
def letter_template_file(request, school_id: int, purpose: str):
    """Send the template in use for ``purpose`` (the school's own, else the default) to edit in Word."""
    school = _staff_school(request.user, school_id, Permission.EDIT_LETTERS)
    try:
        chosen = LetterPurpose(purpose)
    except ValueError:
        raise Http404("No such letter.") from None
    content = template_for(school.pk, chosen) if request.GET.get("default") != "1" else default_template(chosen)
    response = HttpResponse(content, content_type=CONTENT_TYPES["docx"])
    response["Content-Disposition"] = f'attachment; filename="{chosen.value}-letter-template.docx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def refused_taken(request, school_id: int):
    """List sessions of refused leave marked N or O, each with one action to amend it to G with a reason."""
    school = _staff_school(request.user, school_id, Permission.AMEND_MARKS)
    now = timezone.now()
    today = now.astimezone(SCHOOL_TIME_ZONE).date()
    errors = []
    if request.method == "POST":
        form = AmendToRefusedForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            absence_request = _request_or_404(school, data["request_id"])
            try:
                code = amend_refused_taken(
                    absence_request, data["day"], Session(data["session"]), data["reason"], actor_for(request.user, school), now,
                    data["loaded"],
                )
            except (AmendmentInvalid, MarksConflict, MarksRejected) as error:
                errors.append(str(error))
            else:
                messages.success(request, f"{absence_request.pupil} on {data['day']:%d/%m/%Y} {data['session']} is amended to {code}.")
                return HttpResponseRedirect(reverse("requests:refused_taken", args=[school.pk]))
        else:
            errors += [f"{name}: {' '.join(problems)}" for name, problems in form.errors.items()]
    year = current_year(school, today)
    code = year.policy().leave.refused_taken_code if year else ""
    rows = refused_leave_taken(school, today)
    return render(request, "requests/refused_taken.html", {
        "school": school, "rows": rows, "errors": errors, "code": code,
    }, status=400 if errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def lunchtime(request, school_id: int):
    """Show pupils with lunchtime leave in force today, and sign them out and back in at the office."""
    school = _staff_school(request.user, school_id, Permission.SIGNING_BOOK)
    now = timezone.now()
    today = now.astimezone(SCHOOL_TIME_ZONE).date()
    error = ""
    if request.method == "POST":
        by = actor_for(request.user, school).name
        action = request.POST.get("action", "")
        try:
            if action == "out":
                absence_request = _request_or_404(school, _int(request.POST.get("request_id")))
                sign_out(absence_request, at=now, by_name=by)
                messages.success(request, f"{absence_request.pupil} signed out at {now.astimezone(SCHOOL_TIME_ZONE):%H:%M}.")
            elif action == "in":
                signing = LunchtimeSigning.objects.filter(school=school, pk=_int(request.POST.get("signing_id"))).first()
                if signing is None:
                    raise Http404("No such signing.")
                signing = sign_in(signing, at=now, by_name=by)
                late = " (late)" if signing.late_return else ""
                messages.success(request, f"{signing.pupil} signed back in at {now.astimezone(SCHOOL_TIME_ZONE):%H:%M}{late}.")
            else:
                raise RequestInvalid("action", "choose to sign a pupil out or back in")
        except RequestInvalid as problem:
            error = str(problem)
        else:
            return HttpResponseRedirect(reverse("requests:lunchtime", args=[school.pk]))
    lunch = _lunch_policy(school, today)
    signings = {s.request_id: s for s in LunchtimeSigning.objects.filter(school=school, day=today)}
    rows = [(absence_request, signings.get(absence_request.pk)) for absence_request in leave_in_force(school, today)]
    return render(request, "requests/lunchtime.html", {
        "school": school, "rows": rows, "error": error, "today": today,
        "window": sign_out_window(lunch) if lunch else None,
    }, status=400 if error else 200)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("No such entry.") from None
