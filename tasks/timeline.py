"""Layout of a campaign's timeline (Gantt chart): stages, tasks and milestones turned into SVG
geometry — rows, bars, diamonds, axis ticks, the today line.

Pure: it reads attributes of the objects it is given (model instances or anything shaped like
them) and never touches the database, so it is tested on its own. It returns numbers and plain
strings; the template draws them and escapes every text it draws.

Days are cells: a task from the 1st to the 3rd covers three cells, from the left edge of the 1st
to the right edge of the 3rd. Today's line and a milestone's diamond sit in the middle of their
day's cell, so a bar due today reaches past the line and a bar due yesterday stops before it —
which is exactly "overdue: due date passed and not done".

Dates are drawn clamped to the tracker's window (core.dates), so data stored before dates were
bounded (a task due 0001-01-01) draws at the window's edge instead of failing; tooltips show
the dates as recorded.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import dateformat, formats
from django.utils.translation import gettext

from core.dates import clamp_date

from .models import TaskStatus

ROW_HEIGHT = 28
# The axis has three lanes: the "Today" label on top (so it never sits on a month's name),
# then the months (or years), then the days (weeks, months). Text positions are baselines.
TODAY_LABEL_Y = 12
BAND_TOP = 18
BAND_LABEL_Y = 32
TICK_TOP = 38
TICK_LABEL_Y = 54
AXIS_HEIGHT = 60
BAR_HEIGHT = 16
STAGE_BAR_HEIGHT = 8
DIAMOND_RADIUS = 7
RIGHT_PADDING = 24  # room for the overdue marker after a bar that ends on the last day

# Short ranges are stretched to about this width; long ones get at least MIN_PX_PER_DAY and scroll.
TARGET_WIDTH = 760
MIN_PX_PER_DAY = 4.0
MAX_PX_PER_DAY = 48.0

DAY_TICKS_UP_TO = 35  # days in range: above this, ticks are weeks
WEEK_TICKS_UP_TO = 200  # above this, months
LABEL_CHAR_PX = 7  # about how wide a character of an axis label is, to skip labels that do not fit

# (track, progress fill) by status; an overdue task is red whatever its status.
STATUS_COLOURS = {
    TaskStatus.NOT_STARTED: ("#dee2e6", "#6c757d"),
    TaskStatus.IN_PROGRESS: ("#cfe2ff", "#0d6efd"),
    TaskStatus.DONE: ("#d1e7dd", "#198754"),
    TaskStatus.BLOCKED: ("#fff3cd", "#f0ad00"),
}
OVERDUE_COLOURS = ("#f8d7da", "#dc3545")
STAGE_COLOUR = "#495057"
MILESTONE_COLOUR = "#212529"
MISSED_COLOUR = "#dc3545"


@dataclass(frozen=True)
class Bar:
    task_id: int
    name: str
    responsible: str
    start_date: date | None  # as recorded; None when the task has none
    due_date: date
    status: str
    status_label: str
    progress: int
    overdue: bool
    x: float
    y: float
    width: float
    height: float
    progress_width: float
    track: str
    fill: str
    marker_x: float  # centre of the overdue marker, after the bar's end
    delay_x2: float | None  # an overdue bar's dashed line runs on to today's line

    @property
    def cy(self) -> float:
        return round(self.y + self.height / 2, 1)


@dataclass(frozen=True)
class StageSpan:
    x: float
    y: float
    width: float
    height: float
    start: date
    end: date


@dataclass(frozen=True)
class Diamond:
    milestone_id: int
    name: str
    due_date: date
    reached_on: date | None
    state: str  # "pending", "reached" or "missed"
    state_label: str
    cx: float
    cy: float
    points: str
    fill: str
    stroke: str
    task_id: int | None  # the milestone's last visible task, where the diamond links


@dataclass(frozen=True)
class Row:
    kind: str  # "stage", "task" or "milestone"
    y: float
    label: str
    bar: Bar | None = None
    diamond: Diamond | None = None
    span: StageSpan | None = None

    @property
    def text_y(self) -> float:
        return round(self.y + ROW_HEIGHT / 2 + 4, 1)


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    label_x: float  # a day's number is centred in its cell; a week's or month's starts at its line
    anchor: str = "start"


@dataclass(frozen=True)
class Band:
    """A month (or a year) in the axis's upper band."""

    x: float
    width: float
    label: str


