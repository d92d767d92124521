"""What goes into a pack, read only through committee.selectors, which compose committee.gate.

The public pack is made from what `Reader.public()` may read and nothing else: the queries
that fetch its papers ask the gate, so Part II texts are neither rendered and hidden nor
loaded at all (domain rules 9). The confidential pack is read as the members of the
meeting's committee (`Reader.members_of`), not as an officer. A preview reads as the same
reader "as if published" (`reader.previewing(meeting)`): nothing is written to get past
the gate. Everything a pack is made from ends up in strings (each paper's HTML) or the
bytes of uploaded PDFs, so that one hash tells whether anything changed; `carried` records
which items and appendices it prints, so that the version can be withdrawn if any of them
stops being public.
"""

import hashlib
import re
from dataclasses import dataclass, field
from importlib.metadata import version

from django.conf import settings
from django.db.models import Exists, Prefetch, Q
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from committee import gate, selectors
from committee.appendices import PACK_PART_BREAK, choice_value, compared_with, kind_of
from committee.models import AgendaItem, AgendaPack, Appendix, Attendance, Meeting, Minute, Report
from committee.templatetags.papers import structured_appendix
from core.dates import long_date
from core.richtext import level_headings
from core.text import join_and
from interests import selectors as interests_selectors

# Bump when the pack's layout code changes in a way the templates do not show, so that
# cached parts and the unchanged-input check do not survive the change.
RENDERER_VERSION = f"quorum-pack-3/weasyprint-{version('weasyprint')}/pikepdf-{version('pikepdf')}"


class PackContentError(Exception):
    """Something an officer must fix before the pack can be built; the message says what."""


@dataclass
class Part:
    """One paper of an item: rendered from HTML, or an uploaded PDF merged in as it is."""

    key: str
    html: str = ""
    upload: bytes = b""
    label: str = ""  # the bookmark of an uploaded PDF
    what: str = ""  # how an officer would name it: "Appendix 'B' of item 5"
    notice: str = ""  # printed at the top of every page (Part II marking)

    @property
    def is_upload(self) -> bool:
        return bool(self.upload)

    @property
    def digest(self) -> str:
        h = hashlib.sha256(RENDERER_VERSION.encode())
        h.update(self.upload if self.upload else self.html.encode())
        return h.hexdigest()


@dataclass
class ItemPapers:
    item: AgendaItem
    parts: list[Part]


@dataclass
class PackContent:
    meeting: Meeting
    kind: str
    scope: str
    title: str
    rows: list[dict]  # the front sheet's items: {"item", "readable"}
    papers: list[ItemPapers]
    exclusion_resolution: str
    # The interests declared at the meeting, as the public reads them once the agenda is
    # published (even before it is: a pre-render must print what the publication will).
    declared: interests_selectors.Declared = field(default_factory=interests_selectors.Declared)
    digest: str = field(default="")
    # What the version prints: {"items": {item id: number printed under}, "appendices": {...},
    # "minutes": {minute id: number of the item that reprints it}, "compared": {"risks.
    # registersnapshot:12": number}: the rows its structured appendices' figures were worked
    # out against}.
    carried: dict = field(default_factory=dict)

    def front_sheet_html(self, ranges: dict[str, tuple[int, int]]) -> str:
        groups: list[dict] = []
        for row in self.rows:
            restricted = row["item"].is_restricted
            if not groups or groups[-1]["restricted"] != restricted:
                groups.append({"restricted": restricted, "rows": []})
            groups[-1]["rows"].append({**row, "pages": ranges.get(row["item"].number)})
        return render_to_string(
            "pdf/front_sheet.html",
            {
                **_common(self.title),
                "meeting": self.meeting,
                "scope": self.scope,
                "items": self.rows,
                "groups": groups,
                "confidential": self.kind == AgendaPack.Kind.CONFIDENTIAL,
                "exclusion_resolution": self.exclusion_resolution,
                "declared": self.declared,
            },
        )


def _common(title: str) -> dict:
    return {
        "council_name": settings.QUORUM_COUNCIL_NAME,
        "council_address_lines": [line for line in settings.QUORUM_COUNCIL_ADDRESS.splitlines() if line.strip()],
        "document_title": title,
    }


def pack_title(meeting: Meeting, kind: str, scope: str) -> str:
    what = "Supplementary agenda pack" if scope == AgendaPack.Scope.SUPPLEMENTARY else "Agenda pack"
    if kind == AgendaPack.Kind.CONFIDENTIAL:
        what = f"{what} including Part II (not for publication)"
    return f"{meeting.committee.name}, {long_date(meeting.starts_at)}: {what}"


