"""The API's OpenAPI schema generates without a warning."""

import pytest
from drf_spectacular.checks import schema_check
from drf_spectacular.drainage import GENERATOR_STATS

pytestmark = pytest.mark.django_db


def test_the_api_schema_generates_without_warnings():
    GENERATOR_STATS.reset()

    assert schema_check(None) == []
