from rest_framework import mixins, viewsets


class ReadCreateUpdateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create and change, without delete: for rows that have no delete service
    (plans, campaigns, people, thresholds…), or whose deletion would take their history with
    them. A viewset adds ``mixins.DestroyModelMixin`` where rows may be deleted."""
