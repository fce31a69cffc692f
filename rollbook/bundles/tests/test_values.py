"""Tests for reading CSV files and cell values."""

import datetime as dt

import pytest

from rollbook.bundles.problems import ProblemList
from rollbook.bundles.values import parse_date, parse_flag, parse_minutes, parse_sen, read_csv

REQUIRED = ("upn", "date")
OPTIONAL = ("comment",)


def read(tmp_path, content: bytes):
    path = tmp_path / "marks.csv"
    path.write_bytes(content)
    problems, warnings = ProblemList("marks.csv"), []
    table = read_csv(path, REQUIRED, OPTIONAL, problems, warnings)
    return table, problems, warnings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-09-01", dt.date(2025, 9, 1)),
        ("01/09/2025", dt.date(2025, 9, 1)),
        ("03/04/2026", dt.date(2026, 4, 3)),
        ("29/02/2028", dt.date(2028, 2, 29)),
        ("31/12/2025", dt.date(2025, 12, 31)),
    ],
)
def test_parse_date_accepted_forms(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["2025-9-1", "1/9/2025", "2025/09/01", "01-09-2025", "1 September 2025", "", " 2025-09-01", "20250901", "01/09/25"],
)
def test_parse_date_other_forms_rejected(text):
    with pytest.raises(ValueError, match="YYYY-MM-DD") as error:
        parse_date(text)
    assert repr(text) in str(error.value)


@pytest.mark.parametrize("text", ["09/31/2025", "12/25/2025", "29/02/2027", "2025-02-30", "00/01/2025", "2025-13-01"])
def test_parse_date_impossible_rejected(text):
    with pytest.raises(ValueError, match="not a real date") as error:
        parse_date(text)
    assert "never read month first" in str(error.value)


def test_parse_date_month_first_not_guessed():
    # 09/31/2025 would be 31 September read month first, and that does not exist either;
    # 12/25/2025 would be Christmas Day, but a day-first reading gives month 25.
    with pytest.raises(ValueError):
        parse_date("12/25/2025")
    assert parse_date("12/05/2025") == dt.date(2025, 5, 12)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Y", True), ("y", True), ("true", True), ("TRUE", True), ("N", False), ("false", False), ("False", False), ("", None)],
)
def test_parse_flag_values(text, expected):
    assert parse_flag(text) is expected


@pytest.mark.parametrize("text", ["yes", "no", "1", "0", "K", "x"])
def test_parse_flag_invalid(text):
    with pytest.raises(ValueError, match="Y or N"):
        parse_flag(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("K", "K"), ("e", "E"), ("Y", "Y"), ("true", "Y"), ("N", "N"), ("false", "N"), ("", "")],
)
def test_parse_sen_values(text, expected):
    assert parse_sen(text) == expected


@pytest.mark.parametrize("text", ["S", "EHC", "yes"])
def test_parse_sen_invalid(text):
    with pytest.raises(ValueError, match="K \\(SEN support\\)"):
        parse_sen(text)


@pytest.mark.parametrize(("text", "expected"), [("0", 0), ("5", 5), ("120", 120), ("", None)])
def test_parse_minutes_values(text, expected):
    assert parse_minutes(text) == expected


@pytest.mark.parametrize("text", ["-1", "2.5", "5 min", "five", "+3"])
def test_parse_minutes_invalid(text):
    with pytest.raises(ValueError, match="whole number"):
        parse_minutes(text)


def test_read_csv_rows_and_lines(tmp_path):
    table, problems, warnings = read(tmp_path, b"upn,date\nA,2025-09-01\n\nB,2025-09-02\n")

    assert len(problems) == 0
    assert warnings == []
    assert table.columns == {"upn": 0, "date": 1}
    assert [(row.line, row.cells) for row in table.rows] == [(2, ("A", "2025-09-01")), (4, ("B", "2025-09-02"))]


def test_read_csv_byte_order_mark(tmp_path):
    table, problems, _ = read(tmp_path, "\ufeffupn,date\nA,2025-09-01\n".encode())

    assert len(problems) == 0
    assert "upn" in table.columns


def test_read_csv_crlf(tmp_path):
    table, problems, _ = read(tmp_path, b"upn,date\r\nA,2025-09-01\r\nB,2025-09-02\r\n")

    assert len(problems) == 0
    assert [row.cells for row in table.rows] == [("A", "2025-09-01"), ("B", "2025-09-02")]


def test_read_csv_quoted_newline_keeps_line_numbers(tmp_path):
    content = b'upn,date,comment\nA,2025-09-01,"two\nlines"\nB,2025-09-02,x\n'
    table, problems, _ = read(tmp_path, content)

    assert len(problems) == 0
    assert [row.line for row in table.rows] == [2, 4]
    assert table.rows[0].cells[2] == "two\nlines"


def test_read_csv_strips_outer_spaces(tmp_path):
    table, _, _ = read(tmp_path, b" upn , date \n A , 2025-09-01 \n")

    assert table.columns == {"upn": 0, "date": 1}
    assert table.rows[0].cells == ("A", "2025-09-01")


def test_read_csv_skips_empty_rows(tmp_path):
    table, problems, _ = read(tmp_path, b"upn,date\n,\nA,2025-09-01\n , \n")

    assert len(problems) == 0
    assert [row.line for row in table.rows] == [3]


def test_read_csv_cell_count_mismatch(tmp_path):
    table, problems, _ = read(tmp_path, b"upn,date\nA,2025-09-01,extra\nB\nC,2025-09-03\n")

    assert [p.line for p in problems.items] == [2, 3]
    assert "3 cells but the header has 2" in problems.items[0].message
    assert [row.line for row in table.rows] == [4]


def test_read_csv_unknown_columns_one_warning(tmp_path):
    table, problems, warnings = read(tmp_path, b"upn,date,teacher,room\nA,2025-09-01,X,1\nB,2025-09-02,Y,2\n")

    assert len(problems) == 0
    assert len(warnings) == 1
    assert "'teacher'" in warnings[0]
    assert "'room'" in warnings[0]
    assert warnings[0].startswith("marks.csv")
    assert len(table.rows) == 2


def test_read_csv_missing_required_column(tmp_path):
    table, problems, _ = read(tmp_path, b"upn,comment\nA,x\n")

    assert table is None
    assert problems.items[0].line == 1
    assert "date" in problems.items[0].message


def test_read_csv_duplicate_column(tmp_path):
    table, problems, _ = read(tmp_path, b"upn,date,upn\nA,2025-09-01,B\n")

    assert table is None
    assert problems.items[0].column == "upn"
    assert "twice" in problems.items[0].message


def test_read_csv_not_utf8_names_line(tmp_path):
    table, problems, _ = read(tmp_path, b"upn,date\nA,2025-09-01\nO\xb4Neill,2025-09-02\n")

    assert table is None
    assert problems.items[0].line == 3
    assert "0xb4" in problems.items[0].message
    assert "UTF-8" in problems.items[0].message


def test_read_csv_empty_file(tmp_path):
    table, problems, _ = read(tmp_path, b"")

    assert table is None
    assert "header row" in problems.items[0].message


def test_read_csv_missing_file(tmp_path):
    problems = ProblemList("marks.csv")

    table = read_csv(tmp_path / "marks.csv", REQUIRED, OPTIONAL, problems, [])

    assert table is None
    assert "missing" in problems.items[0].message
