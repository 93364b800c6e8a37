"""Writes of the weekly progress log (form 2, 营销执行进度跟踪表(周度)): the draft that writes
itself from the week's data, the manager's edits, publishing (and who hears about it), and
corrections of a published log as new revisions that keep the old one.

One log per campaign and ISO week: revision 1 of a week is unique by constraint, so two
drafts at once (the Friday job and a manager, or a double click) make one log, and the
loser reads the winner's.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from core.dates import date_problem
from notifications.services import Notified, notify, user_language
from plans.formatting import format_for_metric
from plans.models import Campaign, CampaignStatus
from plans.weeks import week_end, week_in_campaign, week_label, week_start
from tasks.models import AssignmentRole, TaskStatus

from ..models import WeeklyLog, WeeklyLogNotificationKind, WeeklyLogRow, WeeklyLogState
from ..weekly import WeekData, week_data

# A row lists at most this many tasks of a kind by name; the rest are counted.
NAMES_PER_ROW = 10
ROW_FIELDS = ("planned_tasks", "completion", "key_figures", "problems", "measures", "next_focus")


# Drafting ---------------------------------------------------------------------------------


def check_week(*, campaign: Campaign, monday: date) -> None:
    """Refuse a week outside the tracker's dates or with no day in the campaign."""
    problem = date_problem(monday) or date_problem(week_end(monday))
    if problem:
        raise ValidationError({"week": problem})
    if not week_in_campaign(campaign, monday):
        raise ValidationError(
            {
                "week": _("The week %(week)s has no day in the campaign, which runs from %(start)s to %(end)s.")
                % {
                    "week": week_label(monday),
                    "start": campaign.start_date.isoformat(),
                    "end": campaign.end_date.isoformat(),
                }
            }
        )


def weekly_log_draft(
    *, campaign: Campaign, monday: date, by: User | None = None, today: date | None = None
) -> tuple[WeeklyLog, bool]:
    """The week's log: the one there is (draft or published), or a new draft written from
    the week's data. Returns (log, created); drafting twice never makes two logs."""
    monday = week_start(monday)
    check_week(campaign=campaign, monday=monday)
    existing = WeeklyLog.objects.current().filter(campaign=campaign, week=monday).order_by("state").first()
    if existing is not None:
        return existing, False
    data = week_data(campaign=campaign, monday=monday, today=today)
    with translation.override(user_language(campaign.owner)):
        rows = draft_rows(data)
    try:
        with transaction.atomic():
            log = WeeklyLog(campaign=campaign, week=monday, revision=1, created_by=by)
            log._history_user = by
            log.save()
            for row in rows:
                row.log = log
            bulk_create_with_history(rows, WeeklyLogRow, default_user=by)
    except IntegrityError:
        # Another draft of the same week won: it is the week's log.
        return WeeklyLog.objects.current().filter(campaign=campaign, week=monday).order_by("state").get(), False
    return log, True


def draft_weekly_logs(*, today: date | None = None) -> int:
    """Draft this week's log of every executing campaign that has a day in the week (the
    Friday job); returns how many were drafted. Safe to run twice."""
    today = today or timezone.localdate()
    monday = week_start(today)
    campaigns = Campaign.objects.filter(
        status=CampaignStatus.EXECUTING, start_date__lte=week_end(monday), end_date__gte=monday
    ).select_related("plan", "owner")
    return sum(weekly_log_draft(campaign=campaign, monday=monday, today=today)[1] for campaign in campaigns)


@dataclass
class _Lines:
    planned: list[str]
    completion: list[str]
    key_figures: list[str]
    problems: list[str]
    measures: list[str]
    next_focus: list[str]


def _names(tasks, *, describe) -> list[str]:
    lines = [describe(task) for task in tasks[:NAMES_PER_ROW]]
    if len(tasks) > NAMES_PER_ROW:
        lines.append(_("… and %(count)s more") % {"count": len(tasks) - NAMES_PER_ROW})
    return lines


def _goal_line(goal) -> str:
    attainment = goal.attainment
    line = _("%(goal)s: %(total)s this week") % {
        "goal": goal.label,
        "total": format_for_metric(goal.week_total, goal.metric),
    }
    if goal.total_change is not None:
        sign = "+" if goal.total_change >= 0 else ""
        line += _(" (%(change)s on last week)") % {"change": sign + format_for_metric(goal.total_change, goal.metric)}
    if attainment.percent is not None:
        line += _("; attainment %(percent)s%% against %(due)s%% due, %(status)s") % {
            "percent": attainment.percent,
            "due": attainment.due_percent if attainment.due_percent is not None else "–",
            "status": attainment.status_label,
        }
    return line


