from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import APIToken, Department, User


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "name", "email", "department", "roles", "is_active", "is_staff"]
    list_filter = ["department", "groups", "is_active", "is_staff", "language"]
    search_fields = ["username", "name", "email", "phone"]
    list_select_related = ["department"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["name", "email", "phone", "department", "language"]}),
        (_("Notifications"), {"fields": ["notify_by_email", "notify_by_chat"]}),
        (
            _("Roles and permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "name", "email", "department", "password1", "password2"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return ", ".join(str(label) for label in obj.role_labels)


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "lead", "updated_at"]
    search_fields = ["name"]
    autocomplete_fields = ["lead"]
    list_select_related = ["lead"]

    def save_model(self, request, obj, form, change):
        values = {"name": form.cleaned_data["name"], "lead": form.cleaned_data["lead"]}
        if change:
            services.department_update(department=obj, by=request.user, **values)
        else:
            obj.__dict__.update(services.department_create(by=request.user, **values).__dict__)

    def delete_model(self, request, obj):
        services.department_delete(department=obj, by=request.user)


class APITokenAdminForm(forms.ModelForm):
    class Meta:
        model = APIToken
        fields = ["name", "user", "expires_at"]

    def clean_expires_at(self):
        expires_at = self.cleaned_data.get("expires_at")
        if expires_at is not None and expires_at <= timezone.now() and "expires_at" in self.changed_data:
            raise forms.ValidationError(_("The expiry must be in the future."))
        return expires_at


@admin.register(APIToken)
class APITokenAdmin(admin.ModelAdmin):
    """Tokens are created here; the key is shown once, then only its hash remains.

    The key is shown on the page that answers the add form's POST, never carried to the next
    page by a message: messages travel in a signed, not encrypted, cookie (or the session).
    """

    list_display = ["name", "prefix", "user", "created_at", "expires_at", "last_used_at", "request_count", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = [
        "prefix",
        "created_at",
        "created_by",
        "last_used_at",
        "request_count",
        "revoked_at",
        "scope_type",
        "scope_id",
    ]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]
    actions = ["revoke"]
    form = APITokenAdminForm

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "user", "expires_at"]
        return ["name", "user", "expires_at", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["user", *self.readonly_fields]
        return []

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name", "expires_at"])
            return
        token, key = services.api_token_create(
            name=obj.name, user=obj.user, created_by=request.user, expires_at=obj.expires_at
        )
        obj.pk = token.pk
        obj.__dict__.update(token.__dict__)
        # For response_add only: this request's page shows it, nothing keeps it.
        request.new_api_token_key = key

    def response_add(self, request, obj, post_url_continue=None):
        key = getattr(request, "new_api_token_key", None)
        if key is None:
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Copy the new token's key"),
            "opts": self.opts,
            "token": obj,
            "key": key,
        }
        response = TemplateResponse(request, "admin/accounts/apitoken/key_created.html", context)
        # A page holding a secret is never cached, by the browser or a proxy.
        add_never_cache_headers(response)
        return response

    def has_delete_permission(self, request, obj=None):
        # Revoke instead, so that when and by whom a token was used stays on record.
        return False

    @admin.action(description=_("Revoke selected tokens"))
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            services.api_token_revoke(token=token)
            count += 1
        self.message_user(
            request, ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count) % {"count": count}
        )
