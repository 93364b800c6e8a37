"""Who may do what with tasks: the same predicates for pages and API."""

from accounts.models import Role
from accounts.permissions import is_administrator, is_marketing_manager
from plans.models import Campaign

from .models import Task


def can_manage_tasks(user, campaign: Campaign) -> bool:
    """The campaign's owner and marketing managers create tasks, stages and milestones and assign roles."""
    if not (user and user.is_authenticated):
        return False
    return is_administrator(user) or is_marketing_manager(user) or campaign.owner_id == user.pk


def can_change_status(user, task: Task) -> bool:
    """Only the task's Responsible and its Accountable change its status or add a note."""
    return bool(user and user.is_authenticated and user.pk in (task.responsible_id, task.accountable_id))


def can_view_task(user, task: Task) -> bool:
    return Task.objects.visible_to(user).filter(pk=task.pk).exists()


# The roles whose people update their tasks every day (executives and viewers read).
DAILY_UPDATE_ROLES = frozenset({Role.STAFF, Role.DEPARTMENT_LEAD, Role.MARKETING_MANAGER})


def expects_daily_update(user, *, open_tasks: int) -> bool:
    """Whether My tasks asks the person for their daily update or a “nothing to report today”:
    people in a working role who are Responsible for open tasks, not executives or viewers."""
    return bool(user and user.is_authenticated and open_tasks and user.role_names & DAILY_UPDATE_ROLES)
