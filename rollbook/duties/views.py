"""Local authority duty pages: the overview, absence notifications and removal reviews.

Access: ``Permission.VIEW_LA_DUTIES`` to see notifications and removal reviews with their
returns; ``RECORD_LA_DUTIES`` to prepare and mark notifications sent and to open reviews;
``LOG_ENQUIRIES`` to log enquiries (the local authority's officer logs theirs);
``DECIDE_REMOVAL`` to decide. Penalty notices are in ``penalty_views``. Another school, or a
row of another school, is "not found".
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from rollbook.policy.duties import removal_grounds, ABSENCE_GROUNDS, RemovalGround
from rollbook.policy.rules import Rule
from rollbook.reports.services import actions_due
from rollbook.web import views as web_views
from rollbook.web.access import Permission, actor_for, can, require, school_or_404, visible_pupils

from . import notifications, removal
from .errors import DutyError
from .findings import pupil_year
from .forms import DecisionForm, EnquiryForm, LongHealthAbsenceForm, MarkSentForm
from .models import EnquiryParty, LaNotification, NotificationKind, PenaltyNotice, RemovalDecision, RemovalReview


def _pupil_or_404(user, school, pupil_id: int):
    pupil = visible_pupils(user, school, on=web_views.today()).filter(pk=pupil_id).first()
    if pupil is None:
        raise Http404("No such pupil.")
    return pupil


def _csv(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def index(request, school_id: int):
    """List the notifications and removal reviews due or recorded, and, for those who may, penalty thresholds met."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.VIEW_LA_DUTIES)
    today = web_views.today()
    health_pupil = request.GET.get("health_pupil", "")
    if health_pupil.isdigit() and can(request.user, school, Permission.RECORD_LA_DUTIES):
        pupil = _pupil_or_404(request.user, school, int(health_pupil))
        return HttpResponseRedirect(reverse("duties:long_health_absence", args=[school.pk, pupil.pk]))
    visible = set(visible_pupils(request.user, school, on=today).values_list("pk", flat=True))
    due = [action for action in actions_due(school, today) if action.pupil.pk in visible]

    prepared = {
        (n.pupil_id, n.kind, n.last_day)
        for n in LaNotification.objects.filter(school=school).only("pupil_id", "kind", "last_day")
    }
    alerts_due = [
        {"action": action, "kind": notifications.KIND_OF_RULE[action.rule]}
        for action in due
        if action.rule in notifications.KIND_OF_RULE
        and (action.pupil.pk, notifications.KIND_OF_RULE[action.rule].value, action.since) not in prepared
    ]
    reviewed = set(RemovalReview.objects.filter(school=school).values_list("pupil_id", "evidence_since"))
    removals_due = [
        action for action in due if action.rule == Rule.REMOVAL_REVIEW and (action.pupil.pk, action.since) not in reviewed
    ]
    show_penalties = can(request.user, school, Permission.PENALTY_NOTICES)
    thresholds = [action for action in due if action.rule == Rule.PENALTY_THRESHOLD] if show_penalties else []
    notice_counts = {}
    if show_penalties:
        for notice in PenaltyNotice.objects.filter(school=school):
            notice_counts[notice.pupil_id] = notice_counts.get(notice.pupil_id, 0) + 1

    return render(
        request,
        "duties/index.html",
        {
            "school": school,
            "today": today,
            "alerts_due": alerts_due,
            "notifications": LaNotification.objects.filter(school=school, pupil_id__in=visible).select_related("pupil"),
            "removals_due": removals_due,
            "reviews": RemovalReview.objects.filter(school=school, pupil_id__in=visible).select_related("pupil"),
            "thresholds": [{"action": a, "notices": notice_counts.get(a.pupil.pk, 0)} for a in thresholds],
            "show_penalties": show_penalties,
            "can_record": can(request.user, school, Permission.RECORD_LA_DUTIES),
            "pupils": visible_pupils(request.user, school, on=today).order_by("surname", "forename"),
        },
    )


