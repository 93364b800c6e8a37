"""docs/bi.md exists, is linked from the README and the API's root page, and keeps the sections
the BI work fills in."""

from pathlib import Path

import pytest

from tests.api import url

BASE_DIR = Path(__file__).resolve().parents[2]
SECTIONS = ["## Tokens", "## Rate limits", "## Power BI and Excel", "## Incremental sync", "## Bulk export and facts"]


def test_the_bi_page_has_its_sections():
    text = (BASE_DIR / "docs" / "bi.md").read_text()

    assert [section for section in SECTIONS if section not in text] == []
    assert "Metabase, Superset" in text


def test_the_readme_links_the_bi_page():
    assert "`docs/bi.md`" in (BASE_DIR / "README.md").read_text()


@pytest.mark.django_db
def test_the_api_root_page_names_the_bi_page(client_as):
    response = client_as("viewer").get(url("api-root"), HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert "docs/bi.md" in response.content.decode()
