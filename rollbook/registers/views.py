"""Register pages: taking a class register, the missing-registers board, the signing book, a
pupil's marks as they stand or stood, a mark's history and amending it.

Each view reads the clock once (``timezone.now()``), checks access with ``rollbook.web.access``
and hands the work to ``rollbook.registers.taking``. A class, pupil or school the user may not
reach is "not found", so a page does not reveal that it exists.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from rollbook.policy.arrivals import PRESENT_CODES, SCHOOL_TIME_ZONE
from rollbook.policy.calendar import Session
from rollbook.registers.models import RevisionSource, SigningDirection
from rollbook.registers.services import CLOSURE_CODE, MarksConflict, MarksRejected, YearContext
from rollbook.schools.models import School
from rollbook.web.access import (
    Permission,
    actor_for,
    can,
    register_classes,
    register_codes,
    require,
    school_or_404,
    visible_pupils,
)

from . import taking


# Codes offered as one-key choices on a register; any other code the user may enter is in a list.
MAIN_CODES = ("L", "N")
PUPIL_RECORD_DAYS = 28


def _parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Http404("No such date.") from None


def _parse_session(value: str) -> Session:
    try:
        return Session(value.upper())
    except ValueError:
        raise Http404("No such session.") from None


def _context_on(school: School, day: dt.date) -> YearContext:
    year = taking.year_on(school, day)
    if year is None:
        raise Http404("No academic year is set up for this date.")
    return YearContext.load(year)


def _visible_pupil(user, school: School, pupil_id: int, on: dt.date):
    pupil = visible_pupils(user, school, on=on).filter(pk=pupil_id).prefetch_related("enrolments", "placements").first()
    if pupil is None:
        raise Http404("No such pupil.")
    return pupil


def _code_choices(context: YearContext, allowed: tuple[str, ...], session: Session) -> tuple[list, list]:
    """Split the codes a user may enter into one-key choices and the rest, with their meanings."""
    code_set = context.policy.code_set
    present = PRESENT_CODES[session]
    other_present = PRESENT_CODES[Session.PM if session is Session.AM else Session.AM]
    main = [(code, code_set.codes[code].meaning) for code in (present, *MAIN_CODES) if code in allowed]
    main_codes = {code for code, _ in main}
    rest = [
        (code, code_set.codes[code].meaning)
        for code in allowed
        if code not in main_codes and code not in (CLOSURE_CODE, other_present)
    ]
    return main, rest


@login_required
def register_list(request, school_id: int):
    """List today's registers for the classes the user may take, with whether each was submitted."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.TAKE_REGISTER)
    now = timezone.now()
    today = taking.local_time(now).date()

    year = taking.year_on(school, today)
    rows = []
    if year is not None and year.calendar().is_school_day(today):
        classes = register_classes(request.user, year)
        by_session = {s: {c.class_name: c for c in taking.register_statuses(year, today, s, classes)} for s in Session}
        rows = [(name, [(s, by_session[s][name]) for s in Session]) for name in classes]
    return render(request, "registers/list.html", {
        "school": school, "today": today, "year": year, "rows": rows,
        "can_board": can(request.user, school, Permission.MISSING_REGISTERS),
        "can_signing": can(request.user, school, Permission.SIGNING_BOOK),
    })


CLOCK_TIME = re.compile(r"(\d{1,2}):?(\d{2})")


def parse_clock_time(text: str) -> dt.time | None:
    """Parse a 24-hour time typed as "09:07", "9:07" or "0907"; return None when it is invalid."""
    match = CLOCK_TIME.fullmatch(text.strip())
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def _parse_register_post(register: taking.ClassRegister, data, allowed: tuple[str, ...]):
    """Read one choice per register row from the form, with the revision each row was loaded at.

    Returns (choices, loaded, errors); errors are (field id, message) pairs.
    """
    choices, loaded, errors = [], {}, []
    fill_present = "all_present" in data
    present = PRESENT_CODES[register.session]
    for row in register.rows:
        if row.closure is not None:
            continue
        pupil_id = row.pupil.pk
        loaded_value = data.get(f"loaded-{pupil_id}", "")
        loaded[pupil_id] = int(loaded_value) if loaded_value.isdigit() else None

        code = data.get(f"other-{pupil_id}", "") or data.get(f"code-{pupil_id}", "")
        arrived_text = data.get(f"arrived-{pupil_id}", "").strip()
        arrived = None
        if arrived_text:
            arrived = parse_clock_time(arrived_text)
            if arrived is None:
                errors.append((f"arrived-{pupil_id}", f"{row.pupil}: arrival time {arrived_text!r} is invalid; write it as HH:MM, such as 09:05"))
                continue
        if not code and arrived is None and fill_present and row.revision is None:
            code = present
        if code and code not in allowed and code != row.known_code:
            errors.append((f"code-{pupil_id}", f"{row.pupil}: you may not enter code {code!r}"))
            continue
        choices.append(taking.RegisterChoice(row.pupil, code, arrived, data.get(f"comment-{pupil_id}", "").strip()))
    return choices, loaded, errors