def draft_rows(data: WeekData) -> list[WeeklyLogRow]:
    """The rows of a draft, one per stage, written from the week's data in the active language.

    Planned tasks: the week's tasks by stage with done / total; completion: counts by status;
    key figures (on the stage under way, the first with tasks this week): the week's totals of
    the goals with their change and attainment against pace; problems: blocked tasks with
    their reasons, issues opened (on their affected tasks' stage) and alerts opened;
    measures: the issues' temporary measures and owners; next week's focus: tasks due next
    week and open alerts."""
    stages = data.stages or []
    lines = {stage.pk: _Lines([], [], [], [], [], []) for stage in stages}
    if not lines:
        return []
    current = next((stage.pk for stage in stages if data.tasks.get(stage.pk)), stages[0].pk)
    status_labels = dict(TaskStatus.choices)
    for stage in stages:
        row, tasks, counts = lines[stage.pk], data.tasks.get(stage.pk, []), data.counts.get(stage.pk, {})
        total, done = len(tasks), counts.get(TaskStatus.DONE, 0)
        if total:
            row.planned.append(_("%(done)s of %(total)s done") % {"done": done, "total": total})
            row.planned += _names(tasks, describe=lambda t: f"· {t.name} ({status_labels.get(t.status, t.status)})")
            row.completion.append(
                _(
                    "Done %(done)s / %(total)s (%(share)s%%); in progress %(progress)s; "
                    "not started %(waiting)s; blocked %(blocked)s"
                )
                % {
                    "done": done,
                    "total": total,
                    "share": round(done * 100 / total),
                    "progress": counts.get(TaskStatus.IN_PROGRESS, 0),
                    "waiting": counts.get(TaskStatus.NOT_STARTED, 0),
                    "blocked": counts.get(TaskStatus.BLOCKED, 0),
                }
            )
        if data.overdue.get(stage.pk):
            row.completion.append(_("%(count)s overdue") % {"count": data.overdue[stage.pk]})
    lines[current].key_figures += [_goal_line(goal) for goal in data.goals if goal.parent_id is None]
    for task in data.blocked:
        target = lines.get(task.stage_id, lines[current])
        target.problems.append(
            _("%(task)s is blocked: %(reason)s") % {"task": task.name, "reason": task.blocked_reason or "–"}
        )
    for issue in data.issues_opened:
        stage_ids = [task.stage_id for task in issue.affected_tasks.all() if task.stage_id in lines]
        target = lines[stage_ids[0]] if stage_ids else lines[current]
        target.problems.append(_("Issue: %(issue)s") % {"issue": issue.description})
        if issue.temporary_measure:
            owner = (
                issue.owner.display_name if issue.owner_id else (issue.department.name if issue.department_id else "–")
            )
            target.measures.append(f"{issue.temporary_measure} — {owner}")
    for alert in data.alerts_opened:
        lines[current].problems.append(_("Alert: %(summary)s") % {"summary": alert.headline})
    for stage in stages:
        due = [task for task in data.due_next_week if task.stage_id == stage.pk]
        lines[stage.pk].next_focus += _names(
            due, describe=lambda t: f"· {t.name} ({t.due_date:%m-%d}, {t.responsible.display_name})"
        )
    for alert in data.open_alerts:
        lines[current].next_focus.append(_("Follow up the alert: %(summary)s") % {"summary": alert.headline})
    return [
        WeeklyLogRow(
            stage=stage,
            stage_name=stage.name,
            position=position,
            planned_tasks="\n".join(lines[stage.pk].planned),
            completion="\n".join(lines[stage.pk].completion),
            key_figures="\n".join(lines[stage.pk].key_figures),
            problems="\n".join(lines[stage.pk].problems),
            measures="\n".join(lines[stage.pk].measures),
            next_focus="\n".join(lines[stage.pk].next_focus),
        )
        for position, stage in enumerate(stages)
    ]


# Editing, publishing, correcting ----------------------------------------------------------


def _locked(log: WeeklyLog) -> WeeklyLog:
    return WeeklyLog.objects.select_for_update().select_related("campaign__owner", "campaign__plan").get(pk=log.pk)


def _read_only(log: WeeklyLog) -> ValidationError:
    return ValidationError(
        {
            "state": _("This log is %(state)s, so it is read-only: correct it to make a new revision.")
            % {"state": log.get_state_display()}
        }
    )


