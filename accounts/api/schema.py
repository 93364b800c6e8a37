"""OpenAPI descriptions of accounts (loaded by AccountsConfig.ready): the API token scheme and
the user component."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerExtension


class APITokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.APITokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Read-only token for BI tools: `Authorization: Token <key>`. Created in the admin.",
        }


class UserSchema(OpenApiSerializerExtension):
    """What /users/ answers, truly: e-mail and phone are null for a reader who does not manage
    the person, and a BI tool's token gets only names, departments and ids (the other fields
    are then left out, so only those are required)."""

    target_class = "accounts.api.serializers.UserSerializer"

    def map_serializer(self, auto_schema, direction):
        from .serializers import CONTACT_FIELDS, DIRECTORY_FIELDS

        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction != "response":
            return schema
        for name in CONTACT_FIELDS:
            schema["properties"][name]["nullable"] = True
        schema["required"] = [name for name in schema.get("required", []) if name in DIRECTORY_FIELDS]
        return schema