@dataclass(frozen=True)
class FormRow:
    """A register row as the form shows it: the code selected, and any other code or arrival time."""

    row: taking.RegisterRow
    selected: str
    other: str
    arrived: str
    comment: str
    known_code_listed: bool = False  # the pre-filled code is already one of the one-key choices
    known_meaning: str = ""


def _form_rows(register: taking.ClassRegister, posted, conflicted: set[int], main_codes: set[str]) -> list[FormRow]:
    """Build the form's rows: what was posted, except current marks for rows someone else changed."""
    rows = []
    for row in register.rows:
        pupil_id = row.pupil.pk
        if posted is not None and pupil_id not in conflicted:
            code = posted.get(f"other-{pupil_id}", "") or posted.get(f"code-{pupil_id}", "")
            arrived = posted.get(f"arrived-{pupil_id}", "")
            comment = posted.get(f"comment-{pupil_id}", "")
        else:
            code = row.revision.code if row.revision is not None else row.known_code
            arrived = ""
            comment = row.revision.comment if row.revision is not None else ""
        known = {}
        if row.known_code:
            meaning = register.context.policy.code_set.codes.get(row.known_code)
            known = {"known_code_listed": row.known_code in main_codes, "known_meaning": meaning.meaning if meaning else ""}
        if code in main_codes or not code or code == row.known_code:
            rows.append(FormRow(row, code, "", arrived, comment, **known))
        else:
            rows.append(FormRow(row, "", code, arrived, comment, **known))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def take_register(request, school_id: int, date: str, session: str, class_name: str):
    """Show a class register for one session and save it, or show it as it stood at ``?at=``."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.TAKE_REGISTER)
    day, session = _parse_date(date), _parse_session(session)
    context = _context_on(school, day)
    if class_name not in register_classes(request.user, context.year):
        raise Http404("No such class.")
    now = timezone.now()

    at_text = request.GET.get("at", "").strip()
    as_of = _parse_at(at_text) if at_text else None
    if at_text and as_of is None:
        raise Http404(f"The date and time {at_text!r} is invalid; write it as 2025-09-08T10:00.")
    try:
        register = taking.load_register(context, class_name, day, session, as_of=as_of)
    except taking.RegisterUnavailable as error:
        return render(request, "registers/not_school_day.html", {"school": school, "message": str(error)}, status=404)
    if as_of is not None:
        return render(request, "registers/as_it_stood.html", {
            "school": school, "register": register, "as_of": taking.local_time(as_of), "code_set": context.policy.code_set,
        })

    allowed = register_codes(request.user, school, context.policy)
    errors: list[tuple[str, str]] = []
    conflicts = []
    if request.method == "POST":
        choices, loaded, errors = _parse_register_post(register, request.POST, allowed)
        if not errors:
            try:
                result = taking.save_register(
                    register, choices, loaded, actor_for(request.user, school), now, allowed, request.POST.get("reason", "")
                )
            except taking.ReasonMissing as error:
                errors.append(("reason", f"A reason is required: {error}."))
            except MarksRejected as error:
                errors.extend(("", problem.message) for problem in error.problems)
            except MarksConflict as error:
                conflicts = list(error.conflicts)
            else:
                kind = "amendments" if result.amendment else "changes"
                messages.success(request, f"Register saved at {taking.local_time(now):%H:%M}: {result.added} {kind} recorded.")
                return HttpResponseRedirect(request.path)
        register = taking.load_register(context, class_name, day, session)

    main_codes, other_codes = _code_choices(context, allowed, session)
    posted = request.POST if request.method == "POST" else None
    conflicted = {conflict.entry.pupil.pk for conflict in conflicts}
    return render(request, "registers/take.html", {
        "school": school, "register": register, "main_codes": main_codes, "other_codes": other_codes,
        "rows": _form_rows(register, posted, conflicted, {code for code, _ in main_codes}),
        "closed": register.is_closed(now), "errors": errors, "conflicts": conflicts,
        "reason": posted.get("reason", "") if posted else "", "code_set": context.policy.code_set,
        "present_code": PRESENT_CODES[session],
        "can_amend": can(request.user, school, Permission.AMEND_MARKS),
    }, status=400 if errors or conflicts else 200)


def _board(request, school_id: int):
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.MISSING_REGISTERS)
    now = timezone.now()
    today = taking.local_time(now).date()
    year = taking.year_on(school, today)
    context = {"school": school, "today": today, "now": taking.local_time(now), "statuses": None}
    if year is not None:
        year_context = YearContext.load(year)
        if year_context.calendar.is_school_day(today):
            session = taking.current_session(year_context, now)
            statuses = taking.register_statuses(year, today, session, taking.class_names(year))
            context.update(session=session, statuses=statuses, missing=sum(1 for s in statuses if s.submitted is None))
    return school, context


@login_required
def missing_registers(request, school_id: int):
    """Show the classes that have not submitted the current session's register today."""
    _, context = _board(request, school_id)
    return render(request, "registers/missing.html", context)


