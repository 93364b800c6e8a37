"""Exact incremental sync for BI tools: which models a BI tool mirrors, their change time, the
cursor over (change time, id), and the deletions feed.

Apps register their synced models from their ``ready()`` (``sync.track(Model, "metric-values")``),
as lower layers offer registries that higher apps fill. Registering a model

- lets its API list walk by cursor (core.api.pagination), ordered by (change time, id);
- records every deletion of one of its rows, cascades included, as a ``DeletedObject``: a
  post_delete receiver, which also keeps Django from fast-deleting (without signals) the rows
  of the model in a cascade;
- bumps the change time of synced rows a deletion sets to NULL (``on_delete=SET_NULL``): Django
  writes those with a bare UPDATE, which would leave ``updated_at`` behind.

The guarantee and the safety lag are documented in docs/bi.md ("Incremental sync").
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.signals import post_delete, pre_delete
from django.utils import timezone
from django.utils.translation import gettext as _

from core.ids import MAX_ID


@dataclass(frozen=True)
class Synced:
    model: type[models.Model]
    resource: str  # the API list's name, e.g. "metric-values"
    field: str  # the change time, e.g. "updated_at"

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


_registry: dict[type[models.Model], Synced] = {}


def track(model: type[models.Model], resource: str, *, field: str = "updated_at") -> None:
    """Register a model a BI tool syncs (idempotent)."""
    if model in _registry:
        return
    _registry[model] = Synced(model=model, resource=resource, field=field)
    uid = f"core.sync.{model._meta.label_lower}"
    post_delete.connect(_record_deletion, sender=model, dispatch_uid=uid)
    pre_delete.connect(_touch_set_null_rows, sender=model, dispatch_uid=uid)


def synced(model) -> Synced | None:
    return _registry.get(model)


def all_synced() -> list[Synced]:
    return sorted(_registry.values(), key=lambda entry: entry.resource)


def find(name: str) -> Synced | None:
    """A synced model by its label (``plans.metricvalue``) or its resource (``metric-values``)."""
    name = name.lower()
    return next((entry for entry in _registry.values() if name in (entry.label, entry.resource)), None)


def _record_deletion(sender, instance, using, **kwargs):
    from core.models import DeletedObject

    DeletedObject.objects.using(using).create(
        model=sender._meta.label_lower, object_id=instance.pk, deleted_at=timezone.now()
    )


def _touch_set_null_rows(sender, instance, using, **kwargs):
    """Rows of synced models that the deletion will set to NULL change: move their change time."""
    now = timezone.now()
    for relation in sender._meta.related_objects:
        if relation.on_delete not in (models.SET_NULL, models.SET_DEFAULT) or relation.many_to_many:
            continue
        entry = _registry.get(relation.related_model)
        if entry is None:
            continue
        entry.model._base_manager.using(using).filter(**{relation.field.name: instance.pk}).update(**{entry.field: now})


# --- the cursor -------------------------------------------------------------------------


class CursorError(ValueError):
    pass


def encode_cursor(moment: datetime, pk: int) -> str:
    text = f"{moment.astimezone(UTC).isoformat()}|{pk}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(value: str) -> tuple[datetime, int]:
    """The (change time, id) an opaque cursor stands for; CursorError when it is not one."""
    try:
        if len(value) > 200:
            raise ValueError
        text = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode("ascii")
        moment_text, pk_text = text.split("|")
        moment = datetime.fromisoformat(moment_text)
        if moment.tzinfo is None or not (pk_text.isascii() and pk_text.isdigit()) or int(pk_text) > MAX_ID:
            raise ValueError
        return moment.astimezone(UTC), int(pk_text)
    except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError) as exc:
        raise CursorError(_("Not a cursor this API handed out: start again with ?sync=1.")) from exc


# Where a walk without ?updated_after= starts: before every row.
ORIGIN = datetime(1, 1, 1, tzinfo=UTC)


def horizon(using: str = DEFAULT_DB_ALIAS) -> datetime:
    """Rows changed after this time are not handed out yet: a transaction that set an earlier
    change time may not have committed, and would land behind a cursor once it does.

    Everywhere: the safety lag (settings.API_SYNC_LAG_SECONDS). On PostgreSQL also the start of
    the oldest transaction still open on the database (another session's): every change time a
    transaction writes is later than its start, so no row can commit behind the horizon,
    however long an import runs."""
    moment = timezone.now() - timedelta(seconds=settings.API_SYNC_LAG_SECONDS)
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT min(xact_start) FROM pg_stat_activity "
                "WHERE datname = current_database() AND backend_type = 'client backend' "
                "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
            )
            oldest = cursor.fetchone()[0]
        if oldest is not None:
            moment = min(moment, oldest)
    return moment
