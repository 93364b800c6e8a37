"""The timeline's layout (tasks/timeline.py), from unsaved model instances, without a database:
task bars and their progress, overdue marks, milestones, the today line, the axis's ticks
and bands, and stages as row groups."""

from datetime import date

import pytest

from accounts.models import User
from tasks.models import Milestone, Stage, Task, TaskStatus
from tasks.timeline import MIN_PX_PER_DAY, OVERDUE_COLOURS, STATUS_COLOURS, build_timeline

JUNE_1, JUNE_30 = date(2026, 6, 1), date(2026, 6, 30)


def stage(pk=1, name="Warm-up"):
    return Stage(pk=pk, name_en=name, name_zh=name)


def task(pk=1, *, start=None, due=date(2026, 6, 10), status=TaskStatus.NOT_STARTED, progress=0, stage_id=1, **fields):
    return Task(
        pk=pk,
        stage_id=stage_id,
        name=fields.pop("name", f"Task {pk}"),
        start_date=start,
        due_date=due,
        status=status,
        progress=progress,
        responsible=User(username=f"r{pk}", name="Li Lei"),
        **fields,
    )


def milestone(pk=1, *, due=date(2026, 6, 15), reached_on=None, stage_id=1):
    return Milestone(pk=pk, stage_id=stage_id, name=f"Milestone {pk}", due_date=due, reached_on=reached_on)


def layout(*, tasks=(), milestones=(), stages=None, today=date(2026, 6, 5), start=JUNE_1, end=JUNE_30):
    return build_timeline(
        campaign_start=start,
        campaign_end=end,
        stages=stages if stages is not None else [stage()],
        milestones=list(milestones),
        tasks=list(tasks),
        today=today,
    )


def test_a_task_bar_runs_from_the_left_edge_of_its_start_day_to_the_right_edge_of_its_due_day():
    timeline = layout(tasks=[task(start=date(2026, 6, 3), due=date(2026, 6, 7))])

    bar = timeline.bars[0]
    assert timeline.px_per_day == pytest.approx(760 / 30, abs=0.01)
    assert bar.x == pytest.approx(2 * timeline.px_per_day, abs=0.1)
    assert bar.width == pytest.approx(5 * timeline.px_per_day, abs=0.1)


def test_a_task_without_a_start_date_is_drawn_from_the_day_before_its_due_date():
    timeline = layout(tasks=[task(start=None, due=date(2026, 6, 10))])

    bar = timeline.bars[0]
    assert bar.x == pytest.approx(8 * timeline.px_per_day, abs=0.1)  # June 9
    assert bar.width == pytest.approx(2 * timeline.px_per_day, abs=0.1)
    assert bar.start_date is None  # the tooltip says it has none


def test_the_progress_fill_is_the_progress_share_of_the_bar_and_a_done_task_is_full():
    timeline = layout(
        tasks=[
            task(1, start=JUNE_1, due=date(2026, 6, 10), status=TaskStatus.IN_PROGRESS, progress=40),
            task(2, start=JUNE_1, due=date(2026, 6, 10), status=TaskStatus.DONE, progress=0),
        ]
    )

    in_progress, done = timeline.bars
    assert in_progress.progress_width == pytest.approx(in_progress.width * 0.4, abs=0.1)
    assert done.progress_width == done.width


def test_a_long_range_gets_the_minimum_pixels_per_day_and_grows_wider_than_a_phone():
    timeline = layout(start=date(2026, 1, 1), end=date(2026, 12, 31))

    assert timeline.px_per_day == MIN_PX_PER_DAY
    assert timeline.chart_width == pytest.approx(365 * MIN_PX_PER_DAY)


def test_the_today_line_sits_in_the_middle_of_todays_day():
    timeline = layout(today=date(2026, 6, 11))

    assert timeline.today.x == pytest.approx(10.5 * timeline.px_per_day, abs=0.1)


def test_there_is_no_today_line_when_today_is_outside_the_range():
    before = layout(today=date(2026, 5, 1))
    after = layout(today=date(2026, 8, 1))

    assert before.today is None
    assert before.today_before_range
    assert after.today is None
    assert not after.today_before_range


@pytest.mark.parametrize("status", [TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED])
def test_a_task_past_its_due_date_and_not_done_is_red_with_a_marker_and_a_delay_line_to_today(status):
    timeline = layout(tasks=[task(status=status, due=date(2026, 6, 4))], today=date(2026, 6, 5))

    bar = timeline.bars[0]
    assert bar.overdue
    assert (bar.track, bar.fill) == OVERDUE_COLOURS
    assert bar.marker_x > bar.x + bar.width
    assert bar.delay_x2 == timeline.today.x


def test_a_task_due_today_or_done_late_is_not_overdue_and_keeps_its_status_colour():
    due_today = task(1, status=TaskStatus.BLOCKED, due=date(2026, 6, 5))
    done_late = task(2, status=TaskStatus.DONE, due=date(2026, 6, 1))

    bars = {bar.task_id: bar for bar in layout(tasks=[due_today, done_late], today=date(2026, 6, 5)).bars}

    blocked, done = bars[1], bars[2]

    assert not blocked.overdue
    assert (blocked.track, blocked.fill) == STATUS_COLOURS[TaskStatus.BLOCKED]
    assert not done.overdue
    assert (done.track, done.fill) == STATUS_COLOURS[TaskStatus.DONE]
    assert done.delay_x2 is None


