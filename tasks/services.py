"""Writes for tasks: stages, milestones, tasks, RACI and status updates, validated, with history."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department, User
from plans import services as plans_services
from plans.models import AnnualPlan, Campaign

from .models import (
    DEFAULT_STAGES,
    Assignment,
    AssignmentRole,
    DailyCheckIn,
    Milestone,
    Stage,
    StatusUpdate,
    Task,
    TaskStatus,
)


def _save(instance, *, by: User | None = None):
    if by is not None:
        instance._history_user = by
    instance.full_clean()
    instance.save()
    return instance


# Campaigns --------------------------------------------------------------------------------


@transaction.atomic
def campaign_create(
    *,
    plan: AnnualPlan,
    name: str,
    type: str,
    owner: User,
    start_date: date,
    end_date: date,
    budget: Decimal = Decimal(0),
    description: str = "",
    by: User | None = None,
) -> Campaign:
    """Create a campaign of a plan (plans.services.campaign_create) with the template's four
    stages, in one transaction: the campaign's pages then only read them."""
    campaign = plans_services.campaign_create(
        plan=plan,
        name=name,
        type=type,
        owner=owner,
        start_date=start_date,
        end_date=end_date,
        budget=budget,
        description=description,
        by=by,
    )
    _create_default_stages(campaign, by=by)
    return campaign


# Stages and milestones --------------------------------------------------------------------


def _create_default_stages(campaign: Campaign, *, by: User | None) -> list[Stage]:
    stages = []
    for position, (zh, en) in enumerate(DEFAULT_STAGES):
        stage = Stage(campaign=campaign, name_zh=zh, name_en=en, position=position)
        stage._history_user = by
        stage.save()
        stages.append(stage)
    return stages


@transaction.atomic
def stages_ensure_defaults(*, campaign: Campaign, by: User | None = None) -> list[Stage]:
    """Give a campaign the template's four stages if it has none yet; return its stages.

    For writes only (a file import, the API's stages/defaults, the demo): pages never call it."""
    stages = list(campaign.stages.all())
    if stages:
        return stages
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()  # two at once: one wins
    return list(campaign.stages.all()) or _create_default_stages(campaign, by=by)


def stage_save(
    *,
    campaign: Campaign,
    name_zh: str,
    name_en: str,
    position: int | None = None,
    stage: Stage | None = None,
    by: User | None = None,
) -> Stage:
    """Add or rename or move a stage; a new stage without a position goes last."""
    if not (name_zh.strip() or name_en.strip()):
        raise ValidationError({"name_zh": _("Give the stage a name.")})
    if position is None and stage is None:
        last = campaign.stages.aggregate(last=Max("position"))["last"]
        position = 0 if last is None else last + 1
    elif position is None:
        position = stage.position
    stage = stage or Stage(campaign=campaign)
    stage.name_zh, stage.name_en, stage.position = name_zh, name_en or name_zh, position
    if not stage.name_zh:
        stage.name_zh = stage.name_en
    return _save(stage, by=by)


def stage_delete(*, stage: Stage) -> None:
    """Remove a stage that has no tasks or milestones."""
    if stage.tasks.exists() or stage.milestones.exists():
        raise ValidationError(_("Move or delete the stage's tasks and milestones first."))
    stage.delete()


def _check_same_campaign(campaign: Campaign, **objects) -> None:
    for name, obj in objects.items():
        if obj is not None and obj.campaign_id != campaign.pk:
            raise ValidationError({name: _("This belongs to another campaign.")})


def milestone_save(
    *,
    campaign: Campaign,
    stage: Stage,
    name: str,
    due_date: date,
    reached_on: date | None = None,
    milestone: Milestone | None = None,
    by: User | None = None,
) -> Milestone:
    """Add or change a milestone of a campaign."""
    _check_same_campaign(campaign, stage=stage)
    milestone = milestone or Milestone(campaign=campaign)
    milestone.stage, milestone.name, milestone.due_date, milestone.reached_on = stage, name, due_date, reached_on
    return _save(milestone, by=by)


# Tasks ------------------------------------------------------------------------------------


@dataclass
class TaskInput:
    stage: Stage
    name: str
    responsible: User
    accountable: User
    due_date: date
    description: str = ""
    deliverable: str = ""
    start_date: date | None = None
    milestone: Milestone | None = None
    departments: list[Department] = field(default_factory=list)
    budget_amount: Decimal | None = None
    people_needed: int | None = None
    materials: str = ""


def _carrier_refusal(person: User) -> str:
    return _(
        "%(person)s cannot be Responsible or Accountable: tasks are carried by marketing managers, "
        "executives, staff and department leads (not by viewers or an account without a role)."
    ) % {"person": person}


