"""Inline SVG charts drawn on the server: pain before and after, weekly adherence, patient-specific function.

Plain functions from numbers to SVG text, with no script and no style attribute (the page's CSP forbids inline
styles). Colours are presentation attributes, so a chart is whole even where the stylesheet is not (a saved
page, a print); every series also differs by marker shape and dash pattern, so the charts read without colour.
Each coloured part also has a class, and static/css/history.css colours those classes from the page's palette: a
stylesheet's rule outranks a presentation attribute, so the same chart follows the dark scheme on screen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from . import rules
from .progress import CHART_SESSIONS, ActivityTrend, SessionPoint, WeekBar, short_date

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH = 360  # user units, about a phone's width: 14-unit text stays near 13 px where space is tightest
FONT = 14

# The app's light palette (static/css/app.css), repeated here because an SVG attribute cannot read a CSS variable;
# history.css gives the same parts the palette's roles by class (chart-*), in whichever scheme is shown.
INK = "#1b2a33"
MUTED = "#4f5f69"
GRID = "#b9c5cb"
WHITE = "#ffffff"
# Each light's band fill and text colour; where the bands start and end is the rule's (rules.BANDS).
LIGHT_COLOURS = {"green": ("#e4f3e8", "#1c6e3a"), "amber": ("#fdf3dc", "#8a5a00"), "red": ("#fdecea", "#b42318")}
BANDS = tuple(
    # (light, from, to, fill, text colour, label on two lines): boundaries sit half-way between whole scores.
    (light, max(0.0, low - 0.5), min(float(rules.PAIN_MAX), high + 0.5), *LIGHT_COLOURS[light],
     light.capitalize(), f"{low}–{high}")
    for light, low, high in rules.BANDS
)  # fmt: skip
BANDS_IN_WORDS = ", ".join(f"{light} {low} to {high}" for light, low, high in rules.BANDS)
BEFORE = "#0f5f5c"
AFTER = "#b4521a"
DONE = "#0f5f5c"
# Function series: colour, marker and dash together, so two lines never look alike without colour. A series' class
# (chart-s1...) names its colour for the stylesheet: brand, accent, purple, as BEFORE and AFTER are s1 and s2.
SERIES = (("#0f5f5c", "circle", None), ("#b4521a", "square", "6 4"), ("#5a2d86", "triangle", "2 3"))
DASHED = "6 4"
LEGEND_ROW = 20
MAX_NAME = 34  # characters of an activity's name in the legend; the table has the whole name


@dataclass(frozen=True)
class Table:
    """The numbers behind a chart, for the "Show as table" beside it: one row per point, its label first."""

    caption: str
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]


def num(value: float) -> str:
    """A coordinate with at most one decimal: shorter markup, the same picture."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def element(tag: str, content: str = "", /, **attrs) -> str:
    """One SVG element. content is markup already built (escape text first); attribute values are escaped here.

    Attribute names are written with _ for - (stroke_dasharray), and class_ for class; None leaves one out.
    """
    parts = [tag]
    for name, value in attrs.items():
        if value is None:
            continue
        shown = num(value) if isinstance(value, float) else value
        parts.append(f'{name.rstrip("_").replace("_", "-")}="{escape(shown)}"')
    opening = " ".join(parts)
    return f"<{opening}>{content}</{tag}>" if content else f"<{opening}/>"


def text(x: float, y: float, words: str, **attrs) -> str:
    return element("text", escape(words), x=float(x), y=float(y), **attrs)


def title(words: str) -> str:
    return element("title", escape(words))