@login_required
def board_rows(request, school_id: int):
    """Return the missing-registers board's rows alone, for the board page to poll."""
    _, context = _board(request, school_id)
    return render(request, "registers/_board_rows.html", context)


def _parse_at(value: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=SCHOOL_TIME_ZONE)


@login_required
def pupil_record(request, school_id: int, pupil_id: int):
    """Show a pupil's marks over the last four weeks, or as they stood at ``?at=YYYY-MM-DDTHH:MM``."""
    school = school_or_404(request.user, school_id)
    now = timezone.now()
    at_text = request.GET.get("at", "").strip()
    as_of = _parse_at(at_text) if at_text else None
    end = taking.local_time(as_of or now).date()
    context = _context_on(school, end)
    pupil = _visible_pupil(request.user, school, pupil_id, end)
    error = ""
    if at_text and as_of is None:
        error = f"The date and time {at_text!r} is invalid; use the date and time picker, or write it as 2025-09-08T10:00."

    marks = taking.pupil_marks(context, pupil, end - dt.timedelta(days=PUPIL_RECORD_DAYS), end, as_of=as_of)
    return render(request, "registers/pupil.html", {
        "school": school, "pupil": pupil, "marks": marks, "as_of": taking.local_time(as_of) if as_of else None,
        "at_text": at_text, "error": error, "code_set": context.policy.code_set,
        "can_history": can(request.user, school, Permission.VIEW_HISTORY),
        "can_amend": can(request.user, school, Permission.AMEND_MARKS),
        "can_report": can(request.user, school, Permission.RECORD_REPORTS),
    }, status=400 if error else 200)


@login_required
def mark_history(request, school_id: int, pupil_id: int, date: str, session: str):
    """Show every entry and amendment of one session's mark, with who made it and why."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.VIEW_HISTORY)
    day, session = _parse_date(date), _parse_session(session)
    context = _context_on(school, day)
    pupil = _visible_pupil(request.user, school, pupil_id, day)
    return render(request, "registers/history.html", {
        "school": school, "pupil": pupil, "day": day, "session": session,
        "revisions": taking.mark_history(pupil, day, session), "code_set": context.policy.code_set,
        "sources": dict(RevisionSource.choices),
        "can_amend": can(request.user, school, Permission.AMEND_MARKS),
    })


class AmendForm(forms.Form):
    code = forms.ChoiceField(label="New code")
    minutes_late = forms.IntegerField(label="Minutes late (late codes only)", required=False, min_value=0, max_value=600)
    reason = forms.CharField(label="Reason for the change", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
    loaded = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, codes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [(code, f"{code}: {meaning}") for code, meaning in codes]


@login_required
@require_http_methods(["GET", "POST"])
def amend(request, school_id: int, pupil_id: int, date: str, session: str):
    """Change one session's mark, with a reason that is kept in the mark's history."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.AMEND_MARKS)
    day, session = _parse_date(date), _parse_session(session)
    context = _context_on(school, day)
    pupil = _visible_pupil(request.user, school, pupil_id, day)
    history = taking.mark_history(pupil, day, session)
    current = history[-1] if history else None
    allowed = register_codes(request.user, school, context.policy)
    codes = [(code, context.policy.code_set.codes[code].meaning) for code in allowed if code != CLOSURE_CODE]
    conflicts, problems = [], []

    if request.method == "POST":
        form = AmendForm(request.POST, codes=codes)
        if form.is_valid():
            try:
                taking.amend_mark(
                    context, pupil, day, session, form.cleaned_data["code"], form.cleaned_data["reason"],
                    actor_for(request.user, school), timezone.now(), allowed, form.cleaned_data["loaded"],
                    form.cleaned_data["minutes_late"],
                )
            except taking.ReasonMissing:
                form.add_error("reason", "Give a reason for the change.")
            except MarksRejected as error:
                problems = [problem.message for problem in error.problems]
            except MarksConflict as error:
                conflicts = list(error.conflicts)
            else:
                messages.success(request, f"Mark amended to {form.cleaned_data['code']}.")
                return HttpResponseRedirect(reverse("registers:mark_history", args=[school.pk, pupil.pk, day.isoformat(), session.value]))
    else:
        form = AmendForm(codes=codes, initial={
            "code": current.code if current else "", "loaded": current.pk if current else None,
            "minutes_late": current.minutes_late if current else None,
        })
    invalid = request.method == "POST" and (form.errors or problems or conflicts)
    return render(request, "registers/amend.html", {
        "school": school, "pupil": pupil, "day": day, "session": session, "current": current, "form": form,
        "problems": problems, "conflicts": conflicts, "code_set": context.policy.code_set,
    }, status=400 if invalid else 200)


