"""Which Quorum record a ModernGov id stands for (the old links, moderngov/old_links.py, and
the web service's parameters), and which id a Quorum record shows as (the web service's
answers).

An id kept by the import wins; otherwise the number is read as Quorum's own id, for records
made in Quorum, unless that record was itself imported (then only its ModernGov id finds it,
so that one number never means two records). The import moves Quorum's own numbering past
every kept id (services.numbering_past_kept_ids), so a record made in Quorum after an import
never shows a number that an imported record already shows."""

import re
from collections.abc import Iterable

from django.db.models import Q

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
    if isinstance(raw, int):
        return raw if raw >= 0 else None
    match = DIGITS.match(raw or "") if isinstance(raw, str) else None
    return int(match[1]) if match else None


def quorum_pk(kind: str, number: int, *, own=lambda n: n) -> int | None:
    """The Quorum id a ModernGov id stands for (one query; the record may not exist). `own`
    reads a number as Quorum's own id for records made in Quorum (the identity, except for
    documents, whose number is the web service's attachment id)."""
    rows = list(
        ModernGovId.objects.filter(Q(moderngov_id=number) | Q(object_id=own(number)), kind=kind).values_list(
            "moderngov_id", "object_id"
        )
    )
    kept = next((object_id for moderngov_id, object_id in rows if moderngov_id == number), None)
    if kept is not None:
        return kept
    # A record that was imported answers only to its ModernGov id.
    return None if rows or own(number) is None else own(number)


def record_for(kind: str, raw, *, own=lambda n: n) -> object | None:
    """The record a ModernGov address's id points at, or None."""
    number = as_id(raw)
    pk = quorum_pk(kind, number, own=own) if number is not None else None
    return MODELS[kind].objects.filter(pk=pk).first() if pk is not None else None


def document_pk(attachment_id: int) -> int | None:
    """The web service numbers reports and PDFs in one space (reports odd, PDFs even, as
    moderngov/service/selectors.py says): Quorum's id of the PDF made in Quorum
    behind an (even) attachment id; ModernGov's documents/s{ID} addresses use the same
    number."""
    pk, odd = divmod(attachment_id, 2)
    return None if odd or pk <= 0 else pk


class ShownIds:
    """The ids the web service shows for the records of one answer, read in one query
    whatever the number of records: the kept ModernGov id of an imported record, Quorum's
    own otherwise. `wanted` maps a kind to the Quorum ids of that kind in the answer."""

    def __init__(self, wanted: dict[str, Iterable[int]]):
        wanted = {kind: {pk for pk in pks if pk is not None} for kind, pks in wanted.items()}
        wanted = {kind: pks for kind, pks in wanted.items() if pks}
        self.kept: dict[tuple[str, int], int] = {}
        if wanted:
            query = Q()
            for kind, pks in wanted.items():
                query |= Q(kind=kind, object_id__in=pks)
            self.kept = {
                (kind, object_id): moderngov_id
                for kind, object_id, moderngov_id in ModernGovId.objects.filter(query).values_list(
                    "kind", "object_id", "moderngov_id"
                )
            }

    def __call__(self, kind: str, pk: int, *, own=lambda pk: pk) -> int | None:
        return self.kept.get((kind, pk), own(pk)) if pk is not None else None


def moderngov_id_for(kind: str, pk: int) -> int:
    """The id ModernGov's addresses (and its web service) use for one Quorum record: the kept
    one for an imported record, Quorum's own otherwise (ShownIds for many at once)."""
    return ShownIds({kind: [pk]})(kind, pk)
