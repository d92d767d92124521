"""The OpenAPI schema's conventions (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"])."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse


class QuorumSchema(AutoSchema):
    """The answers a client must handle besides 200: a list refuses a bad filter value with
    400 (and a page past the end with 404); one record that does not exist (or is not
    public) is 404."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method != "GET":
            return responses
        if self._is_list_view():
            responses["400"] = self._error("A filter value is not valid: the body names the parameter and why.")
            responses["404"] = self._error("The page number is past the last page.")
        else:
            responses["404"] = self._error("No such record, or it is not public.")
        return responses

    def _error(self, description: str) -> dict:
        return self._get_response_for_code(OpenApiResponse(description=description), "4XX")
