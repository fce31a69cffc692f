"""Finding the school and academic year that a command acts on."""

from __future__ import annotations

from rollbook.schools.models import AcademicYear, School


class SchoolNotFound(LookupError):
    """No school matches, or several do and no URN chooses one."""


def find_school(urn: str | None) -> School:
    """Return the school with URN ``urn``, or the only school when ``urn`` is None."""
    if urn is not None:
        school = School.objects.filter(urn=urn).first()
        if school is None:
            known = ", ".join(School.objects.order_by("urn").values_list("urn", flat=True)) or "none"
            raise SchoolNotFound(f"no school has URN {urn!r}; the schools in the database are: {known}")
        return school
    schools = list(School.objects.order_by("urn")[:2])
    if not schools:
        raise SchoolNotFound("the database contains no school; import a school bundle first")
    if len(schools) > 1:
        known = ", ".join(School.objects.order_by("urn").values_list("urn", flat=True))
        raise SchoolNotFound(f"the database contains several schools ({known}); choose one with --school URN")
    return schools[0]


def latest_year(school: School) -> AcademicYear:
    """Return the school's latest academic year; raise ``SchoolNotFound`` when it has none."""
    year = AcademicYear.objects.filter(school=school).order_by("-start_year").first()
    if year is None:
        raise SchoolNotFound(f"school {school.urn} has no academic year; import a school bundle first")
    return year
