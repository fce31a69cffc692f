"""Charts drawn by Rollbook itself as inline SVG, with no script and no outside service.

Each chart is a picture of a table the page also shows, so the SVG is marked ``role="img"``
with a title and a description, and the numbers stay readable in the table for screen
readers, in print and when the picture is too small to read. Series differ by dash pattern
and marker shape as well as colour, so no value is told apart by colour alone. Every colour
here has a contrast of at least 3:1 against white, the least WCAG 2.2 asks of graphics.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

TEXT = "#1b1b1b"
GRID = "#8a8d8f"
# Series colours, each at least 3:1 against white: dark blue, deep red, green, dark orange.
SERIES_COLOURS = ("#123f5a", "#9f1239", "#166534", "#8a4b00")
SERIES_DASHES = ("", "8 4", "2 4", "12 4 2 4")
BAR = "#123f5a"
TARGET = "#9f1239"
FONT = 'font-family="system-ui, sans-serif" font-size="13"'


def _svg(width: int, height: int, title: str, description: str, chart_id: str, body: str) -> SafeString:
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{body}</svg>"
    )


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as printed beside the bar, such as "12" or "96.4%"


def bar_chart(chart_id: str, title: str, description: str, bars: list[Bar]) -> SafeString:
    """Draw horizontal bars, one per row, scaled to the largest value (at least 1)."""
    label_width, bar_width, row = 190, 360, 26
    width, height = label_width + bar_width + 80, max(row * len(bars) + 10, 40)
    largest = max([bar.value for bar in bars] + [1])
    parts = []
    for index, bar in enumerate(bars):
        y = 5 + index * row
        length = bar_width * bar.value / largest
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" fill="{}" {}>{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
                '<text x="{}" y="{}" fill="{}" {}>{}</text>',
                label_width - 8, y + 17, TEXT, mark_safe(FONT), bar.label,
                label_width, y + 3, f"{length:.1f}", row - 8, BAR,
                label_width + length + 6, y + 17, TEXT, mark_safe(FONT), bar.shown,
            )
        )
    return _svg(width, height, title, description, chart_id, "".join(parts))


@dataclass(frozen=True)
class Series:
    """A line of a line chart: one value per x position (None where there is no value)."""

    name: str
    values: list[Decimal | None]


def _marker(shape: int, x: float, y: float, colour: str) -> str:
    if shape == 0:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"></circle>'
    if shape == 1:
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"></rect>'
    if shape == 2:
        return f'<path d="M{x:.1f} {y - 4.5:.1f} L{x + 4.5:.1f} {y + 3.5:.1f} L{x - 4.5:.1f} {y + 3.5:.1f} Z" fill="{colour}"></path>'
    return f'<path d="M{x:.1f} {y - 4.5:.1f} L{x + 4.5:.1f} {y:.1f} L{x:.1f} {y + 4.5:.1f} L{x - 4.5:.1f} {y:.1f} Z" fill="{colour}"></path>'


def line_chart(
    chart_id: str,
    title: str,
    description: str,
    x_labels: list[str],
    series: list[Series],
    target: int | None = None,
    sections: list[tuple[int, str]] = (),
) -> SafeString:
    """Draw percentage lines over the x positions, with a dashed target line when given.

    The y axis runs from a whole multiple of 5 below the lowest value (and the target) to 100.
    A gap in a series (None) breaks its line. ``sections`` are (x position, label) pairs where
    a new stretch such as a half-term starts, drawn as labelled vertical lines.
    """
    left, right, top, bottom = 50, 20, 20, 100
    plot_width = 720
    width, height = left + plot_width + right, 330
    plot_height = height - top - bottom
    values = [float(v) for s in series for v in s.values if v is not None]
    if target is not None:
        values.append(float(target))
    low = min(values + [100.0])
    floor = max(0, int(low // 5) * 5 - 5 if low < 100 else 90)

    def y_of(value: float) -> float:
        return top + plot_height * (100 - value) / (100 - floor)

    def x_of(index: int) -> float:
        if len(x_labels) <= 1:
            return left + plot_width / 2
        return left + plot_width * index / (len(x_labels) - 1)

    parts = []
    step = 5 if 100 - floor <= 30 else 10
    for tick in range(floor, 101, step):
        y = y_of(tick)
        parts.append(
            f'<line x1="{left}" x2="{left + plot_width}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="0.5"></line>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{TEXT}" {FONT}>{tick}%</text>'
        )
    every = max(1, len(x_labels) // 12)
    for index, label in enumerate(x_labels):
        if index % every:
            continue
        x = x_of(index)
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" transform="rotate(-45 {} {})" fill="{}" {}>{}</text>',
                f"{x:.1f}", height - bottom + 16, f"{x:.1f}", height - bottom + 16, TEXT, mark_safe(FONT), label,
            )
        )
    for index, label in sections:
        x = x_of(index) - (plot_width / (2 * max(len(x_labels) - 1, 1)) if index else 0)
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1" stroke-dasharray="2 2"></line>'
                '<text x="{}" y="{}" fill="{}" {}>{}</text>',
                f"{x:.1f}", f"{x:.1f}", top, top + plot_height, GRID,
                f"{x + 3:.1f}", top + 12, TEXT, mark_safe(FONT), label,
            )
        )
    if target is not None:
        y = y_of(target)
        parts.append(
            f'<line x1="{left}" x2="{left + plot_width}" y1="{y:.1f}" y2="{y:.1f}" stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="4 3"></line>'
            f'<text x="{left + plot_width}" y="{y - 5:.1f}" text-anchor="end" fill="{TARGET}" {FONT}>Target {target}%</text>'
        )
    for number, line in enumerate(series):
        colour = SERIES_COLOURS[number % len(SERIES_COLOURS)]
        dash = SERIES_DASHES[number % len(SERIES_DASHES)]
        segments, current = [], []
        for index, value in enumerate(line.values):
            if value is None:
                if current:
                    segments.append(current)
                current = []
                continue
            current.append((x_of(index), y_of(float(value))))
        if current:
            segments.append(current)
        for segment in segments:
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
            dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"{dash_attribute}></polyline>')
            parts.extend(_marker(number % 4, x, y, colour) for x, y in segment)

        # The legend shows each line's colour, dash and marker beside its name.
        legend_x, legend_y = left + 150 * number, height - 14
        dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{legend_x}" x2="{legend_x + 30}" y1="{legend_y - 4}" y2="{legend_y - 4}" '
            f'stroke="{colour}" stroke-width="2"{dash_attribute}></line>'
            + _marker(number % 4, legend_x + 15, legend_y - 4, colour)
            + format_html('<text x="{}" y="{}" fill="{}" {}>{}</text>', legend_x + 36, legend_y, TEXT, mark_safe(FONT), line.name)
        )
    return _svg(width, height, title, description, chart_id, "".join(parts))


def _heat_colour(value: Decimal | None, low: float, high: float) -> tuple[str, str]:
    """Return a cell's fill and text colour: darker blue for higher attendance, text chosen for contrast."""
    if value is None:
        return "#ffffff", TEXT
    share = 1.0 if high <= low else (float(value) - low) / (high - low)
    # From a pale blue (#dbe8f3) to the brand blue (#123f5a).
    start, end = (0xDB, 0xE8, 0xF3), (0x12, 0x3F, 0x5A)
    red, green, blue = (round(a + (b - a) * share) for a, b in zip(start, end))
    text = "#ffffff" if share >= 0.5 else TEXT
    return f"#{red:02x}{green:02x}{blue:02x}", text


