"""Tests for exporting a school's year as a bundle, and for the import-export round trip."""

import csv
import datetime as dt
import re
import shutil
import tomllib

import pytest
from rollbook.bundles.exporter import ExportError, export_bundle
from rollbook.bundles.importer import import_bundle
from rollbook.schools.models import School

pytestmark = pytest.mark.django_db

AT = dt.datetime(2025, 9, 15, 16, 0, tzinfo=dt.UTC)
CSV_FILES = ("calendar.csv", "pupils.csv", "marks.csv")
BUNDLE_FILES = ("school.toml", *CSV_FILES)


def read_rows(path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.DictReader(file)
        return list(reader.fieldnames), list(reader)


def normalised(value: str) -> str:
    """Write a source value the way an export writes it: ISO dates, Y and N for flags."""
    if len(value) == 10 and value[2] == "/" and value[5] == "/":
        day, month, year = value.split("/")
        return f"{year}-{month}-{day}"
    return {"true": "Y", "false": "N"}.get(value, value)


def row_set(path, columns) -> set[tuple[str, ...]]:
    _, rows = read_rows(path)
    return {tuple(normalised(row[column]) for column in columns) for row in rows}


def export(tmp_path, name="out", **options):
    school = School.objects.get()
    folder = tmp_path / name
    result = export_bundle(school, 2025, folder, **options)
    return folder, result


def test_exporter_round_trip_same_rows(small_bundle, tmp_path):
    import_bundle(small_bundle.path, at=AT)

    folder, result = export(tmp_path)

    assert (result.pupils, result.marks, result.calendar_entries) == (7, 120, 9)
    for name in CSV_FILES:
        source_columns, _ = read_rows(small_bundle.path / name)
        assert row_set(folder / name, source_columns) == row_set(small_bundle.path / name, source_columns), name


def test_exporter_round_trip_school_toml(small_bundle, tmp_path):
    import_bundle(small_bundle.path, at=AT)

    folder, _ = export(tmp_path)

    source = tomllib.loads(small_bundle.text("school.toml"))
    exported = tomllib.loads((folder / "school.toml").read_text(encoding="utf-8"))
    assert exported == source
    assert exported["urn"] == "012345"
    assert exported["la_code"] == "080"


def test_exporter_real_names_unchanged(small_bundle, tmp_path):
    import_bundle(small_bundle.path, at=AT)

    folder, _ = export(tmp_path)

    text = (folder / "pupils.csv").read_text(encoding="utf-8")
    for name in ("O'Brien", "O\u2019Neill", "Se\u00e1n", "Zo\u00eb", "Smith-Jones", "Jos\u00e9-Mar\u00eda", "Garc\u00eda L\u00f3pez", "van der Berg", "Anna Maria"):
        assert name in text


def test_exporter_all_columns_written(small_bundle, tmp_path):
    import_bundle(small_bundle.path, at=AT)

    folder, _ = export(tmp_path)

    assert read_rows(folder / "calendar.csv")[0] == ["type", "start_date", "end_date", "label", "session", "year_groups"]
    assert read_rows(folder / "pupils.csv")[0] == [
        "upn", "surname", "forename", "date_of_birth", "sex", "year_group", "class", "admission_date",
        "leaving_date", "sen", "fsm", "pupil_premium", "looked_after", "child_in_need", "young_carer", "eal", "ethnicity",
    ]
    assert read_rows(folder / "marks.csv")[0] == ["upn", "date", "session", "code", "minutes_late", "comment"]


def test_exporter_normalises_values(small_bundle, tmp_path):
    import_bundle(small_bundle.path, at=AT)

    folder, _ = export(tmp_path)

    _, pupils = read_rows(folder / "pupils.csv")
    sean = next(row for row in pupils if row["upn"] == "Y080250000002")
    assert (sean["date_of_birth"], sean["admission_date"]) == ("2019-07-12", "2024-09-01")
    assert (sean["fsm"], sean["pupil_premium"], sean["looked_after"]) == ("Y", "N", "")
    _, marks = read_rows(folder / "marks.csv")
    assert all(re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", row["date"]) for row in marks)
    assert "M08025000009A,2025-09-12,PM,\\,,\n" in (folder / "marks.csv").read_text(encoding="utf-8")


def test_exporter_sorted(small_bundle, tmp_path):
    import_bundle(small_bundle.path, at=AT)

    folder, _ = export(tmp_path)

    _, pupils = read_rows(folder / "pupils.csv")
    _, marks = read_rows(folder / "marks.csv")
    assert [row["upn"] for row in pupils] == sorted(row["upn"] for row in pupils)
    keys = [(row["upn"], row["date"], row["session"]) for row in marks]
    assert keys == sorted(keys)


def test_exporter_leaves_out_closure_sessions_without_mark(small_bundle, tmp_path):
    import_bundle(small_bundle.path, at=AT)

    folder, _ = export(tmp_path)

    _, marks = read_rows(folder / "marks.csv")
    keys = {(row["upn"], row["date"], row["session"]) for row in marks}
    assert ("M08025000009A", "2025-09-05", "PM") not in keys
    assert ("J080250000001", "2025-09-05", "PM") in keys


def test_exporter_writes_current_mark(small_bundle, tmp_path):
    import_bundle(small_bundle.path, at=AT)
    small_bundle.replace("marks.csv", "B080250000004,2025-09-11,AM,N,,", "B080250000004,2025-09-11,AM,I,,Parent phoned")
    import_bundle(small_bundle.path, at=AT + dt.timedelta(days=1))

    folder, result = export(tmp_path)

    assert result.marks == 120
    assert "B080250000004,2025-09-11,AM,I,,Parent phoned\n" in (folder / "marks.csv").read_text(encoding="utf-8")


def test_exporter_export_import_export_identical(small_bundle, tmp_path):
    import_bundle(small_bundle.path, at=AT)
    first, _ = export(tmp_path, "first")
    # Import the export as a second school, so it starts from an empty school, and export that.
    copy = tmp_path / "copy"
    shutil.copytree(first, copy)
    school_text = (copy / "school.toml").read_text(encoding="utf-8")
    (copy / "school.toml").write_text(school_text.replace('urn = "012345"', 'urn = "012346"'), encoding="utf-8")
    import_bundle(copy, at=AT)

    second = tmp_path / "second"
    export_bundle(School.objects.get(urn="012346"), 2025, second)

    for name in CSV_FILES:
        assert (second / name).read_bytes() == (first / name).read_bytes(), name
    second_school = (second / "school.toml").read_text(encoding="utf-8")
    assert second_school.replace('urn = "012346"', 'urn = "012345"') == (first / "school.toml").read_text(encoding="utf-8")


def test_exporter_rejects_non_empty_folder(small_bundle, tmp_path):
    import_bundle(small_bundle.path, at=AT)
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")

    with pytest.raises(ExportError, match="not empty"):
        export(tmp_path)

    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_exporter_force_replaces_bundle_files(small_bundle, tmp_path):
    import_bundle(small_bundle.path, at=AT)
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    (folder / "marks.csv").write_text("old", encoding="utf-8")

    export(tmp_path, force=True)

    assert sorted(p.name for p in folder.iterdir()) == ["calendar.csv", "marks.csv", "notes.txt", "pupils.csv", "school.toml"]
    assert (folder / "marks.csv").read_text(encoding="utf-8").startswith("upn,date,session,code")
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_exporter_empty_folder_accepted(small_bundle, tmp_path):
    import_bundle(small_bundle.path, at=AT)
    (tmp_path / "out").mkdir()

    folder, _ = export(tmp_path)

    assert (folder / "school.toml").is_file()


def test_exporter_unknown_year(small_bundle, tmp_path):
    import_bundle(small_bundle.path, at=AT)

    with pytest.raises(ExportError, match="no academic year 2024; its years are: 2025"):
        export_bundle(School.objects.get(), 2024, tmp_path / "out")

    assert not (tmp_path / "out").exists()


def test_exporter_path_is_file(small_bundle, tmp_path):
    import_bundle(small_bundle.path, at=AT)
    (tmp_path / "out").write_text("x", encoding="utf-8")

    with pytest.raises(ExportError, match="is a file"):
        export(tmp_path, force=True)
