"""Pages that give or take files of tasks: form 1 (the RACI task matrix) as XLSX, and its import."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import BootstrapFormMixin
from plans.models import Campaign
from plans.permissions import can_view_plans

from .. import exports, imports, selectors
from ..permissions import can_manage_tasks
from .matrix import filters_from

# Errors shown on the page; the rest are counted.
ERRORS_SHOWN = 500

# Form 1's three example rows, as the execution tracking template gives them.
TEMPLATE_EXAMPLE = [
    [
        "新品详情页上线",
        "正式推广",
        "完成电商平台新品详情页制作与上线",
        "电商运营*专员",
        "产品部、设计部",
        "2024-06-10",
        "详情页通过审核,商品可正常访问",
        "未开始",
    ],
    [
        "KOL视频发布",
        "预热宣传",
        "合作3位腰部KOL发布新品测评视频",
        "市场推广*主管",
        "外部媒介团队",
        "2024-06-05",
        "视频播放量≥5万,互动率≥3%",
        "进行中",
    ],
    [
        "线下门店物料铺货",
        "产品筹备",
        "向100家合作门店铺货新品海报、手册",
        "渠道管理*专员",
        "销售部、物流部",
        "2024-06-08",
        "90%以上门店物料到位,签收确认完整",
        "未开始",
    ],
]


class TaskImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("A CSV or Excel (.xlsx) file shaped like form 1, one task a row."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )


@require_GET
def tasks_export(request, pk: int):
    """Form 1 as XLSX: the campaign's tasks the person may see (narrowed by the matrix's filters)."""
    campaign = get_object_or_404(Campaign, pk=pk)
    if not can_view_plans(request.user):
        raise PermissionDenied
    filters = filters_from(request.GET)
    today = timezone.localdate()
    tasks = selectors.raci_tasks(campaign=campaign, user=request.user)
    if filters.active:
        tasks = [task for task in tasks if selectors.raci_matches(selectors.raci_row(task, today=today), filters)]
    content = exports.tasks_workbook(
        campaign=campaign, tasks=tasks, exported_by=request.user, exported_at=timezone.localtime()
    )
    response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="tasks-campaign-{campaign.pk}.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
def tasks_import(request, pk: int):
    campaign = get_object_or_404(Campaign.objects.select_related("plan", "owner"), pk=pk)
    if not can_manage_tasks(request.user, campaign):
        raise PermissionDenied
    form = TaskImportForm(request.POST, request.FILES) if request.method == "POST" else TaskImportForm()
    result = None
    if form.is_bound and form.is_valid():
        result = imports.import_tasks(file=form.cleaned_data["file"], campaign=campaign, user=request.user)
        if result.ok:
            messages.success(
                request,
                _("Tasks imported: %(created)s created, %(updated)s updated.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect("tasks:raci_matrix", pk=campaign.pk)
    return render(
        request,
        "tasks/tasks_import.html",
        {
            "campaign": campaign,
            "form": form,
            "result": result,
            "errors": result.errors[:ERRORS_SHOWN] if result else [],
            "errors_hidden": max(len(result.errors) - ERRORS_SHOWN, 0) if result else 0,
            "headers": [header for _key, header, _label, _width in exports.COLUMNS],
            "template_columns": exports.TEMPLATE_COLUMNS,
            "example": TEMPLATE_EXAMPLE,
            "stages": selectors.stage_list(campaign=campaign),
        },
    )
