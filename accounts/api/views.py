from django.db import transaction
from rest_framework import generics, viewsets

from core.api.views import ReadCreateUpdateViewSet

from .. import selectors, services
from ..permissions import AdministratorOrReadOnly
from .filters import DepartmentFilter, UserFilter
from .serializers import DepartmentSerializer, MeSerializer, UserSerializer


class MeView(generics.RetrieveUpdateAPIView):
    """The signed-in user (or the owner of the API token)."""

    serializer_class = MeSerializer

    def get_object(self):
        return selectors.user_list().get(pk=self.request.user.pk)


class UserViewSet(ReadCreateUpdateViewSet):
    """People. Everyone signed in reads; administrators create and change them (no deletes:
    deactivate with ``is_active`` so that history keeps its authors)."""

    serializer_class = UserSerializer
    permission_classes = [*viewsets.GenericViewSet.permission_classes, AdministratorOrReadOnly]
    filterset_class = UserFilter
    ordering_fields = ["username", "name", "updated_at"]
    search_fields = ["username", "name", "email"]

    def get_queryset(self):
        return selectors.user_list()

    @transaction.atomic
    def perform_create(self, serializer):
        roles = serializer.validated_data.pop("roles", [])
        user = serializer.save()
        user.set_unusable_password()
        user.save(update_fields=["password"])
        services.user_set_roles(user=user, roles=roles)

    @transaction.atomic
    def perform_update(self, serializer):
        roles = serializer.validated_data.pop("roles", None)
        user = serializer.save()
        if roles is not None:
            services.user_set_roles(user=user, roles=roles)


class DepartmentViewSet(viewsets.ModelViewSet):
    """Departments with their lead. Everyone signed in reads; administrators change them."""

    serializer_class = DepartmentSerializer
    permission_classes = [*viewsets.ModelViewSet.permission_classes, AdministratorOrReadOnly]
    filterset_class = DepartmentFilter
    ordering_fields = ["name", "updated_at"]

    def get_queryset(self):
        return selectors.department_list()
