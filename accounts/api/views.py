from rest_framework import generics, viewsets

from core.api.views import ReadCreateUpdateViewSet

from .. import selectors, services
from ..permissions import AdministratorOrReadOnly, is_api_token
from .filters import DepartmentFilter, UserFilter
from .serializers import DepartmentSerializer, MeSerializer, UserDirectorySerializer, UserSerializer

# What a person changes about themselves (user_update_profile), and what an administrator
# changes about anyone (user_update).
PROFILE_FIELDS = ["name", "email", "phone", "language", "notify_by_email", "notify_by_chat"]
USER_FIELDS = ["username", "name", "email", "phone", "department", "language", "is_active"]


def _values_for(serializer, names: list[str]) -> dict:
    """The service's input: the validated fields, plus, on an update, the current values of
    those not sent (a PATCH)."""
    data = serializer.validated_data
    if serializer.instance is None:
        return {name: data[name] for name in names if name in data}
    return {name: data[name] if name in data else getattr(serializer.instance, name) for name in names}


class MeView(generics.RetrieveUpdateAPIView):
    """The signed-in user (or the owner of the API token)."""

    token_scope = ()  # accounts.api.scope

    serializer_class = MeSerializer

    def get_object(self):
        return selectors.user_list().get(pk=self.request.user.pk)

    def perform_update(self, serializer):
        serializer.instance = services.user_update_profile(
            user=serializer.instance, **_values_for(serializer, PROFILE_FIELDS)
        )


class UserViewSet(ReadCreateUpdateViewSet):
    """People. Everyone signed in reads; administrators create and change them (no deletes:
    deactivate with ``is_active`` so that history keeps its authors). E-mail and phone go only
    to those who manage people; a BI tool's token reads names, departments and ids."""

    token_scope = ()  # accounts.api.scope

    serializer_class = UserSerializer
    permission_classes = [*viewsets.GenericViewSet.permission_classes, AdministratorOrReadOnly]
    filterset_class = UserFilter
    ordering_fields = ["username", "name", "updated_at"]

    def get_queryset(self):
        return selectors.user_list()

    def get_serializer_class(self):
        if is_api_token(getattr(self.request, "auth", None)):
            return UserDirectorySerializer
        return super().get_serializer_class()

    def perform_create(self, serializer):
        serializer.instance = services.user_create(
            by=self.request.user,
            roles=serializer.validated_data.get("roles", []),
            **_values_for(serializer, USER_FIELDS),
        )

    def perform_update(self, serializer):
        serializer.instance = services.user_update(
            user=serializer.instance,
            by=self.request.user,
            roles=serializer.validated_data.get("roles"),
            **_values_for(serializer, USER_FIELDS),
        )


class DepartmentViewSet(viewsets.ModelViewSet):
    """Departments with their lead. Everyone signed in reads; administrators change them."""

    token_scope = ()  # accounts.api.scope

    serializer_class = DepartmentSerializer
    permission_classes = [*viewsets.ModelViewSet.permission_classes, AdministratorOrReadOnly]
    filterset_class = DepartmentFilter
    ordering_fields = ["name", "updated_at"]

    def get_queryset(self):
        return selectors.department_list()

    def perform_create(self, serializer):
        department = services.department_create(by=self.request.user, **_values_for(serializer, ["name", "lead"]))
        # Read back as the list reads it, so the answer has its member count like any other.
        serializer.instance = self.get_queryset().get(pk=department.pk)

    def perform_update(self, serializer):
        department = services.department_update(
            department=serializer.instance, by=self.request.user, **_values_for(serializer, ["name", "lead"])
        )
        serializer.instance = self.get_queryset().get(pk=department.pk)

    def perform_destroy(self, instance):
        services.department_delete(department=instance, by=self.request.user)
