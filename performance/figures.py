"""How figures are written, judged and drawn. Pure functions over numbers: no queries, no HTML.

`cell_text` is the one place that turns a stored figure into what a reader sees, and the
one place that suppresses small counts (domain rules 15); the report page, its CSV and
XLSX exports and the agenda pack all call it.
"""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings

from .models import Polarity, RagStatus, Unit

SUPPRESSED = "fewer than {threshold}"


def parse_number(text) -> tuple[Decimal, int]:
    """A figure as typed or printed ("32.0", "4,007,475", "19.0%") -> (number, decimal places).

    Raises ValueError for anything that is not one number."""
    if isinstance(text, Decimal | int):
        number = Decimal(text)
    else:
        cleaned = str(text).strip().replace(",", "").removesuffix("%").strip()
        if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
            raise ValueError(f"{text!r} is not a number.")
        try:
            number = Decimal(cleaned)
        except InvalidOperation as exc:  # pragma: no cover - the pattern rules it out
            raise ValueError(f"{text!r} is not a number.") from exc
    exponent = number.as_tuple().exponent
    return number, max(0, -exponent) if isinstance(exponent, int) else 0


def format_number(number: Decimal, decimal_places: int) -> str:
    """4007475 -> "4,007,475"; 32 with 1 place -> "32.0". Halves round up, as people expect."""
    quantum = Decimal(1).scaleb(-decimal_places)
    return f"{Decimal(number).quantize(quantum, rounding=ROUND_HALF_UP):,.{decimal_places}f}"


def format_figure(
    number: Decimal, decimal_places: int, unit: str, *, count: int | None = None, unit_words: bool = False
) -> str:
    """The figure alone, as the seed prints it: "33,353", "32.2%", "9,907/403.9",
    "1,890/19.0%", "22.0", "4.6 days" (with unit words)."""
    text = format_number(number, decimal_places)
    if unit == Unit.PERCENTAGE:
        text += "%"
    elif unit == Unit.DAYS and unit_words:
        text += " days"
    if count is not None:
        text = f"{count:,}/{text}"
    return text


def small_number_threshold() -> int:
    return settings.QUORUM_SMALL_NUMBER_THRESHOLD


def is_small(cell: dict, threshold: int) -> bool:
    """Whether a cell shows a count below the threshold (its own or the count beside a rate)."""
    if cell.get("value") is None:
        return False
    if cell.get("count") is not None and cell["count"] < threshold:
        return True
    return cell.get("unit") == Unit.COUNT and Decimal(cell["value"]) < threshold


@dataclass(frozen=True)
class CellText:
    text: str
    suppressed: bool = False
    number: Decimal | None = None  # for exports; None when suppressed or absent
    count: int | None = None


def cell_text(cell: dict, *, unit_words: bool = False, suppress: bool = True, threshold: int | None = None) -> CellText:
    """What a report cell says. `cell` is a frozen cell (see selectors.report_layout):
    a number with its decimal places and unit, or a placeholder ("New measure", "-", "n/a"),
    with its period in brackets when it is not the column's, or "17/18 forecast".

    Public surfaces pass suppress=True: a count below the threshold reads "fewer than 5"
    and its number is not given (nor the rate beside it, which would reveal it)."""
    if cell.get("value") is None:
        return CellText(cell.get("placeholder") or "-")
    threshold = small_number_threshold() if threshold is None else threshold
    suppressed = suppress and is_small(cell, threshold)
    if suppressed:
        text = SUPPRESSED.format(threshold=threshold)
    else:
        text = format_figure(
            Decimal(cell["value"]), cell["dp"], cell["unit"], count=cell.get("count"), unit_words=unit_words
        )
    if cell.get("forecast"):
        text += f" {cell['forecast_label']} forecast"
    if cell.get("bracket"):
        text += f" ({cell['bracket']})"
    if suppressed:
        return CellText(text, suppressed=True)
    return CellText(text, number=Decimal(cell["value"]), count=cell.get("count"))


# RAG and direction of travel ------------------------------------------------------------------


