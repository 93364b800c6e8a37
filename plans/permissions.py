"""Who may do what with plans, campaigns and metric values: predicates that views and API
permission classes share, so pages and API cannot drift apart."""

from accounts.permissions import is_administrator, is_executive, is_marketing_manager

from .models import AnnualPlan, Campaign, PlanStatus


def can_view_plans(user) -> bool:
    """Everyone signed in reads plans (staff, department leads, viewers, BI tokens)."""
    return bool(user and user.is_authenticated)


def can_create_plan(user) -> bool:
    return is_marketing_manager(user) or is_administrator(user)


def can_edit_plan(user, plan: AnnualPlan) -> bool:
    """Marketing managers edit plans and their targets, sections and budget; a closed plan is
    frozen, for administrators too (they reopen it first, with a forced status move)."""
    if plan.is_frozen:
        return False
    return is_administrator(user) or is_marketing_manager(user)


def goals_editable_directly(user, *, plan: AnnualPlan | None = None, campaign: Campaign | None = None) -> bool:
    """Whether the goals and budget of a plan or campaign are edited in place: not once the plan
    is approved or the campaign executing (an adjustment changes them), unless by an
    administrator's override."""
    frozen = campaign.goals_are_frozen if campaign is not None else plan.goals_are_frozen
    return not frozen or is_administrator(user)


# Who moves a plan from one status to the next.
PLAN_TRANSITIONS = {
    (PlanStatus.DRAFT, PlanStatus.APPROVED): "executive",
    (PlanStatus.APPROVED, PlanStatus.ACTIVE): "manager",
    (PlanStatus.ACTIVE, PlanStatus.CLOSED): "manager",
    (PlanStatus.APPROVED, PlanStatus.DRAFT): "manager",
}


def can_approve_plans(user) -> bool:
    """Executives approve draft plans (and administrators may)."""
    return is_executive(user) or is_administrator(user)


def can_move_plan(user, plan: AnnualPlan, to_status: str) -> bool:
    if is_administrator(user):
        return True
    who = PLAN_TRANSITIONS.get((plan.status, to_status))
    if who == "executive":
        return is_executive(user)
    if who == "manager":
        return is_marketing_manager(user)
    return False


def can_create_campaign(user) -> bool:
    return is_marketing_manager(user) or is_administrator(user)


def can_edit_campaign(user, campaign: Campaign) -> bool:
    """Marketing managers and the campaign's owner edit it, its goals and its sub-goals."""
    if is_administrator(user) or is_marketing_manager(user):
        return True
    return bool(user and user.is_authenticated and campaign.owner_id == user.pk)


def can_record_values(user, campaign: Campaign | None) -> bool:
    """Metric values are recorded by the campaign's owner, its task owners (Responsible) and
    marketing managers; plan-level values by managers only."""
    if is_administrator(user) or is_marketing_manager(user):
        return True
    if campaign is None or not (user and user.is_authenticated):
        return False
    return campaign.owner_id == user.pk or _owns_a_task(user, campaign)


def _owns_a_task(user, campaign: Campaign) -> bool:
    # The tasks app is a layer above plans: ask through the reverse relation it adds to
    # Campaign rather than importing it.
    tasks = getattr(campaign, "tasks", None)
    return tasks is not None and tasks.filter(responsible_id=user.pk).exists()
