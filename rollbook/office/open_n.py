"""Open N marks: the daily list for senior leaders and the attendance officer, and the N follow-up.

An open N is a session whose current mark is N ("no reason yet provided"). Each is overdue once
the policy's number of school days after its session's day have ended. What happens then is the
school's policy: ``amend_to_o`` changes it to O by a system amendment that names the rule, and
``list_only`` lists it and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction

from rollbook.mail.outbox import queue_email
from rollbook.policy.calendar import Session, academic_year_of, academic_year_start
from rollbook.policy.follow_up import UNAUTHORISED_CODE, amends_to_o, follow_up_reason, overdue_cutoff, school_days_open
from rollbook.policy.settings import Policy
from rollbook.registers.models import MarkRevision, RevisionSource
from rollbook.registers.services import (
    Actor,
    MarkEntry,
    MarksConflict,
    MarksRejected,
    YearContext,
    current_marks,
    record_marks,
)
from rollbook.registers.taking import NO_REASON_CODE
from rollbook.schools.models import AcademicYear, Membership, Placement, Pupil, School, StaffRole

logger = logging.getLogger(__name__)

FOLLOW_UP_ACTOR = Actor(name="system", role="N follow-up rule")
# The roles the daily open-N report is e-mailed to.
REPORT_ROLES = (StaffRole.SENIOR_LEADER, StaffRole.ATTENDANCE_LEAD)


@dataclass(frozen=True)
class OpenN:
    """One session whose current mark is N, with how long it has been open at the end of ``as_of``."""

    pupil: Pupil
    class_name: str
    revision_id: int
    date: dt.date
    session: Session
    school_days_open: int
    overdue: bool


@dataclass(frozen=True)
class OpenNReport:
    """Every open N of a school at the end of a day, oldest first, under the policy in force that day."""

    school: School
    as_of: dt.date
    policy: Policy
    rows: list[OpenN]

    @property
    def overdue(self) -> list[OpenN]:
        return [row for row in self.rows if row.overdue]

    @property
    def amends_to_o(self) -> bool:
        return amends_to_o(self.policy.n_follow_up)


def school_days_through(school: School, day: dt.date) -> list[dt.date]:
    """Return the school days of the previous and the current academic year of ``day``, in order."""
    years = AcademicYear.objects.filter(
        school=school, start_year__in=[academic_year_of(day) - 1, academic_year_of(day)]
    ).order_by("start_year")
    days: list[dt.date] = []
    for year in years:
        days.extend(year.calendar().school_days)
    return days


def _open_n_revisions(school: School, start: dt.date, end: dt.date, pupil_ids=None) -> list[MarkRevision]:
    """Return the current N revisions of sessions between two dates (inclusive), oldest first."""
    candidates = MarkRevision.objects.filter(school=school, code=NO_REASON_CODE, date__gte=start, date__lte=end)
    if pupil_ids is not None:
        candidates = candidates.filter(pupil_id__in=list(pupil_ids))
    candidates = list(candidates)
    if not candidates:
        return []
    # A later revision may have replaced the N: keep only those still current.
    current = current_marks({revision.pupil_id for revision in candidates}, min(r.date for r in candidates), end)
    still_open = [
        revision for revision in candidates
        if (mark := current.get((revision.pupil_id, revision.date, revision.session))) and mark.revision_id == revision.pk
    ]
    return sorted(still_open, key=lambda r: (r.date, Session(r.session).offset, r.pupil_id))


def open_n_report(school: School, as_of: dt.date, pupil_ids=None) -> OpenNReport | None:
    """Return the open N marks of sessions up to ``as_of`` (inclusive), or None without an academic year.

    Looks back to the start of the previous academic year, so an N left over the summer is
    still listed. ``pupil_ids`` limits the rows to pupils the viewer may see.
    """
    year = AcademicYear.objects.filter(school=school, start_year=academic_year_of(as_of)).first()
    if year is None:
        return None
    policy = year.policy()
    limit = policy.n_follow_up.school_days
    days = school_days_through(school, as_of)
    cutoff = overdue_cutoff(days, as_of, limit)
    start = academic_year_start(academic_year_of(as_of) - 1)

    revisions = _open_n_revisions(school, start, as_of, pupil_ids)
    pupils = Pupil.objects.in_bulk({revision.pupil_id for revision in revisions})
    classes = _latest_classes(as_of, list(pupils))
    rows = [
        OpenN(
            pupil=pupils[revision.pupil_id],
            class_name=classes.get(revision.pupil_id, ""),
            revision_id=revision.pk,
            date=revision.date,
            session=Session(revision.session),
            school_days_open=school_days_open(days, revision.date, as_of),
            overdue=cutoff is not None and revision.date <= cutoff,
        )
        for revision in revisions
    ]
    return OpenNReport(school=school, as_of=as_of, policy=policy, rows=rows)


def _latest_classes(as_of: dt.date, pupil_ids: list[int]) -> dict[int, str]:
    placements = Placement.objects.filter(pupil_id__in=pupil_ids, start_date__lte=as_of).order_by("start_date")
    return {placement.pupil_id: placement.class_name for placement in placements}


def follow_up_overdue_n(school: School, day: dt.date, at: dt.datetime) -> str:
    """Apply the policy to every N overdue at the end of ``day``, and return a one-line summary.

    Under ``amend_to_o`` each overdue N becomes O by a system amendment recorded at ``at``, whose
    reason names the rule. An N someone has replaced is no longer current, so it is left alone.
    When someone replaces one while this runs, ``record_marks`` raises ``MarksConflict`` and the
    marks are read again. Under ``list_only`` nothing changes.
    """
    report = open_n_report(school, day)
    if report is None:
        return "no academic year contains this day"
    if not report.amends_to_o:
        return f"policy lists overdue N marks only: {len(report.overdue)} overdue, none changed"

    attempts = 3
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                changed = _amend_overdue_to_o(school, report, at)
            break
        except MarksConflict:
            if attempt == attempts:
                raise
            logger.info("N follow-up for school %s on %s: marks changed while amending, reading again (%s)", school.pk, day, attempt)
            report = open_n_report(school, day)
    logger.info("N follow-up for school %s on %s: %s N marks amended to O", school.pk, day, changed)
    return f"{changed} overdue N marks amended to O"


def _amend_overdue_to_o(school: School, report: OpenNReport, at: dt.datetime) -> int:
    by_year: dict[int, list[OpenN]] = defaultdict(list)
    for row in report.overdue:
        by_year[academic_year_of(row.date)].append(row)
    # The policy in force on the day judged decides, whichever year the N is in.
    reason = follow_up_reason(report.policy.n_follow_up)
    changed = 0
    for start_year, rows in sorted(by_year.items()):
        year = AcademicYear.objects.get(school=school, start_year=start_year)
        context = YearContext.load(year)
        pupils = Pupil.objects.filter(pk__in={row.pupil.pk for row in rows}).prefetch_related("enrolments", "placements")
        by_id = {pupil.pk: pupil for pupil in pupils}
        entries = [MarkEntry(by_id[row.pupil.pk], row.date, row.session, UNAUTHORISED_CODE) for row in rows]
        loaded = {entry.key: row.revision_id for entry, row in zip(entries, rows)}
        try:
            changed += record_marks(context, entries, FOLLOW_UP_ACTOR, at, RevisionSource.SYSTEM, reason=reason, loaded=loaded)
        except MarksRejected as error:
            # An N that no longer fits (the pupil's time on roll or the calendar changed since)
            # cannot become O either; the others still should, and the rejected ones stay listed.
            rejected = {problem.entry.key for problem in error.problems}
            for pupil_id, day, session in sorted(rejected):
                # The checks' messages carry the UPN, so only ids are logged.
                logger.warning(
                    "N follow-up for school %s: N of pupil %s on %s %s no longer fits the marks checks and stays",
                    school.pk, pupil_id, day, session,
                )
            entries = [entry for entry in entries if entry.key not in rejected]
            changed += record_marks(context, entries, FOLLOW_UP_ACTOR, at, RevisionSource.SYSTEM, reason=reason, loaded=loaded)
    return changed


def report_recipients(school: School) -> list[str]:
    """Return the e-mail addresses of the school's senior leaders and attendance leads, sorted, without repeats."""
    addresses = Membership.objects.filter(school=school, role__in=REPORT_ROLES).exclude(user__email="").values_list(
        "user__email", flat=True
    )
    return sorted({address.strip().lower() for address in addresses if address and address.strip()})


