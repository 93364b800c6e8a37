from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Department, Role, User
from ..selectors import contact_details_access

CONTACT_FIELDS = ("email", "phone")
CONTACT_HELP = _(
    "Only for the person themself and those who manage people (administrators, marketing managers, "
    "the lead of the person's department); null for everyone else."
)
# What a BI tool (an API token) reads about people: names, departments and ids.
DIRECTORY_FIELDS = ["id", "name", "display_name", "department", "is_active", "updated_at"]


class DepartmentSerializer(serializers.ModelSerializer):
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Department
        fields = ["id", "name", "lead", "member_count", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class UserSerializer(serializers.ModelSerializer):
    """A person. E-mail and phone are null for a reader who does not manage them."""

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
        extra_kwargs = {"email": {"help_text": CONTACT_HELP}, "phone": {"help_text": CONTACT_HELP}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["roles"] = sorted(group.name for group in instance.groups.all())
        if not self._contact_details_access().allows(instance):
            data.update(dict.fromkeys(CONTACT_FIELDS))
        return data

    def _contact_details_access(self):
        """Settled once for a whole list (one query at most), from the reader."""
        if "contact_details_access" not in self.context:
            request = self.context.get("request")
            self.context["contact_details_access"] = contact_details_access(user=getattr(request, "user", None))
        return self.context["contact_details_access"]

    def validate_roles(self, value):
        missing = set(value) - set(Group.objects.filter(name__in=value).values_list("name", flat=True))
        if missing:
            raise serializers.ValidationError(_("Unknown roles: %(roles)s") % {"roles": ", ".join(sorted(missing))})
        return sorted(value)


class UserDirectorySerializer(serializers.ModelSerializer):
    """A person as a BI tool reads them: names, department and ids, no contact details."""

    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = DIRECTORY_FIELDS
        read_only_fields = DIRECTORY_FIELDS


class MeSerializer(UserSerializer):
    """The current user; they may change their own contact details and language."""

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "notify_by_email", "notify_by_chat"]
        read_only_fields = ["username", "department", "roles", "is_active", "date_joined", "updated_at"]
