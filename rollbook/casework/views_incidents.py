"""Truancy and missing-child incidents: the open list, opening one, and its timestamped steps.

Access: ``Permission.RECORD_INCIDENTS`` and the pupil within ``visible_pupils``. The pupil's
contacts are shown on the incident page, because staff call them during the incident.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from rollbook.policy.incidents import IncidentKind
from rollbook.web import views as web_views
from rollbook.web.access import Permission, require, school_or_404, visible_pupils
from rollbook.web.form_errors import add_field_error

from . import incidents as service
from .forms import IncidentForm, IncidentStepForm
from .models import Incident
from .views_pupil import contacts_of, posted_data, pupil_or_404

logger = logging.getLogger(__name__)


@login_required
def incident_list(request, school_id: int):
    """List open incidents, oldest first, and the incidents closed in the last 30 days."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.RECORD_INCIDENTS)
    visible = visible_pupils(request.user, school, on=web_views.today())
    incidents = Incident.objects.filter(school=school, pupil__in=visible).select_related("pupil")
    recent = timezone.now() - timezone.timedelta(days=30)
    return render(request, "casework/incidents.html", {
        "school": school,
        "open_incidents": incidents.filter(closed_at__isnull=True).order_by("opened_at"),
        "closed_incidents": incidents.filter(closed_at__gte=recent).order_by("-closed_at"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def open_incident(request, school_id: int, pupil_id: int):
    """Open a truancy or missing-child incident for a pupil."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.RECORD_INCIDENTS)
    pupil = pupil_or_404(request.user, school, pupil_id)
    form = IncidentForm(posted_data(request), initial={"kind": request.GET.get("kind", IncidentKind.MISSING_CHILD.value)})
    if request.method == "POST" and form.is_valid():
        try:
            incident = service.open_incident(pupil, form.cleaned_data["kind"], form.cleaned_data["circumstances"],
                                             request.user, timezone.now())
        except service.IncidentInvalid as error:
            add_field_error(form, error)
        else:
            return HttpResponseRedirect(reverse("casework:incident", args=[school.pk, incident.pk]))
    status = 400 if request.method == "POST" else 200
    return render(request, "casework/form.html", {
        "school": school, "pupil": pupil, "form": form, "title": "Open an incident", "button": "Open the incident",
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def incident_detail(request, school_id: int, incident_id: int):
    """Show an incident's steps, the policy's follow-ups and the pupil's contacts; add a step on POST."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.RECORD_INCIDENTS)
    incident = Incident.objects.filter(school=school, pk=incident_id).select_related("pupil").first()
    if incident is None or not visible_pupils(request.user, school, on=web_views.today()).filter(pk=incident.pupil_id).exists():
        raise Http404("No such incident.")

    kind = IncidentKind(incident.kind)
    now = timezone.now()
    form = IncidentStepForm(posted_data(request), kind=kind, initial={"at": timezone.localtime(now).replace(second=0, microsecond=0)})
    if request.method == "POST" and form.is_valid() and incident.closed_at is None:
        data = form.cleaned_data
        facts = frozenset(name for name in service.FACT_FIELDS if data[name])
        try:
            service.add_step(
                incident, at=data["at"], by=request.user, outcome=data["outcome"], follow_up=data["follow_up"],
                place=data["place"], called=data["called"], taken_by=data["taken_by"], facts=facts,
                found=data["found"], close=data["close"], now=now,
            )
        except service.IncidentInvalid as error:
            add_field_error(form, error)
        else:
            messages.success(request, "Step recorded.")
            return HttpResponseRedirect(reverse("casework:incident", args=[school.pk, incident.pk]))

    status = 200
    if request.method == "POST":
        status = 409 if incident.closed_at is not None else 400
    return render(request, "casework/incident.html", {
        "school": school,
        "incident": incident,
        "pupil": incident.pupil,
        "steps": incident.steps.all(),
        "follow_ups": service.follow_ups(incident),
        "contacts": contacts_of(incident.pupil),
        "form": form,
    }, status=status)
