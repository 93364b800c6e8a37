import pytest
from django.contrib.auth.models import Group

from accounts.models import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", Role.values)
def test_each_role_group_exists_after_migration(role):
    assert Group.objects.filter(name=role).exists()


def test_role_labels_are_translated_and_follow_the_group(make_user):
    from django.utils import translation

    user = make_user(Role.DEPARTMENT_LEAD)

    with translation.override("zh-hans"):
        assert [str(label) for label in user.role_labels] == ["协作部门主管"]
    assert user.has_role(Role.DEPARTMENT_LEAD)
    assert not user.has_role(Role.EXECUTIVE)
