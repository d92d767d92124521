"""The gate (domain rules 9): the one place that says what a reader may read.

Every "may this reader see it" question in Quorum is answered here and nowhere else:
agenda items and their standing text, reports, appendices (and the text of uploaded PDFs),
minutes, the frozen rows other apps attach to reports (and the figures derived from them),
agenda pack versions, the officers' build status, and whether a response is private.
Selectors compose these rules into queries; views, feeds, search, the API, the sitemap and
the packs read through those selectors. Nothing else decides.

A `Reader` says who is reading. `Reader.public()` is anyone; a councillor reads the Part II
papers of the committees they sit on; a report author reads the reports they are named on
(with their appendices), Part II or not, published or not, and no other Part II paper; an
officer reads everything. A reader may also read
one meeting "as if published" (`reader.previewing(meeting)`): a pack preview sees exactly
what the meeting's readers will see once the agenda is published, without anything being
written to the database.
"""

from dataclasses import dataclass, field, replace

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Case, Expression, F, Q, QuerySet, Value, When
from django.utils import timezone

from .models import Access, AgendaItem, AgendaPack, Appendix, Meeting, Membership, Report


@dataclass(frozen=True)
class Reader:
    """Who is reading, as far as the law on access to papers is concerned."""

    is_officer: bool = False
    committee_ids: frozenset[int] = field(default_factory=frozenset)
    # The reports this reader is named on as an author (Report.authors).
    report_ids: frozenset[int] = field(default_factory=frozenset)
    user_id: int | None = None
    # The one unpublished meeting this reader reads as if its agenda were published (a
    # preview of its packs); None for every real reader.
    as_if_published: int | None = None

    @classmethod
    def public(cls) -> "Reader":
        return cls()

    @classmethod
    def members_of(cls, committee_id: int) -> "Reader":
        """The committee's councillors: whom a confidential pack is for. Not an officer: an
        officer reads every committee's Part II papers and drafts."""
        return cls(committee_ids=frozenset({committee_id}))

    def previewing(self, meeting: Meeting) -> "Reader":
        return replace(self, as_if_published=meeting.pk)

    @property
    def is_public(self) -> bool:
        return not self.is_officer and not self.committee_ids and not self.report_ids

    def may_read_restricted(self, committee_id: int) -> bool:
        return self.is_officer or committee_id in self.committee_ids


def reader_for(user) -> Reader:
    """Officers (staff with an officer's role) read everything; a councillor reads the Part II
    papers of the committees they currently sit on; a report author (staff, named on reports)
    reads those reports; everyone else is the public."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Reader.public()
    cached = getattr(user, "_quorum_reader", None)
    if cached is not None:
        return cached
    # An officer is staff with an officer's role: giving someone the admin (an intern, a
    # councillor's login) must not by itself open every committee's Part II papers. A report
    # author edits reports (view and change them) but is no officer: a permission of its own.
    if user.is_staff and (user.is_superuser or user.has_perm("committee.read_every_paper")):
        reader = Reader(is_officer=True, user_id=user.pk)
    else:
        ids = frozenset(Membership.objects.current().filter(member__user=user).values_list("committee_id", flat=True))
        # Authors write in the admin, which only staff reach: no query for the public's councillors.
        written = frozenset(Report.objects.filter(authors=user).values_list("pk", flat=True)) if user.is_staff else ()
        reader = Reader(committee_ids=ids, report_ids=frozenset(written), user_id=user.pk)
    user._quorum_reader = reader
    return reader


# Meetings and items ------------------------------------------------------------------------


def agenda_open(meeting: Meeting, reader: Reader) -> bool:
    """Whether the reader may see the meeting's agenda at all (drafts are for officers)."""
    return reader.is_officer or meeting.is_published or meeting.pk == reader.as_if_published


