"""Notifications to the local authority: absence blocks found by the rules, and expected long health absence.

A notification is prepared from the evidence (the block's days, sessions and codes, or the
expected dates), shown as the local authority's form asks for it, exported as CSV, and marked
sent with who sent it, when and to whom.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging

from django.db import IntegrityError, transaction

from rollbook.casework.log import log_entry
from rollbook.casework.models import EntryKind

from rollbook.policy.duties import first_absence_block, long_health_absence_due
from rollbook.policy.rules import Rule
from rollbook.registers.services import Actor
from rollbook.schools.models import Contact, Placement, Pupil

from .errors import DutyError
from .findings import pupil_year
from .models import LaNotification, NotificationKind

log = logging.getLogger(__name__)

RULE_OF_KIND = {
    NotificationKind.UNAUTHORISED_BLOCK: Rule.LA_ALERT_UNAUTHORISED_BLOCK,
    NotificationKind.MEDICAL_BLOCK: Rule.LA_ALERT_MEDICAL_BLOCK,
}
KIND_OF_RULE = {rule: kind for kind, rule in RULE_OF_KIND.items()}


def prepare_block_notification(
    pupil: Pupil, kind: NotificationKind, *, on: dt.date, at: dt.datetime, user, actor: Actor
) -> LaNotification:
    """Record the notification of the pupil's first absence block of ``kind`` as of ``on``.

    Returns the existing notification when the block was already prepared. Raises
    ``DutyError`` when the rules find no such block.
    """
    if kind not in RULE_OF_KIND:
        raise DutyError(f"{kind!r} is not an absence block; use the long health absence form", field="kind")
    loaded = pupil_year(pupil, on)
    if loaded is None:
        raise DutyError(f"the school has no academic year containing {on:%d/%m/%Y}")
    finding = loaded.findings(on).get(RULE_OF_KIND[kind])
    if finding is None:
        raise DutyError(f"pupil {pupil.upn} has no {kind.label.lower()} block as of {on:%d/%m/%Y}", field="kind")

    alerts = loaded.marks.policy.la_alerts
    codes, length = (
        (alerts.unauthorised_block_codes, alerts.unauthorised_block_days)
        if kind == NotificationKind.UNAUTHORISED_BLOCK
        else (alerts.medical_block_codes, alerts.medical_block_days)
    )
    block = first_absence_block(loaded.marks, 0, on, codes, length)
    existing = LaNotification.objects.filter(pupil=pupil, kind=kind, first_day=block.first_day).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            notification = LaNotification.objects.create(
                school=pupil.school,
                pupil=pupil,
                kind=kind,
                first_day=block.first_day,
                last_day=block.last_day,
                school_days=len(block.days),
                sessions=[[day.date.isoformat(), day.am, day.pm] for day in block.days],
                detail=finding.detail,
                prepared_by=user,
                prepared_by_name=actor.name,
                prepared_at=at,
            )
    except IntegrityError:
        # Someone else prepared the same block a moment earlier.
        return LaNotification.objects.get(pupil=pupil, kind=kind, first_day=block.first_day)
    log.info("LA notification %s (school %s, pupil %s, %s) prepared", notification.pk, pupil.school_id, pupil.pk, kind.value)
    return notification


def prepare_long_health_notification(
    pupil: Pupil, *, first_day: dt.date, expected_last_day: dt.date, reason: str, on: dt.date, at: dt.datetime,
    user, actor: Actor,
) -> LaNotification:
    """Record that the pupil is expected to be away for health reasons from ``first_day`` to ``expected_last_day``.

    The school days are counted in the school's calendar. Raises ``DutyError`` naming the
    field when the dates are out of order, outside the year, or too short to notify.
    """
    if expected_last_day < first_day:
        raise DutyError(
            f"the expected last day {expected_last_day:%d/%m/%Y} is before the first day {first_day:%d/%m/%Y}",
            field="expected_last_day",
        )
    if not reason.strip():
        raise DutyError("the reason is missing; describe the health need in a few words", field="reason")
    loaded = pupil_year(pupil, first_day)
    if loaded is None:
        raise DutyError(f"the school has no academic year containing {first_day:%d/%m/%Y}", field="first_day")
    calendar = loaded.marks.calendar
    days = [day for day in calendar.school_days if first_day <= day <= expected_last_day]
    policy = loaded.marks.policy
    if not long_health_absence_due(len(days), policy):
        raise DutyError(
            f"the expected absence is {len(days)} school days within this academic year; the local authority is "
            f"notified only when it is more than {policy.la_alerts.long_health_absence_days}",
            field="expected_last_day",
        )
    notification = LaNotification.objects.create(
        school=pupil.school,
        pupil=pupil,
        kind=NotificationKind.LONG_HEALTH_ABSENCE,
        first_day=first_day,
        last_day=expected_last_day,
        school_days=len(days),
        sessions=[],
        detail=reason.strip(),
        prepared_by=user,
        prepared_by_name=actor.name,
        prepared_at=at,
    )
    log.info("LA notification %s (school %s, pupil %s, long health absence) prepared", notification.pk, pupil.school_id, pupil.pk)
    return notification


def mark_sent(notification: LaNotification, *, sent_to: str, at: dt.datetime, user, actor: Actor) -> None:
    """Record who sent the notification, when and to whom. Raises ``DutyError`` when it was sent already."""
    if not sent_to.strip():
        raise DutyError("say who at the local authority it was sent to, and how", field="sent_to")
    with transaction.atomic():
        updated = LaNotification.objects.filter(pk=notification.pk, sent_at__isnull=True).update(
            sent_at=at, sent_by=user, sent_by_name=actor.name, sent_to=sent_to.strip()[:200]
        )
        if updated != 1:
            raise DutyError("this notification is already recorded as sent")
        log_entry(
            notification.pupil,
            EntryKind.LA_NOTICE,
            f"{notification.get_kind_display()} notified to the local authority ({sent_to.strip()})"[:300],
            user,
            at,
            details=f"{notification.first_day:%d/%m/%Y} to {notification.last_day:%d/%m/%Y}: {notification.detail}",
            reference=f"la-notification:{notification.pk}",
        )
    log.info("LA notification %s (school %s) recorded as sent", notification.pk, notification.school_id)


def form_rows(notification: LaNotification) -> list[tuple[str, str]]:
    """Return the notification as the local authority's form asks for it: (field, value) pairs in order.

    Rollbook does not hold pupils' addresses, so the address row says so.
    """
    pupil = notification.pupil
    placement = (
        Placement.objects.filter(pupil=pupil, start_date__lte=notification.last_day).order_by("-start_date").first()
    )
    contacts = Contact.objects.filter(pupil=pupil, parental_responsibility=True).order_by("priority", "pk")
    rows = [
        ("School", notification.school.name),
        ("School URN", notification.school.urn),
        ("LA code", notification.school.la_code),
        ("Notification", notification.get_kind_display()),
        ("Pupil surname", pupil.surname),
        ("Pupil forename", pupil.forename),
        ("UPN", pupil.upn),
        ("Date of birth", pupil.date_of_birth.strftime("%d/%m/%Y")),
        ("Sex", pupil.sex),
        ("Year group", placement.year_group if placement else ""),
        ("Address", "Not held in Rollbook: add it from the school's information system"),
        ("First day", notification.first_day.strftime("%d/%m/%Y")),
        ("Last day" if notification.sessions else "Expected last day", notification.last_day.strftime("%d/%m/%Y")),
        ("School days", str(notification.school_days)),
        ("Evidence" if notification.sessions else "Reason", notification.detail),
    ]
    if notification.sessions:
        rows.append(("Sessions", "; ".join(f"{day} AM {am or '-'} PM {pm or '-'}" for day, am, pm in notification.sessions)))
    for number, contact in enumerate(contacts, start=1):
        rows.append((f"Parent {number}", f"{contact.name} ({contact.relationship or 'relationship not recorded'})"))
        rows.append((f"Parent {number} phone", contact.phone))
        rows.append((f"Parent {number} e-mail", contact.email))
    if not contacts:
        rows.append(("Parent 1", "No contact with parental responsibility is recorded"))
    rows.append(("Prepared by", notification.prepared_by_name))
    return rows


def notification_csv(notification: LaNotification) -> str:
    """Return the notification as CSV: one header row of field names and one row of values."""
    rows = form_rows(notification)
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow([name for name, _ in rows])
    writer.writerow([_csv_safe(value) for _, value in rows])
    return output.getvalue()


def _csv_safe(value: str) -> str:
    # A value starting with =, +, - or @ would run as a formula in a spreadsheet.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value