def reader_for_kind(kind: str, meeting: Meeting) -> gate.Reader:
    """Who the pack is for: the public, or the members of this meeting's committee. Not an
    officer: an officer reads every committee's Part II papers and drafts, and a minutes
    item may point at another committee's meeting, whose Part II minutes this committee's
    councillors must not receive. Before publication, the same reader as if published."""
    reader = (
        gate.Reader.members_of(meeting.committee_id) if kind == AgendaPack.Kind.CONFIDENTIAL else gate.Reader.public()
    )
    return reader if meeting.is_published else reader.previewing(meeting)


def kinds_needed(meeting: Meeting, scope: str = AgendaPack.Scope.FULL) -> list[str]:
    """The packs of this meeting worth building and offering: the public pack, and the
    confidential pack only when it prints something the public pack does not. Without Part
    II papers it would be the public pack over again, offered to councillors as a second
    download that differs in its title alone."""
    if prints_part_ii(meeting, scope):
        return [AgendaPack.Kind.PUBLIC, AgendaPack.Kind.CONFIDENTIAL]
    return [AgendaPack.Kind.PUBLIC]


def prints_part_ii(meeting: Meeting, scope: str = AgendaPack.Scope.FULL) -> bool:
    """Whether the confidential pack of `scope` prints anything the public pack does not."""
    return Meeting.objects.filter(part_ii_q(meeting, scope), pk=meeting.pk).exists()


def part_ii_q(meeting: Meeting, scope: str) -> Q:
    """True when the meeting's confidential pack of `scope` prints an item, appendix or
    reprinted minute that the committee's members may read and the public may not. The gate
    answers for both readers, so that whatever it counts as Part II (exempt or confidential,
    of the item or of one appendix) counts here. A condition, so that the meeting page asks
    it in the query that reads the packs."""
    members = reader_for_kind(AgendaPack.Kind.CONFIDENTIAL, meeting)
    public = reader_for_kind(AgendaPack.Kind.PUBLIC, meeting)
    items = AgendaItem.objects.filter(meeting=meeting)
    if scope == AgendaPack.Scope.SUPPLEMENTARY:
        items = items.filter(added_after_publication_at__isnull=False)

    def members_only(model, rule, **where) -> Q:
        rows = model.objects.filter(**where)
        return Q(Exists(rows.filter(rule(members)).exclude(pk__in=rows.filter(rule(public)).values("pk"))))

    return (
        members_only(AgendaItem, gate.item_q, pk__in=items.values("pk"))
        | members_only(Appendix, gate.appendix_q, report__agenda_item__in=items.values("pk"))
        | members_only(Minute, gate.minute_q, minutes__meeting__in=items.values("minutes_of"))
    )


def gather(meeting: Meeting, *, kind: str, scope: str) -> PackContent:
    """Everything the pack is made from, as the pack's reader may read it."""
    return _gather(meeting, reader_for_kind(kind, meeting), kind, scope)


def _gather(meeting: Meeting, reader: gate.Reader, kind: str, scope: str) -> PackContent:
    title = pack_title(meeting, kind, scope)
    items = selectors.agenda_for(meeting, reader)
    resolution = selectors.exclusion_resolution(items)
    if scope == AgendaPack.Scope.SUPPLEMENTARY:
        items = [item for item in items if item.added_after_publication_at is not None]
    reports = _readable_reports(meeting, reader)
    # Read once, for every rendering of the front sheet. As the public reads them (a print
    # has no reader of its own: pdf/front_sheet.html always read them so), but "as if
    # published" before publication, where the public would read none yet: the front sheet
    # pre-rendered and pre-assembled is then the one the publication prints.
    declared = interests_selectors.declared_at(meeting, reader_for_kind(AgendaPack.Kind.PUBLIC, meeting))
    rows, papers = [], []
    carried: dict[str, dict] = {"items": {}, "appendices": {}, "minutes": {}, "compared": {}, "declarations": {}}
    for item in items:
        # Every paper prints its meeting (committee, date, venue): the one loaded here, not a
        # query of its own per item.
        item.meeting = meeting
        rows.append({"item": item, "readable": item.readable})
        if not item.readable:
            continue  # listed by its title and paragraph only
        _carry_declarations(carried, declared.on(item), item.number)
        carried["items"][str(item.pk)] = item.number
        parts = _item_parts(item, reader, reports, carried)
        if parts:
            papers.append(ItemPapers(item=item, parts=parts))
    content = PackContent(
        meeting=meeting,
        kind=kind,
        scope=scope,
        title=title,
        rows=rows,
        papers=papers,
        exclusion_resolution=resolution,
        carried=carried,
        declared=declared,
    )
    h = hashlib.sha256(RENDERER_VERSION.encode())
    # The front sheet with every range unknown stands for the agenda itself; the ranges
    # follow from the parts, whose digests cover everything else.
    h.update(content.front_sheet_html({}).encode())
    for paper in papers:
        h.update(f"|item {paper.item.number}|".encode())
        for part in paper.parts:
            h.update(f"{part.key}:{part.digest}:{part.notice}:{part.label}".encode())
    content.digest = h.hexdigest()
    return content


