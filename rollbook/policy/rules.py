"""The attendance policy's rules, judged for every pupil on one school day.

``evaluate_rules`` judges the last school day on or before a date. It lists, per pupil, the
rules met that day, with the day each was first met and one sentence of evidence. Each rule is
a small function in ``rules_status`` (rules that are met or not on a day) or ``rules_events``
(rules met once that stay met for the rest of the year). Thresholds and codes come from the
policy of the marks. Reports read marks as stored and never change them.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import dataclass

from . import rules_events, rules_status
from .marks import YearMarks
from .rules_base import Finding, JudgedYear


class Rule(enum.StrEnum):
    PERSISTENT_ABSENCE = "persistent-absence"
    SEVERE_ABSENCE = "severe-absence"
    TRIGGER_STAGE_1 = "trigger-stage-1"
    N_CODE_OVERDUE = "n-code-overdue"
    LA_ALERT_UNAUTHORISED_BLOCK = "la-alert-unauthorised-block"
    LA_ALERT_MEDICAL_BLOCK = "la-alert-medical-block"
    REMOVAL_REVIEW = "removal-review"
    PENALTY_THRESHOLD = "penalty-threshold"


@dataclass(frozen=True)
class RuleMet:
    """A rule met by a pupil, since a school day, with one plain-English sentence of evidence."""

    upn: str
    rule: Rule
    since: dt.date
    detail: str


RULE_CHECKS: dict[Rule, Callable[[JudgedYear], list[Finding]]] = {
    Rule.PERSISTENT_ABSENCE: rules_status.persistent_absence,
    Rule.SEVERE_ABSENCE: rules_status.severe_absence,
    Rule.TRIGGER_STAGE_1: rules_status.trigger_stage_1,
    Rule.N_CODE_OVERDUE: rules_status.n_code_overdue,
    Rule.LA_ALERT_UNAUTHORISED_BLOCK: rules_events.la_alert_unauthorised_block,
    Rule.LA_ALERT_MEDICAL_BLOCK: rules_events.la_alert_medical_block,
    Rule.REMOVAL_REVIEW: rules_events.removal_review,
    Rule.PENALTY_THRESHOLD: rules_events.penalty_threshold,
}


def evaluate_rules(
    marks: YearMarks,
    as_of: dt.date,
    *,
    previous: YearMarks | None = None,
    actions_recorded: frozenset[tuple[str, Rule]] = frozenset(),
) -> list[RuleMet]:
    """Return the rules met by each pupil as of the end of ``as_of``, sorted by UPN then rule.

    The last school day of the marks' academic year on or before ``as_of`` is judged; before
    the year's first school day the list is empty. ``previous`` is the same pupils' previous
    academic year (rows matched by UPN), read only when the policy's penalty windows cross
    years. A pair in ``actions_recorded`` (such as a stage-1 letter sent for
    trigger-stage-1) leaves that rule out for that pupil.
    """
    year = JudgedYear.of(marks, as_of, previous)
    if year is None:
        return []

    met = [
        RuleMet(upn=marks.upns[finding.pupil], rule=rule, since=finding.since, detail=finding.detail)
        for rule, check in RULE_CHECKS.items()
        for finding in check(year)
        if (marks.upns[finding.pupil], rule) not in actions_recorded
    ]
    return sorted(met, key=lambda rule_met: (rule_met.upn, rule_met.rule.value))
