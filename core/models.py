from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class DeletedObject(models.Model):
    """A row of a synced model that was deleted (directly or by a cascade), so that a BI copy
    can drop it: the deletions feed (/api/v1/deletions/) lists these by (deleted_at, id).
    Filled by core.sync's signal receivers; never edited."""

    model = models.CharField(_("model"), max_length=100, db_index=True)
    object_id = models.BigIntegerField(_("object id"))
    deleted_at = models.DateTimeField(_("deleted at"), db_default=Now(), db_index=True)

    class Meta:
        ordering = ["deleted_at", "pk"]
        verbose_name = _("deleted object")
        verbose_name_plural = _("deleted objects")
        indexes = [models.Index(fields=["deleted_at", "id"], name="deleted_object_cursor_idx")]

    def __str__(self):
        return f"{self.model} {self.object_id}"