@dataclass(frozen=True)
class Frame:
    """The plot area inside a chart, and where a value lands in it."""

    height: float
    left: float
    right: float
    top: float
    bottom: float
    y_max: float = 10
    width: float = WIDTH
    inset: float = 10  # keeps the first and last markers clear of the axis labels

    @property
    def plot_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_right(self) -> float:
        return self.left + self.plot_width

    @property
    def floor(self) -> float:
        """The y of the value 0."""
        return self.height - self.bottom

    def x(self, index: int, count: int) -> float:
        """Evenly spaced points; one point alone sits in the middle."""
        if count <= 1:
            return self.left + self.plot_width / 2
        span = self.plot_width - 2 * self.inset
        return self.left + self.inset + span * index / (count - 1)

    def y(self, value: float) -> float:
        return self.floor - (self.floor - self.top) * value / self.y_max

    def slot(self, index: int, count: int) -> float:
        """The centre of the index-th of count equal slots (for bars)."""
        return self.left + self.plot_width * (index + 0.5) / count


# User units between the centres of two date labels: "30 Nov" is about 55 wide in the sans-serif fonts phones fall
# back to (measured in Chromium's), so 66 leaves room between them (tests/e2e/test_layout.py).
LABEL_GAP = 66
# How far below the plot a date's baseline sits.
DATE_BELOW = 18


def tick_indices(count: int, spacing: float, gap: float = LABEL_GAP) -> list[int]:
    """Which of count points, spacing apart, get a date: the first, the last, evenly between, never touching."""
    if count <= 0:
        return []
    step = max(1, math.ceil(gap / spacing)) if spacing > 0 else count
    ticks = list(range(0, count, step))
    if ticks[-1] != count - 1:
        if (count - 1 - ticks[-1]) * spacing < gap and len(ticks) > 1:
            ticks.pop()
        ticks.append(count - 1)
    return ticks


def chart(chart_id: str, frame: Frame, heading: str, description: str, body: str, **data: str) -> Markup:
    """The whole SVG; data: attributes for the page's script (data_points=... writes data-points)."""
    # Safe to mark: element() and text() escape every attribute value and every piece of text they are given.
    return Markup(  # noqa: S704
        element(
            "svg",
            element("title", escape(heading), id=f"{chart_id}-title")
            + element("desc", escape(description), id=f"{chart_id}-desc")
            + body,
            xmlns=SVG_NS,
            viewBox=f"0 0 {num(frame.width)} {num(frame.height)}",
            width=float(frame.width),
            height=float(frame.height),
            role="img",
            aria_labelledby=f"{chart_id}-title {chart_id}-desc",
            id=chart_id,
            class_="chart",
            font_size=FONT,
            fill=INK,
            **data,
        )
    )


def marker(shape: str, x: float, y: float, label: str, fill: str, stroke: str) -> str:
    kind = "chart-mark chart-mark--hollow" if fill == WHITE else "chart-mark"
    if shape == "circle":
        return element("circle", title(label), cx=x, cy=y, r=4.5, fill=fill, stroke=stroke, stroke_width=2, class_=kind)
    if shape == "square":
        return element("rect", title(label), x=x - 4, y=y - 4, width=8, height=8, fill=fill, stroke=stroke, class_=kind)
    points = f"{num(x)},{num(y - 5.5)} {num(x + 5)},{num(y + 4)} {num(x - 5)},{num(y + 4)}"
    return element("polygon", title(label), points=points, fill=fill, stroke=stroke, class_=kind)


def line(points: list[tuple[float, float]], colour: str, dash: str | None) -> str:
    if len(points) < 2:
        return ""
    coordinates = " ".join(f"{num(x)},{num(y)}" for x, y in points)
    return element(
        "polyline",
        points=coordinates,
        fill="none",
        stroke=colour,
        stroke_width=2,
        stroke_dasharray=dash,
        stroke_linejoin="round",
        class_="chart-line",
    )


def legend_item(
    x: float, y: float, words: str, colour: str, shape: str, dash: str | None, hollow: bool, series: int
) -> str:
    sample = element(
        "line",
        x1=float(x),
        y1=float(y),
        x2=float(x + 26),
        y2=float(y),
        stroke=colour,
        stroke_width=2,
        stroke_dasharray=dash,
        class_="chart-line",
    )
    sample += marker(shape, x + 13, y, words, WHITE if hollow else colour, colour)
    return element("g", sample + text(x + 32, y + 4, words), class_=f"chart-legend chart-s{series}")