def _published_q(reader: Reader, meeting: str) -> Q:
    q = Q(**{f"{meeting}agenda_published_at__isnull": False})
    if reader.as_if_published is not None:
        q |= Q(**{f"{meeting}pk": reader.as_if_published})
    return q


def item_q(reader: Reader, path: str = "") -> Q:
    """Which agenda items' texts and papers `reader` may read. `path` leads from the queried
    model to AgendaItem ("" for AgendaItem itself, "agenda_item__" for Report and Minute)."""
    if reader.is_officer:
        return Q()
    published = _published_q(reader, f"{path}meeting__")
    readable = Q(**{f"{path}access": Access.PUBLIC})
    if reader.committee_ids:
        readable |= Q(**{f"{path}meeting__committee_id__in": reader.committee_ids})
    return published & readable


def report_q(reader: Reader) -> Q:
    """A report is readable when its item is; its authors also read it, Part II or draft."""
    q = item_q(reader, "agenda_item__")
    if reader.report_ids:
        q |= Q(pk__in=reader.report_ids)
    return q


def appendix_q(reader: Reader) -> Q:
    """An appendix is readable when its item is, and it is not itself withheld from this reader;
    the authors of its report read all of it."""
    q = item_q(reader, "report__agenda_item__")
    if reader.is_officer:
        return q
    own = Q(report__agenda_item__meeting__committee_id__in=reader.committee_ids)
    q &= Q(access=Access.PUBLIC) | own
    if reader.report_ids:
        q |= Q(report_id__in=reader.report_ids)
    return q


# Writing reports -----------------------------------------------------------------------------


def reports_open_to(reader: Reader, path: str = "") -> Q:
    """Which reports `reader` may open in the officers' admin: every one for an officer, the
    ones they are named on for an author (the admin shows Part II text and drafts). `path`
    leads from the queried model to Report ("report__" for Appendix)."""
    if reader.is_officer:
        return Q()
    return Q(**{f"{path}pk__in": reader.report_ids})


def reports_editable(reader: Reader) -> Q:
    """The reports `reader` may edit, as a query (may_edit_report says it of one report)."""
    if reader.is_officer:
        return Q()
    return Q(pk__in=reader.report_ids, agenda_item__meeting__agenda_published_at__isnull=True)


def may_open_report(reader: Reader, report) -> bool:
    return may_open_report_numbered(reader, report.pk)


def may_open_report_numbered(reader: Reader, report_id: int) -> bool:
    """may_open_report by the report's key: an appendix's old version names its report even
    once the report is deleted (which an officer still reads the versions of)."""
    return reader.is_officer or report_id in reader.report_ids


def items_open_to(reader: Reader) -> Q:
    """Which agenda items `reader` may open in the officers' admin (which shows an item's
    standing text whatever its access): officers all; an author those the public pages let
    them read, and the items of their own reports."""
    if reader.is_officer:
        return Q()
    return item_q(reader) | Q(report__pk__in=reader.report_ids)


def may_open_item(reader: Reader, item) -> bool:
    """items_open_to for one item, as it stands now: what the admin's pages of the item (its
    earlier versions too) ask. A version is as restricted as its item is now, so an item made
    Part II takes its versions from the time it was public with it. No query for an officer
    (who also reads the versions of a deleted item)."""
    return reader.is_officer or AgendaItem.objects.filter(items_open_to(reader), pk=item.pk).exists()


def may_edit_report(reader: Reader, report) -> bool:
    """Officers edit every report (a correction after publication makes a new pack version);
    an author edits the reports they are named on until the meeting's agenda is published."""
    if reader.is_officer:
        return True
    return report.pk in reader.report_ids and not report.agenda_item.meeting.is_published


def minute_q(reader: Reader) -> Q:
    """A minute is readable when its item is and its minutes are published (officers read drafts)."""
    if reader.is_officer:
        return Q()
    return item_q(reader, "agenda_item__") & Q(minutes__published_at__isnull=False)


