"""Writes for adjustments (动态调整): request, approve, reject, withdraw, and apply.

A request names the values it changes (subject, id, field → proposed value). It is checked
by the same services as a direct edit before it is submitted (a dry run in a savepoint that is
rolled back) and again when it is applied. The final approval applies every change in the
approval's transaction, through those services, with an override that lets it past the
freeze of an approved plan or an executing campaign; a value changed since the request was
submitted refuses the whole approval and nothing changes.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.dates import date_problem
from core.formatting import format_number
from notifications.services import notify
from plans import services as plans_services
from plans.models import AnnualPlan, BudgetLine, Campaign, PlanItem, Target
from tasks import services as tasks_services
from tasks.models import Milestone, Task

from ..models import (
    Adjustment,
    AdjustmentChange,
    AdjustmentDecision,
    AdjustmentKind,
    AdjustmentNotificationKind,
    AdjustmentState,
    Alert,
    ApprovalStep,
    ChangeSubject,
    Issue,
)
from ..permissions import may_decide

# What each kind may change: subject → fields.
KIND_FIELDS = {
    AdjustmentKind.TARGET: {ChangeSubject.TARGET: ("target_value", "q1", "q2", "q3", "q4")},
    AdjustmentKind.BUDGET: {
        ChangeSubject.CAMPAIGN: ("budget",),
        ChangeSubject.PLAN: ("budget",),
        ChangeSubject.BUDGET_LINE: ("planned_amount",),
    },
    AdjustmentKind.SCHEDULE: {
        ChangeSubject.CAMPAIGN: ("start_date", "end_date"),
        ChangeSubject.MILESTONE: ("due_date",),
        ChangeSubject.TASK: ("start_date", "due_date"),
    },
    AdjustmentKind.STRATEGY: {
        ChangeSubject.CAMPAIGN: ("description",),
        ChangeSubject.PLAN_ITEM: ("body_zh", "body_en"),
    },
}

SUBJECT_MODELS = {
    ChangeSubject.TARGET: Target,
    ChangeSubject.CAMPAIGN: Campaign,
    ChangeSubject.PLAN: AnnualPlan,
    ChangeSubject.BUDGET_LINE: BudgetLine,
    ChangeSubject.MILESTONE: Milestone,
    ChangeSubject.TASK: Task,
    ChangeSubject.PLAN_ITEM: PlanItem,
}

# Fields that may be left empty (a quarter of the split, a task's start).
OPTIONAL_FIELDS = {"q1", "q2", "q3", "q4", "start_date", "description", "body_zh", "body_en"}


@dataclass
class ProposedChange:
    """One value a request proposes: what (subject and id), which field, and the new value."""

    subject: str
    object_id: int
    field: str
    after: object


# Values as text ---------------------------------------------------------------------------


def value_text(model, field: str, value) -> str:
    """A field's value as an adjustment keeps it: decimals to the field's places, ISO dates."""
    if value is None:
        return ""
    model_field = model._meta.get_field(field)
    if isinstance(value, Decimal) or model_field.get_internal_type() == "DecimalField":
        return str(Decimal(value).quantize(Decimal(1).scaleb(-model_field.decimal_places)))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _parse(model, field: str, raw) -> object:
    """The proposed value of a field, from text or a value; ValidationError naming the field."""
    model_field = model._meta.get_field(field)
    kind = model_field.get_internal_type()
    if raw is None or (isinstance(raw, str) and not raw.strip() and kind != "TextField"):
        if field in OPTIONAL_FIELDS:
            return None if kind != "TextField" else ""
        raise ValidationError({field: _("Give the proposed %(field)s.") % {"field": model_field.verbose_name}})
    if kind == "DecimalField":
        try:
            number = Decimal(str(raw).strip().replace(",", ""))
        except InvalidOperation as exc:
            raise ValidationError({field: _("“%(value)s” is not a number.") % {"value": str(raw)[:30]}}) from exc
        if not number.is_finite() or abs(number) >= Decimal(10) ** (
            model_field.max_digits - model_field.decimal_places
        ):
            raise ValidationError({field: _("“%(value)s” is out of range.") % {"value": str(raw)[:30]}})
        return number
    if kind == "DateField":
        if isinstance(raw, date):
            day = raw
        else:
            try:
                day = date.fromisoformat(str(raw).strip())
            except ValueError as exc:
                raise ValidationError(
                    {field: _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": str(raw)[:30]}}
                ) from exc
        problem = date_problem(day)
        if problem:
            raise ValidationError({field: problem})
        return day
    return str(raw)


def _label(subject: str, obj, field: str) -> tuple[str, str]:
    """What a change changes, in English and in Chinese."""
    labels = []
    for language in ("en", "zh-hans"):
        with translation.override(language):
            if subject == ChangeSubject.TARGET or subject == ChangeSubject.BUDGET_LINE:
                name = obj.label
            elif subject == ChangeSubject.PLAN_ITEM:
                name = f"{obj.get_section_display()} · {obj.title}"
            else:
                name = str(obj)
            if subject == ChangeSubject.PLAN_ITEM:
                field_name = _("details (Chinese)") if field == "body_zh" else _("details (English)")
            elif subject == ChangeSubject.CAMPAIGN and field == "description":
                field_name = _("strategy")
            elif subject == ChangeSubject.PLAN and field == "budget":
                field_name = _("total budget")
            else:
                field_name = str(type(obj)._meta.get_field(field).verbose_name)
            labels.append(f"{name} · {field_name}"[:300])
    return labels[0], labels[1]


# Reading what a request changes -----------------------------------------------------------


def _load(subject: str, object_id: int):
    model = SUBJECT_MODELS[subject]
    related = {
        ChangeSubject.TARGET: ("plan", "campaign__plan", "metric", "channel", "parent"),
        ChangeSubject.CAMPAIGN: ("plan",),
        ChangeSubject.BUDGET_LINE: ("plan", "channel"),
        ChangeSubject.MILESTONE: ("campaign__plan", "stage"),
        ChangeSubject.TASK: ("campaign__plan", "stage"),
        ChangeSubject.PLAN_ITEM: ("plan",),
    }.get(subject, ())
    obj = model.objects.select_related(*related).filter(pk=object_id).first()
    if obj is None:
        raise ValidationError({"changes": _("%(what)s #%(id)s does not exist.") % {"what": subject, "id": object_id}})
    return obj


def _plan_and_campaign(subject: str, obj) -> tuple[AnnualPlan, Campaign | None]:
    if subject == ChangeSubject.PLAN:
        return obj, None
    if subject == ChangeSubject.CAMPAIGN:
        return obj.plan, obj
    if subject == ChangeSubject.TARGET:
        return (obj.plan, None) if obj.plan_id else (obj.campaign.plan, obj.campaign)
    if subject in (ChangeSubject.MILESTONE, ChangeSubject.TASK):
        return obj.campaign.plan, obj.campaign
    return obj.plan, None  # a budget line, a plan section


def _check_scope(subject: str, obj, *, plan: AnnualPlan, campaign: Campaign | None) -> None:
    """A campaign's request changes that campaign's values and its plan's budget lines; a
    plan's request changes the plan's own values."""
    obj_plan, obj_campaign = _plan_and_campaign(subject, obj)
    fits = obj_plan.pk == plan.pk and (
        obj_campaign is None and (campaign is None or subject == ChangeSubject.BUDGET_LINE)
        if obj_campaign is None
        else campaign is not None and obj_campaign.pk == campaign.pk
    )
    if not fits:
        raise ValidationError(
            {"changes": _("%(what)s belongs to another plan or campaign than this request.") % {"what": obj}}
        )


def _is_major(kind: str, plan: AnnualPlan, rows: list[tuple[str, object, AdjustmentChange]]) -> bool:
    """Budget and target changes beyond the plan's threshold, and any change to an approved
    plan's own targets or budget, are major; schedule and strategy changes are minor."""
    if kind not in (AdjustmentKind.TARGET, AdjustmentKind.BUDGET):
        return False
    for subject, obj, change in rows:
        plan_level = subject in (ChangeSubject.PLAN, ChangeSubject.BUDGET_LINE) or (
            subject == ChangeSubject.TARGET and obj.plan_id
        )
        if plan_level and plan.goals_are_frozen:
            return True
        if change.field in ("q1", "q2", "q3", "q4"):
            continue  # the split follows the target; its value decides
        before = Decimal(change.before or 0)
        after = Decimal(change.after or 0)
        if before == 0:
            if after != before:
                return True
            continue
        if abs(after - before) * 100 / abs(before) > plan.adjustment_threshold:
            return True
    return False