@dataclass(frozen=True)
class TodayLine:
    day: date
    x: float
    anchor: str  # where the "Today" label hangs: "start" (right of the line) or "end" (left of it)


@dataclass
class Timeline:
    start: date
    end: date
    px_per_day: float
    granularity: str  # "day", "week" or "month"
    chart_width: float
    width: float
    height: float
    rows: list[Row] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    bands: list[Band] = field(default_factory=list)
    weekends: list[float] = field(default_factory=list)  # x of each Saturday and Sunday (day ticks only)
    campaign_x: float = 0
    campaign_width: float = 0
    today: TodayLine | None = None
    today_date: date | None = None

    row_height: int = ROW_HEIGHT
    axis_height: int = AXIS_HEIGHT
    today_label_y: int = TODAY_LABEL_Y
    band_top: int = BAND_TOP
    band_label_y: int = BAND_LABEL_Y
    tick_top: int = TICK_TOP
    tick_label_y: int = TICK_LABEL_Y

    @property
    def bars(self) -> list[Bar]:
        return [row.bar for row in self.rows if row.bar]

    @property
    def diamonds(self) -> list[Diamond]:
        return [row.diamond for row in self.rows if row.diamond]

    @property
    def spans(self) -> list[StageSpan]:
        return [row.span for row in self.rows if row.span]

    @property
    def today_before_range(self) -> bool:
        return self.today is None and self.today_date is not None and self.today_date < self.start

    @property
    def legend(self) -> list[dict]:
        entries = [
            {"label": TaskStatus(status).label, "track": track, "fill": fill}
            for status, (track, fill) in STATUS_COLOURS.items()
        ]
        entries.append({"label": gettext("overdue"), "track": OVERDUE_COLOURS[0], "fill": OVERDUE_COLOURS[1]})
        return entries


class _Drawn:
    """A task or milestone with its dates clamped to the window for drawing; everything else,
    and the dates as recorded (`recorded`), comes from the object itself."""

    def __init__(self, recorded):
        self.recorded = recorded
        start, reached = getattr(recorded, "start_date", None), getattr(recorded, "reached_on", None)
        self.start_date = clamp_date(start) if start is not None else None
        self.due_date = clamp_date(recorded.due_date)
        self.reached_on = clamp_date(reached) if reached is not None else None

    def __getattr__(self, name):
        return getattr(self.recorded, name)


def task_start(task) -> date:
    """Where a task's bar begins: its start date, or the day before its due date when it has none."""
    return task.start_date or task.due_date - timedelta(days=1)


def milestone_state(milestone, *, today: date) -> str:
    if milestone.reached_on is not None:
        return "reached"
    if milestone.due_date < today:
        return "missed"
    return "pending"


def is_overdue(task, *, today: date) -> bool:
    """Due date passed and not done (the same rule as Task.is_overdue, for unsaved look-alikes too)."""
    return task.status != TaskStatus.DONE and task.due_date < today


