"""Tests for the pupils.csv parser."""

import datetime as dt

import pytest

from rollbook.bundles.pupils_csv import parse_pupils

HEADER = "upn,surname,forename,date_of_birth,sex,year_group,class,admission_date"
VALID_ROW = "J080250000001,O'Brien,Aoife,2021-03-14,F,R,Robins,2025-09-01"


def parse(bundle, academic_year=2025):
    warnings = []
    pupils, problems = parse_pupils(bundle.path / "pupils.csv", academic_year, warnings)
    return pupils, problems.items, warnings


def only_row(bundle, row: str, header: str = HEADER) -> None:
    bundle.write("pupils.csv", f"{header}\n{row}\n")


def test_pupils_csv_valid(small_bundle):
    pupils, problems, warnings = parse(small_bundle)

    assert problems == []
    assert warnings == []
    assert len(pupils.pupils) == 7
    assert pupils.optional_columns == frozenset(
        ["leaving_date", "sen", "fsm", "pupil_premium", "looked_after", "child_in_need", "young_carer", "eal", "ethnicity"]
    )


def test_pupils_csv_names_kept_exactly(small_bundle):
    pupils, _, _ = parse(small_bundle)

    names = {(p.surname, p.forename) for p in pupils.pupils.values()}

    assert ("O'Brien", "Aoife") in names
    assert ("O\u2019Neill", "Se\u00e1n") in names
    assert ("Smith-Jones", "Zo\u00eb") in names
    assert ("Garc\u00eda L\u00f3pez", "Jos\u00e9-Mar\u00eda") in names
    assert ("van der Berg", "Anna Maria") in names


def test_pupils_csv_day_first_dates(small_bundle):
    pupils, _, _ = parse(small_bundle)

    pupil = pupils.pupils["Y080250000002"]

    assert pupil.date_of_birth == dt.date(2019, 7, 12)
    assert pupil.admission_date == dt.date(2024, 9, 1)


def test_pupils_csv_day_first_ambiguous_date(small_bundle):
    only_row(small_bundle, "J080250000001,O'Brien,Aoife,2021-03-14,F,R,Robins,03/04/2026")

    pupils, problems, _ = parse(small_bundle)

    assert problems == []
    assert pupils.pupils["J080250000001"].admission_date == dt.date(2026, 4, 3)


def test_pupils_csv_flags_and_sen(small_bundle):
    pupils, _, _ = parse(small_bundle)

    sean = pupils.pupils["Y080250000002"]
    anna = pupils.pupils["Q080250000005"]

    assert sean.sen == "K"
    assert sean.fsm is True
    assert sean.pupil_premium is False
    assert sean.looked_after is None
    assert pupils.pupils["B080250000004"].sen == "E"
    assert anna.sen == ""
    assert anna.eal is None
    assert anna.ethnicity == ""
    assert anna.leaving_date == dt.date(2025, 9, 10)


def test_pupils_csv_temporary_upn(small_bundle):
    pupils, _, _ = parse(small_bundle)

    assert "M08025000009A" in pupils.pupils


@pytest.mark.parametrize("text", ["2025-9-1", "1/9/2025", "09/31/2025", "2025-02-29"])
def test_pupils_csv_invalid_date_line_and_column(small_bundle, text):
    line = small_bundle.replace("pupils.csv", "Robins,2025-09-03,", f"Robins,{text},")

    pupils, problems, _ = parse(small_bundle)

    assert [(p.line, p.column, p.value) for p in problems] == [(line, "admission_date", text)]
    assert "M08025000009A" not in pupils.pupils
    assert "M08025000009A" in pupils.listed_upns


def test_pupils_csv_wrong_check_letter(small_bundle):
    line = small_bundle.replace("pupils.csv", "J080250000001,", "K080250000001,")

    _, problems, _ = parse(small_bundle)

    assert [(p.line, p.column, p.value) for p in problems] == [(line, "upn", "K080250000001")]
    assert "'J'" in problems[0].message


