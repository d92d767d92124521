"""Geometry of an entry's small scores chart (an inline SVG the template draws): the risk
score and the residual score in each snapshot, on a 0-25 scale. Numbers only; no HTML."""

from dataclasses import dataclass

WIDTH, HEIGHT = 480, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 48
MAX_SCORE = 25


@dataclass
class Point:
    x: float
    y: float
    score: int
    label: str

    @property
    def left(self) -> float:
        return self.x - 5

    @property
    def top(self) -> float:
        return self.y - 5


@dataclass
class Series:
    name: str
    marker: str  # "square" or "circle": the shape, not only the colour, tells the series apart
    colour: str
    dashed: bool
    points: list[Point]

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass
class ScoreChart:
    width: int
    height: int
    left: int
    right: float
    top: int
    bottom: float
    gridlines: list[tuple[float, int]]
    periods: list[tuple[float, str]]
    series: list[Series]


def _y(score: int) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - score / MAX_SCORE)


def score_chart(
    history: list, *, score_label: str = "Risk score", residual_label: str = "Residual score"
) -> ScoreChart:
    """`history`: the same entry in successive snapshots (each with `.snapshot`)."""
    plot_width = WIDTH - LEFT - RIGHT
    count = len(history)
    step = plot_width / count
    xs = [LEFT + step * (index + 0.5) for index in range(count)]
    periods = [(x, entry.snapshot.period_label) for x, entry in zip(xs, history, strict=True)]

    def series(name, attribute, marker, colour, dashed):
        points = [
            Point(x, _y(getattr(entry, attribute)), getattr(entry, attribute), entry.snapshot.period_label)
            for x, entry in zip(xs, history, strict=True)
        ]
        return Series(name, marker, colour, dashed, points)

    return ScoreChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=HEIGHT - BOTTOM,
        gridlines=[(_y(score), score) for score in (0, 5, 10, 15, 20, 25)],
        periods=periods,
        series=[
            series(score_label, "inherent_score", "square", "#4a4a4a", True),
            series(residual_label, "residual_score", "circle", "#12436d", False),
        ],
    )
