import django_filters

from ..models import Department, Role, User


class UserFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(field_name="groups__name", choices=Role.choices)
    updated_after = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gt")

    class Meta:
        model = User
        fields = ["department", "is_active", "role", "updated_after"]


class DepartmentFilter(django_filters.FilterSet):
    updated_after = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gt")

    class Meta:
        model = Department
        fields = ["lead", "updated_after"]
