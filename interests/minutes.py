"""Declarations of interest on committee's "Write the minutes" page: under each agenda item,
the declarations already recorded and a form to record another, without leaving the page
(what was typed in the minutes is kept). committee imports nothing from this app: it calls
the section that InterestsConfig.ready() registers (committee.minutes_admin.ITEM_SECTIONS)."""

from django import forms
from django.db.models import Q
from django.utils import timezone

from committee.models import AgendaItem, Meeting, Member
from core.history import Person

from . import services
from .models import Declaration, Dispensation
from .templatetags.interests import NONE_DISCLOSED


class DeclarationForm(forms.ModelForm):
    """One member's declaration in one agenda item, as the minutes record it."""

    class Meta:
        model = Declaration
        fields = ["agenda_item", "member", "kind", "nature", "is_sensitive", "left_room", "dispensation"]
        widgets = {
            "agenda_item": forms.HiddenInput,
            "nature": forms.Textarea(attrs={"rows": 2, "cols": 60}),
        }
        labels = {"member": "Councillor", "kind": "Kind of interest"}

    def __init__(self, *args, item: AgendaItem, members: list[Member], offered: dict | None = None, **kwargs):
        super().__init__(*args, prefix=f"declare-{item.pk}", initial={"agenda_item": item.pk}, **kwargs)
        self.item = item
        # The meeting's members: those in its attendance (and any added on the page); the
        # dispensations of theirs that cover the day of the meeting.
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(pk=item.pk)
        self.fields["member"].queryset = Member.objects.filter(pk__in=[m.pk for m in members]).order_by("name")
        self.fields["member"].required = True
        self.fields["kind"].required = True
        self.fields["dispensation"].queryset = dispensations_covering(item.meeting, members)
        self.fields["dispensation"].required = False
        # The same choices under every item, read once for the page (offered_choices).
        for name, choices in (offered or {}).items():
            self.fields[name].choices = choices

    def clean(self):
        cleaned = super().clean()
        # The nature is what the minutes print; a sensitive interest has none (s.31(3)). Said
        # at the field that needs changing, before the database's rule would say it.
        if cleaned.get("is_sensitive") and cleaned.get("nature"):
            self.add_error("nature", "For a sensitive interest, leave the nature empty (s.31(3)).")
        elif not cleaned.get("is_sensitive") and not cleaned.get("nature"):
            self.add_error("nature", "Say the nature of the interest, as the minutes will print it.")
        return cleaned


def dispensations_covering(meeting: Meeting, members: list[Member]):
    day = timezone.localtime(meeting.starts_at).date()
    return Dispensation.objects.filter(Q(member__in=members), valid_from__lte=day, valid_to__gte=day).select_related(
        "member"
    )


def offered_choices(meeting: Meeting, members: list[Member]) -> dict[str, list]:
    """The councillors and dispensations offered under every item: one query, not two an item."""
    blank = [("", "---------")]
    return {
        "member": blank + [(m.pk, str(m)) for m in sorted(members, key=lambda m: m.name)],
        "dispensation": blank + [(d.pk, str(d)) for d in dispensations_covering(meeting, members)],
    }


class DeclarationsSection:
    """What committee.minutes_admin asks of a section under each item of the page."""

    button = "declare"  # the name of its submit button; the value is the item's pk
    template = "interests/_minutes_declarations.html"

    def forms(self, data, meeting: Meeting, items: dict[int, AgendaItem], members: list[Member], posted: int | None):
        """A form for each item, bound only for the item whose button was pressed; each with
        the declarations already recorded on its item (one query for the meeting)."""
        recorded: dict[int, list[Declaration]] = {}
        for declaration in (
            Declaration.objects.filter(agenda_item__meeting=meeting)
            .select_related("member", "dispensation")
            .order_by("agenda_item__order", "member__name", "pk")
        ):
            recorded.setdefault(declaration.agenda_item_id, []).append(declaration)
        found, offered = {}, offered_choices(meeting, members)
        for pk, item in items.items():
            form = DeclarationForm(data if pk == posted else None, item=item, members=members, offered=offered)
            form.recorded = recorded.get(pk, [])
            found[pk] = form
        return found

    def minute_problem(self, item: AgendaItem | None, text: str) -> str | None:
        """The interests item's minute cannot say that none were disclosed once declarations
        are recorded at the meeting (the standard wording stays when there are none)."""
        if item is None or NONE_DISCLOSED not in text:
            return None
        if Declaration.objects.filter(agenda_item__meeting_id=item.meeting_id).exists():
            return (
                "Declarations of interest are recorded at this meeting (listed under their items): "
                "this minute cannot say that none were disclosed."
            )
        return None

    def save(self, form: DeclarationForm, by: Person) -> str:
        declaration = services.declaration_record(form.instance, by=by)
        return f"Recorded: {declaration.member} declared an interest in item {form.item.number}."
