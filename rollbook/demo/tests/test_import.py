"""The demo bundle through the real importer and the real reports."""

import datetime as dt

import pytest

from rollbook.bundles.importer import import_bundle
from rollbook.demo.generator import class_names, generate_bundle
from rollbook.policy.rules import Rule
from rollbook.reports.services import actions_due, pupil_figures
from rollbook.schools.models import AcademicYear, CalendarEntry, Placement, Pupil, School

# The autumn term keeps the import quick and still holds every absence scenario.
END_OF_AUTUMN = dt.date(2025, 12, 19)


@pytest.mark.django_db
def test_demo_bundle_imports_and_reports(tmp_path):
    bundle = generate_bundle(tmp_path / "demo", marks_until=END_OF_AUTUMN)
    result = import_bundle(bundle.folder)

    assert result.warnings == ()
    assert result.marks == bundle.mark_rows
    assert result.revisions_added == bundle.mark_rows
    school = School.objects.get(urn=bundle.urn)
    year = AcademicYear.objects.get(school=school, start_year=2025)
    assert Pupil.objects.filter(school=school).count() == 300
    assert CalendarEntry.objects.filter(academic_year=year, kind=CalendarEntry.Kind.CLOSURE).count() == 6
    classes = set(Placement.objects.filter(academic_year=year).values_list("class_name", flat=True))
    assert classes == set(class_names())

    figures = {f.upn: f for f in pupil_figures(school, dt.date(2025, 9, 1), END_OF_AUTUMN)}
    assert sum(f.missing_sessions for f in figures.values()) == 0
    for upn in bundle.scenarios.persistent_absence:
        assert figures[upn].persistent_absence, upn
    for upn in bundle.scenarios.severe_absence:
        assert figures[upn].severe_absence, upn

    met = {(action.upn, action.rule) for action in actions_due(school, END_OF_AUTUMN)}
    assert (bundle.scenarios.unauthorised_block, Rule.LA_ALERT_UNAUTHORISED_BLOCK) in met
    assert (bundle.scenarios.medical_block, Rule.LA_ALERT_MEDICAL_BLOCK) in met
    assert (bundle.scenarios.unresolved_n, Rule.N_CODE_OVERDUE) in met


@pytest.mark.django_db
def test_demo_bundle_imports_twice_unchanged(tmp_path):
    bundle = generate_bundle(tmp_path / "demo", marks_until=dt.date(2025, 9, 19))
    import_bundle(bundle.folder)
    again = import_bundle(bundle.folder)
    assert again.revisions_added == 0
    assert again.pupils_created == 0