def test_pupils_csv_upn_twice(small_bundle):
    line = small_bundle.append("pupils.csv", "J080250000001,Other,Pupil,2021-01-01,M,R,Robins,2025-09-01,,,,,,,,,")

    _, problems, _ = parse(small_bundle)

    assert [(p.line, p.column) for p in problems] == [(line, "upn")]
    assert "already on line 2" in problems[0].message


def test_pupils_csv_every_problem_reported(small_bundle):
    only_row(small_bundle, "J080250000001,,Aoife,2021-3-14,X,Y1,,2025-09-01")

    _, problems, _ = parse(small_bundle)

    assert sorted(p.column for p in problems) == ["class", "date_of_birth", "sex", "surname", "year_group"]
    assert {p.line for p in problems} == {2}


@pytest.mark.parametrize("year_group", ["N1", "N2", "R", "1", "13", "r"])
def test_pupils_csv_year_groups_accepted(small_bundle, year_group):
    only_row(small_bundle, VALID_ROW.replace(",R,", f",{year_group},"))

    pupils, problems, _ = parse(small_bundle)

    assert problems == []
    assert pupils.pupils["J080250000001"].year_group == year_group.upper()


@pytest.mark.parametrize("year_group", ["0", "14", "Y3", "Reception"])
def test_pupils_csv_year_group_invalid(small_bundle, year_group):
    only_row(small_bundle, VALID_ROW.replace(",R,", f",{year_group},"))

    _, problems, _ = parse(small_bundle)

    assert [p.column for p in problems] == ["year_group"]


@pytest.mark.parametrize(("column", "value"), [("fsm", "yes"), ("sen", "S"), ("eal", "1"), ("ethnicity", "WHITE"), ("ethnicity", "ZZZZ")])
def test_pupils_csv_optional_value_invalid(small_bundle, column, value):
    only_row(small_bundle, f"{VALID_ROW},{value}", header=f"{HEADER},{column}")

    _, problems, _ = parse(small_bundle)

    assert [(p.line, p.column, p.value) for p in problems] == [(2, column, value)]


def test_pupils_csv_name_too_long(small_bundle):
    only_row(small_bundle, VALID_ROW.replace("O'Brien", "A" * 101))

    _, problems, _ = parse(small_bundle)

    assert [p.column for p in problems] == ["surname"]
    assert "100 or fewer" in problems[0].message


def test_pupils_csv_birth_not_before_admission(small_bundle):
    only_row(small_bundle, VALID_ROW.replace("2021-03-14", "2025-09-01"))

    _, problems, _ = parse(small_bundle)

    assert [p.column for p in problems] == ["date_of_birth"]


def test_pupils_csv_leaving_before_admission(small_bundle):
    only_row(small_bundle, f"{VALID_ROW},2025-08-31", header=f"{HEADER},leaving_date")

    _, problems, _ = parse(small_bundle)

    assert "before the admission date" in " ".join(p.message for p in problems)


@pytest.mark.parametrize(
    ("admission", "leaving", "valid"),
    [
        ("2026-08-31", "", True),
        ("2026-09-01", "", False),
        ("2020-09-01", "2025-09-01", True),
        ("2020-09-01", "2025-08-31", False),
    ],
)
def test_pupils_csv_on_roll_in_year(small_bundle, admission, leaving, valid):
    row = VALID_ROW.replace("2021-03-14", "2015-01-01").replace("2025-09-01", admission)
    only_row(small_bundle, f"{row},{leaving}", header=f"{HEADER},leaving_date")

    _, problems, _ = parse(small_bundle)

    assert (problems == []) is valid
    if not valid:
        assert "leave the pupil out" in problems[0].message


def test_pupils_csv_absent_optional_columns(small_bundle):
    only_row(small_bundle, VALID_ROW)

    pupils, problems, _ = parse(small_bundle)

    assert problems == []
    assert pupils.optional_columns == frozenset()
    assert pupils.pupils["J080250000001"].fsm is None


def test_pupils_csv_unknown_column_warning(small_bundle):
    only_row(small_bundle, f"{VALID_ROW},07700 900123", header=f"{HEADER},parent_phone")

    pupils, problems, warnings = parse(small_bundle)

    assert problems == []
    assert len(warnings) == 1
    assert "'parent_phone'" in warnings[0]
    assert len(pupils.pupils) == 1
