"""Read the text back out of a PDF that the letter engine typeset, for golden-file tests.

This reads fpdf2's own output only: objects written out in full, page content streams with
Flate or no compression, text shown with ``Tj`` and ``TJ``, and either a core font (Latin-1
strings) or an embedded TrueType font whose ``ToUnicode`` map turns 2-byte glyph codes back
into characters. It returns one line per text line typeset, in page order.
"""

from __future__ import annotations

import re
import zlib

OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def _stream_of(body: bytes) -> bytes | None:
    match = STREAM.search(body)
    if match is None:
        return None
    data = match.group(1)
    return zlib.decompress(data) if b"/FlateDecode" in body[: match.start()] else data


def _cmap(data: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for source, target in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(source, 16)] = bytes.fromhex(target.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, target in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first = int(target, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(first + offset)
    return mapping


def _literal(data: bytes, start: int) -> tuple[bytes, int]:
    """Read a PDF literal string starting after its "(", returning its bytes and the end position."""
    out = bytearray()
    depth = 1
    position = start
    escapes = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}
    while True:
        char = data[position]
        if char == ord("\\"):
            following = data[position + 1]
            if following in escapes:
                out += escapes[following]
                position += 2
            elif chr(following).isdigit():
                digits = re.match(rb"[0-7]{1,3}", data[position + 1 : position + 4]).group(0)
                out.append(int(digits, 8))
                position += 1 + len(digits)
            else:
                out.append(following)
                position += 2
            continue
        if char == ord("("):
            depth += 1
        elif char == ord(")"):
            depth -= 1
            if depth == 0:
                return bytes(out), position + 1
        out.append(char)
        position += 1


def pdf_lines(pdf: bytes) -> list[str]:
    """Return the text lines of an fpdf2 PDF, in the order they were typeset."""
    objects = {int(number): body for number, body in OBJECT.findall(pdf)}
    fonts: dict[bytes, dict[int, str] | None] = {}
    for body in objects.values():
        for name, number in re.findall(rb"/(F\d+)\s+(\d+) 0 R", body):
            font = objects.get(int(number), b"")
            to_unicode = re.search(rb"/ToUnicode\s+(\d+) 0 R", font)
            fonts[name] = _cmap(_stream_of(objects[int(to_unicode.group(1))])) if to_unicode else None

    contents = [int(n) for body in objects.values() if b"/Type /Page\n" in body or b"/Type /Page " in body
                for n in re.findall(rb"/Contents\s+(\d+) 0 R", body)]
    lines: list[str] = []
    for number in contents:
        data = _stream_of(objects[number])
        font: dict[int, str] | None = None
        position = 0
        current: list[str] | None = None
        while position < len(data):
            char = data[position : position + 1]
            if char == b"(":
                raw, position = _literal(data, position + 1)
                if font is None:
                    text = raw.decode("latin-1")
                else:
                    text = "".join(font.get(int.from_bytes(raw[i : i + 2], "big"), "\ufffd") for i in range(0, len(raw), 2))
                if current is not None:
                    current.append(text)
                continue
            token = re.match(rb"/(F\d+)\s+[\d.]+\s+Tf|BT|ET", data[position:])
            if token is None:
                position += 1
                continue
            if token.group(0) == b"BT":
                current = []
            elif token.group(0) == b"ET":
                if current:
                    lines.append("".join(current))
                current = None
            else:
                font = fonts.get(token.group(1))
            position += token.end()
    return lines


def pdf_words(pdf: bytes) -> list[str]:
    """Return the words of a PDF's text, whatever the line breaks."""
    return " ".join(pdf_lines(pdf)).split()
