"""Pages of metrics: recording a campaign's values for a day, and the metric dictionary."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.forms import submit

from .. import permissions, selectors, services
from ..forms import MetricEntryForm
from ..models import Aggregation, Campaign, ValueSource
from ..services import ValueRow
from .base import require


def metric_values_record(request, pk: int):
    """Several metrics of a campaign for one day at once; the campaign's goal metrics first."""
    campaign = get_object_or_404(Campaign.objects.select_related("plan"), pk=pk)
    require(permissions.can_record_values(request.user, campaign))
    goal_metric_ids = set(campaign.targets.values_list("metric_id", flat=True))
    # A derived metric (ROI…) is computed from its components, never typed: not offered.
    recordable = selectors.metric_list().exclude(aggregation=Aggregation.RATIO)
    metrics = sorted(recordable, key=lambda m: (m.pk not in goal_metric_ids, m.code))
    form = MetricEntryForm(request.POST or None, metrics=metrics, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        rows = [
            ValueRow(
                metric=metric,
                value=value,
                date=form.cleaned_data["date"],
                plan=campaign.plan,
                campaign=campaign,
                channel=form.cleaned_data["channel"],
            )
            for metric, value in form.values()
        ]
        summary = submit(
            form, services.metric_values_record, rows=rows, source=ValueSource.MANUAL, recorded_by=request.user
        )
        if summary:
            messages.success(
                request,
                _("%(created)s values recorded, %(updated)s updated.")
                % {"created": summary.created, "updated": summary.updated},
            )
            return redirect(campaign)
    goal_fields = [form[form.field_name(m)] for m in metrics if m.pk in goal_metric_ids]
    other_fields = [form[form.field_name(m)] for m in metrics if m.pk not in goal_metric_ids]
    return render(
        request,
        "plans/metric_entry.html",
        {"campaign": campaign, "form": form, "goal_fields": goal_fields, "other_fields": other_fields},
    )


def metric_list(request):
    return render(
        request, "plans/metric_list.html", {"metrics": selectors.metric_list(), "channels": selectors.channel_list()}
    )
