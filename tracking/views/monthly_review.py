"""The monthly review page (月度复盘) of a plan: a decision per campaign and channel; a stop or
boost opens the matching budget adjustment request, prefilled."""

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import date_problem
from plans.models import AnnualPlan

from .. import monthly_review as review
from .. import permissions
from ..models import ReviewDecision
from . import require


class DecisionForm(forms.Form):
    line = forms.CharField(max_length=40)
    decision = forms.ChoiceField(choices=ReviewDecision.choices, label=gettext_lazy("decision"))
    note = forms.CharField(required=False, max_length=2000, label=gettext_lazy("note"))


def _month(text: str | None) -> date:
    if not text:
        return timezone.localdate().replace(day=1)
    try:
        year, month = (int(part) for part in text.split("-"))
        first = date(year, month, 1)
    except ValueError as exc:
        raise Http404 from exc
    if date_problem(first):
        raise Http404
    return first


def monthly_review(request, pk: int, month: str | None = None):
    plan = get_object_or_404(AnnualPlan, pk=pk)
    first = _month(month)
    today = timezone.localdate()
    may_decide = permissions.can_request_adjustment(request.user, plan=plan, campaign=None, kind="budget")
    lines = review.review_lines(plan=plan, month=first, today=today)
    if request.method == "POST":
        require(may_decide)
        form = DecisionForm(request.POST)
        chosen = next((line for line in lines if form.is_valid() and line.key == form.cleaned_data["line"]), None)
        if chosen is None:
            messages.error(request, _("Choose a decision for one of the lines."))
        else:
            decision = form.cleaned_data["decision"]
            try:
                review.monthly_review_decide(
                    plan=plan,
                    month=first,
                    by=request.user,
                    decision=decision,
                    note=form.cleaned_data["note"],
                    campaign=chosen.obj if chosen.kind == "campaign" else None,
                    channel=chosen.obj if chosen.kind == "channel" else None,
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                target = review.prefilled_request_url(plan=plan, line=chosen, decision=decision, month=first)
                if target:
                    messages.info(
                        request, _("Decision recorded. Propose the budget change and submit it for approval.")
                    )
                    return redirect(target)
                messages.success(request, _("Decision recorded."))
        return redirect(reverse("tracking:monthly_review_month", args=[plan.pk, f"{first:%Y-%m}"]))
    previous = date.fromordinal(first.toordinal() - 1).replace(day=1)
    following = review.month_bounds(first)[1]
    following = date.fromordinal(following.toordinal() + 1)
    return render(
        request,
        "tracking/monthly_review.html",
        {
            "plan": plan,
            "month": first,
            "lines": lines,
            "may_decide": may_decide,
            "decisions": ReviewDecision.choices,
            "previous": f"{previous:%Y-%m}",
            "following": f"{following:%Y-%m}",
        },
    )
