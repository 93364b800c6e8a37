"""Who may do what with tasks: the same predicates for pages and API."""

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
