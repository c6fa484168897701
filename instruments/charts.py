"""The geometry of the line charts the pages draw as SVG on the server.

Plain numbers in, coordinates out: the template only writes them into SVG elements, so a
chart needs no script and reads the same in every browser, in print and in a test.
"""

from collections.abc import Sequence
from dataclasses import dataclass

# Each series differs by line pattern and marker as well as colour (WCAG 1.4.1), styled by
# class in static/css/site.css.
MARKERS = ("circle", "square", "triangle", "diamond")


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    values: list[int]
    style: int  # 1-based: the CSS class series-N and marker MARKERS[N-1]
    points: str  # "x,y x,y ..." for <polyline points>

    @property
    def marker(self) -> str:
        return MARKERS[(self.style - 1) % len(MARKERS)]


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: float
    top: float
    right: float
    bottom: float
    y_max: int
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    series: list[Series]

    @property
    def y_label_x(self) -> float:
        return self.left - 6

    @property
    def x_label_y(self) -> float:
        return self.bottom + 20


def _y_scale(largest: int) -> tuple[int, int]:
    """A round grid step giving at most eight lines, and the top of the axis."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if largest <= step * 8:
            break
    return step, max(step, -(-largest // step) * step)


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[int]]],
    *,
    width: int = 480,
    height: int = 300,
    max_x_labels: int = 7,
) -> LineChart:
    """Coordinates for `series` ((key, label, one value per label) each) over `labels`.

    1. The plot area leaves room for the y labels on the left and x labels below.
    2. The y axis runs from 0 to the largest value rounded up to a round step (1, 2, 5,
       10, 20, ...) chosen so that there are at most eight grid lines.
    3. The labels are spread evenly; at most `max_x_labels` are written, always the last.
    """
    left, top, right, bottom = 44.0, 12.0, width - 22.0, height - 32.0
    largest = max((v for _, _, values in series for v in values), default=0)
    y_step, y_max = _y_scale(largest)

    def x_at(index: int) -> float:
        if len(labels) <= 1:
            return (left + right) / 2
        return round(left + (right - left) * index / (len(labels) - 1), 1)

    def y_at(value: float) -> float:
        return round(bottom - (bottom - top) * value / y_max, 1)

    every = max(1, -(-len(labels) // max_x_labels))
    shown = [i for i in range(len(labels)) if i % every == 0 or i == len(labels) - 1]
    # Drop the label before the last one when the two would touch.
    if len(shown) > 1 and shown[-1] - shown[-2] < every:
        shown.pop(-2)
    x_ticks = [Tick(x_at(i), labels[i]) for i in shown]
    y_ticks = [Tick(y_at(v), str(v)) for v in range(0, y_max + 1, y_step)]
    drawn = [
        Series(
            key=key,
            label=label,
            values=list(values),
            style=index + 1,
            points=" ".join(f"{x_at(i)},{y_at(v)}" for i, v in enumerate(values)),
        )
        for index, (key, label, values) in enumerate(series)
    ]
    return LineChart(width, height, left, top, right, bottom, y_max, x_ticks, y_ticks, drawn)
