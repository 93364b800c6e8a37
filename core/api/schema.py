"""The OpenAPI schema's description of error answers, for every operation.

drf-spectacular documents the success answer only; a client (and the schema-driven fuzz in
tests/config/test_api_schema_fuzz.py) must also know the 4xx answers and their bodies, which
core.api.exceptions shapes:

- 400, bad input: ``{"<field>": ["<problem>", …], "non_field_errors": [...]}`` (nested for
  nested input, e.g. the bulk import's ``{"rows": {"3": {"value": [...]}}}``), or a list of
  problems; nothing was saved;
- 401, 403, 404: ``{"detail": "<why>"}``;
- 429, an API token past its rate limit: ``{"detail": "<why>"}`` and ``Retry-After`` (seconds).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

ERROR_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "Why the request was refused."}},
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "description": (
        "What is wrong with the input: each field (or `non_field_errors`) with its problems, "
        "nested like the input; or a list of problems. Nothing was saved."
    ),
    "oneOf": [
        {"type": "object", "additionalProperties": {}},
        {"type": "array", "items": {"type": "string"}},
    ],
}

DESCRIPTIONS = {
    "400": _("Bad input: what is wrong with each field; nothing was saved."),
    "401": _("Not signed in: no session and no valid API token."),
    "403": _("Not allowed: the role may not do this here, or a read-only API token tried to write."),
    "404": _("Not found: no such row (or none the reader may see), or a page past the last."),
    "429": _("Too many requests: the API token made more than its limit this minute; retry after Retry-After seconds."),
}
RETRY_AFTER = {
    "Retry-After": {
        "schema": {"type": "integer", "minimum": 1},
        "description": "Seconds until the token's rate-limit window ends.",
        "required": True,
    }
}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema with the error answers each operation can give."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                response = self._get_response_for_code(self._error_component(code), code, direction=direction)
                response["description"] = DESCRIPTIONS[code]
                if code == "429":
                    response["headers"] = RETRY_AFTER
                responses[code] = response
        return responses

    def _error_codes(self) -> list[str]:
        codes = []
        if self.method in WRITE_METHODS or self._is_list_view():
            codes.append("400")  # bad input, or a filter given a value it cannot read
        codes += ["401", "403"]
        if "{" in self.path or self._is_list_view():
            codes.append("404")  # an unknown id, or a page past the last
        codes.append("429")  # an API token past its rate limit (accounts.throttling)
        return codes

    def _error_component(self, code: str) -> dict:
        name, schema = ("ValidationError", VALIDATION_ERROR) if code == "400" else ("ErrorDetail", ERROR_DETAIL)
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=name)
        self.registry.register_on_missing(component)
        return component.ref
