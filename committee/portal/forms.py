from datetime import date

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from committee.models import Committee


class SearchForm(forms.Form):
    q = forms.CharField(label="Search papers", max_length=200, required=False)
    committee = forms.ModelChoiceField(
        queryset=Committee.objects.filter(is_active=True), required=False, empty_label="All committees"
    )
    date_from = forms.DateField(label="Meetings from", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="Meetings to", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            raise forms.ValidationError("The 'from' date must be before the 'to' date.", code="dates")
        return cleaned


class CalendarFilterForm(forms.Form):
    committee = forms.ModelChoiceField(
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
