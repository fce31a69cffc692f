from rollbook.policy.incidents import (
    FOLLOW_UPS,
    IncidentFacts,
    IncidentKind,
    follow_up_status,
    outstanding,
)


def codes(follow_ups) -> list[str]:
    return [item.code for item in follow_ups]


def test_missing_child_start_needs_search_not_police():
    statuses = follow_up_status(IncidentKind.MISSING_CHILD, IncidentFacts(), frozenset())

    due = codes(outstanding(statuses))
    assert "head-informed" in due
    assert "search-grounds" in due
    assert "parents-notified" not in due
    assert "police-called" not in due
    assert "pupil-cared-for" not in due


def test_missing_child_not_found_calls_parents_then_police():
    not_found = follow_up_status(IncidentKind.MISSING_CHILD, IncidentFacts(not_found_after_search=True), frozenset())
    exhausted = follow_up_status(
        IncidentKind.MISSING_CHILD, IncidentFacts(not_found_after_search=True, contacts_exhausted=True), frozenset()
    )

    assert "parents-notified" in codes(outstanding(not_found))
    assert "emergency-contacts" in codes(outstanding(not_found))
    assert "police-called" not in codes(outstanding(not_found))
    assert "police-called" in codes(outstanding(exhausted))


def test_missing_child_extra_needs_and_found():
    statuses = follow_up_status(IncidentKind.MISSING_CHILD, IncidentFacts(extra_needs=True, found=True), frozenset())

    due = codes(outstanding(statuses))
    assert "extra-needs-informed" in due
    assert "pupil-cared-for" in due
    assert "found-informed" in due


def test_done_follow_ups_leave_outstanding():
    every_code = frozenset(codes(FOLLOW_UPS[IncidentKind.MISSING_CHILD]))
    statuses = follow_up_status(IncidentKind.MISSING_CHILD, IncidentFacts(found=True), every_code - {"investigation"})

    assert codes(outstanding(statuses)) == ["investigation"]
    assert all(status.done for status in statuses if status.follow_up.code != "investigation")


def test_truancy_repeat_and_safeguarding():
    first = follow_up_status(IncidentKind.TRUANCY, IncidentFacts(), frozenset())
    repeat = follow_up_status(IncidentKind.TRUANCY, IncidentFacts(repeat_truancy=True, safeguarding=True), frozenset())

    assert codes(outstanding(first)) == ["head-informed", "parent-contacted", "parent-told-action"]
    assert "penalty-considered" in codes(outstanding(repeat))
    assert "dsl-involved" in codes(outstanding(repeat))


def test_follow_up_codes_unique_per_kind():
    for follow_ups in FOLLOW_UPS.values():
        assert len(set(codes(follow_ups))) == len(follow_ups)
