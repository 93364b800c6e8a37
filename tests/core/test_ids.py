"""core.ids: the one way a request's id is read — ASCII digits that fit the database's key."""

import pytest
from django.core.exceptions import BadRequest
from django.http import QueryDict

from core.ids import MAX_ID, UnreadableId, id_param, parse_id


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        (1, 1),
        ("0042", 42),
        (str(MAX_ID), MAX_ID),  # the largest key the database holds
        (MAX_ID, MAX_ID),
    ],
)
def test_an_id_in_ascii_digits_that_fits_the_database_is_read(value, expected):
    assert parse_id(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "²",  # str.isdigit() says yes
        "¹",
        "١٢",  # int() reads Arabic-Indic digits as 12
        "１２",  # full-width digits, as a Chinese input method types them
        str(MAX_ID + 1),  # one past the largest key: the database would overflow
        MAX_ID + 1,
        "9" * 20,
        "0",
        0,
        "-1",
        "+1",
        " 1",
        "1 ",
        "1_000",
        "1.0",
        "abc",
        "",
        None,
        True,
        1.0,
    ],
)
def test_anything_else_is_not_an_id(value):
    assert parse_id(value) is None


def test_a_parameter_left_out_or_empty_is_no_id_and_no_error():
    assert id_param(QueryDict("target="), "target") is None
    assert id_param(QueryDict(""), "target") is None


def test_a_parameter_that_is_no_id_is_a_bad_request_naming_it():
    with pytest.raises(UnreadableId) as raised:
        id_param(QueryDict("target=%C2%B2"), "target")

    assert isinstance(raised.value, BadRequest)
    assert "target" in str(raised.value)
    assert "²" in str(raised.value)