def y_grid(frame: Frame, values: range, labels: bool = True) -> str:
    parts = []
    for value in values:
        y = frame.y(value)
        parts.append(element("line", x1=float(frame.left), y1=y, x2=float(frame.plot_right), y2=y, stroke=GRID))
        if labels:
            parts.append(text(frame.left - 6, y + 4, str(value), text_anchor="end", fill=MUTED))
    return element("g", "".join(parts), class_="chart-grid")


def x_labels(frame: Frame, days: list[date], bold: int | None = None, slots: bool = False) -> str:
    """Dates under the points (or, with slots, under the bars), as many as fit apart: the first and the last
    always (the bold one is the last: this week)."""
    count = len(days)
    where = frame.slot if slots else frame.x
    spacing = (where(1, count) - where(0, count)) if count > 1 else frame.plot_width
    parts = []
    for index in tick_indices(count, spacing):
        x = where(index, count)
        weight = "bold" if index == bold else None
        words = short_date(days[index])
        parts.append(text(x, frame.floor + DATE_BELOW, words, text_anchor="middle", fill=MUTED, font_weight=weight))
    return element("g", "".join(parts), class_="chart-axis")


# ---- Pain before and after ----


def pain_chart(points: list[SessionPoint], chart_id: str = "pain-chart", for_the_phone: bool = False) -> Markup:
    """Pain before (solid line, hollow circles) and after (dashed line, squares) each session, on the 0-10 bands.

    for_the_phone: History's own chart, which the phone draws again with sessions saved there and not yet synced
    (static/js/charts.js): it carries what that needs, and with no session yet it is the chart without sessions
    (bands, grid, legend) for the first ones to be drawn into (History keeps it hidden until then) rather than
    nothing."""
    if not points and not for_the_phone:
        return Markup("")
    frame = Frame(height=260, left=28, right=58, top=42, bottom=32)
    count = len(points)
    parts = []
    for light, low, high, fill, ink, word, scores in BANDS:
        top, bottom = frame.y(high), frame.y(low)
        middle = (top + bottom) / 2
        parts.append(
            element(
                "rect",
                x=float(frame.left),
                y=top,
                width=float(frame.plot_width),
                height=bottom - top,
                fill=fill,
                class_=f"chart-band chart-band--{light}",
            )
        )
        label = f"chart-band-label chart-band-label--{light}"
        parts.append(text(frame.plot_right + 6, middle - 2, word, fill=ink, font_weight="bold", class_=label))
        parts.append(text(frame.plot_right + 6, middle + 12, scores, fill=ink, class_=label))
    parts.append(y_grid(frame, range(0, 11, 2)))
    parts.append(x_labels(frame, [p.day for p in points]))
    for key, colour, shape, dash, hollow, series in (
        ("pain_before", BEFORE, "circle", None, True, 1),
        ("pain_after", AFTER, "square", DASHED, False, 2),
    ):
        word = "before" if key == "pain_before" else "after"
        coordinates = [(frame.x(i, count), frame.y(getattr(p, key))) for i, p in enumerate(points)]
        markers = "".join(
            marker(
                shape, x, y, f"{short_date(p.day)}: pain {word} {getattr(p, key)}", WHITE if hollow else colour, colour
            )
            for (x, y), p in zip(coordinates, points, strict=True)
        )
        group = f"chart-series chart-{word} chart-s{series}"
        parts.append(element("g", line(coordinates, colour, dash) + markers, class_=group))
    parts.append(legend_item(8, 16, "Before the session", BEFORE, "circle", None, True, 1))
    parts.append(legend_item(184, 16, "After the session", AFTER, "square", DASHED, False, 2))
    if points:
        first, last = points[0], points[-1]
        span = short_date(first.day) if count == 1 else f"{short_date(first.day)} to {short_date(last.day)}"
        description = (
            f"Pain from 0 (none) to 10 (worst) before and after {count} session{'s' if count != 1 else ''}, {span}. "
            f"Bands: {BANDS_IN_WORDS}. "
            f"Latest session: {last.pain_before} before, {last.pain_after} after."
        )
    else:
        description = "Pain from 0 (none) to 10 (worst) before and after each session: none yet. "
        description += f"Bands: {BANDS_IN_WORDS}."
    heading = "Pain before and after each session"
    if not for_the_phone:
        return chart(chart_id, frame, heading, description, "".join(parts))
    # What static/js/charts.js needs: the points, the most a chart shows, and where values land (Frame.x's first and
    # last x, Frame.y of 0 and of 10, the dates' baseline, the room a date needs).
    layout = (frame.x(0, 2), frame.x(1, 2), frame.y(0), frame.y(10), frame.floor + DATE_BELOW, LABEL_GAP)
    return chart(
        chart_id,
        frame,
        heading,
        description,
        "".join(parts),
        data_points=" ".join(f"{p.day.isoformat()}:{p.pain_before}:{p.pain_after}" for p in points),
        data_most=str(CHART_SESSIONS),
        data_layout=" ".join(num(float(value)) for value in layout),
    )