def build_timeline(
    *,
    campaign_start: date,
    campaign_end: date,
    stages: Sequence,
    milestones: Iterable,
    tasks: Iterable,
    today: date,
) -> Timeline:
    """Lay out a campaign's stages (rows groups, in the order given), tasks and milestones.

    Stages need `pk` and `name`; milestones `pk`, `stage_id`, `name`, `due_date`, `reached_on`;
    tasks `pk`, `stage_id`, `milestone_id`, `name`, `start_date`, `due_date`, `status`,
    `progress` and `responsible` (with `display_name`).
    """
    tasks, milestones = [_Drawn(t) for t in tasks], [_Drawn(m) for m in milestones]
    campaign_start, campaign_end = clamp_date(campaign_start), clamp_date(campaign_end)
    start = min([campaign_start, *(task_start(t) for t in tasks), *(m.due_date for m in milestones)])
    end = max([campaign_end, *(t.due_date for t in tasks), *(m.due_date for m in milestones)])
    days = (end - start).days + 1
    ppd = round(min(MAX_PX_PER_DAY, max(MIN_PX_PER_DAY, TARGET_WIDTH / days)), 2)
    chart_width = round(days * ppd, 1)

    def x_of(day: date) -> float:
        return round((day - start).days * ppd, 1)

    today_line = None
    if start <= today <= end:
        today_x = round(x_of(today) + ppd / 2, 1)
        today_line = TodayLine(day=today, x=today_x, anchor="start" if today_x < chart_width - 60 else "end")

    # A milestone's diamond links to the task that delivers it: the last of its tasks to fall due.
    last_task_of = {}
    for task in sorted(tasks, key=lambda t: (t.due_date, t.pk or 0)):
        if task.milestone_id:
            last_task_of[task.milestone_id] = task.pk

    groups: dict = defaultdict(list)
    for task in tasks:
        groups[task.stage_id].append((task_start(task), 0, task.pk or 0, task))
    for milestone in milestones:
        groups[milestone.stage_id].append((milestone.due_date, 1, milestone.pk or 0, milestone))
    stage_ids = [stage.pk for stage in stages]
    heads = [(stage.pk, stage.name) for stage in stages]
    if any(stage_id not in stage_ids for stage_id in groups):  # cannot happen through the services
        heads.append((None, gettext("Other")))
        groups[None] = [item for stage_id, items in groups.items() if stage_id not in stage_ids for item in items]

    rows: list[Row] = []
    y = float(AXIS_HEIGHT)
    for stage_id, stage_name in heads:
        items = sorted(groups.get(stage_id, []), key=lambda item: item[:3])
        stage_tasks = [item[3] for item in items if item[1] == 0]
        span = None
        if stage_tasks:
            first = min(task_start(t) for t in stage_tasks)
            last = max(t.due_date for t in stage_tasks)
            span = StageSpan(
                x=x_of(first),
                y=round(y + (ROW_HEIGHT - STAGE_BAR_HEIGHT) / 2, 1),
                width=round(((last - first).days + 1) * ppd, 1),
                height=STAGE_BAR_HEIGHT,
                start=first,
                end=last,
            )
        rows.append(Row(kind="stage", y=y, label=stage_name, span=span))
        y += ROW_HEIGHT
        for _day, kind, _pk, item in items:
            if kind == 0:
                rows.append(Row(kind="task", y=y, label=item.name, bar=_bar(item, y, x_of, ppd, today, today_line)))
            else:
                diamond = _diamond(item, y, x_of(item.due_date) + ppd / 2, today, last_task_of.get(item.pk))
                rows.append(Row(kind="milestone", y=y, label=item.name, diamond=diamond))
            y += ROW_HEIGHT

    ticks, bands, granularity = _axis(start, end, ppd)
    return Timeline(
        start=start,
        end=end,
        px_per_day=ppd,
        granularity=granularity,
        chart_width=chart_width,
        width=round(chart_width + RIGHT_PADDING, 1),
        height=round(y + 4, 1),
        rows=rows,
        ticks=ticks,
        bands=bands,
        weekends=[
            x_of(start + timedelta(days=offset))
            for offset in range(days)
            if granularity == "day" and (start + timedelta(days=offset)).weekday() >= 5
        ],
        campaign_x=x_of(campaign_start),
        campaign_width=round(((campaign_end - campaign_start).days + 1) * ppd, 1),
        today=today_line,
        today_date=today,
    )