def test_every_status_has_its_own_colour():
    fills = {fill for _track, fill in STATUS_COLOURS.values()}

    assert len(fills) == 4
    assert OVERDUE_COLOURS[1] not in fills


def test_milestones_are_hollow_until_reached_filled_when_reached_and_red_when_missed():
    timeline = layout(
        milestones=[
            milestone(1, due=date(2026, 6, 10)),
            milestone(2, due=date(2026, 6, 3), reached_on=date(2026, 6, 3)),
            milestone(3, due=date(2026, 6, 4)),
        ],
        today=date(2026, 6, 5),
    )

    by_id = {diamond.milestone_id: diamond for diamond in timeline.diamonds}
    assert (by_id[1].state, by_id[1].fill) == ("pending", "#ffffff")
    assert by_id[2].state == "reached"
    assert by_id[2].fill == by_id[2].stroke
    assert by_id[3].state == "missed"
    assert by_id[3].stroke == "#dc3545"
    assert by_id[1].cx == pytest.approx(9.5 * timeline.px_per_day, abs=0.1)  # middle of June 10


def test_a_milestone_diamond_links_to_its_last_task_to_fall_due():
    timeline = layout(
        tasks=[task(1, due=date(2026, 6, 12), milestone_id=7), task(2, due=date(2026, 6, 14), milestone_id=7)],
        milestones=[milestone(7), milestone(8)],
    )

    by_id = {diamond.milestone_id: diamond for diamond in timeline.diamonds}
    assert by_id[7].task_id == 2
    assert by_id[8].task_id is None


@pytest.mark.parametrize(
    ("start", "end", "granularity"),
    [
        (date(2026, 6, 1), date(2026, 6, 14), "day"),
        (date(2026, 6, 1), date(2026, 8, 31), "week"),
        (date(2026, 1, 1), date(2026, 12, 31), "month"),
    ],
)
def test_axis_ticks_are_days_for_short_ranges_weeks_for_a_season_and_months_for_a_year(start, end, granularity):
    timeline = layout(start=start, end=end)

    assert timeline.granularity == granularity


def test_day_ticks_mark_every_day_and_the_bands_above_name_the_months():
    timeline = layout(start=date(2026, 6, 25), end=date(2026, 7, 8))

    assert [tick.label for tick in timeline.ticks][:7] == ["25", "26", "27", "28", "29", "30", "1"]
    assert len(timeline.ticks) == 14
    assert [band.label for band in timeline.bands] == ["June 2026", "July 2026"]
    assert len(timeline.weekends) == 4  # 27–28 June, 4–5 July


def test_week_ticks_fall_on_mondays():
    timeline = layout(start=date(2026, 6, 1), end=date(2026, 8, 31))

    assert len(timeline.ticks) == 14
    assert timeline.ticks[0].x == 0  # 1 June 2026 is a Monday
    assert timeline.ticks[1].x == pytest.approx(7 * timeline.px_per_day, abs=0.1)


def test_month_ticks_fall_on_the_first_of_each_month_and_the_bands_name_the_years():
    timeline = layout(start=date(2026, 11, 15), end=date(2027, 6, 30))

    assert [tick.label for tick in timeline.ticks] == ["Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun"]
    assert [band.label for band in timeline.bands] == ["2026", "2027"]


def test_the_range_grows_to_show_tasks_and_milestones_outside_the_campaign_dates():
    timeline = layout(
        tasks=[task(1, start=date(2026, 5, 20), due=date(2026, 6, 2))],
        milestones=[milestone(1, due=date(2026, 7, 10))],
    )

    assert (timeline.start, timeline.end) == (date(2026, 5, 20), date(2026, 7, 10))
    assert timeline.bars[0].x == 0
    assert timeline.campaign_x == pytest.approx(12 * timeline.px_per_day, abs=0.1)


def test_stages_are_row_groups_with_a_span_from_the_first_start_to_the_last_due_date():
    timeline = layout(
        stages=[stage(1, "Preparation"), stage(2, "Warm-up")],
        tasks=[
            task(1, start=date(2026, 6, 8), due=date(2026, 6, 12), stage_id=1),
            task(2, start=date(2026, 6, 2), due=date(2026, 6, 5), stage_id=1),
            task(3, start=None, due=date(2026, 6, 20), stage_id=1),
        ],
        milestones=[milestone(1, due=date(2026, 6, 6), stage_id=1)],
    )

    assert [(row.kind, row.label) for row in timeline.rows] == [
        ("stage", "Preparation"),
        ("task", "Task 2"),
        ("milestone", "Milestone 1"),
        ("task", "Task 1"),
        ("task", "Task 3"),
        ("stage", "Warm-up"),
    ]
    span = timeline.rows[0].span
    assert (span.start, span.end) == (date(2026, 6, 2), date(2026, 6, 20))
    assert timeline.rows[-1].span is None  # a stage without tasks has no span
    assert timeline.rows[1].y == timeline.rows[0].y + timeline.row_height
