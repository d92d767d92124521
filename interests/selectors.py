"""Reads for members' interests. Public reads go through committee.gate: the register's
public columns only (REGISTER_PUBLIC_FIELDS), declarations where their item is readable."""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from committee import gate
from committee.models import AgendaItem, Meeting, Member

from .models import NOTIFY_WITHIN_DAYS, Declaration, Interest, NoneDeclared, RegisterVersion

PUBLIC = gate.Reader.public()


def published_versions(member: Member | None = None) -> QuerySet[RegisterVersion]:
    """Published register versions, newest first, with their public columns only."""
    versions = RegisterVersion.objects.only(*gate.REGISTER_PUBLIC_FIELDS).order_by("member__name", "-number")
    return versions.filter(member=member) if member is not None else versions


def current_register(member: Member) -> RegisterVersion | None:
    """The member's register as last published (None if never published)."""
    return published_versions(member).first()


def register_version(member: Member, number: int) -> RegisterVersion | None:
    return published_versions(member).filter(number=number).first()


def current_registers() -> QuerySet[RegisterVersion]:
    """The latest published version of every member's register (the API's list)."""
    # A subquery rather than DISTINCT ON, which only PostgreSQL has (make run is on SQLite).
    newest = RegisterVersion.objects.filter(member=OuterRef("member")).order_by("-number").values("number")[:1]
    return (
        published_versions()
        .filter(number=Subquery(newest))
        .order_by("member_id")
        .select_related("member")
        .only(*gate.REGISTER_PUBLIC_FIELDS, "member__slug", "member__name", "member__title", "member__honours")
    )


def declarations(reader: gate.Reader) -> QuerySet[Declaration]:
    return (
        Declaration.objects.filter(gate.declaration_q(reader))
        .select_related("member", "agenda_item__meeting__committee", "dispensation")
        .defer("agenda_item__standing_text")
        .order_by("agenda_item__meeting__starts_at", "agenda_item__order", "member__name", "pk")
    )


@dataclass
class Declared:
    """What was declared at a meeting, as a reader may read it: the declarations by agenda
    item, and whether the meeting recorded that none were disclosed."""

    by_item: dict[int, list[Declaration]] = field(default_factory=dict)
    none: bool = False

    def on(self, item) -> list[Declaration]:
        return self.by_item.get(getattr(item, "pk", item), [])

    @property
    def any(self) -> bool:
        return bool(self.by_item)


def declared_at(meeting: Meeting | int, reader: gate.Reader = PUBLIC) -> Declared:
    """Two queries, whatever the number of items and declarations."""
    meeting_id = getattr(meeting, "pk", meeting)
    by_item: dict[int, list[Declaration]] = defaultdict(list)
    for declaration in declarations(reader).filter(agenda_item__meeting_id=meeting_id):
        by_item[declaration.agenda_item_id].append(declaration)
    none = not by_item and NoneDeclared.objects.filter(gate.none_declared_q(reader), meeting_id=meeting_id).exists()
    return Declared(by_item=dict(by_item), none=none)


def declarations_for_item(item: AgendaItem, reader: gate.Reader = PUBLIC) -> list[Declaration]:
    """The interests declared in one agenda item (with any dispensation): what the record of
    an executive decision states (SI 2012/2089 reg 13(3)(d)-(e))."""
    return list(declarations(reader).filter(agenda_item=item))


def as_printed(declaration: Declaration) -> str:
    """How a declaration reads in print, as a short fingerprint: the item it is printed
    under, its nature (or that it is sensitive) and the dispensation it cites. A print that
    keeps it (an agenda pack version) records this, and is withdrawn once the public no
    longer reads the declaration so (committee.pack.services.packs_withdraw_no_longer_readable)."""
    dispensation = declaration.dispensation
    words = [
        declaration.agenda_item_id,
        declaration.is_sensitive,
        declaration.nature,
        dispensation.pk if dispensation else None,
        dispensation.for_what if dispensation else "",
    ]
    return hashlib.sha256(json.dumps(words).encode()).hexdigest()[:16]


def printed_now(ids) -> dict[int, str]:
    """Of these declarations, how each the public may still read reads now (`as_printed`);
    one deleted, or no longer public, is left out (one query)."""
    return {declaration.pk: as_printed(declaration) for declaration in declarations(PUBLIC).filter(pk__in=ids)}


def member_declarations(member: Member, reader: gate.Reader = PUBLIC) -> list[Declaration]:
    return list(declarations(reader).filter(member=member))


def late_notifications() -> QuerySet[Interest]:
    """Interests notified after the 28 days of s.30(1), or not notified with them gone: for
    officers (the admin's "Late" filter)."""
    # The days it took, not the day it was due: a day due worked out in the database from a
    # date typed near the calendar's end (31/12/9999) would be past it, and an error page.
    took = F("notified_on") - F("arose_on")
    within = timedelta(days=NOTIFY_WITHIN_DAYS)
    today = timezone.localdate()
    return (
        Interest.objects.alias(took=took)
        .filter(Q(took__gt=within) | Q(notified_on__isnull=True, arose_on__lt=today - within))
        .select_related("member")
        .order_by("arose_on")
    )
