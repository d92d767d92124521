"""Writes for members' interests: publishing a member's register, recording at a meeting
that no interests were disclosed."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from committee import services as committee_services
from committee.models import Meeting, Member
from core.history import Person, recorded_by

from .models import Category, Declaration, Dispensation, Interest, NoneDeclared, RegisterVersion

_CATEGORY_ORDER = {value: index for index, value in enumerate(Category.values)}


def register_entries(interests) -> tuple[list[dict], list[dict], list[int]]:
    """A register's entries as the public reads them, the withheld details of its sensitive
    entries (s.32(2)), for officers, and the interest each entry comes from (officers only:
    `RegisterVersion.sources`). Whose an interest is (the member's or their partner's) is
    left out: the register does not say (s.30(3))."""
    entries, withheld, sources = [], [], []
    for interest in sorted(interests, key=lambda i: (_CATEGORY_ORDER[i.category], i.description, i.pk or 0)):
        entry = {"category": interest.category, "category_display": interest.get_category_display()}
        if interest.is_sensitive:
            entries.append({**entry, "description": "", "withheld": True})
            withheld.append({**entry, "description": interest.description})
        else:
            entries.append({**entry, "description": interest.description, "withheld": False})
        sources.append(interest.pk)
    return entries, withheld, sources


def current_interests(member: Member, on=None):
    """The interests on the member's register on `on` (today): arisen and not ended."""
    on = on or timezone.localdate()
    return Interest.objects.filter(member=member, arose_on__lte=on).exclude(ended_on__lte=on).order_by("category", "pk")


def register_publish(member: Member, *, by: Person | None = None) -> RegisterVersion | None:
    """Publish the member's register as it stands now, as a new version; the versions published
    before are kept as they were (a change never overwrites what was published). Publishing an
    unchanged register writes nothing and returns None."""
    with transaction.atomic():
        Member.objects.select_for_update().filter(pk=member.pk).first()  # one publisher at a time
        entries, withheld, sources = register_entries(current_interests(member))
        latest = RegisterVersion.objects.filter(member=member).order_by("-number").first()
        if latest is not None and latest.entries == entries and _in_order(latest.withheld) == _in_order(withheld):
            if latest.sources != sources:
                # The same words, from other interests (one ended or deleted and keyed again):
                # the public register is unchanged; the version records whose entries they are
                # now, for `interest_withhold_published`.
                RegisterVersion.objects.filter(pk=latest.pk).update(sources=sources)
            return None
        number = (RegisterVersion.objects.filter(member=member).aggregate(n=Max("number"))["n"] or 0) + 1
        return RegisterVersion.objects.create(
            member=member,
            number=number,
            published_by=by if getattr(by, "is_authenticated", False) else None,
            entries=entries,
            withheld=withheld,
            sources=sources,
        )


def _in_order(withheld: list[dict]) -> list[dict]:
    """The withheld details in one order: a version's gain an interest withheld after its
    publication at their end (`interest_withhold_published`), which is no change to publish."""
    return sorted(withheld, key=lambda entry: (_CATEGORY_ORDER.get(entry["category"], -1), entry["description"]))


def interest_save(interest: Interest, *, by: Person | None = None) -> int:
    """Save an interest, as every write of one goes (the admin's form; an import or an API
    that writes interests must call this too): checked by the model's rules, recorded in its
    history with who saved it, and, if it is sensitive, its details withheld from every
    published version of the member's register (`interest_withhold_published`), however it
    came to be marked so. Returns how many published versions that changed."""
    with transaction.atomic():
        interest.full_clean()
        recorded_by(interest, by).save()
        return interest_withhold_published(interest)


