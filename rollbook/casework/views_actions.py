"""The attendance lead's actions due page and the decisions taken on it."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from rollbook.web import views as web_views
from rollbook.web.access import Permission, current_year, require, school_or_404, visible_pupils
from rollbook.web.form_errors import add_field_error

from .actions import DecisionInvalid, State, build_board, record_decision
from .forms import DecisionForm

logger = logging.getLogger(__name__)


@login_required
def actions(request, school_id: int):
    """List the actions due, newest and most serious first, with deferred and decided ones below."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.MANAGE_CASEWORK)
    today = web_views.today()
    year = current_year(school, today)
    board = build_board(school, min(today, year.calendar().end)) if year is not None else None
    return render(request, "casework/actions.html", _context(school, board, DecisionForm()))


def _context(school, board, form, failed=None):
    sections = None
    if board is not None:
        sections = [
            ("due", "Due", board.in_state(State.DUE)),
            ("in-hand", "In hand: a trigger case is open", board.in_state(State.IN_HAND)),
            ("deferred", "Deferred", board.in_state(State.DEFERRED)),
            ("decided", "Done or dismissed", board.in_state(State.DONE, State.DISMISSED)),
        ]
    return {"school": school, "board": board, "sections": sections, "form": form, "failed": failed}


@login_required
@require_POST
def decide(request, school_id: int):
    """Record a decision on one action: done, deferred to a date, dismissed or reopened, with a reason."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.MANAGE_CASEWORK)
    today = web_views.today()
    form = DecisionForm(request.POST)
    if form.is_valid():
        pupil = visible_pupils(request.user, school, on=today).filter(pk=form.cleaned_data["pupil"]).first()
        if pupil is None:
            raise Http404("No such pupil.")
        try:
            record = record_decision(
                pupil, form.cleaned_data["key"], form.cleaned_data["since"], form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"], deferred_until=form.cleaned_data["deferred_until"],
                on=today, by=request.user, at=timezone.now(),
            )
        except DecisionInvalid as error:
            add_field_error(form, error)
        else:
            logger.info("Decision %s recorded on %s for pupil %s by user %s", record.pk, record.rule, pupil.pk, request.user.pk)
            messages.success(request, f"Decision recorded: {record.get_decision_display().lower()}.")
            return HttpResponseRedirect(reverse("casework:actions", args=[school.pk]))

    year = current_year(school, today)
    board = build_board(school, min(today, year.calendar().end)) if year is not None else None
    failed = (request.POST.get("pupil"), request.POST.get("key"), request.POST.get("since"))
    return render(request, "casework/actions.html", _context(school, board, form, failed), status=400)
