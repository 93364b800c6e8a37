"""The task import page: it explains the columns with the template's example rows, lists a
file's errors or goes back to the matrix with the counts; only the campaign's owner and
marketing managers import."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tasks.models import Task
from tests.tasks.files.form_1 import FORM_1_HEADERS, csv_file

pytestmark = pytest.mark.django_db


def test_the_import_page_explains_the_columns_with_the_templates_example_rows(client, manager, campaign):
    client.force_login(manager)

    response = client.get(reverse("tasks:tasks_import", args=[campaign.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    for text in [*FORM_1_HEADERS, "新品详情页上线", "KOL视频发布", "线下门店物料铺货"]:
        assert text in html


def test_the_import_page_lists_the_errors_and_saves_nothing(client, manager, campaign, team):
    client.force_login(manager)
    rows = [
        FORM_1_HEADERS,
        ["A", "产品筹备", "", "li", "", "2026-06-10", "", ""],
        ["B", "Nowhere", "", "li", "", "x", "", ""],
    ]

    response = client.post(reverse("tasks:tasks_import", args=[campaign.pk]), {"file": csv_file(rows)})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="import-errors"' in html
    assert "所属阶段" in html
    assert "截止时间" in html
    assert not Task.objects.exists()


def test_the_import_page_imports_and_goes_back_to_the_matrix_with_the_counts(client, manager, campaign, team):
    client.force_login(manager)
    rows = [FORM_1_HEADERS, ["A", "产品筹备", "", "li", "", "2026-06-10", "", ""]]

    response = client.post(reverse("tasks:tasks_import", args=[campaign.pk]), {"file": csv_file(rows)}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("tasks:raci_matrix", args=[campaign.pk])
    assert "1 created, 0 updated" in response.content.decode()
    assert Task.objects.filter(campaign=campaign).count() == 1


@pytest.mark.parametrize("who", ["manager", "campaign owner"])
def test_a_manager_or_the_campaign_owner_may_import(client, manager, owner, campaign, team, who):
    client.force_login(manager if who == "manager" else owner)
    url = reverse("tasks:tasks_import", args=[campaign.pk])
    rows = [FORM_1_HEADERS, ["A", "产品筹备", "", "li", "", "2026-06-10", "", ""]]

    assert client.get(url).status_code == 200
    response = client.post(url, {"file": csv_file(rows)})

    assert response.status_code == 302
    assert Task.objects.filter(campaign=campaign).count() == 1


@pytest.mark.parametrize("role", [Role.STAFF, Role.EXECUTIVE, Role.DEPARTMENT_LEAD, Role.VIEWER])
def test_other_roles_may_not_import_and_nothing_is_saved(client, make_user, campaign, team, role):
    client.force_login(make_user(role))
    url = reverse("tasks:tasks_import", args=[campaign.pk])
    rows = [FORM_1_HEADERS, ["A", "产品筹备", "", "li", "", "2026-06-10", "", ""]]

    assert client.get(url).status_code == 403
    response = client.post(url, {"file": csv_file(rows)})

    assert response.status_code == 403
    assert not Task.objects.exists()