class SigningForm(forms.Form):
    pupil = forms.TypedChoiceField(label="Pupil", coerce=int)
    direction = forms.ChoiceField(label="Signing", choices=SigningDirection.choices, widget=forms.RadioSelect)
    time = forms.TimeField(
        label="Time (24-hour, HH:MM)", input_formats=["%H:%M", "%H%M"],
        widget=forms.TimeInput(attrs={"inputmode": "numeric", "autocomplete": "off"}, format="%H:%M"),
    )
    reason = forms.CharField(label="Reason", max_length=500, required=False,
                             help_text="Required when signing out: why the pupil is leaving.")
    collected_by = forms.CharField(label="Collected by (signing out only)", max_length=200, required=False)

    def __init__(self, *args, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].choices = [("", "Choose a pupil")] + [(p.pk, f"{p.surname}, {p.forename}") for p in pupils]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("direction") == SigningDirection.OUT and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Give the reason the pupil is leaving early.")
        return cleaned


@login_required
@require_http_methods(["GET", "POST"])
def signing_book(request, school_id: int):
    """Show today's signing book, and sign a late arrival in or an early leaver out."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.SIGNING_BOOK)
    now = timezone.now()
    local_now = taking.local_time(now)
    today = local_now.date()
    year = taking.year_on(school, today)
    context = YearContext.load(year) if year is not None else None
    pupils = sorted(taking.pupils_on_roll(school, today), key=lambda p: (p.surname, p.forename, p.upn))
    problems = []

    if request.method == "POST":
        form = SigningForm(request.POST, pupils=pupils)
        if form.is_valid() and context is None:
            problems.append("No academic year is set up for today, so nothing can be signed.")
        elif form.is_valid():
            data = form.cleaned_data
            pupil = next(p for p in pupils if p.pk == data["pupil"])
            moment = dt.datetime.combine(today, data["time"], tzinfo=SCHOOL_TIME_ZONE)
            actor = actor_for(request.user, school)
            try:
                if data["direction"] == SigningDirection.IN:
                    result = taking.sign_in(context, pupil, moment, actor, now, data["reason"])
                    note = f"{pupil} signed in at {data['time']:%H:%M}: {result.session} mark {result.code}."
                else:
                    taking.sign_out(context, pupil, moment, actor, now, data["reason"], data["collected_by"])
                    note = f"{pupil} signed out at {data['time']:%H:%M}."
            except MarksRejected as error:
                problems = [problem.message for problem in error.problems]
            except MarksConflict as error:
                problems = [conflict.message for conflict in error.conflicts]
            else:
                messages.success(request, note)
                return HttpResponseRedirect(request.path)
    else:
        form = SigningForm(pupils=pupils, initial={"time": local_now.strftime("%H:%M")})

    invalid = request.method == "POST" and (form.errors or problems)
    return render(request, "registers/signing_book.html", {
        "school": school, "today": today, "form": form, "problems": problems,
        "events": taking.signing_events(school, today),
    }, status=400 if invalid else 200)
