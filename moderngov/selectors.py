"""Which Quorum record a ModernGov id stands for (the old links, moderngov/old_links.py).

An id kept by the import wins; otherwise the number is read as Quorum's own id, for records
made in Quorum, unless that record was itself imported (then only its ModernGov id finds it,
so that one number never means two records)."""

import re

from committee.models import AgendaItem, Appendix, Committee, Meeting, Member

from .models import Kind, ModernGovId

MODELS = {
    Kind.COMMITTEE: Committee,
    Kind.MEMBER: Member,
    Kind.MEETING: Meeting,
    Kind.AGENDA_ITEM: AgendaItem,
    Kind.DOCUMENT: Appendix,
}
DIGITS = re.compile(r"^\s*(\d{1,15})\s*$")  # an id, never a number the database would refuse


def as_id(raw) -> int | None:
    match = DIGITS.match(raw or "") if isinstance(raw, str) else None
    return int(match[1]) if match else None


def record_for(kind: str, raw) -> object | None:
    """The record a ModernGov address's id points at, or None."""
    number = as_id(raw)
    if number is None:
        return None
    model = MODELS[kind]
    kept = ModernGovId.objects.filter(kind=kind, moderngov_id=number).values_list("object_id", flat=True).first()
    if kept is not None:
        return model.objects.filter(pk=kept).first()
    if ModernGovId.objects.filter(kind=kind, object_id=number).exists():
        return None
    return model.objects.filter(pk=number).first()


def moderngov_id_for(kind: str, obj) -> int:
    """The id ModernGov's addresses (and its web service) use for a Quorum record: the kept
    one for an imported record, Quorum's own otherwise."""
    kept = ModernGovId.objects.filter(kind=kind, object_id=obj.pk).values_list("moderngov_id", flat=True).first()
    return kept if kept is not None else obj.pk