def _bar(task, y: float, x_of, ppd: float, today: date, today_line: TodayLine | None) -> Bar:
    begin = task_start(task)
    x = x_of(begin)
    width = round(((task.due_date - begin).days + 1) * ppd, 1)
    overdue = is_overdue(task, today=today)
    track, fill = (
        OVERDUE_COLOURS if overdue else STATUS_COLOURS.get(task.status, STATUS_COLOURS[TaskStatus.NOT_STARTED])
    )
    progress = 100 if task.status == TaskStatus.DONE else max(0, min(100, task.progress or 0))
    responsible = getattr(task, "responsible", None)
    return Bar(
        task_id=task.pk,
        name=task.name,
        responsible=responsible.display_name if responsible else "",
        start_date=task.recorded.start_date,
        due_date=task.recorded.due_date,
        status=task.status,
        status_label=TaskStatus(task.status).label if task.status in TaskStatus.values else task.status,
        progress=progress,
        overdue=overdue,
        x=x,
        y=round(y + (ROW_HEIGHT - BAR_HEIGHT) / 2, 1),
        width=width,
        height=BAR_HEIGHT,
        progress_width=round(width * progress / 100, 1),
        track=track,
        fill=fill,
        marker_x=round(x + width + 9, 1),
        delay_x2=today_line.x if overdue and today_line else None,
    )


def _diamond(milestone, y: float, cx: float, today: date, task_id: int | None) -> Diamond:
    state = milestone_state(milestone, today=today)
    cx, cy, r = round(cx, 1), round(y + ROW_HEIGHT / 2, 1), DIAMOND_RADIUS
    fill, stroke = {
        "pending": ("#ffffff", MILESTONE_COLOUR),
        "reached": (MILESTONE_COLOUR, MILESTONE_COLOUR),
        "missed": ("#ffffff", MISSED_COLOUR),
    }[state]
    labels = {"pending": gettext("not reached yet"), "reached": gettext("reached"), "missed": gettext("missed")}
    return Diamond(
        milestone_id=milestone.pk,
        name=milestone.name,
        due_date=milestone.recorded.due_date,
        reached_on=milestone.recorded.reached_on,
        state=state,
        state_label=labels[state],
        cx=cx,
        cy=cy,
        points=f"{cx},{round(cy - r, 1)} {round(cx + r, 1)},{cy} {cx},{round(cy + r, 1)} {round(cx - r, 1)},{cy}",
        fill=fill,
        stroke=stroke,
        task_id=task_id,
    )


def _axis(start: date, end: date, ppd: float) -> tuple[list[Tick], list[Band], str]:
    """Ticks (days for short ranges, Mondays for medium ones, months for long ones) and the bands above
    them (months, or years when the ticks are months)."""
    days = (end - start).days + 1

    def x_of(day: date) -> float:
        return round((day - start).days * ppd, 1)

    every_day = [start + timedelta(days=offset) for offset in range(days)]
    if days <= DAY_TICKS_UP_TO:
        granularity = "day"
        ticks = [Tick(x_of(day), str(day.day), round(x_of(day) + ppd / 2, 1), "middle") for day in every_day]
    elif days <= WEEK_TICKS_UP_TO:
        granularity = "week"
        ticks = [Tick(x_of(day), str(day.day), x_of(day) + 3) for day in every_day if day.weekday() == 0]
    else:
        granularity = "month"
        ticks = [Tick(x_of(day), dateformat.format(day, "M"), x_of(day) + 3) for day in every_day if day.day == 1]

    bands = []
    if granularity == "month":
        years = range(start.year, end.year + 1)
        for year in years:
            first, last = max(start, date(year, 1, 1)), min(end, date(year, 12, 31))
            width = round(((last - first).days + 1) * ppd, 1)
            bands.append(Band(x_of(first), width, str(year) if width >= 4 * LABEL_CHAR_PX else ""))
    else:
        first = start
        while first <= end:
            following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            last = min(end, following - timedelta(days=1))
            width = round(((last - first).days + 1) * ppd, 1)
            bands.append(Band(x_of(first), width, _month_label(first, width)))
            first = following
    return ticks, bands, granularity


def _month_label(day: date, width: float) -> str:
    """The month's name with its year when it fits, the short name when that fits, else nothing."""
    for label in (formats.date_format(day, "YEAR_MONTH_FORMAT"), dateformat.format(day, "M")):
        if len(label) * LABEL_CHAR_PX <= width:
            return label
    return ""
