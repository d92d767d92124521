from datetime import date

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from committee.models import Committee
from core.forms import MistypedYearsMixin


class CommitteeChoices(forms.models.ModelChoiceIterator):
    """The committees as (value, name) pairs read in one plain query, without a model for
    each: a committee's label is its name (its str). Django's iterator() opens a server-side
    cursor on PostgreSQL (DECLARE, FETCH, CLOSE: three round trips, the rows held past the
    transaction), which for forty rows cost 4-5 ms of every search page; making a committee
    and a choice of it for each of the forty cost about 0.6 ms more of its CPU."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list(self.field.to_field_name or "pk", "name")


class CommitteeSelect(forms.Select):
    """The same <select> as Django's, written here: Django renders a template for each option,
    which for the forty committees was about 8 ms of every search page (the page search
    answers with, past the page cache, when a resident asks a question nobody asked). The
    options are one string, not a format_html for each (about 0.15 ms less)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = "".join(
            f'<option value="{escape(key)}"{" selected" if str(key) in chosen else ""}>{escape(label)}</option>'
            for key, label in self.choices
        )
        return format_html(
            "<select{}>{}</select>",
            flatatt(self.build_attrs(self.attrs, {**(attrs or {}), "name": name})),
            mark_safe(options),  # noqa: S308 - every value and name escaped above
        )


class CommitteeChoiceField(forms.ModelChoiceField):
    """An active committee, chosen from one <select> (the search form's and the calendar's)."""

    iterator = CommitteeChoices
    widget = CommitteeSelect


class SearchForm(MistypedYearsMixin, forms.Form):
    q = forms.CharField(label="Search papers", max_length=200, required=False)
    committee = CommitteeChoiceField(
        queryset=Committee.objects.filter(is_active=True),
        required=False,
        empty_label="All committees",
    )
    date_from = forms.DateField(label="Meetings from", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="Meetings to", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            raise forms.ValidationError("The 'from' date must be before the 'to' date.", code="dates")
        return cleaned


class CalendarFilterForm(forms.Form):
    committee = CommitteeChoiceField(
        queryset=Committee.objects.filter(is_active=True),
        required=False,
        empty_label="All committees",
        to_field_name="slug",
    )
    month = forms.DateField(
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}),
        # The page links to the month before and after: both must be dates.
        validators=[
            MinValueValidator(date(1900, 1, 1), "Choose a month from 1900 to 2100."),
            MaxValueValidator(date(2100, 12, 1), "Choose a month from 1900 to 2100."),
        ],
    )