# Applying ----------------------------------------------------------------------------------


class _DryRun(Exception):
    pass


def _target_input(target: Target, values: dict) -> plans_services.TargetInput:
    fields = {
        name: getattr(target, name)
        for name in ("metric", "category", "target_value", "name", "channel", "baseline", "period_start", "period_end")
    }
    fields.update({quarter: getattr(target, quarter) for quarter in ("q1", "q2", "q3", "q4")})
    fields.update(values)
    return plans_services.TargetInput(sort_order=target.sort_order, **fields)


def _task_input(task: Task, values: dict) -> tasks_services.TaskInput:
    fields = {
        name: getattr(task, name)
        for name in (
            "stage",
            "name",
            "responsible",
            "accountable",
            "due_date",
            "description",
            "deliverable",
            "start_date",
            "milestone",
            "budget_amount",
            "people_needed",
            "materials",
        )
    }
    fields.update(values)
    return tasks_services.TaskInput(departments=list(task.departments.all()), **fields)


def _apply_to(subject: str, obj, values: dict, *, override: plans_services.FrozenOverride) -> None:
    """Change one object through the service a direct edit uses."""
    by = override.by
    if subject == ChangeSubject.TARGET:
        plans_services.target_save(data=_target_input(obj, values), target=obj, override=override)
    elif subject == ChangeSubject.CAMPAIGN:
        plans_services.campaign_update(campaign=obj, override=override, **values)
    elif subject == ChangeSubject.PLAN:
        plans_services.plan_update(plan=obj, override=override, **values)
    elif subject == ChangeSubject.BUDGET_LINE:
        plans_services.budget_line_save(
            plan=obj.plan,
            line=obj,
            category=obj.category,
            channel=obj.channel,
            description=obj.description,
            planned_amount=values["planned_amount"],
            override=override,
        )
    elif subject == ChangeSubject.MILESTONE:
        obj._change_reason = override.reason
        tasks_services.milestone_save(
            campaign=obj.campaign,
            stage=obj.stage,
            name=obj.name,
            due_date=values["due_date"],
            reached_on=obj.reached_on,
            milestone=obj,
            by=by,
        )
    elif subject == ChangeSubject.TASK:
        obj._change_reason = override.reason
        tasks_services.task_update(task=obj, data=_task_input(obj, values), by=by)
    elif subject == ChangeSubject.PLAN_ITEM:
        obj._history_user, obj._change_reason = by, override.reason
        plans_services.plan_item_save(
            plan=obj.plan, section=obj.section, category=obj.category, sort_order=obj.sort_order, item=obj, **values
        )


