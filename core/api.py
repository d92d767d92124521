"""The API's conventions, shared by every endpoint. The settings name the pagination here,
so this module must not import DRF's views (the schema is in core/api_schema.py for that
reason: drf-spectacular imports them)."""

from datetime import UTC

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    def get_page_number(self, request, paginator):
        # `?page=` with no number is the first page, as an empty filter value is no filter.
        return request.query_params.get(self.page_query_param) or 1


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