def _apply(task: Task, data: TaskInput) -> None:
    _check_same_campaign(task.campaign, stage=data.stage, milestone=data.milestone)
    if data.start_date and data.start_date > data.due_date:
        raise ValidationError({"due_date": _("The deadline is before the start date.")})
    for person, field_name in ((data.responsible, "responsible"), (data.accountable, "accountable")):
        if person is None:
            raise ValidationError({field_name: _("Every task needs exactly one Responsible and one Accountable.")})
        if not person.is_active:
            raise ValidationError({field_name: _("%(person)s is no longer active.") % {"person": person}})
        # Checked when someone is given the role: a task keeps its people until they are changed.
        if getattr(task, f"{field_name}_id") != person.pk and not person.can_carry_tasks:
            raise ValidationError({field_name: _carrier_refusal(person)})
    for name, value in vars(data).items():
        if name != "departments":
            setattr(task, name, value)


# A Consulted or Informed person or department, as the task form gives them.
OtherParty = User | Department


@transaction.atomic
def task_create(
    *,
    campaign: Campaign,
    data: TaskInput,
    by: User,
    at=None,
    consulted: list[OtherParty] | None = None,
    informed: list[OtherParty] | None = None,
) -> Task:
    """Create a task with its one owner; its first status update records the creation.

    `consulted` and `informed`, when given, are its C and I people and departments."""
    task = Task(campaign=campaign)
    _apply(task, data)
    _save(task, by=by)
    task.departments.set(data.departments)
    StatusUpdate.objects.create(
        task=task,
        author=by,
        created_at=at or timezone.now(),
        old_status="",
        new_status=task.status,
        progress=task.progress,
        # The creation is shown as such in the history (old_status is blank); no note is stored,
        # so it reads in each reader's language.
        note="",
    )
    _remove_conflicting_assignments(task)
    _set_other_parties(task, consulted=consulted, informed=informed, by=by)
    return task


@transaction.atomic
def task_update(
    *,
    task: Task,
    data: TaskInput,
    by: User,
    consulted: list[OtherParty] | None = None,
    informed: list[OtherParty] | None = None,
) -> Task:
    """Change a task's fields, owners and collaborating departments (not its status); and its
    Consulted and Informed when `consulted` or `informed` is given (None leaves that role as it is)."""
    _apply(task, data)
    _save(task, by=by)
    task.departments.set(data.departments)
    _remove_conflicting_assignments(task)
    _set_other_parties(task, consulted=consulted, informed=informed, by=by)
    return task


def _party_key(party: OtherParty) -> tuple[str, int]:
    return ("user", party.pk) if isinstance(party, User) else ("department", party.pk)


def _set_other_parties(
    task: Task, *, consulted: list[OtherParty] | None, informed: list[OtherParty] | None, by: User
) -> None:
    """Make the task's Consulted and Informed exactly the given ones, for each role given."""
    given = {
        role: parties
        for role, parties in ((AssignmentRole.CONSULTED, consulted), (AssignmentRole.INFORMED, informed))
        if parties is not None
    }
    if not given:
        return
    field_of = {AssignmentRole.CONSULTED: "consulted", AssignmentRole.INFORMED: "informed"}
    current = {_party_key(a.user or a.department): a for a in task.assignments.select_related("user", "department")}
    wanted: dict[tuple[str, int], tuple[str, OtherParty]] = {}
    for role, parties in given.items():
        for party in parties:
            key = _party_key(party)
            if key in wanted:
                raise ValidationError(
                    {field_of[role]: _("%(who)s cannot be both Consulted and Informed: choose one.") % {"who": party}}
                )
            if key[0] == "user" and party.pk in (task.responsible_id, task.accountable_id):
                raise ValidationError(
                    {
                        field_of[role]: _("%(person)s is already Responsible or Accountable for this task.")
                        % {"person": party}
                    }
                )
            if key[0] == "user" and not party.is_active and key not in current:
                raise ValidationError({field_of[role]: _("%(person)s is no longer active.") % {"person": party}})
            wanted[key] = (role, party)
    for key, assignment in current.items():
        if assignment.role in given and key not in wanted:
            assignment_remove(assignment=assignment)
    for key, (role, party) in wanted.items():
        if key in current and current[key].role == role:
            continue
        target = {"user": party} if key[0] == "user" else {"department": party}
        assignment_set(task=task, role=role, by=by, **target)


def _remove_conflicting_assignments(task: Task) -> None:
    # The R and the A are not also Consulted or Informed on the same task.
    task.assignments.filter(user_id__in=[task.responsible_id, task.accountable_id]).delete()