def _apply_changes(changes: list[AdjustmentChange], *, override: plans_services.FrozenOverride) -> None:
    """Apply every change, refusing them all when a value is no longer what was proposed from."""
    grouped: dict[tuple[str, int], list[AdjustmentChange]] = {}
    for change in changes:
        grouped.setdefault((change.subject, change.object_id), []).append(change)
    for (subject, object_id), group in grouped.items():
        model = SUBJECT_MODELS[subject]
        obj = _load(subject, object_id)
        values = {}
        for change in group:
            now = value_text(model, change.field, getattr(obj, change.field))
            if now != change.before:
                raise ValidationError(
                    _(
                        "%(what)s was changed since this request was submitted (it is now “%(now)s”, the request "
                        "was made from “%(before)s”). Nothing was changed: request the adjustment again."
                    )
                    % {"what": change.label, "now": now or "—", "before": change.before or "—"}
                )
            values[change.field] = _parse(model, change.field, change.after)
        _apply_to(subject, obj, values, override=override)


def _dry_run(changes: list[AdjustmentChange], *, by: User) -> None:
    """Check the changes by the rules of a direct edit: apply them in a savepoint, roll back."""
    try:
        with transaction.atomic():
            _apply_changes(changes, override=plans_services.FrozenOverride(by=by, reason="check", adjustment=True))
            raise _DryRun
    except _DryRun:
        pass