@transaction.atomic
def interest_withhold_published(interest: Interest) -> int:
    """A sensitive interest's details leave every published version of its member's register,
    as they would have had it been marked sensitive before publishing (s.32(2)): an interest
    the monitoring officer agrees is sensitive after publication must not stay readable in an
    earlier version. The version keeps its number and its other entries. Returns how many
    versions were changed.

    A version names the interest each entry came from (`sources`), and the interest's own
    entries are withheld, whatever text it had then; another current interest that reads the
    same (the partner's shares beside the member's) stays, as a publication would print it.
    An entry whose interest has since ended or been deleted is withheld when its category and
    words are a text this interest has had (its history): the same interest keyed again. A
    version published before the sources were kept has none: there every entry with such a
    text is withheld, an identical other interest's entry with it (the safe side)."""
    if not interest.is_sensitive:
        return 0
    texts = {interest.description, *interest.history.values_list("description", flat=True)}
    # Every member it has been recorded against: an interest put right to another member as
    # it is made sensitive was published in the first member's register too.
    members = {interest.member_id, *interest.history.values_list("member_id", flat=True)}
    current = {pk for member in members for pk in current_interests(member).values_list("pk", flat=True)}
    changed = 0
    for version in RegisterVersion.objects.select_for_update().filter(member_id__in=members):
        known = len(version.sources) == len(version.entries)
        sources = version.sources if known else [None] * len(version.entries)
        ours = [
            source == interest.pk
            or (source not in current and entry["category"] == interest.category and entry["description"] in texts)
            for entry, source in zip(version.entries, sources, strict=True)
        ]
        entries, withheld = [], list(version.withheld)
        for entry, its_own in zip(version.entries, ours, strict=True):
            if its_own and not entry["withheld"]:
                withheld.append({"category": entry["category"], "category_display": entry["category_display"],
                                 "description": entry["description"]})  # fmt: skip
                entry = {**entry, "description": "", "withheld": True}
            entries.append(entry)
        if withheld != version.withheld:
            version.entries, version.withheld = entries, withheld
            version.save(update_fields=["entries", "withheld", "updated_at"])
            changed += 1
    return changed


NONE_DECLARED_REFUSED = (
    "Interests were declared at this meeting: delete those declarations before recording that none were disclosed."
)


def none_declared_record(meeting: Meeting, *, by: Person | None = None) -> NoneDeclared:
    """Record that no member disclosed an interest at the meeting ("No pecuniary or
    non-pecuniary interests were disclosed."). Refused when declarations are recorded."""
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        if Declaration.objects.filter(agenda_item__meeting=meeting).exists():
            raise ValidationError({"meeting": NONE_DECLARED_REFUSED})
        record, _ = NoneDeclared.objects.get_or_create(meeting=meeting)
        return record


def declaration_record(declaration: Declaration, *, by: Person | None = None) -> Declaration:
    """Record a member's declaration in an agenda item (s.31; the council's code), or a change
    to one, with the model's rules (a meeting recorded as "none disclosed" takes none; a
    dispensation is the member's and covers the day). The one way a declaration is written:
    the agenda packs print it (`_declarations_changed`)."""
    with transaction.atomic():
        declaration.full_clean()
        was_at = _meetings_of(Declaration.objects.filter(pk=declaration.pk)) if declaration.pk else set()
        recorded_by(declaration, by).save()
        _declarations_changed(was_at | {declaration.agenda_item.meeting_id}, by=by)
    return declaration


def declaration_delete(declaration: Declaration, *, by: Person | None = None) -> None:
    with transaction.atomic():
        meetings = _meetings_of(Declaration.objects.filter(pk=declaration.pk))
        recorded_by(declaration, by).delete()
        _declarations_changed(meetings, by=by)


def dispensation_save(dispensation: Dispensation, *, by: Person | None = None) -> Dispensation:
    """Save a dispensation: the agenda packs print it with the declarations made under it."""
    with transaction.atomic():
        dispensation.full_clean()
        recorded_by(dispensation, by).save()
        _declarations_changed(_meetings_of(Declaration.objects.filter(dispensation=dispensation)), by=by)
    return dispensation


def _meetings_of(declarations) -> set[int]:
    return set(declarations.values_list("agenda_item__meeting_id", flat=True))


def _declarations_changed(meeting_ids: set[int], *, by: Person | None) -> None:
    """The declarations made at these meetings changed: they are printed in the meetings'
    agenda packs (and in the minutes that later agendas print), so, as for any paper, a
    published version that no longer prints them as the public now reads them (one made
    sensitive, deleted or moved) is withdrawn and new versions are built."""
    for meeting in Meeting.objects.filter(pk__in=meeting_ids):
        committee_services.papers_changed(meeting=meeting, by=by)