@login_required
@require_POST
def prepare_notification(request, school_id: int, pupil_id: int, kind: str):
    """Prepare the notification of an absence block the rules found; shows it once prepared."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.RECORD_LA_DUTIES)
    pupil = _pupil_or_404(request.user, school, pupil_id)
    if kind not in (NotificationKind.UNAUTHORISED_BLOCK, NotificationKind.MEDICAL_BLOCK):
        raise Http404("No such notification.")
    try:
        notification = notifications.prepare_block_notification(
            pupil, NotificationKind(kind), on=web_views.today(), at=timezone.now(), user=request.user,
            actor=actor_for(request.user, school),
        )
    except DutyError as error:
        messages.error(request, str(error).capitalize() + ".")
        return HttpResponseRedirect(reverse("duties:index", args=[school.pk]))
    return HttpResponseRedirect(reverse("duties:notification", args=[school.pk, notification.pk]))


def _notification_or_404(user, school, notification_id: int) -> LaNotification:
    notification = LaNotification.objects.filter(
        school=school, pk=notification_id, pupil__in=visible_pupils(user, school)
    ).select_related("pupil", "school").first()
    if notification is None:
        raise Http404("No such notification.")
    return notification


@login_required
@require_http_methods(["GET", "POST"])
def notification(request, school_id: int, notification_id: int):
    """Show a notification as the local authority's form asks for it; a POST records it as sent."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.VIEW_LA_DUTIES)
    record = _notification_or_404(request.user, school, notification_id)
    form = MarkSentForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        require(request.user, school, Permission.RECORD_LA_DUTIES)
        if form.is_valid():
            try:
                notifications.mark_sent(
                    record, sent_to=form.cleaned_data["sent_to"], at=timezone.now(), user=request.user,
                    actor=actor_for(request.user, school),
                )
            except DutyError as error:
                form.add_error("sent_to" if error.field == "sent_to" else None, str(error).capitalize() + ".")
            else:
                messages.success(request, "The notification is recorded as sent.")
                return HttpResponseRedirect(reverse("duties:notification", args=[school.pk, record.pk]))
        status = 400
    rows = notifications.form_rows(record)
    return render(
        request,
        "duties/notification.html",
        {
            "school": school,
            "notification": record,
            "rows": rows,
            "copy_text": "\n".join(f"{name}: {value}" for name, value in rows),
            "form": form,
            "can_record": can(request.user, school, Permission.RECORD_LA_DUTIES),
        },
        status=status,
    )


@login_required
def notification_csv(request, school_id: int, notification_id: int):
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.VIEW_LA_DUTIES)
    record = _notification_or_404(request.user, school, notification_id)
    return _csv(notifications.notification_csv(record), f"la-notification-{record.pk}-upn-{record.pupil.upn}.csv")


@login_required
@require_http_methods(["GET", "POST"])
def long_health_absence(request, school_id: int, pupil_id: int):
    """Record that a pupil is expected to be away for health reasons long enough to tell the local authority."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.RECORD_LA_DUTIES)
    pupil = _pupil_or_404(request.user, school, pupil_id)
    form = LongHealthAbsenceForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                record = notifications.prepare_long_health_notification(
                    pupil, **form.cleaned_data, on=web_views.today(), at=timezone.now(), user=request.user,
                    actor=actor_for(request.user, school),
                )
            except DutyError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error).capitalize() + ".")
            else:
                return HttpResponseRedirect(reverse("duties:notification", args=[school.pk, record.pk]))
        status = 400
    return render(request, "duties/long_health.html", {"school": school, "pupil": pupil, "form": form}, status=status)


@login_required
@require_POST
def open_removal_review(request, school_id: int, pupil_id: int):
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.RECORD_LA_DUTIES)
    pupil = _pupil_or_404(request.user, school, pupil_id)
    review = removal.open_review(
        pupil, on=web_views.today(), at=timezone.now(), user=request.user, actor=actor_for(request.user, school)
    )
    return HttpResponseRedirect(reverse("duties:removal", args=[school.pk, review.pk]))


def _review_or_404(user, school, review_id: int) -> RemovalReview:
    review = RemovalReview.objects.filter(
        school=school, pk=review_id, pupil__in=visible_pupils(user, school)
    ).select_related("pupil", "school").first()
    if review is None:
        raise Http404("No such review.")
    return review


def _grounds_for(review: RemovalReview, on) -> tuple[RemovalGround, ...]:
    loaded = pupil_year(review.pupil, on)
    return removal_grounds(loaded.marks.policy) if loaded else ABSENCE_GROUNDS


@login_required
@require_http_methods(["GET", "POST"])
def removal_review(request, school_id: int, review_id: int):
    """Show a removal review with its evidence, enquiries and decision; a POST logs an enquiry."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.VIEW_LA_DUTIES)
    review = _review_or_404(request.user, school, review_id)
    today = web_views.today()
    enquiry_form = EnquiryForm(request.POST if request.method == "POST" else None, initial={"made_on": today})
    status = 200
    if request.method == "POST":
        require(request.user, school, Permission.LOG_ENQUIRIES)
        if enquiry_form.is_valid():
            try:
                values = {**enquiry_form.cleaned_data, "made_by": EnquiryParty(enquiry_form.cleaned_data["made_by"])}
                removal.log_enquiry(
                    review, **values, on=today, at=timezone.now(), user=request.user,
                    actor=actor_for(request.user, school),
                )
            except DutyError as error:
                enquiry_form.add_error(
                    error.field if error.field in enquiry_form.fields else None, str(error).capitalize() + "."
                )
            else:
                messages.success(request, "The enquiry is logged.")
                return HttpResponseRedirect(reverse("duties:removal", args=[school.pk, review.pk]))
        status = 400
    return _review_page(request, school, review, enquiry_form=enquiry_form, status=status)