# Who decides, and who is told ----------------------------------------------------------------


def step_deciders(adjustment: Adjustment, step: str) -> list[User]:
    """The people whose decision a step awaits (the requester never decides their own)."""
    plan = adjustment.plan
    if (
        step == ApprovalStep.OWNER
        and adjustment.campaign_id
        and adjustment.campaign.owner_id != adjustment.requested_by_id
    ):
        people = [adjustment.campaign.owner]
    elif step in (ApprovalStep.OWNER, ApprovalStep.LEAD):
        # The marketing lead is the plan's owner; when they requested it, the other managers.
        if plan.owner_id != adjustment.requested_by_id:
            people = [plan.owner]
        else:
            people = list(User.objects.active().with_role(Role.MARKETING_MANAGER))
    else:
        people = list(User.objects.active().with_role(Role.EXECUTIVE))
    return [person for person in people if person.is_active and person.pk != adjustment.requested_by_id]


def _message(adjustment: Adjustment, kind: str, language: str) -> tuple[str, str]:
    with translation.override(language):
        scope = str(adjustment.scope)
        what = adjustment.get_kind_display()
        if kind == AdjustmentNotificationKind.AWAITING:
            title = _("Adjustment awaiting your approval: %(kind)s of %(scope)s") % {"kind": what, "scope": scope}
            body = _("%(person)s requests it: %(reason)s") % {
                "person": adjustment.requested_by.display_name,
                "reason": adjustment.reason[:200],
            }
        elif kind == AdjustmentNotificationKind.APPROVED:
            title = _("Adjustment approved and applied: %(kind)s of %(scope)s") % {"kind": what, "scope": scope}
            body = _("Your request has been approved; the new values apply from now.")
        else:
            title = _("Adjustment rejected: %(kind)s of %(scope)s") % {"kind": what, "scope": scope}
            body = adjustment.rejection_reason
    return title, body


def _notify(adjustment: Adjustment, kind: str, recipients: list[User]) -> None:
    notify(
        recipients=recipients,
        kind=kind,
        subject=adjustment,
        wording=lambda language, _recipient: _message(adjustment, kind, language),
        url=adjustment.get_absolute_url(),
    )


# The lifecycle -------------------------------------------------------------------------------


@dataclass
class Preview:
    """What a request would change, before it is submitted: its changes (before → after) and
    whether it is major."""

    plan: AnnualPlan
    campaign: Campaign | None
    changes: list[AdjustmentChange]
    major: bool


