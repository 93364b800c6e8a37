import pytest
from django.db import IntegrityError, transaction

from tasks.models import Assignment, AssignmentRole
from tests.factories import TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["R", "A", "X", ""])
def test_the_database_refuses_an_assignment_that_is_not_consulted_or_informed(role):
    task = TaskFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(task=task, role=role, user=UserFactory())


@pytest.mark.parametrize("role", AssignmentRole.values)
def test_the_database_takes_consulted_and_informed_assignments(role):
    assignment = Assignment.objects.create(task=TaskFactory(), role=role, user=UserFactory())

    assert Assignment.objects.get(pk=assignment.pk).role == role
