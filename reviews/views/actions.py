"""Pages of follow-up actions and lessons: adding them to a review, marking an action done."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import submit
from core.redirects import safe_next_url
from plans.views.base import form_page, require

from .. import permissions
from ..forms import ActionForm, LessonForm
from ..models import FollowUpAction, Review
from ..services import actions, lessons


def action_create(request, pk: int):
    review = get_object_or_404(Review.objects.select_related("campaign"), pk=pk)
    require(permissions.can_edit_review(request.user, review))
    form = ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = actions.ActionInput(**form.cleaned_data)
        if submit(form, actions.action_save, review=review, data=data):
            return redirect(review)
    return form_page(request, form, title=_("Add a follow-up action"), cancel_url=review.get_absolute_url())


@require_POST
def action_done(request, pk: int):
    action = get_object_or_404(FollowUpAction.objects.select_related("review"), pk=pk)
    require(permissions.can_complete_action(request.user, action))
    actions.action_mark_done(action=action, by=request.user, note=request.POST.get("note", "")[:2000])
    messages.success(request, _("The follow-up action is done."))
    return redirect(safe_next_url(request, request.POST.get("next"), fallback=reverse("tasks:my_tasks")))


def lesson_create(request, pk: int):
    review = get_object_or_404(Review.objects.select_related("campaign"), pk=pk)
    require(permissions.can_edit_review(request.user, review))
    form = LessonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = lessons.LessonInput(**form.cleaned_data)
        if submit(form, lessons.lesson_save, review=review, data=data, by=request.user):
            return redirect(review)
    return form_page(request, form, title=_("Add a lesson"), cancel_url=review.get_absolute_url())