def adjustment_preview(
    *,
    by: User,
    kind: str,
    changes: list[ProposedChange],
    plan: AnnualPlan | None = None,
    campaign: Campaign | None = None,
    changes_total: bool = False,
) -> Preview:
    """Check a proposal by the rules of a direct edit and say what it would change, minor or
    major, without saving anything."""
    if kind not in AdjustmentKind.values:
        raise ValidationError({"kind": _("Unknown kind of adjustment.")})
    if campaign is not None:
        plan = campaign.plan
    if plan is None:
        raise ValidationError({"campaign": _("Give the campaign or the plan to adjust.")})
    plans_services.ensure_plan_open(plan)
    if not changes:
        raise ValidationError({"changes": _("Propose at least one new value.")})
    allowed = KIND_FIELDS[kind]
    rows, seen = [], set()
    for position, proposed in enumerate(changes):
        if proposed.subject not in allowed or proposed.field not in allowed[proposed.subject]:
            raise ValidationError(
                {
                    "changes": _("A %(kind)s adjustment cannot change %(field)s.")
                    % {"kind": kind, "field": proposed.field}
                }
            )
        key = (proposed.subject, proposed.object_id, proposed.field)
        if key in seen:
            raise ValidationError({"changes": _("Each value is proposed once per request.")})
        seen.add(key)
        obj = _load(proposed.subject, proposed.object_id)
        _check_scope(proposed.subject, obj, plan=plan, campaign=campaign)
        model = type(obj)
        after = _parse(model, proposed.field, proposed.after)
        label_en, label_zh = _label(proposed.subject, obj, proposed.field)
        change = AdjustmentChange(
            subject=proposed.subject,
            object_id=obj.pk,
            field=proposed.field,
            label_en=label_en,
            label_zh=label_zh,
            before=value_text(model, proposed.field, getattr(obj, proposed.field)),
            after=value_text(model, proposed.field, after),
            position=position,
        )
        if change.before != change.after:
            rows.append((proposed.subject, obj, change))
    if not rows:
        raise ValidationError({"changes": _("The proposed values are the current ones: nothing would change.")})
    lines = [change for subject, _obj, change in rows if subject == ChangeSubject.BUDGET_LINE]
    if kind == AdjustmentKind.BUDGET and len(lines) > 1 and not changes_total:
        moved = sum((Decimal(change.after) - Decimal(change.before) for change in lines), Decimal(0))
        if moved:
            raise ValidationError(
                {
                    "changes": _(
                        "A reallocation keeps the total: the budget lines would change by %(moved)s in all. "
                        "Balance them, or say that the request changes the total."
                    )
                    % {"moved": format_number(moved, places=2)}
                }
            )
    changes_rows = [change for _subject, _obj, change in rows]
    _dry_run(changes_rows, by=by)
    return Preview(plan=plan, campaign=campaign, changes=changes_rows, major=_is_major(kind, plan, rows))


