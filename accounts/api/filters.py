import django_filters

from core.api.filters import FilterSet, updated_after

from ..models import Department, Role, User


class UserFilter(FilterSet):
    role = django_filters.ChoiceFilter(field_name="groups__name", choices=Role.choices)
    updated_after = updated_after()

    class Meta:
        model = User
        fields = ["department", "is_active", "role", "updated_after"]


class DepartmentFilter(FilterSet):
    updated_after = updated_after()

    class Meta:
        model = Department
        fields = ["lead", "updated_after"]
