"""A statement compiled once (core.prepared.CompiledQuery) returns what its queryset returns,
for any values put in place of its stand-ins, on SQLite and PostgreSQL alike."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from core.prepared import CompiledQuery
from tasks.models import Task, TaskStatus
from tests.factories import TaskFactory, UserFactory

pytestmark = pytest.mark.django_db

PERSON, DAY, MOMENT = 987_654_321_987, date(1111, 1, 11), datetime(1111, 1, 12, 11, 11, tzinfo=UTC)


def _tasks(person, day, moment):
    return (
        Task.objects.filter(responsible_id=person, due_date__gte=day, updated_at__lt=moment)
        .exclude(status=TaskStatus.DONE)
        .order_by("due_date", "pk")
        .values_list("pk", "due_date", "updated_at", "campaign__name")
    )


def test_the_rows_are_the_querysets_for_every_value_and_the_statement_is_compiled_once():
    built = []

    def build(**values):
        built.append(values)
        return _tasks(**values)

    query = CompiledQuery(build, person=PERSON, day=DAY, moment=MOMENT)
    today = timezone.localdate()
    people = [UserFactory(), UserFactory()]
    for n in range(6):
        TaskFactory(responsible=people[n % 2], due_date=today + timedelta(days=n - 2))
    TaskFactory(responsible=people[0], due_date=today, status=TaskStatus.DONE)
    later = timezone.now() + timedelta(minutes=1)

    for person in people:
        for day in (today - timedelta(days=5), today, today + timedelta(days=2), today + timedelta(days=9)):
            expected = list(_tasks(person.pk, day, later))
            assert query.rows(person=person.pk, day=day, moment=later) == expected
    # Dates and datetimes come back as Python values (converted from SQLite's text, too).
    row = query.rows(person=people[0].pk, day=today - timedelta(days=5), moment=later)[0]
    assert isinstance(row[1], date)
    assert isinstance(row[2], datetime)
    assert query.rows(person=people[0].pk, day=today, moment=timezone.now() - timedelta(days=1)) == []
    assert len(built) == 1


def test_a_stand_in_missing_from_the_statement_fails_at_once():
    query = CompiledQuery(
        lambda person, day: Task.objects.filter(responsible_id=person).values_list("pk"), person=PERSON, day=DAY
    )
    with pytest.raises(ImproperlyConfigured, match="day"):
        query.rows(person=1, day=DAY)


def test_a_value_for_every_stand_in_is_required():
    query = CompiledQuery(lambda person: Task.objects.filter(responsible_id=person).values_list("pk"), person=PERSON)
    with pytest.raises(TypeError):
        query.rows()
    with pytest.raises(TypeError):
        query.rows(person=1, other=2)