def rag_status(polarity: str, value: Decimal | None, benchmark: Decimal | None, amber_margin=None) -> str | None:
    """On track/good when the figure is on the good side of (or equal to) the target or
    comparator; slightly below when short of it by no more than the amber margin; requires
    improvement otherwise. No status for a measure where neither direction is good."""
    if polarity == Polarity.NEITHER or value is None or benchmark is None:
        return None
    shortfall = (benchmark - value) if polarity == Polarity.HIGH else (value - benchmark)
    if shortfall <= 0:
        return RagStatus.GREEN.value
    if amber_margin is not None and shortfall <= amber_margin:
        return RagStatus.AMBER.value
    return RagStatus.RED.value


@dataclass(frozen=True)
class Direction:
    key: str  # improving, worsening, no_change, up, down
    arrow: str
    text: str


DIRECTIONS = {
    "improving_up": Direction("improving", "\u2191", "Improving"),
    "improving_down": Direction("improving", "\u2193", "Improving"),
    "worsening_up": Direction("worsening", "\u2191", "Worsening"),
    "worsening_down": Direction("worsening", "\u2193", "Worsening"),
    "no_change": Direction("no_change", "\u2192", "No change"),
    "up": Direction("up", "\u2191", "Up"),
    "down": Direction("down", "\u2193", "Down"),
}


def direction_of_travel(polarity: str, previous: Decimal | None, latest: Decimal | None) -> str | None:
    """The key of DIRECTIONS for a move from `previous` to `latest`: the arrow follows the
    number, the words say whether that is better, from the measure's polarity."""
    if previous is None or latest is None:
        return None
    if latest == previous:
        return "no_change"
    moved = "up" if latest > previous else "down"
    if polarity == Polarity.NEITHER:
        return moved
    better = (moved == "up") == (polarity == Polarity.HIGH)
    return f"{'improving' if better else 'worsening'}_{moved}"


# Trend charts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    label: str  # the period
    text: str  # the figure as written
    label_y: float = 0  # where the period is written under the axis


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    points: list[ChartPoint]
    polyline: str
    top_text: str  # the largest figure, labelled on the axis
    bottom_text: str
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int


def trend_chart(
    points: list[tuple[str, Decimal, str]], *, width: int = 560, height: int = 220, margin=None, from_zero: bool = True
):
    """Geometry of a line chart of (period label, number, text) in period order. The
    template draws it as inline SVG (templates/performance/_trend_chart.html). The scale
    starts at zero (unless a figure is negative), so that small moves are not made to look
    large. A sparkline (from_zero=False) spans its own figures instead: it is a glance at
    the shape, and its text alternative gives the figures."""
    if not points:
        return None
    left, right, top, bottom = margin or (64, 64, 16, 52)
    plot_w, plot_h = width - left - right, height - top - bottom
    numbers = [p[1] for p in points]
    high, low = max(numbers), min(numbers)
    floor = min(low, Decimal(0)) if from_zero else low
    span = (high - floor) or Decimal(1)
    step = plot_w / (len(points) - 1) if len(points) > 1 else 0
    chart_points = []
    for i, (label, number, text) in enumerate(points):
        x = left + (step * i if len(points) > 1 else plot_w / 2)
        # All figures equal: a level line across the middle.
        y = top + plot_h / 2 if high == floor else top + plot_h - float((number - floor) / span) * plot_h
        # Many periods: stagger their labels on two lines so that they do not overlap.
        label_y = top + plot_h + 18 + (14 if len(points) > 5 and i % 2 else 0)
        chart_points.append(ChartPoint(round(x, 1), round(y, 1), label, text, label_y))
    return TrendChart(
        width=width,
        height=height,
        points=chart_points,
        polyline=" ".join(f"{p.x},{p.y}" for p in chart_points),
        top_text=points[numbers.index(high)][2],
        bottom_text="0" if floor == 0 else points[numbers.index(floor)][2],
        plot_left=left,
        plot_right=width - right,
        plot_top=top,
        plot_bottom=top + plot_h,
    )
