from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Department, Role, User


class DepartmentSerializer(serializers.ModelSerializer):
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Department
        fields = ["id", "name", "lead", "member_count", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class UserSerializer(serializers.ModelSerializer):
    roles = serializers.MultipleChoiceField(choices=Role.choices, required=False)
    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "name",
            "display_name",
            "email",
            "phone",
            "department",
            "language",
            "roles",
            "is_active",
            "date_joined",
            "updated_at",
        ]
        read_only_fields = ["date_joined", "updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["roles"] = sorted(group.name for group in instance.groups.all())
        return data

    def validate_roles(self, value):
        missing = set(value) - set(Group.objects.filter(name__in=value).values_list("name", flat=True))
        if missing:
            raise serializers.ValidationError(_("Unknown roles: %(roles)s") % {"roles": ", ".join(sorted(missing))})
        return sorted(value)


class MeSerializer(UserSerializer):
    """The current user; they may change their own contact details and language."""

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "notify_by_email", "notify_by_chat"]
        read_only_fields = ["username", "department", "roles", "is_active", "date_joined", "updated_at"]
