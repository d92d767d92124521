from django import forms

from committee.models import Committee, Member

from . import services
from .models import Frequency, Subscriber, Subscription, SubscriptionKind


def decisions_published() -> bool:
    """Whether the decisions app has published anything the public may read (through the gate)."""
    from committee.gate import Reader
    from decisions import selectors

    public = Reader.public()
    return selectors.plan_entries(public).exists() or selectors.decisions(public).exists()


def _kept_fits(value: str, kept, model, name: str) -> str:
    limit = model._meta.get_field(name).max_length
    if len(kept(value)) > limit:
        raise forms.ValidationError(
            "This is too long: in small letters, as it is kept, it is over %(limit)d characters. Shorten it.",
            code="max_length",
            params={"limit": limit},
        )
    return value


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

    # Kept as the service keeps them (small letters): a few capitals become two letters there
    # (İ), so what fitted the box as typed is measured again as it will be stored.
    def clean_words(self):
        return _kept_fits(self.cleaned_data["words"], services.search_words, Subscription, "words")

    def clean_email(self):
        return _kept_fits(self.cleaned_data["email"], services.subscriber_address, Subscriber, "email")

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
