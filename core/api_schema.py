"""The OpenAPI schema's conventions (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"])."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

# The API's one rule for a parameter sent with no value (`?committee=`, `?modified_since=`,
# `?page=`): as if it were not sent. A form (the browsable API's filters among them) sends
# every field, filled in or not. The schema says so on every parameter, so that a client
# generated from it expects what the API does.
EMPTY_IS_ABSENT = "Empty (`?{name}=`): as if not given."


class QuorumSchema(AutoSchema):
    """The answers a client must handle besides 200: a list refuses a bad filter value with
    400 (and a page past the end with 404); one record that does not exist (or is not
    public) is 404."""

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            if parameter["in"] == "query":
                parameter["allowEmptyValue"] = True
                given = parameter.get("description", "").rstrip()
                if given and not given.endswith("."):
                    given += "."
                parameter["description"] = f"{given} {EMPTY_IS_ABSENT.format(name=parameter['name'])}".lstrip()
        return parameters

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
