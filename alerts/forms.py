from django import forms

from committee.models import Committee, Member

from .models import Frequency, SubscriptionKind


def decisions_published() -> bool:
    """Whether the decisions app has published anything the public may read (through the gate)."""
    from committee.gate import Reader
    from decisions import selectors

    public = Reader.public()
    return selectors.plan_entries(public).exists() or selectors.decisions(public).exists()


class SubscribeForm(forms.Form):
    """One form for every kind of alert: what to be told about, and the address."""

    kind = forms.ChoiceField(
        label="Tell me about", choices=SubscriptionKind.choices, widget=forms.RadioSelect, initial="committee"
    )
    committee = forms.ModelChoiceField(
        label="Committee", queryset=Committee.objects.filter(is_active=True), required=False, empty_label="Choose…"
    )
    member = forms.ModelChoiceField(
        label="Councillor", queryset=Member.objects.all(), required=False, empty_label="Choose…",
        to_field_name="slug",
    )  # fmt: skip
    words = forms.CharField(label="Words to look for in new papers", max_length=200, required=False)
    email = forms.EmailField(label="Your email address", max_length=254)
    frequency = forms.ChoiceField(
        label="How often", choices=Frequency.choices, widget=forms.RadioSelect, initial=Frequency.IMMEDIATE
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not decisions_published():
            # Offered once there is a forward plan or a decision for the public to hear of.
            self.fields["kind"].choices = [c for c in SubscriptionKind.choices if c[0] != SubscriptionKind.DECISIONS]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        # The database's target rule, said at the field that is missing.
        if kind == SubscriptionKind.COMMITTEE and not data.get("committee"):
            self.add_error("committee", "Choose the committee.")
        if kind == SubscriptionKind.COUNCILLOR and not data.get("member"):
            self.add_error("member", "Choose the councillor.")
        if kind == SubscriptionKind.SEARCH and not " ".join((data.get("words") or "").split()):
            self.add_error("words", "Type the words to look for.")
        # Only what the chosen kind uses is kept.
        if kind != SubscriptionKind.COMMITTEE:
            data["committee"] = None
        if kind != SubscriptionKind.COUNCILLOR:
            data["member"] = None
        if kind != SubscriptionKind.SEARCH:
            data["words"] = ""
        return data


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(label="How often", choices=Frequency.choices, widget=forms.RadioSelect)