def _carry_declarations(carried: dict, declarations, number: str) -> None:
    """Record the declarations of interest a version prints under item `number`, each with
    how it read (interests.selectors.as_printed), so that the version is withdrawn if one
    stops reading so to the public: made sensitive, deleted, moved (services.
    packs_withdraw_no_longer_readable)."""
    for declaration in declarations:
        carried["declarations"][str(declaration.pk)] = [number, interests_selectors.as_printed(declaration)]


def _readable_reports(meeting: Meeting, reader: gate.Reader) -> dict[int, Report]:
    """The meeting's reports with their readable appendices, in three queries, through the
    same gate as selectors.report_detail (report_q for reports, appendix_q for appendices)."""
    reports = (
        Report.objects.filter(gate.report_q(reader), agenda_item__meeting=meeting)
        .select_related("contact")
        .prefetch_related(
            "background_papers",
            Prefetch(
                "appendices",
                queryset=Appendix.objects.filter(gate.appendix_q(reader)).select_related("content_type"),
                to_attr="readable_appendices",
            ),
        )
    )
    return {report.agenda_item_id: report for report in reports}


def _item_parts(item: AgendaItem, reader: gate.Reader, reports: dict[int, Report], carried: dict) -> list[Part]:
    parts: list[Part] = []
    notice = item.not_for_publication_notice if item.is_restricted else ""
    if item.minutes_of_id:
        minutes = _minutes_part(item, reader, notice, carried)
        if minutes:
            parts.append(minutes)
    if item.report_if_readable is not None and item.pk in reports:
        report = reports[item.pk]
        report.agenda_item = item  # the item read already (reason_for_part_ii_shown reads it)
        carried["appendices"].update({str(a.pk): item.number for a in report.readable_appendices})
        carried["compared"].update(
            {choice_value(row): item.number for a in report.readable_appendices for row in compared_with(a, reader)}
        )
        parts.extend(_report_parts(item, report, notice, reader))
    return parts


def _minutes_part(item: AgendaItem, reader: gate.Reader, notice: str, carried: dict) -> Part | None:
    previous = selectors.meeting_detail(item.minutes_of_id)
    attendance, entries = selectors.minutes_for(previous, reader)
    if not attendance and not entries:
        return None
    carried["items"].update({str(entry.agenda_item_id): item.number for entry in entries})
    carried["minutes"].update({str(entry.pk): item.number for entry in entries})
    # The minutes print the declarations made at that meeting as the public reads them (a
    # print has no reader of its own), under the minute of the item they were made in.
    declared = interests_selectors.declared_at(previous, gate.Reader.public())
    for entry in entries:
        _carry_declarations(carried, declared.on(entry.agenda_item_id), item.number)
    present = [a for a in attendance if a.status == Attendance.Status.PRESENT]
    chair = next((a for a in present if a.in_the_chair), None)
    html = render_to_string(
        "pdf/minutes.html",
        {
            **_common(f"Minutes of {previous}"),
            "minutes_meeting": previous,
            "declared": declared,
            "chair": chair,
            "present": [a for a in present if a is not chair],
            "apologies": [a for a in attendance if a.status == Attendance.Status.APOLOGIES],
            "officers_in_attendance": previous.minutes.officers_in_attendance,
            "entries": entries,
        },
    )
    return Part(key=f"item-{item.number}-minutes", html=html, notice=notice)


