"""Forms validate only: the officers' entry grid, one row per measure."""

from django import forms

from . import figures
from .models import RagStatus, ReportingPeriod, ServiceArea


class EntryChoiceForm(forms.Form):
    service_area = forms.ModelChoiceField(queryset=ServiceArea.objects.none(), label="Service area")
    period = forms.ModelChoiceField(queryset=ReportingPeriod.objects.none(), label="Period")

    def __init__(self, *args, service_areas, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_area"].queryset = service_areas
        self.fields["period"].queryset = periods


class ValueEntryForm(forms.Form):
    """A measure's figure, typed as it should be printed: "32.0" keeps one decimal place."""

    value = forms.CharField(required=False, max_length=30, label="Figure")
    count = forms.CharField(required=False, max_length=30, label="Count")
    is_provisional = forms.BooleanField(required=False, label="Provisional")
    is_forecast = forms.BooleanField(required=False, label="Forecast")
    qualifier = forms.CharField(required=False, max_length=60, label="Qualifier")
    rag = forms.ChoiceField(required=False, choices=[("", "Not set"), *RagStatus.choices], label="RAG status")
    note = forms.CharField(required=False, max_length=500, label="Note")

    def __init__(self, *args, measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        for field in self.fields.values():
            # Every control is labelled with its measure, for screen readers in the grid.
            field.widget.attrs["aria-label"] = f"{field.label}: {measure.name}"
        if not measure.reports_count:
            del self.fields["count"]

    def clean_value(self):
        text = self.cleaned_data["value"].strip()
        if not text:
            return None
        try:
            return figures.parse_number(text)
        except ValueError:
            raise forms.ValidationError(
                "Type a number, as it should be printed: 32.0, 4,007,475.", code="number"
            ) from None

    def clean_count(self):
        text = self.cleaned_data.get("count", "").strip()
        if not text:
            return None
        try:
            number, places = figures.parse_number(text)
        except ValueError:
            raise forms.ValidationError("Type the count as a whole number.", code="count") from None
        if places or number < 0:
            raise forms.ValidationError("Type the count as a whole number.", code="count")
        return int(number)


class BaseEntryFormSet(forms.BaseFormSet):
    def __init__(self, *args, measures, **kwargs):
        self.measures = measures
        super().__init__(*args, **kwargs)

    def total_form_count(self):
        # One row per measure, whatever the posted management form says.
        return len(self.measures)

    def get_form_kwargs(self, index):
        return {"measure": self.measures[index]}


EntryFormSet = forms.formset_factory(ValueEntryForm, formset=BaseEntryFormSet, extra=0)