def task_set_status(
    *, task: Task, status: str, by: User, note: str = "", progress: int | None = None, at=None, locked: bool = False
) -> StatusUpdate:
    """Record a status change or a daily note: the task's status is always its latest update's.

    Blocked needs a reason; done needs a note on the deliverable. A task that stays blocked
    (its progress moved, say) keeps the reason it was blocked for: the update carries it
    again unless a new one is given. Done sets progress to 100, and reaches the task's
    milestone when it was the milestone's last open task.

    The task's row is locked so that two updates of one task line up. `locked=True` says the
    caller read `task` with `select_for_update()` in the transaction it is in, so its status,
    progress and milestone are current and the change joins that transaction (the status page
    reads and locks the task in one statement). Nothing is written when a ValidationError is
    raised.
    """
    if not locked:
        with transaction.atomic():
            return _task_set_status(task=task, status=status, by=by, note=note, progress=progress, at=at, lock=True)
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("task_set_status(locked=True) needs the caller's transaction.")
    return _task_set_status(task=task, status=status, by=by, note=note, progress=progress, at=at, lock=False)


def _task_set_status(*, task: Task, status: str, by: User, note: str, progress: int | None, at, lock: bool):
    if status not in TaskStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    note = (note or "").strip()
    if status == TaskStatus.DONE and not note:
        raise ValidationError({"note": _("Say how the deliverable meets its standard: a done task needs a note.")})
    if lock:
        # The caller's instance (with its related objects already loaded) is refreshed from
        # the locked row.
        row = Task.objects.select_for_update().filter(pk=task.pk).values("status", "progress", "milestone_id").get()
        task.status, task.progress, task.milestone_id = row["status"], row["progress"], row["milestone_id"]
    if status == TaskStatus.BLOCKED and not note and task.status == TaskStatus.BLOCKED:
        note = _standing_block_reason(task)
    if status == TaskStatus.BLOCKED and not note:
        raise ValidationError({"note": _("Say what blocks the task: a blocked task needs a reason.")})
    if progress is None:
        progress = task.progress
    if status == TaskStatus.DONE:
        progress = 100
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": _("Progress is a percentage from 0 to 100.")})
    update = StatusUpdate.objects.create(
        task=task,
        author=by,
        created_at=at or timezone.now(),
        old_status=task.status,
        new_status=status,
        progress=progress,
        note=note,
    )
    # The status update above is the history of the task's status (who, when, from what to
    # what, why), so the task row is updated without a second, simple-history copy.
    task.status, task.progress, task.updated_at = status, progress, timezone.now()
    Task.objects.filter(pk=task.pk).update(status=status, progress=progress, updated_at=task.updated_at)
    if status == TaskStatus.DONE and task.milestone_id:
        milestone = task.milestone
        if milestone.reached_on is None and not milestone.tasks.exclude(status=TaskStatus.DONE).exists():
            milestone.reached_on = timezone.localdate(at) if at else timezone.localdate()
            milestone._history_user = by
            milestone.save(update_fields=["reached_on", "updated_at"])
    return update


def _standing_block_reason(task: Task) -> str:
    """The reason a blocked task is blocked for: the note of its latest blocked update."""
    latest = (
        StatusUpdate.objects.filter(task=task, new_status=TaskStatus.BLOCKED)
        .exclude(note="")
        .order_by("-created_at", "-pk")
        .values_list("note", flat=True)
        .first()
    )
    return latest or ""


# RACI -------------------------------------------------------------------------------------


@transaction.atomic
def assignment_set(
    *, task: Task, role: str, user: User | None = None, department: Department | None = None, by: User | None = None
) -> Assignment:
    """Make a person or a department Consulted or Informed on a task (one role each)."""
    if role not in AssignmentRole.values:
        raise ValidationError({"role": _("A task's other roles are Consulted (C) or Informed (I).")})
    if (user is None) == (department is None):
        raise ValidationError(_("Choose a person or a department."))
    if user is not None and user.pk in (task.responsible_id, task.accountable_id):
        raise ValidationError(
            {"user": _("%(person)s is already Responsible or Accountable for this task.") % {"person": user}}
        )
    lookup = {"task": task, "user": user} if user is not None else {"task": task, "department": department}
    assignment = Assignment.objects.filter(**lookup).first() or Assignment(**lookup)
    assignment.role = role
    try:
        with transaction.atomic():
            return _save(assignment, by=by)
    except IntegrityError as exc:
        raise ValidationError(_("This person or department already has a role on the task.")) from exc


def assignment_remove(*, assignment: Assignment) -> None:
    assignment.delete()


def daily_check_in(*, user: User, day: date | None = None) -> tuple[DailyCheckIn, bool]:
    """Record “nothing to report today”; a second one the same day changes nothing."""
    return DailyCheckIn.objects.get_or_create(user=user, date=day or timezone.localdate())