def pain_table(points: list[SessionPoint]) -> Table:
    rows = [(short_date(p.day), str(p.pain_before), str(p.pain_after)) for p in points]
    return Table("Pain before and after each session, 0 to 10", ("Date", "Before", "After"), rows)


# ---- Weekly adherence ----

# How far above its bar a week's "done/planned" sits.
VALUE_ABOVE = 6


def adherence_chart(bars: list[WeekBar], chart_id: str = "adherence-chart") -> Markup:
    """Per week a dashed outline for what was planned and a filled bar for what was done, with "done/planned" on it."""
    if not bars:
        return Markup("")
    top_value = max(3, *(max(b.planned, b.done) for b in bars))
    frame = Frame(height=210, left=12, right=12, top=54, bottom=32, y_max=top_value)
    count = len(bars)
    width = min(34.0, frame.plot_width / count * 0.62)
    parts = [
        element(
            "line",
            x1=12.0,
            y1=frame.floor,
            x2=float(frame.plot_right),
            y2=frame.floor,
            stroke=MUTED,
            class_="chart-base",
        )
    ]

    def column(centre: float, value: int, words: str, **paint) -> str:
        """A week's bar up to `value`, its words as its title (the planned sessions dashed, those done filled)."""
        top = frame.y(value)
        return element(
            "rect", title(words), x=centre - width / 2, y=top, width=width, height=frame.floor - top, **paint
        )

    current = None
    for index, bar in enumerate(bars):
        centre = frame.slot(index, count)
        when = "this week" if bar.is_current else f"week of {short_date(bar.start)}"
        words = f"{when}: {bar.done} of {bar.planned} planned sessions done"
        if bar.is_current:
            current = index
        week = []
        if bar.planned:
            dashed = {"fill": WHITE, "stroke": MUTED, "stroke_dasharray": "4 3", "class_": "chart-planned"}
            week.append(column(centre, bar.planned, words, **dashed))
        if bar.done:
            week.append(column(centre, bar.done, words, fill=DONE, class_="chart-done"))
        value = f"{bar.done}/{bar.planned}" if bar.planned else str(bar.done)
        above = frame.y(max(bar.planned, bar.done)) - VALUE_ABOVE
        week.append(text(centre, above, value, text_anchor="middle", font_weight="bold"))
        # A week's parts together, with its numbers, for static/js/charts.js to draw again with the phone's sessions.
        data = f"{bar.start.isoformat()}:{bar.planned}:{bar.done}"
        parts.append(element("g", "".join(week), class_="chart-week", data_week=data))
    parts.append(x_labels(frame, [b.start for b in bars], bold=current, slots=True))
    legend = element("rect", x=12.0, y=8.0, width=14.0, height=14.0, fill=DONE, class_="chart-done")
    legend += text(32, 20, "Done")
    legend += element(
        "rect", x=92.0, y=8.0, width=14.0, height=14.0, fill=WHITE, stroke=MUTED, stroke_dasharray="4 3",
        class_="chart-planned",
    )  # fmt: skip
    legend += text(112, 20, "Planned (dashed outline)")
    parts.append(element("g", legend, class_="chart-legend"))
    done = sum(b.done for b in bars)
    planned = sum(b.planned for b in bars)
    description = (
        f"Sessions done and planned in each of the last {count} week{'s' if count != 1 else ''}, "
        f"weeks starting {short_date(bars[0].start)} to {short_date(bars[-1].start)}: "
        f"{done} done of {planned} planned in all. This week: {bars[-1].done} of {bars[-1].planned}."
    )
    # For static/js/charts.js: where values land (Frame.y of 0, the plot's top), a bar's width, VALUE_ABOVE.
    layout = " ".join(num(float(value)) for value in (frame.floor, frame.top, width, VALUE_ABOVE))
    return chart(chart_id, frame, "Sessions done each week", description, "".join(parts), data_layout=layout)


