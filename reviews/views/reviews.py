"""Pages of reviews: the list, the review (form 4 and the report's parts), editing a draft,
finalising and archiving, comments."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import submit
from plans import permissions as plan_permissions
from plans.models import Campaign
from plans.views.base import form_page, require

from .. import permissions, selectors
from ..forms import CommentForm, LineForm, NewLineForm, ReviewForm
from ..models import Review, ReviewLine
from ..services import reviews as services


def review_list(request):
    require(permissions.can_view_reviews(request.user))
    today = timezone.localdate()
    reviews = list(selectors.review_list().order_by("state", "-campaign__end_date", "pk"))
    for review in reviews:
        review.overdue = review.is_overdue(today)
    return render(request, "reviews/review_list.html", {"reviews": reviews, "today": today})


def review_detail(request, pk: int):
    require(permissions.can_view_reviews(request.user))
    data = selectors.review_detail(review_id=pk)
    if data is None:
        raise Http404
    review, user = data["review"], request.user
    data.update(
        can_edit=permissions.can_edit_review(user, review),
        can_archive=permissions.can_archive_review(user, review),
        can_comment=permissions.can_comment_review(user, review),
        comment_form=CommentForm(),
    )
    return render(request, "reviews/review_detail.html", data)


@require_POST
def review_start(request, pk: int):
    """Open a campaign's review now (the daily job opens it once the campaign has ended)."""
    campaign = get_object_or_404(Campaign, pk=pk)
    require(plan_permissions.can_edit_campaign(request.user, campaign))
    try:
        review = services.review_open(campaign=campaign, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(campaign)
    return redirect(review)


def review_edit(request, pk: int):
    review = get_object_or_404(Review.objects.select_related("campaign"), pk=pk)
    require(permissions.can_edit_review(request.user, review))
    initial = {
        "meeting_date": review.meeting_date,
        "participants": list(review.participants.all()),
        "overview": review.overview,
        "conclusion": review.conclusion,
        "what_worked": review.what_worked,
        "shortfalls": review.shortfalls,
    }
    form = ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = services.ReviewInput(**form.cleaned_data)
        if submit(form, services.review_update, review=review, data=data, by=request.user):
            messages.success(request, _("The review has been saved."))
            return redirect(review)
    return form_page(request, form, title=_("Review meeting and report"), cancel_url=review.get_absolute_url())


def line_edit(request, pk: int):
    line = get_object_or_404(ReviewLine.objects.select_related("review__campaign"), pk=pk)
    review = line.review
    require(permissions.can_edit_review(request.user, review))
    initial = {
        "dimension": line.dimension,
        "dimension_label": line.dimension_label,
        "analysis": line.analysis,
        "suggestion": line.suggestion,
    }
    form = LineForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = services.LineInput(**form.cleaned_data)
        if submit(form, services.review_line_save, review=review, data=data, line=line):
            return redirect(review)
    return form_page(request, form, title=line.name, cancel_url=review.get_absolute_url())


def line_create(request, pk: int):
    review = get_object_or_404(Review.objects.select_related("campaign"), pk=pk)
    require(permissions.can_edit_review(request.user, review))
    form = NewLineForm(request.POST or None, campaign=review.campaign)
    if request.method == "POST" and form.is_valid():
        data = services.LineInput(**form.cleaned_data)
        if submit(form, services.review_line_save, review=review, data=data):
            return redirect(review)
    return form_page(request, form, title=_("Add a line"), cancel_url=review.get_absolute_url())


def line_delete(request, pk: int):
    """Ask, then delete a line a manager added (a POST), while the review is a draft; a goal's
    own line stays, and a POST to delete it is refused with the reason."""
    line = get_object_or_404(ReviewLine.objects.select_related("review__campaign"), pk=pk)
    review = line.review
    require(permissions.can_edit_review(request.user, review))
    if request.method == "POST":
        try:
            services.review_line_delete(line=line)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The line has been deleted."))
        return redirect(review)
    if not line.added:
        messages.error(request, services.GOAL_LINE_STAYS)
        return redirect(review)
    cancel_url = review.get_absolute_url() + "#key-data"
    return render(request, "plans/confirm_delete.html", {"object": line, "cancel_url": cancel_url})


@require_POST
def review_finalise(request, pk: int):
    review = get_object_or_404(Review, pk=pk)
    require(permissions.can_finalise_review(request.user, review))
    try:
        services.review_finalise(review=review, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The review is final: its figures are frozen."))
    return redirect(review)


@require_POST
def review_archive(request, pk: int):
    review = get_object_or_404(Review, pk=pk)
    require(permissions.can_archive_review(request.user, review))
    try:
        services.review_archive(review=review, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The review and its campaign are archived in the knowledge base."))
    return redirect(review)


@require_POST
def review_comment(request, pk: int):
    review = get_object_or_404(Review.objects.select_related("campaign"), pk=pk)
    require(permissions.can_comment_review(request.user, review))
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.review_comment_add(review=review, author=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Write the comment first."))
    return redirect(review)


def campaign_review(request, pk: int):
    """The campaign page's review section: its review, or the button that opens it."""
    campaign = get_object_or_404(Campaign, pk=pk)
    review = Review.objects.filter(campaign=campaign).first()
    today = timezone.localdate()
    return render(
        request,
        "reviews/_campaign_review.html",
        {
            "campaign": campaign,
            "review": review,
            "overdue": review.is_overdue(today) if review else False,
            "can_start": review is None
            and campaign.status in ("executing", "reviewing")
            and plan_permissions.can_edit_campaign(request.user, campaign),
        },
    )


def reviews_due(request):
    """The dashboard's reviews to finalise: the person's campaigns' drafts (every draft for
    managers), overdue ones in red."""
    today = timezone.localdate()
    reviews = selectors.drafts_for(user=request.user)
    for review in reviews:
        review.overdue = review.is_overdue(today)
    return render(request, "reviews/_reviews_due.html", {"reviews": reviews})
