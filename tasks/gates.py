"""What tasks adds to the kickoff gate (plans.gates): a campaign starts executing only with
its stages and tasks, each task carried by an active Responsible and Accountable."""

from django.db.models import Q
from django.utils.translation import gettext as _

from plans.models import Campaign

from .models import Stage, Task


def kickoff_problems(campaign: Campaign) -> list[str]:
    """The stages and tasks a campaign lacks to start executing."""
    problems = []
    if not Stage.objects.filter(campaign=campaign).exists():
        problems.append(_("Stages: the campaign has none."))
    tasks = Task.objects.filter(campaign=campaign)
    if not tasks.exists():
        problems.append(_("Tasks: the campaign has none yet."))
    uncarried = list(
        tasks.filter(Q(responsible__is_active=False) | Q(accountable__is_active=False))
        .order_by("pk")
        .values_list("name", flat=True)
    )
    if uncarried:
        problems.append(
            _("Tasks without an active Responsible (R) and Accountable (A): %(tasks)s.")
            % {"tasks": ", ".join(uncarried)}
        )
    return problems
