"""The geometry of the small server-rendered SVG charts: horizontal bars and score lines. The
templates draw them (templates/macros/charts.html); every chart has a table beside it for screen
readers and for print."""

from dataclasses import dataclass

BAR_HEIGHT = 22
BAR_GAP = 10
LABEL_WIDTH = 220
BAR_AREA = 300


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as the reader sees it
    y: int
    width: int


def bars(items: list[tuple[str, float, str]]) -> dict:
    """Horizontal bars for (label, value, shown text), scaled to the largest value."""
    largest = max((value for _label, value, _text in items), default=0) or 1
    rows = [
        Bar(label, value, text, i * (BAR_HEIGHT + BAR_GAP), round(BAR_AREA * max(value, 0) / largest))
        for i, (label, value, text) in enumerate(items)
    ]
    return {
        "bars": rows,
        "height": max(len(rows) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP, BAR_HEIGHT),
        "label_width": LABEL_WIDTH,
        "bar_area": BAR_AREA,
        "bar_height": BAR_HEIGHT,
        "width": LABEL_WIDTH + BAR_AREA + 60,
    }


# Small multiples: one little chart per theme, its score (1–5) over the moments.
LINE_WIDTH = 200
LINE_HEIGHT = 96
MARGIN_LEFT = 22
MARGIN_RIGHT = 8
INSET = 16  # the first and last moment stand clear of the axis and its labels
MARGIN_TOP = 10
MARGIN_BOTTOM = 22
LOWEST, HIGHEST = 1, 5


def _y(score: float) -> float:
    span = LINE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    return round(MARGIN_TOP + span * (HIGHEST - score) / (HIGHEST - LOWEST), 1)


def lines(moments: list[str], series: list[dict]) -> dict:
    """Per series (a label and its scores per moment) a small line chart over the moments, which are
    evenly spaced; a moment without a score leaves a gap in the points, not a made-up value."""
    first, usable = MARGIN_LEFT + INSET, LINE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT - 2 * INSET
    step = usable / max(len(moments) - 1, 1)
    x = {m: round(first + (i * step if len(moments) > 1 else usable / 2), 1) for i, m in enumerate(moments)}
    drawn = []
    for item in series:
        points = [
            (x[m], _y(item["scores"][m]), item["scores"][m])
            for m in moments
            if item["scores"].get(m) is not None
        ]
        drawn.append(
            {
                "label": item["label"],
                "points": points,
                "path": " ".join(f"{px},{py}" for px, py, _v in points),
            }
        )
    return {
        "width": LINE_WIDTH,
        "height": LINE_HEIGHT,
        "x": x,
        "grid": [(score, _y(score)) for score in range(LOWEST, HIGHEST + 1)],
        "left": MARGIN_LEFT,
        "right": LINE_WIDTH - MARGIN_RIGHT,
        "axis_y": LINE_HEIGHT - 6,
        "series": drawn,
    }
