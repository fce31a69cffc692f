"""Penalty notice pages: a pupil's threshold evidence and notices, one notice's payment, withdrawal and referral.

Access: ``Permission.PENALTY_NOTICES`` for pupils within ``visible_pupils``; another school, or a
pupil or notice out of reach, is "not found".
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from rollbook.letters.formatting import pounds
from rollbook.schools.models import Contact
from rollbook.web import views as web_views
from rollbook.web.access import Permission, actor_for, require, school_or_404, visible_pupils

from . import penalties
from .errors import DutyError
from .evidence_pack import evidence_pack_pdf
from .forms import IssueNoticesForm, PaymentForm, ReferForm, WithdrawForm
from .models import PenaltyNotice

NOTICE_ACTIONS = {"payment": PaymentForm, "withdraw": WithdrawForm, "refer": ReferForm}


def _pupil_or_404(user, school, pupil_id: int):
    pupil = visible_pupils(user, school, on=web_views.today()).filter(pk=pupil_id).first()
    if pupil is None:
        raise Http404("No such pupil.")
    return pupil


@login_required
@require_http_methods(["GET", "POST"])
def pupil_penalties(request, school_id: int, pupil_id: int):
    """Show the pupil's threshold sessions and notices; a POST issues notices to the chosen parents."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.PENALTY_NOTICES)
    pupil = _pupil_or_404(request.user, school, pupil_id)
    today = web_views.today()
    contacts = Contact.objects.filter(pupil=pupil, parental_responsibility=True).order_by("priority", "pk")
    form = IssueNoticesForm(request.POST if request.method == "POST" else None, contacts=contacts, initial={"issued_on": today})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                issued = penalties.issue_notices(
                    pupil, form.cleaned_data["contacts"], issued_on=form.cleaned_data["issued_on"], on=today,
                    at=timezone.now(), user=request.user, actor=actor_for(request.user, school),
                )
            except DutyError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error).capitalize() + ".")
            else:
                messages.success(request, f"{len(issued)} penalty notice{'s' if len(issued) != 1 else ''} recorded.")
                return HttpResponseRedirect(reverse("duties:penalties", args=[school.pk, pupil.pk]))
        status = 400

    finding, sessions = penalties.threshold_evidence(pupil, today)
    notices = [
        {"notice": n, "state": n.state(today), "early": pounds(n.early_pence), "late": pounds(n.late_pence)}
        for n in PenaltyNotice.objects.filter(school=school, pupil=pupil).order_by("-issued_on", "pk")
    ]
    return render(
        request,
        "duties/penalties.html",
        {
            "school": school,
            "pupil": pupil,
            "finding": finding,
            "sessions": sessions,
            "notices": notices,
            "form": form,
            "has_contacts": contacts.exists(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def notice(request, school_id: int, notice_id: int):
    """Show one notice; a POST with ``action`` records its payment, withdrawal or referral."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.PENALTY_NOTICES)
    record = PenaltyNotice.objects.filter(
        school=school, pk=notice_id, pupil__in=visible_pupils(request.user, school)
    ).select_related("pupil").first()
    if record is None:
        raise Http404("No such notice.")
    today = web_views.today()
    forms = {name: form_class(prefix=name) for name, form_class in NOTICE_ACTIONS.items()}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in NOTICE_ACTIONS:
            messages.error(request, "Choose an action: record a payment, withdraw the notice or refer it.")
            status = 400
        else:
            form = NOTICE_ACTIONS[action](request.POST, prefix=action)
            forms[action] = form
            if form.is_valid():
                try:
                    _act(record, action, form.cleaned_data, today, request.user, actor_for(request.user, school))
                except DutyError as error:
                    form.add_error(error.field if error.field in form.fields else None, str(error).capitalize() + ".")
                else:
                    messages.success(request, "The notice is updated.")
                    return HttpResponseRedirect(reverse("duties:notice", args=[school.pk, record.pk]))
            status = 400
    return render(
        request,
        "duties/notice.html",
        {
            "school": school,
            "notice": record,
            "state": record.state(today),
            "early": pounds(record.early_pence),
            "late": pounds(record.late_pence),
            "paid": pounds(record.amount_paid_pence) if record.amount_paid_pence is not None else "",
            "forms": forms,
        },
        status=status,
    )


def _act(record: PenaltyNotice, action: str, values: dict, today, user, actor) -> None:
    at = timezone.now()
    if action == "payment":
        penalties.record_payment(record, paid_on=values["paid_on"], on=today, at=at, user=user, actor=actor)
    elif action == "withdraw":
        penalties.withdraw(record, reason=values["reason"], on=today, at=at, user=user, actor=actor)
    else:
        penalties.refer_for_prosecution(record, note=values["note"], on=today, at=at, user=user, actor=actor)


@login_required
def evidence_pack(request, school_id: int, pupil_id: int):
    """Download the pupil's evidence pack for the local authority as one PDF."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.PENALTY_NOTICES)
    pupil = _pupil_or_404(request.user, school, pupil_id)
    today = web_views.today()
    pdf = evidence_pack_pdf(pupil, on=today, prepared_by=actor_for(request.user, school).name)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="evidence-pack-upn-{pupil.upn}-{today.isoformat()}.pdf"'
    return response
