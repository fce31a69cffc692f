"""Unique Pupil Numbers (UPNs): the 13-character number that identifies a pupil in England.

Character 1 is a check letter. Characters 2 to 12 are digits. Character 13 is a digit in a
permanent UPN, or a letter of the check alphabet in a temporary one. The check letter is the
letter at position (sum of character k times k, for k = 2 to 13) mod 23 in ``CHECK_ALPHABET``,
where a letter in position 13 counts as its zero-based index in that same alphabet.
"""

from __future__ import annotations

# The check alphabet: the 26 capitals without I, O and S.
CHECK_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"
UPN_LENGTH = 13


def check_letter(body: str) -> str:
    """Return the check letter for a UPN's characters 2 to 13 (12 characters).

    Raises ``ValueError`` when ``body`` is not 11 digits followed by a digit or a letter of
    ``CHECK_ALPHABET``.
    """
    if len(body) != UPN_LENGTH - 1:
        raise ValueError(f"a UPN without its check letter has 12 characters, not {len(body)}: {body!r}")
    if not body[:-1].isascii() or not body[:-1].isdigit():
        raise ValueError(f"characters 2 to 12 of a UPN must be digits: {body!r}")
    last = body[-1]
    if last.isascii() and last.isdigit():
        last_value = int(last)
    elif last in CHECK_ALPHABET:
        last_value = CHECK_ALPHABET.index(last)
    else:
        raise ValueError(
            f"character 13 of a UPN must be a digit or one of the capitals {CHECK_ALPHABET}: {body!r}"
        )

    total = sum(int(char) * weight for weight, char in enumerate(body[:-1], start=2))
    total += last_value * UPN_LENGTH
    return CHECK_ALPHABET[total % len(CHECK_ALPHABET)]


def upn_problem(value: str) -> str | None:
    """Return why ``value`` is not a valid UPN, or None when it is valid.

    The message names the first fault found and how to fix it; for a wrong check letter it
    names the expected letter.
    """
    if len(value) != UPN_LENGTH:
        return f"a UPN has {UPN_LENGTH} characters, but {value!r} has {len(value)}"
    first, digits, last = value[0], value[1:12], value[12]
    if first not in CHECK_ALPHABET:
        hint = " (write letters in capitals)" if first.upper() in CHECK_ALPHABET else ""
        return (
            f"character 1 of UPN {value!r} must be a check letter, one of {CHECK_ALPHABET}; "
            f"it is {first!r}{hint}"
        )
    if not digits.isascii() or not digits.isdigit():
        return f"characters 2 to 12 of UPN {value!r} must all be digits"
    if not (last.isascii() and last.isdigit()) and last not in CHECK_ALPHABET:
        hint = " (write letters in capitals)" if last.upper() in CHECK_ALPHABET else ""
        return (
            f"character 13 of UPN {value!r} must be a digit (a permanent UPN) or one of "
            f"{CHECK_ALPHABET} (a temporary UPN); it is {last!r}{hint}"
        )
    expected = check_letter(value[1:])
    if first != expected:
        return (
            f"UPN {value!r} has check letter {first!r}, but its digits give {expected!r}; "
            f"check the UPN against the pupil's record"
        )
    return None