def adherence_table(bars: list[WeekBar]) -> Table:
    rows = [
        (f"{short_date(b.start)}{' (this week)' if b.is_current else ''}", str(b.done), str(b.planned)) for b in bars
    ]
    return Table("Sessions done and planned each week", ("Week of", "Done", "Planned"), rows)


# ---- Patient-specific function ----


def shorten(name: str, most: int = MAX_NAME) -> str:
    return name if len(name) <= most else name[: most - 1].rstrip() + "…"


def function_chart(trends: list[ActivityTrend], chart_id: str = "function-chart") -> Markup:
    """One line per activity, 0 (cannot do it) to 10 (as before), over the days it was rated."""
    rated = [t for t in trends if t.scores]
    if not rated:
        return Markup("")
    days = sorted({day for t in rated for day, _ in t.scores})
    position = {day: index for index, day in enumerate(days)}
    legend_top = 16
    frame = Frame(
        height=234 + LEGEND_ROW * len(rated), left=28, right=82, top=legend_top + LEGEND_ROW * len(rated) + 8, bottom=30
    )
    parts = [y_grid(frame, range(0, 11, 2)), x_labels(frame, days)]
    parts.append(text(frame.plot_right + 6, frame.y(10) + 4, "as before", fill=MUTED, class_="chart-muted"))
    parts.append(text(frame.plot_right + 6, frame.y(0) + 4, "cannot do", fill=MUTED, class_="chart-muted"))
    for index, trend in enumerate(rated):
        colour, shape, dash = SERIES[index % len(SERIES)]
        coordinates = [(frame.x(position[day], len(days)), frame.y(score)) for day, score in trend.scores]
        markers = "".join(
            marker(shape, x, y, f"{trend.name}, {short_date(day)}: {score}", colour, colour)
            for (x, y), (day, score) in zip(coordinates, trend.scores, strict=True)
        )
        series = index % len(SERIES) + 1
        parts.append(element("g", line(coordinates, colour, dash) + markers, class_=f"chart-series chart-s{series}"))
        parts.append(
            legend_item(8, legend_top + LEGEND_ROW * index, shorten(trend.name), colour, shape, dash, False, series)
        )
    summaries = "; ".join(
        f"{t.name}: {t.first} then {t.latest}" if t.change is not None else f"{t.name}: {t.latest}" for t in rated
    )
    description = (
        "How well you can do the activities you chose, from 0 (cannot do it) to 10 (as well as before the pain), "
        f"each time you rated them. {summaries}."
    )
    return chart(chart_id, frame, "Your activities over time", description, "".join(parts))


def function_table(trends: list[ActivityTrend]) -> Table:
    rows = [
        (t.name, "; ".join(f"{short_date(day)}: {score}" for day, score in t.scores) or "not rated") for t in trends
    ]
    return Table("Your ratings of each activity, 0 to 10", ("Activity", "Ratings, oldest first"), rows)
