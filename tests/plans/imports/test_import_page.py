"""The metric value import page: it explains the columns and gives an example file; an upload
goes back to the campaign with the counts, or shows every problem; only the campaign's
owner and marketing managers import."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import Role
from plans.models import MetricValue
from tests.plans.imports.uploads import DAY, VALID_CSV, csv_upload, run_import

pytestmark = pytest.mark.django_db


def import_url(campaign) -> str:
    return reverse("plans:metric_values_import", args=[campaign.pk])


def test_the_import_page_explains_the_columns_and_offers_an_example(client, manager, campaign):
    client.force_login(manager)

    response = client.get(import_url(campaign))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "指标代码" in html
    assert "units_sold" in html
    example = client.get(import_url(campaign) + "?example=csv")
    assert example["Content-Type"].startswith("text/csv")
    assert "attachment" in example["Content-Disposition"]
    # The example itself imports cleanly.
    result = run_import(csv_upload(example.content.decode("utf-8")), campaign, manager)
    assert result.ok, result.errors


def test_uploading_a_valid_file_redirects_to_the_campaign_with_the_counts(client, manager, campaign):
    client.force_login(manager)

    response = client.post(import_url(campaign), {"file": csv_upload(VALID_CSV)})

    assert response.status_code == 302
    assert response["Location"] == reverse("plans:campaign_detail", args=[campaign.pk])
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "Metric values imported: 4 created, 0 updated."
    ]
    assert MetricValue.objects.filter(campaign=campaign).count() == 4


def test_uploading_a_bad_file_shows_every_problem_with_row_and_column_and_saves_nothing(client, manager, campaign):
    client.force_login(manager)
    text = VALID_CSV + f"{DAY},units_sold,moon,5\n{DAY},units_sold,ecommerce,abc\n"

    response = client.post(import_url(campaign), {"file": csv_upload(text)})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was imported: the file has 2 problems." in html
    assert '<td class="text-nowrap">6</td><td class="text-nowrap">channel</td>' in html
    assert '<td class="text-nowrap">7</td><td class="text-nowrap">value</td>' in html
    assert MetricValue.objects.count() == 0


def test_uploading_nothing_asks_for_a_file(client, manager, campaign):
    client.force_login(manager)

    response = client.post(import_url(campaign), {})

    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_the_campaign_owner_may_import_into_their_campaign(client, owner, campaign):
    client.force_login(owner)

    response = client.post(import_url(campaign), {"file": csv_upload(VALID_CSV)})

    assert response.status_code == 302
    assert MetricValue.objects.filter(campaign=campaign).count() == 4


@pytest.mark.parametrize("role", [Role.STAFF, Role.EXECUTIVE, Role.DEPARTMENT_LEAD, Role.VIEWER])
def test_other_roles_may_not_open_the_import_page_nor_import(client, make_user, campaign, role):
    client.force_login(make_user(role))

    assert client.get(import_url(campaign)).status_code == 403
    assert client.get(import_url(campaign) + "?example=csv").status_code == 403
    assert client.post(import_url(campaign), {"file": csv_upload(VALID_CSV)}).status_code == 403
    assert MetricValue.objects.count() == 0


def test_importing_into_a_missing_campaign_is_not_found(client, manager):
    client.force_login(manager)

    assert client.get(reverse("plans:metric_values_import", args=[999999])).status_code == 404