def report_text(report: OpenNReport) -> str:
    """Return the open-N report as plain text for e-mail: one line per open N, oldest first."""
    limit = report.policy.n_follow_up.school_days
    lines = [
        f"Open N marks (no reason yet provided) at {report.school.name} at the end of {report.as_of:%A %-d %B %Y}.",
        "",
    ]
    if not report.rows:
        lines.append("There are no open N marks.")
    for row in report.rows:
        flag = "  OVERDUE" if row.overdue else ""
        lines.append(
            f"{row.date:%a %d/%m/%Y} {row.session.value}  {row.pupil.surname}, {row.pupil.forename}  "
            f"({row.class_name or 'no class'})  {row.school_days_open} school days open{flag}"
        )
    lines.append("")
    if report.amends_to_o:
        lines.append(
            f"The school's policy changes an N still open at the end of the {limit}th school day after its "
            "session to O (unauthorised) overnight."
        )
    else:
        lines.append(
            f"The school's policy lists an N open for more than {limit} school days as overdue; "
            "nothing changes by itself, so please find the reason and amend the mark."
        )
    return "\n".join(lines) + "\n"


def send_open_n_report(school: School, day: dt.date, at: dt.datetime) -> str:
    """Queue the day's open-N report to the senior leaders and attendance leads, and return a summary."""
    report = open_n_report(school, day)
    if report is None:
        return "no academic year contains this day"
    recipients = report_recipients(school)
    if not recipients:
        logger.warning("open-N report for school %s on %s: no senior leader or attendance lead has an e-mail address", school.pk, day)
        return f"{len(report.rows)} open N marks; not sent: no senior leader or attendance lead has an e-mail address"
    subject = f"Open N marks on {day:%-d %B %Y}: {len(report.rows)} ({len(report.overdue)} overdue)"
    email = queue_email(school, recipients, subject, report_text(report), reference=f"open-n-report:{school.pk}:{day}")
    return f"{len(report.rows)} open N marks, {len(report.overdue)} overdue; e-mail {email.pk} to {len(recipients)} recipients"