@transaction.atomic
def adjustment_request(
    *,
    by: User,
    kind: str,
    changes: list[ProposedChange],
    reason: str,
    plan: AnnualPlan | None = None,
    campaign: Campaign | None = None,
    expected_effect: str = "",
    changes_total: bool = False,
    alerts: list[Alert] | None = None,
    issues: list[Issue] | None = None,
) -> Adjustment:
    """Submit a request to adjust a plan or a campaign: checked by the rules of a direct edit,
    judged minor or major, and sent to whoever decides first."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the adjustment is needed.")})
    preview = adjustment_preview(
        by=by, kind=kind, changes=changes, plan=plan, campaign=campaign, changes_total=changes_total
    )
    campaign_id = preview.campaign.pk if preview.campaign else None
    for alert in alerts or []:
        if alert.campaign_id != campaign_id:
            raise ValidationError({"alerts": _("The alert %(id)s is not one of this campaign.") % {"id": alert.pk}})
    for issue in issues or []:
        if issue.campaign_id != campaign_id:
            raise ValidationError({"issues": _("The issue %(id)s is not one of this campaign.") % {"id": issue.pk}})
    adjustment = Adjustment(
        plan=preview.plan,
        campaign=preview.campaign,
        kind=kind,
        major=preview.major,
        awaiting=ApprovalStep.LEAD if preview.major else ApprovalStep.OWNER,
        reason=reason.strip(),
        expected_effect=(expected_effect or "").strip(),
        changes_total=changes_total,
        requested_by=by,
    )
    adjustment._history_user = by
    adjustment.full_clean()
    adjustment.save()
    for change in preview.changes:
        change.adjustment = adjustment
    AdjustmentChange.objects.bulk_create(preview.changes)
    adjustment.alerts.set(alerts or [])
    adjustment.issues.set(issues or [])
    _notify(adjustment, AdjustmentNotificationKind.AWAITING, step_deciders(adjustment, adjustment.awaiting))
    return adjustment


def _locked(adjustment: Adjustment) -> Adjustment:
    """The adjustment, locked for this transaction and read afresh: of two approvers at the
    same moment, the second waits here and then finds it decided."""
    locked = Adjustment.objects.select_for_update().get(pk=adjustment.pk)
    for name in ("state", "awaiting", "updated_at"):
        setattr(adjustment, name, getattr(locked, name))
    if adjustment.state != AdjustmentState.PENDING:
        raise ValidationError(
            {"state": _("This request is already %(state)s.") % {"state": adjustment.get_state_display()}}
        )
    return adjustment


def _decide(adjustment: Adjustment, *, by: User, approved: bool, note: str) -> None:
    if not may_decide(by, adjustment):
        raise ValidationError(
            {"state": _("You do not decide this request (the requester never approves their own request).")}
        )
    try:
        with transaction.atomic():
            AdjustmentDecision.objects.create(
                adjustment=adjustment, step=adjustment.awaiting, approved=approved, by=by, note=note
            )
    except IntegrityError as exc:
        raise ValidationError({"state": _("This step has already been decided.")}) from exc


@transaction.atomic
def adjustment_approve(*, adjustment: Adjustment, by: User, note: str = "") -> Adjustment:
    """Approve the step a request awaits. The marketing lead's approval sends a major request
    on to the executives; the last approval applies the changes, all or none."""
    adjustment = _locked(adjustment)
    _decide(adjustment, by=by, approved=True, note=(note or "").strip())
    adjustment._history_user = by
    if adjustment.awaiting == ApprovalStep.LEAD:
        adjustment.awaiting = ApprovalStep.EXECUTIVE
        adjustment.save(update_fields=["awaiting", "updated_at"])
        _notify(adjustment, AdjustmentNotificationKind.AWAITING, step_deciders(adjustment, adjustment.awaiting))
        return adjustment
    changes = list(adjustment.changes.all())
    reason = f"Adjustment #{adjustment.pk}"
    _apply_changes(changes, override=plans_services.FrozenOverride(by=by, reason=reason, adjustment=True))
    now = timezone.now()
    adjustment.state, adjustment.awaiting = AdjustmentState.APPROVED, ""
    adjustment.decided_at = adjustment.applied_at = now
    adjustment.save(update_fields=["state", "awaiting", "decided_at", "applied_at", "updated_at"])
    _notify(adjustment, AdjustmentNotificationKind.APPROVED, [adjustment.requested_by])
    return adjustment


@transaction.atomic
def adjustment_reject(*, adjustment: Adjustment, by: User, reason: str) -> Adjustment:
    """Reject a pending request, saying why; nothing it proposed changes."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the request is rejected.")})
    adjustment = _locked(adjustment)
    _decide(adjustment, by=by, approved=False, note=reason.strip())
    adjustment._history_user = by
    adjustment.state, adjustment.awaiting = AdjustmentState.REJECTED, ""
    adjustment.rejection_reason, adjustment.decided_at = reason.strip(), timezone.now()
    adjustment.save(update_fields=["state", "awaiting", "rejection_reason", "decided_at", "updated_at"])
    _notify(adjustment, AdjustmentNotificationKind.REJECTED, [adjustment.requested_by])
    return adjustment


@transaction.atomic
def adjustment_withdraw(*, adjustment: Adjustment, by: User) -> Adjustment:
    """The requester takes back a pending request."""
    adjustment = _locked(adjustment)
    if by.pk != adjustment.requested_by_id:
        raise ValidationError({"state": _("Only the person who requested it withdraws a request.")})
    adjustment._history_user = by
    adjustment.state, adjustment.awaiting, adjustment.decided_at = AdjustmentState.WITHDRAWN, "", timezone.now()
    adjustment.save(update_fields=["state", "awaiting", "decided_at", "updated_at"])
    return adjustment
