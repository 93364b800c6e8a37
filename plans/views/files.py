"""Pages that take or give files: the metric value import and the plan's XLSX export."""

import csv
import io
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import BootstrapFormMixin
from core.formulas import csv_row

from .. import exports, imports, selectors
from ..models import Campaign
from ..permissions import can_record_values, can_view_plans

# Errors shown on the page; the rest are counted (a file of 100,000 bad rows would not fit).
ERRORS_SHOWN = 500


class MetricValueImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("A CSV or Excel (.xlsx) file, one value a row."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )


def _example_rows(campaign: Campaign) -> list[list[str]]:
    day = min(campaign.start_date, timezone.localdate() - timedelta(days=1))
    return [
        ["date", "metric", "channel", "value"],
        [day.isoformat(), "units_sold", "ecommerce", "1200"],
        [day.isoformat(), "units_sold", "stores", "350"],
        [day.isoformat(), "marketing_cost", "", "8000.50"],
        [(day + timedelta(days=1)).isoformat(), "ctr", "ecommerce", "3.2"],
    ]


def _example_csv(campaign: Campaign) -> HttpResponse:
    output = io.StringIO()
    csv.writer(output, lineterminator="\r\n").writerows(csv_row(row) for row in _example_rows(campaign))
    # With a BOM, Excel opens it as UTF-8 (Chinese text included).
    response = HttpResponse("\ufeff" + output.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="metric-values-example.csv"'
    return response


@require_http_methods(["GET", "POST"])
def metric_values_import(request, pk):
    campaign = get_object_or_404(Campaign.objects.select_related("plan"), pk=pk)
    if not can_record_values(request.user, campaign):
        raise PermissionDenied
    if request.method == "GET" and request.GET.get("example") == "csv":
        return _example_csv(campaign)
    form = MetricValueImportForm(request.POST, request.FILES) if request.method == "POST" else MetricValueImportForm()
    result = None
    if form.is_bound and form.is_valid():
        result = imports.import_metric_values(file=form.cleaned_data["file"], campaign=campaign, user=request.user)
        if result.ok:
            messages.success(
                request,
                _("Metric values imported: %(created)s created, %(updated)s updated.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect(campaign)
    return render(
        request,
        "plans/metric_import.html",
        {
            "campaign": campaign,
            "form": form,
            "result": result,
            "errors": result.errors[:ERRORS_SHOWN] if result else [],
            "errors_hidden": max(len(result.errors) - ERRORS_SHOWN, 0) if result else 0,
            "example": _example_rows(campaign),
            "metrics": selectors.metric_list(),
            "channels": selectors.channel_list(),
        },
    )


@require_GET
def plan_export(request, pk):
    if not can_view_plans(request.user):
        raise PermissionDenied
    detail = selectors.plan_detail(plan_id=pk)
    if detail is None:
        raise Http404
    response = HttpResponse(exports.plan_workbook(detail), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="plan-{detail["plan"].year}.xlsx"'
    return response