def _review_page(request, school, review, *, enquiry_form=None, decision_form=None, status=200):
    today = web_views.today()
    return render(
        request,
        "duties/removal.html",
        {
            "school": school,
            "review": review,
            "enquiries": review.enquiries.all(),
            "enquiry_form": enquiry_form or EnquiryForm(initial={"made_on": today}),
            "decision_form": decision_form or DecisionForm(grounds=_grounds_for(review, today)),
            "can_log": can(request.user, school, Permission.LOG_ENQUIRIES),
            "can_decide": can(request.user, school, Permission.DECIDE_REMOVAL),
            "can_record": can(request.user, school, Permission.RECORD_LA_DUTIES),
            "return_rows": removal.deletion_return(review) if review.decision == RemovalDecision.REMOVE else [],
        },
        status=status,
    )


@login_required
@require_POST
def decide_removal(request, school_id: int, review_id: int):
    """Record the decision of a removal review; a removal takes effect today."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.DECIDE_REMOVAL)
    review = _review_or_404(request.user, school, review_id)
    today = web_views.today()
    form = DecisionForm(request.POST, grounds=_grounds_for(review, today))
    if form.is_valid():
        ground = form.cleaned_data["ground"]
        try:
            removal.decide(
                review,
                decision=RemovalDecision(form.cleaned_data["decision"]),
                ground=RemovalGround(ground) if ground else None,
                reason=form.cleaned_data["reason"],
                no_unavoidable_cause=form.cleaned_data["no_unavoidable_cause"],
                on=today,
                at=timezone.now(),
                user=request.user,
                actor=actor_for(request.user, school),
            )
        except DutyError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error).capitalize() + ".")
        else:
            messages.success(request, "The decision is recorded.")
            return HttpResponseRedirect(reverse("duties:removal", args=[school.pk, review.pk]))
    return _review_page(request, school, review, decision_form=form, status=400)


@login_required
def deletion_return_csv(request, school_id: int, review_id: int):
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.VIEW_LA_DUTIES)
    review = _review_or_404(request.user, school, review_id)
    if review.decision != RemovalDecision.REMOVE:
        raise Http404("This review has no deletion return.")
    return _csv(removal.deletion_return_csv(review), f"deletion-return-{review.pk}-upn-{review.pupil.upn}.csv")


@login_required
@require_POST
def deletion_return_sent(request, school_id: int, review_id: int):
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.RECORD_LA_DUTIES)
    review = _review_or_404(request.user, school, review_id)
    if request.POST.get("confirm") != "sent":
        return HttpResponseBadRequest("Record the return as sent with the button on the review page.")
    try:
        removal.mark_return_sent(review, at=timezone.now(), user=request.user, actor=actor_for(request.user, school))
    except DutyError as error:
        messages.error(request, str(error).capitalize() + ".")
    else:
        messages.success(request, "The deletion return is recorded as sent to the local authority.")
    return HttpResponseRedirect(reverse("duties:removal", args=[school.pk, review.pk]))