def minutes_open(minutes, reader: Reader) -> bool:
    return reader.is_officer or minutes.published_at is not None


def readable(q: Q) -> Expression:
    """`q` as a true/false column, so that one query can list every item and say which the
    reader may read (no Part II text is loaded to be blanked afterwards)."""
    if not q:
        return Value(True)
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


def items_listed(reader: Reader) -> QuerySet[AgendaItem]:
    """Every item of every agenda the reader may see, each annotated `readable`; the standing
    text is only the readable one's (`readable_text`), never the column itself."""
    q = item_q(reader)
    listed = (
        AgendaItem.objects.all() if reader.is_officer else AgendaItem.objects.filter(_published_q(reader, "meeting__"))
    )
    column = AgendaItem._meta.get_field("standing_text")
    text = (
        F("standing_text") if not q else Case(When(q, then=F("standing_text")), default=Value(""), output_field=column)
    )
    return listed.defer("standing_text").annotate(readable=readable(q), readable_text=text)


# Structured rows and what is derived from them -----------------------------------------------


def structured_readable(reader: Reader, model) -> QuerySet:
    """Rows of a structured-appendix model (a register snapshot, a reported performance
    report, a plan snapshot) that `reader` may see: officers see all; everyone else sees
    those attached to a report appendix the gate lets them read.

    A figure derived from a row (a direction of travel worked out against an earlier
    snapshot) is as restricted as that row: compare only against rows this returns."""
    if reader.is_officer:
        return model._default_manager.all()
    ids = Appendix.objects.filter(
        appendix_q(reader), kind=Appendix.Kind.STRUCTURED, content_type=ContentType.objects.get_for_model(model)
    ).values("object_id")
    return model._default_manager.filter(pk__in=ids)


def appendices_carrying(reader: Reader, row) -> list[Appendix]:
    """The report appendices that carry a structured row (a snapshot), as far as `reader` may
    read them, oldest meeting first: "reported to ..." on the snapshot's own page."""
    return list(
        Appendix.objects.filter(
            appendix_q(reader),
            kind=Appendix.Kind.STRUCTURED,
            content_type=ContentType.objects.get_for_model(type(row)),
            object_id=row.pk,
        )
        .select_related("report__agenda_item__meeting__committee")
        .order_by("report__agenda_item__meeting__starts_at")
    )


# Executive decisions (decisions/) -------------------------------------------------------------


def plan_entry_q(reader: Reader) -> Q:
    """Forward plan entries: the public reads those whose notice is published (SI 2012/2089
    reg 9); a proposed entry is a draft, for officers."""
    if reader.is_officer:
        return Q()
    return Q(notice_published_on__isnull=False)


def decision_q(reader: Reader, path: str = "") -> Q:
    """Executive decisions: readable once their decision notice is published (regs 12-13),
    when the decision is not itself withheld and, if it was taken on an agenda item, that
    item is readable too: a decision on a Part II item (its private papers) stays with those
    who read the item. `path` leads from the queried model to Decision."""
    if reader.is_officer:
        return Q()
    published = Q(**{f"{path}notice__isnull": False})
    on_item = Q(**{f"{path}agenda_item__isnull": True}) | item_q(reader, f"{path}agenda_item__")
    readable = Q(**{f"{path}access": Access.PUBLIC}) & on_item
    if reader.committee_ids:
        readable |= Q(**{f"{path}agenda_item__meeting__committee_id__in": reader.committee_ids})
        readable |= Q(**{f"{path}maker__committee_id__in": reader.committee_ids})
    return published & readable


def private_notice_q(reader: Reader, path: str = "") -> Q:
    """Notices of meetings to be held (in part) in private (SI 2012/2089 reg 5) are public
    notices: readable once their day of publication has come. What they say (the business,
    the reasons) is written for the public; the private papers stay behind item_q."""
    if reader.is_officer:
        return Q()
    return Q(**{f"{path}published_on__lte": timezone.localdate()})


