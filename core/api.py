"""The API's conventions, shared by every endpoint. The settings name the pagination here,
so this module must not import DRF's views (the schema is in core/api_schema.py for that
reason: drf-spectacular imports them)."""

from datetime import UTC

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    def get_page_number(self, request, paginator):
        # `?page=` with no number is the first page, as any parameter given empty is as if it
        # were not given (core/api_schema.py says so in the schema).
        page = request.query_params.get(self.page_query_param) or "1"
        # A page that is not a whole number from 1 is a bad value (400, naming the parameter,
        # as a bad filter is); a whole number past the last page is a page that does not
        # exist (404).
        # Read as digits, not converted: Python refuses to turn more than 4,300 digits into a
        # number (ValueError), and a number that long is simply past the last page.
        if not (page.isascii() and page.isdigit() and page.strip("0")):
            raise ValidationError({self.page_query_param: ["A page is a whole number from 1."]})
        return page

    def get_schema_operation_parameters(self, view):
        # The schema says what get_page_number accepts, so that a client generated from it
        # does not send a page 0 it then sees refused.
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters


class IgnoreUnknownFormat(DefaultContentNegotiation):
    """`?format=` that names no format the API writes is ignored (the Accept header decides),
    rather than answered 404 as if the records did not exist. A format named by the address's
    ending (`.json`) is the router's: any other ending is no address (core/api_router.py)."""

    def filter_renderers(self, renderers, format):
        return [renderer for renderer in renderers if renderer.format == format] or renderers


class UTCIsoDateTimeField(IsoDateTimeField):
    """Any ISO 8601 time a client sends, whatever its offset, turned into UTC before it reaches
    the database: PostgreSQL refuses offsets of 16 hours or more, which ISO 8601 allows."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(UTC)
        except OverflowError as exc:
            raise forms.ValidationError("This time is outside the range of dates.", code="invalid") from exc


class UTCIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCIsoDateTimeField


class IdFilter(django_filters.NumberFilter):
    """A record's id: a whole number (NumberFilter would take 1.5 and call itself a number)."""

    field_class = forms.IntegerField
