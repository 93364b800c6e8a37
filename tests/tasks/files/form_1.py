"""Form 1 (the task breakdown and RACI matrix) as a file: its headers, the CSV and XLSX files
the import tests upload, and a campaign's tasks as the export gives them."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks.models import Stage

FORM_1_HEADERS = ["任务名称", "所属阶段", "任务描述", "负责人", "协作部门", "截止时间", "交付标准", "状态"]


def csv_file(rows: list[list], *, encoding: str = "utf-8", name: str = "tasks.csv") -> SimpleUploadedFile:
    """A CSV file of those rows, as a browser uploads it."""
    output = io.StringIO()
    csv.writer(output, lineterminator="\r\n").writerows(rows)
    return SimpleUploadedFile(name, output.getvalue().encode(encoding), content_type="text/csv")


def xlsx_file(content: bytes, name: str = "tasks.xlsx") -> SimpleUploadedFile:
    """An uploaded XLSX workbook of that content."""
    return SimpleUploadedFile(name, content)


def export_tasks(client, campaign, **query) -> bytes:
    """The campaign's tasks exported as Form 1, an XLSX workbook, as the client sees them."""
    response = client.get(reverse("tasks:tasks_export", args=[campaign.pk]), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return response.content


def stage_named(campaign, name_zh: str) -> Stage:
    """The campaign's stage of that Chinese name."""
    return campaign.stages.get(name_zh=name_zh)