@transaction.atomic
def weekly_log_update(
    *,
    log: WeeklyLog,
    by: User,
    meeting_date: date | None,
    participants: str,
    summary: str,
    rows: dict[int, dict[str, str]] | None = None,
) -> WeeklyLog:
    """Change a draft: its meeting date, participants, summary and the rows' columns
    (`rows`: row id → column → text). A published log is read-only."""
    log = _locked(log)
    if log.state != WeeklyLogState.DRAFT:
        raise _read_only(log)
    problem = date_problem(meeting_date)
    if problem:
        raise ValidationError({"meeting_date": problem})
    rows = rows or {}
    existing = {row.pk: row for row in log.rows.all()}
    unknown = set(rows) - set(existing)
    if unknown:
        raise ValidationError({"rows": _("Row %(row)s is not a row of this log.") % {"row": min(unknown)}})
    for row_id, columns in rows.items():
        bad = set(columns) - set(ROW_FIELDS)
        if bad:
            raise ValidationError({"rows": _("“%(column)s” is not a column of the log.") % {"column": sorted(bad)[0]}})
        row = existing[row_id]
        changed = False
        for name, text in columns.items():
            text = (text or "").strip()
            if getattr(row, name) != text:
                setattr(row, name, text)
                changed = True
        if changed:
            row._history_user = by
            row.save()
    log.meeting_date, log.participants, log.summary = (
        meeting_date,
        (participants or "").strip(),
        (summary or "").strip(),
    )
    log._history_user = by
    log.save()
    return log


def publish_recipients(campaign: Campaign) -> list[User]:
    """Who hears that a campaign's log is out: the Responsible and Accountable of its tasks,
    the people Informed of them, and the leads of the departments Informed of them."""
    informed = Q(task_assignments__role=AssignmentRole.INFORMED, task_assignments__task__campaign=campaign)
    informed_lead = Q(
        led_departments__task_assignments__role=AssignmentRole.INFORMED,
        led_departments__task_assignments__task__campaign=campaign,
    )
    people = User.objects.filter(
        Q(responsible_tasks__campaign=campaign) | Q(accountable_tasks__campaign=campaign) | informed | informed_lead,
        is_active=True,
    )
    return list(User.objects.filter(pk__in=people.values("pk")).select_related("department"))


def publish_message(log: WeeklyLog, language: str) -> tuple[str, str]:
    with translation.override(language):
        title = _("Weekly progress log %(week)s of %(campaign)s is published") % {
            "week": log.week_label,
            "campaign": log.campaign.name,
        }
        if log.corrects_id:
            title = _("Corrected: %(title)s") % {"title": title}
        body = log.summary or _("Read the week's progress, problems, measures and next week's focus.")
    return title, body


@transaction.atomic
def weekly_log_publish(*, log: WeeklyLog, by: User) -> tuple[WeeklyLog, Notified]:
    """Publish a draft: it becomes read-only, the revision it corrects is superseded, and the
    campaign's R, A and Informed people (and their departments' chat groups) are told."""
    log = _locked(log)
    if log.state != WeeklyLogState.DRAFT:
        raise ValidationError(
            {"state": _("Only a draft can be published; this log is %(state)s.") % {"state": log.get_state_display()}}
        )
    if log.corrects_id:
        previous = WeeklyLog.objects.select_for_update().get(pk=log.corrects_id)
        previous.state = WeeklyLogState.SUPERSEDED
        previous._history_user = by
        previous.save()
    log.state, log.published_at, log.published_by = WeeklyLogState.PUBLISHED, timezone.now(), by
    log._history_user = by
    log.save()
    campaign = log.campaign
    notified = notify(
        recipients=publish_recipients(campaign),
        kind=WeeklyLogNotificationKind.WEEKLY_LOG_PUBLISHED,
        subject=log,
        wording=lambda language, _recipient: publish_message(log, language),
        url=log.get_absolute_url(),
        webhook_scopes=[campaign],
        webhook_departments=True,
        webhook_language=user_language(campaign.owner),
    )
    return log, notified


@transaction.atomic
def weekly_log_correct(*, log: WeeklyLog, by: User) -> WeeklyLog:
    """Start a correction of a published log: a new draft revision with its text, which
    replaces it once published; the published one stays as it is meanwhile. A second call
    returns the correction already started."""
    log = _locked(log)
    if log.state != WeeklyLogState.PUBLISHED:
        raise ValidationError({"state": _("Only the published log of a week can be corrected.")})
    started = WeeklyLog.objects.filter(corrects=log).first()
    if started is not None:
        return started
    revision = WeeklyLog.objects.filter(campaign_id=log.campaign_id, week=log.week).aggregate(n=Max("revision"))["n"]
    correction = WeeklyLog(
        campaign_id=log.campaign_id,
        week=log.week,
        revision=revision + 1,
        corrects=log,
        meeting_date=log.meeting_date,
        participants=log.participants,
        summary=log.summary,
        created_by=by,
    )
    correction._history_user = by
    correction.save()
    bulk_create_with_history(
        [
            WeeklyLogRow(
                log=correction,
                stage_id=row.stage_id,
                stage_name=row.stage_name,
                position=row.position,
                **{name: getattr(row, name) for name in ROW_FIELDS},
            )
            for row in log.rows.all()
        ],
        WeeklyLogRow,
        default_user=by,
    )
    return correction
