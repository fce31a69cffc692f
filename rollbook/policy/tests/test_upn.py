"""Tests for UPN validation. The valid UPNs below were worked out by hand from the rule."""

import pytest

from rollbook.policy.upn import CHECK_ALPHABET, check_letter, upn_problem

# Each UPN with the weighted sum that gives its check letter (sum mod 23, index in the alphabet).
VALID_UPNS = [
    ("A000000000000", "sum 0 gives A"),
    ("C100000000000", "1 x 2 = 2 gives C"),
    ("P000000000001", "1 x 13 = 13 gives P"),
    ("H801200001001", "16 + 4 + 10 + 10 + 13 = 53, 53 mod 23 = 7 gives H"),
    ("F999999999999", "9 x 90 = 810, 810 mod 23 = 5 gives F"),
    ("P00000000000B", "temporary: B is 1, 1 x 13 = 13 gives P"),
    ("L00000000000Z", "temporary: Z is 22, 22 x 13 = 286, 286 mod 23 = 10 gives L"),
    ("A00000000000A", "temporary: A is 0, sum 0 gives A"),
]


@pytest.mark.parametrize(("upn", "working"), VALID_UPNS)
def test_upn_problem_valid(upn, working):
    assert upn_problem(upn) is None, working


@pytest.mark.parametrize(("upn", "working"), VALID_UPNS)
def test_check_letter_matches_hand_working(upn, working):
    assert check_letter(upn[1:]) == upn[0], working


def test_check_letter_alphabet_skips_confusable_letters():
    assert len(CHECK_ALPHABET) == 23
    for letter in "IOS":
        assert letter not in CHECK_ALPHABET


def test_upn_problem_wrong_check_letter_names_expected():
    problem = upn_problem("B801200001001")

    assert problem is not None
    assert "'B'" in problem
    assert "'H'" in problem


def test_upn_problem_every_other_check_letter_rejected():
    for letter in CHECK_ALPHABET.replace("H", ""):
        assert upn_problem(f"{letter}801200001001") is not None, letter


@pytest.mark.parametrize("upn", ["H80120000100", "H8012000010011", ""])
def test_upn_problem_length(upn):
    problem = upn_problem(upn)

    assert problem is not None
    assert "13 characters" in problem
    assert f"has {len(upn)}" in problem


def test_upn_problem_lowercase_check_letter():
    problem = upn_problem("h801200001001")

    assert problem is not None
    assert "capitals" in problem


@pytest.mark.parametrize("first", ["I", "O", "S", "1", "-"])
def test_upn_problem_first_not_check_letter(first):
    problem = upn_problem(f"{first}801200001001")

    assert problem is not None
    assert "character 1" in problem


@pytest.mark.parametrize("middle", ["8012O0001001", "80120000 001", "8012000010x1"])
def test_upn_problem_middle_not_digits(middle):
    problem = upn_problem(f"H{middle}")

    assert problem is not None
    assert "characters 2 to 12" in problem


def test_upn_problem_middle_non_ascii_digit():
    # The Arabic-Indic digit one passes str.isdigit(), but a UPN allows ASCII digits only.
    problem = upn_problem("H8012000\u06610001")

    assert problem is not None
    assert "characters 2 to 12" in problem


@pytest.mark.parametrize("last", ["I", "O", "S", "-", "b"])
def test_upn_problem_last_not_digit_or_letter(last):
    problem = upn_problem(f"A00000000000{last}")

    assert problem is not None
    assert "character 13" in problem


def test_upn_problem_last_lowercase_hint():
    problem = upn_problem("P00000000000b")

    assert problem is not None
    assert "capitals" in problem


@pytest.mark.parametrize("body", ["00000000000", "0000000000000", "0000000000A0", "00000000000I"])
def test_check_letter_invalid_body(body):
    with pytest.raises(ValueError):
        check_letter(body)