def _refers(letters: list[str]) -> str:
    quoted = [f"'{letter}'" for letter in letters]
    if not quoted:
        return ""
    if len(quoted) == 1:
        return f"Appendix {quoted[0]} refers"
    return f"Appendices {join_and(quoted)} refer"


def _report_of(text: str) -> str:
    text = text.strip()
    return text if text.lower().startswith("the ") else f"the {text}"


def _report_parts(item: AgendaItem, report: Report, notice: str, reader: gate.Reader) -> list[Part]:
    appendices = list(report.readable_appendices)
    within = [a for a in appendices if a.placement == Appendix.Placement.WITHIN_REPORT]
    lettered = [a for a in appendices if a.placement == Appendix.Placement.APPENDIX]
    for appendix in appendices:
        _check_structured(appendix, item)
    html = render_to_string(
        "pdf/report.html",
        {
            **_common(report.title),
            "item": item,
            "report": report,
            "report_of": _report_of(report.report_of),
            "refers": _refers([a.letter for a in lettered]),
            "within_report": within,
            "reader": reader,
            "background_papers": report.background_papers.all(),
        },
    )
    parts = [Part(key=f"item-{item.number}-report", html=html, notice=notice)]
    for appendix in lettered:
        appendix_notice = appendix.not_for_publication_notice if appendix.is_restricted else notice
        key = f"item-{item.number}-appendix-{appendix.letter}"
        if appendix.kind == Appendix.Kind.DOCUMENT:
            parts.append(
                Part(
                    key=key,
                    upload=_read_upload(appendix, item),
                    label=f"Appendix '{appendix.letter}': {appendix.title}",
                    what=_describe(appendix, item),
                    notice=appendix_notice,
                )
            )
        else:
            if appendix.kind == Appendix.Kind.RICH_TEXT:
                # Printed under the appendix's own <h2>: its headings start at <h3>.
                body = level_headings(appendix.body, 3)
                pieces = [mark_safe(f'<div class="rich">{body}</div>')]  # noqa: S308 - stored sanitised
            else:
                # A long structured appendix may come in pieces, each its own document (and
                # so rendered alongside the others): the first has the heading.
                body = structured_appendix({"reader": reader}, appendix, "pdf", pieces=True)
                pieces = [mark_safe(piece) for piece in body.split(PACK_PART_BREAK)]  # noqa: S308 - the template's output, cut
            for n, piece in enumerate(pieces):
                html = render_to_string(
                    "pdf/appendix.html",
                    {
                        **_common(str(appendix)),
                        "appendix": appendix,
                        "notice": appendix_notice,
                        "body": piece,
                        "continued": n > 0,
                        # A wide table first: the heading goes on its landscape page, not alone.
                        "wide": bool(_STARTS_WIDE.match(piece)),
                    },
                )
                parts.append(Part(key=f"{key} (piece {n + 1})" if n else key, html=html, notice=appendix_notice))
    return parts


_STARTS_WIDE = re.compile(r"\s*(?:<!--.*?-->\s*)*<[a-z0-9]+[^>]*\bclass=\"[^\"]*\bwide\b", re.DOTALL)


def _describe(appendix: Appendix, item: AgendaItem) -> str:
    name = f"Appendix '{appendix.letter}'" if appendix.letter else f'The table "{appendix.title}"'
    return f"{name} of item {item.number}"


def _check_structured(appendix: Appendix, item: AgendaItem) -> None:
    """A structured appendix whose data has gone would print as a gap: refuse instead."""
    if appendix.kind != Appendix.Kind.STRUCTURED:
        return
    if kind_of(appendix) is None or appendix.structured is None:
        raise PackContentError(
            f"{_describe(appendix, item)} shows structured data that is no longer available. "
            "Choose its data again in the report's appendices, or remove the appendix."
        )


def _read_upload(appendix: Appendix, item: AgendaItem) -> bytes:
    # The cleaned copy, as the public pages serve it: the pack never reads the file as uploaded.
    from committee.services import DocumentUnavailable, appendix_cleaned_document

    try:
        with appendix_cleaned_document(appendix=appendix) as f:
            return f.read()
    except FileNotFoundError as exc:
        raise PackContentError(
            f"The file of {_describe(appendix, item)} ({appendix.title}) cannot be found. Upload the PDF again."
        ) from exc
    except DocumentUnavailable as exc:
        raise PackContentError(
            f"{_describe(appendix, item)} is not a readable PDF that Quorum accepts ({appendix.title}): {exc} "
            "Upload it in the report's appendices."
        ) from exc
