"""Pages of follow-up actions and lessons: adding, changing and deleting them while the review
is a draft (the same predicate as the API), marking an action done."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import submit
from core.redirects import safe_next_url
from plans.views.base import form_page, require

from .. import permissions
from ..forms import ActionForm, LessonForm
from ..models import FollowUpAction, Lesson, Review
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


def action_edit(request, pk: int):
    """Change a follow-up action's text, owner and due date (its state stays with "done")."""
    item = get_object_or_404(FollowUpAction.objects.select_related("review__campaign", "owner"), pk=pk)
    review = item.review
    require(permissions.can_edit_review(request.user, review))
    initial = {"action": item.action, "owner": item.owner, "due_date": item.due_date}
    form = ActionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = actions.ActionInput(**form.cleaned_data)
        if submit(form, actions.action_save, review=review, data=data, action=item):
            messages.success(request, _("The follow-up action has been saved."))
            return redirect(review)
    return form_page(
        request, form, title=_("Change a follow-up action"), cancel_url=review.get_absolute_url() + "#actions"
    )


def _lesson(request, pk: int) -> Lesson:
    lesson = get_object_or_404(Lesson.objects.select_related("review__campaign"), pk=pk)
    require(permissions.can_edit_review(request.user, lesson.review))
    return lesson


def lesson_edit(request, pk: int):
    """The lesson's form, filled in; the service refreshes its search text."""
    lesson = _lesson(request, pk)
    review = lesson.review
    initial = {
        "kind": lesson.kind,
        "text": lesson.text,
        "tags": lesson.tags,
        "stage": lesson.stage,
        "channels": list(lesson.channels.all()),
        "metrics": list(lesson.metrics.all()),
    }
    form = LessonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = lessons.LessonInput(**form.cleaned_data)
        if submit(form, lessons.lesson_save, review=review, data=data, by=request.user, lesson=lesson):
            messages.success(request, _("The lesson has been saved."))
            return redirect(review)
    return form_page(request, form, title=_("Change a lesson"), cancel_url=review.get_absolute_url() + "#lessons")


def lesson_delete(request, pk: int):
    """Ask, then delete the lesson (a POST); its history is kept."""
    lesson = _lesson(request, pk)
    review = lesson.review
    if request.method == "POST":
        try:
            lessons.lesson_delete(lesson=lesson)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The lesson has been deleted."))
        return redirect(review)
    cancel_url = review.get_absolute_url() + "#lessons"
    return render(request, "plans/confirm_delete.html", {"object": lesson, "cancel_url": cancel_url})
