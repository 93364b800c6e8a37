"""A tampered link (an id that is no id) lands on a page that says what was wrong, in the
reader's language, on a phone and on a desktop — not on a server error."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, CampaignFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def campaign():
    manager = UserFactory(username="wang", name="王经理", roles=[Role.MARKETING_MANAGER], language="zh-hans")
    return CampaignFactory(owner=manager)


@pytest.mark.parametrize("screen", ["page", "phone_page"])
def test_a_threshold_link_with_a_target_that_is_no_id_says_so_in_chinese(request, campaign, screen, screenshot):
    page = request.getfixturevalue(screen)
    log_in(page, "wang", PASSWORD)

    response = page.goto(f"/campaigns/{campaign.pk}/thresholds/new/?target=²")

    assert response.status == 400
    expect(page.locator("h1")).to_have_text("无法读取此请求")
    expect(page.locator("main")).to_contain_text("“²”不是有效的 target")
    expect(page.get_by_role("link", name="返回工作台")).to_be_visible()
    screenshot(page, f"bad-request-zh-{screen}")


def test_a_zip_bomb_uploaded_as_metric_values_is_refused_with_a_message_in_chinese(
    phone_page, campaign, screenshot, tmp_path
):
    from tests.factories.spreadsheets import blank_rows_bomb, workbook_bytes

    bomb = tmp_path / "数据.xlsx"
    bomb.write_bytes(blank_rows_bomb(workbook_bytes([["日期", "指标代码", "数值"]]), unpacked_bytes=8 * 1024 * 1024))
    log_in(phone_page, "wang", PASSWORD)
    phone_page.goto(f"/campaigns/{campaign.pk}/metrics/import/")

    phone_page.set_input_files("input[type=file]", str(bomb))
    phone_page.click("button[type=submit]:has-text('导入')")

    expect(phone_page.locator("#import-errors")).to_contain_text("未导入任何数据")
    expect(phone_page.locator("main table").first).to_contain_text("压缩比")
    expect(phone_page.locator("main table").first).to_contain_text("大部分是空行或空单元格")
    screenshot(phone_page, "zip-bomb-refused-zh-phone")