def heatmap(
    chart_id: str, title: str, description: str, rows: list[str], columns: list[str], cells: list[list[Decimal | None]]
) -> SafeString:
    """Draw a grid of percentages, each cell shaded by its value and printed with it."""
    label_width, cell_width, cell_height, header = 110, 120, 40, 28
    width, height = label_width + cell_width * len(columns) + 10, header + cell_height * len(rows) + 10
    values = [float(v) for row in cells for v in row if v is not None]
    low, high = (min(values), max(values)) if values else (0.0, 100.0)
    parts = []
    for column_index, column in enumerate(columns):
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" fill="{}" {}>{}</text>',
                label_width + cell_width * column_index + cell_width / 2, header - 10, TEXT, mark_safe(FONT), column,
            )
        )
    for row_index, (row_label, row) in enumerate(zip(rows, cells)):
        y = header + row_index * cell_height
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" fill="{}" {}>{}</text>',
                label_width - 8, y + cell_height / 2 + 5, TEXT, mark_safe(FONT), row_label,
            )
        )
        for column_index, value in enumerate(row):
            fill, text = _heat_colour(value, low, high)
            x = label_width + column_index * cell_width
            shown = "no sessions" if value is None else f"{value}%"
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}"></rect>'
                    '<text x="{}" y="{}" text-anchor="middle" fill="{}" {}>{}</text>',
                    x, y, cell_width, cell_height, fill, GRID,
                    x + cell_width / 2, y + cell_height / 2 + 5, text, mark_safe(FONT), shown,
                )
            )
    return _svg(width, height, title, description, chart_id, "".join(parts))