def private_notice_published(notice) -> bool:
    """The rule of private_notice_q for one notice in hand (an officer reads it before its day;
    the meeting page still says whether the public can)."""
    return notice is not None and notice.published_on <= timezone.localdate()


# Agenda packs ------------------------------------------------------------------------------


def pack_q(reader: Reader, *, withdrawn: bool = False) -> Q:
    """Which ready pack versions `reader` may download: the public versions of published
    meetings; a committee's confidential versions for its members; everything for officers.
    Withdrawn versions are kept for officers only; `withdrawn=True` also matches those the
    reader could read but for the withdrawal (their address answers 410, not 404)."""
    if reader.is_officer:
        return Q(status=AgendaPack.Status.READY)
    q = Q(kind=AgendaPack.Kind.PUBLIC)
    if reader.committee_ids:
        q |= Q(kind=AgendaPack.Kind.CONFIDENTIAL, meeting__committee_id__in=reader.committee_ids)
    q &= Q(status=AgendaPack.Status.READY, is_preview=False, meeting__agenda_published_at__isnull=False)
    if not withdrawn:
        q &= Q(withdrawn_at__isnull=True)
    return q


def may_see_builds(reader: Reader) -> bool:
    """The build status (failures quote what to fix, Part II titles included) is for officers."""
    return reader.is_officer


def may_read_originals(reader: Reader, appendix: Appendix | None = None) -> bool:
    """Uploaded files as they were uploaded (with whatever they carry: attachments, scripts,
    their author's metadata) are for officers, and for the authors of the report they were
    uploaded to; every other reader gets the cleaned copy."""
    return reader.is_officer or (appendix is not None and appendix.report_id in reader.report_ids)


# Responses ---------------------------------------------------------------------------------


def is_restricted(record) -> bool:
    """Whether a record served as a file is withheld from the public in any way."""
    if isinstance(record, AgendaPack):
        return record.kind != AgendaPack.Kind.PUBLIC or record.is_preview or record.withdrawn_at is not None
    if isinstance(record, Appendix):
        return record.is_restricted or record.report.agenda_item.is_restricted
    return bool(getattr(record, "is_restricted", True))


def page_is_private(user) -> bool:
    """Every response made for a signed-in person is private: it may hold what only they may
    read (and says who they are). The middleware asks this for every response, so it needs
    no query (reader_for may need one)."""
    return user is not None and user.is_authenticated


def response_is_private(reader: Reader, record=None) -> bool:
    """A response is private (no shared cache, no browser store, no index) when it was made for
    a reader who reads more than the public, or when it serves a restricted record."""
    return reader.user_id is not None or not reader.is_public or (record is not None and is_restricted(record))


# Members' interests (Localism Act 2011 ss.29-34; interests/) ----------------------------------

# The columns of a published register version (interests.RegisterVersion) that a page, feed,
# PDF or the API may load. A sensitive interest's details (s.32(2)) live in its `withheld`
# column, which no public surface loads, whoever is signed in: only the officers' admin reads
# it (nor `sources`, the interests the entries were published from). The public register
# says in their place that the member has an interest whose details are withheld.
REGISTER_PUBLIC_FIELDS = ("id", "member_id", "number", "published_at", "entries", "updated_at")


def declaration_q(reader: Reader, path: str = "") -> Q:
    """A declaration of interest made at a meeting is readable where its agenda item is (a
    declaration on a Part II item goes no further than that item's papers). `path` leads
    from the queried model to Declaration. The nature of a sensitive interest is never
    recorded (s.31(3)), so there is nothing in the row to withhold."""
    return item_q(reader, f"{path}agenda_item__")


def none_declared_q(reader: Reader) -> Q:
    """The record that no interests were disclosed is readable once the meeting's agenda is."""
    if reader.is_officer:
        return Q()
    return _published_q(reader, "meeting__")
