"""The rules each pupil would meet under the school's policy and under another one, side by side.

Both sides come from ``rollbook.reports.services.actions_due``, the service behind
``rollbook report actions --policy``, so the screen and the command agree. Nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass

from rollbook.policy.calendar import academic_year_of
from rollbook.policy.rules import Rule
from rollbook.policy.settings import Policy, PolicyError, parse_policy
from rollbook.reports.services import ActionDue, actions_due
from rollbook.schools.models import AcademicYear, Pupil, School

# Draft policies are short TOML files; anything far larger is not one.
MAX_DRAFT_BYTES = 64 * 1024


def parse_draft(text: str) -> Policy:
    """Validate a draft policy written as TOML, raising ``PolicyError`` naming the invalid key."""
    if len(text.encode("utf-8")) > MAX_DRAFT_BYTES:
        raise PolicyError(f"the draft policy is larger than {MAX_DRAFT_BYTES // 1024} KiB; paste only the policy file")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(f"draft policy: not valid TOML ({error})") from None
    return parse_policy(data, "draft policy")


@dataclass(frozen=True)
class RuleCell:
    """Whether a pupil meets one rule under one policy, and the evidence when they do."""

    since: dt.date | None
    detail: str

    @property
    def met(self) -> bool:
        return self.since is not None


NOT_MET = RuleCell(None, "")


@dataclass(frozen=True)
class PupilRuleRow:
    """One pupil and one rule met under at least one of the two policies."""

    pupil: Pupil
    rule: Rule
    current: RuleCell
    other: RuleCell

    @property
    def changed(self) -> bool:
        return self.current.met != self.other.met


@dataclass(frozen=True)
class RuleCount:
    """How many pupils meet one rule under each policy."""

    rule: Rule
    current: int
    other: int
    only_current: int
    only_other: int


@dataclass(frozen=True)
class PolicyComparison:
    school: School
    as_of: dt.date
    current_policy: Policy
    other_policy: Policy
    rows: list[PupilRuleRow]

    def counts(self) -> list[RuleCount]:
        """Return, for every rule, the pupils meeting it under each policy, in ``Rule`` order."""
        result = []
        for rule in Rule:
            rows = [row for row in self.rows if row.rule is rule]
            result.append(
                RuleCount(
                    rule=rule,
                    current=sum(row.current.met for row in rows),
                    other=sum(row.other.met for row in rows),
                    only_current=sum(row.current.met and not row.other.met for row in rows),
                    only_other=sum(row.other.met and not row.current.met for row in rows),
                )
            )
        return result


def _cells(due: list[ActionDue]) -> dict[tuple[int, Rule], tuple[Pupil, RuleCell]]:
    return {(action.pupil.pk, action.rule): (action.pupil, RuleCell(action.since, action.detail)) for action in due}


def compare_policies(school: School, as_of: dt.date, other: Policy) -> PolicyComparison | None:
    """Judge the school's marks as of ``as_of`` under its own policy and under ``other``.

    Rows are pupils and rules met under either policy, by UPN then rule. Returns None when the
    school has no academic year containing ``as_of``.
    """
    year = AcademicYear.objects.filter(school=school, start_year=academic_year_of(as_of)).first()
    if year is None:
        return None

    current = _cells(actions_due(school, as_of))
    alternative = _cells(actions_due(school, as_of, other))
    rows = []
    for key in sorted(set(current) | set(alternative), key=lambda k: ((current.get(k) or alternative[k])[0].upn, k[1].value)):
        pupil = (current.get(key) or alternative[key])[0]
        rows.append(
            PupilRuleRow(
                pupil=pupil,
                rule=key[1],
                current=current[key][1] if key in current else NOT_MET,
                other=alternative[key][1] if key in alternative else NOT_MET,
            )
        )
    return PolicyComparison(school=school, as_of=as_of, current_policy=year.policy(), other_policy=other, rows=rows)
