"""The hard gate's test kit: an item with a marker planted in every one of its texts, every
public surface that could show them with the status it must answer, and a check that reads a
response as its reader would (a PDF by extracting its text, never by searching its bytes).

tests/committee/test_gate.py and tests/pack/test_gate.py use it; the canary test there plants
the marker in public papers and proves that every surface check finds it, so that a check
that cannot fail would be caught.
"""

import io
from dataclasses import dataclass
from datetime import timedelta

import pdfplumber
import pikepdf
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from committee import services
from committee.models import Access, AgendaItem, Appendix, BackgroundPaper, Minute, Minutes, Report
from risks import services as risk_services
from risks.models import Entry, Kind, RegisterSnapshot
from tests.factories import AgendaItemFactory, ReportFactory, exempt

MARKER = "ZX-EXEMPT-4471"
MG = "/mgWebService.asmx"


def pdf_with_text(text: str) -> bytes:
    """A one-page PDF whose text layer holds `text` (so search indexes it), written directly
    (a standard font, no WeasyPrint: the gate tests run in the quick loop too)."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    )
    content = pikepdf.unparse_content_stream(
        [
            ([], pikepdf.Operator("BT")),
            ([pikepdf.Name.F1, 12], pikepdf.Operator("Tf")),
            ([72, 770], pikepdf.Operator("Td")),
            ([pikepdf.String(f"{text} in the valuer's letter")], pikepdf.Operator("Tj")),
            ([], pikepdf.Operator("ET")),
        ]
    )
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, 595, 842],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
        Contents=pdf.make_stream(content),
    )
    pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def text_of(response) -> str:
    """What a reader of the response reads: the text of a PDF, or the decoded body."""
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        return pdf_text(body)
    return body.decode("utf-8")


def plant(meeting, *, officer, title: str = "Land disposal at Preston", part_ii: bool = True) -> AgendaItem:
    """An item of `meeting` (already published, its minutes published) whose every text carries
    MARKER: standing text, public interest reasons, the report's title, author, every section,
    reason for Part II and background paper, a text appendix, an uploaded PDF, a register
    snapshot shown as a structured appendix, and its minute. Part I when not `part_ii` (the
    canary)."""
    item = AgendaItemFactory(meeting=meeting, title=title, standing_text=f"<p>{MARKER} standing text</p>")
    if part_ii:
        exempt(item, 3, reasons=f"{MARKER} reasons")
    report = ReportFactory(
        agenda_item=item,
        title=f"{MARKER} report title",
        report_of=f"{MARKER} author",
        reason_for_part_ii=f"{MARKER} reason for Part II",
        **{name: f"<p>{MARKER} {label}</p>" for name, label in Report.SECTIONS},
    )
    BackgroundPaper.objects.create(report=report, paper=f"{MARKER} background paper")
    Appendix.objects.create(
        report=report, letter="A", order=1, title=f"{MARKER} valuation", kind="rich_text", body=f"<p>{MARKER}</p>"
    )
    document = Appendix(
        report=report,
        letter="B",
        order=2,
        title="Valuer's letter",
        kind="document",
        document=SimpleUploadedFile("v.pdf", pdf_with_text(MARKER), content_type="application/pdf"),
    )
    services.appendix_prepare(appendix=document)
    document.save()
    register = risk_services.register_create(name=f"Land and property register {item.pk}", slug=f"land-{item.pk}")
    risk_services.entry_save(
        entry=Entry(
            register=register,
            kind=Kind.RISK,
            reference="CR1",
            title=f"{MARKER} register entry",
            owner="Director of Resources",
            inherent_score=20,
            residual_score=16,
        )
    )
    snapshot = risk_services.snapshot_take(register=register, period_label="Q2 2018/19", by=officer, lock=True)
    risk_services.snapshot_attach(snapshot=snapshot, report=report, letter="C", order=3, by=officer)
    minutes, _ = Minutes.objects.get_or_create(meeting=meeting, defaults={"published_at": timezone.now()})
    Minute.objects.create(
        minutes=minutes, agenda_item=item, text=f"<p>{MARKER} minute</p>", resolution=f"<p>{MARKER} resolved</p>"
    )
    Report.objects.filter(pk=report.pk).update(first_published_at=meeting.agenda_published_at)
    return item


def published_meeting(committee, officer):
    """A meeting held last week, its agenda published in good time, with an open item and its
    report, and its minutes out."""
    from tests.factories import MeetingFactory

    meeting = MeetingFactory(committee=committee, starts_at=timezone.now() - timedelta(days=7))
    ReportFactory(agenda_item=AgendaItemFactory(meeting=meeting, title="Library opening hours"))
    services.meeting_publish_agenda(meeting=meeting, by=officer, late_reasons="Urgent: the lease expires.")
    meeting.refresh_from_db()
    Report.objects.filter(agenda_item__meeting=meeting).update(first_published_at=meeting.agenda_published_at)
    Minutes.objects.create(meeting=meeting, published_at=timezone.now())
    return meeting


@dataclass(frozen=True)
class Surface:
    name: str
    url: str
    status: int  # what it answers the public while the item is Part II
    canary_status: int = 200  # what it answers when the same item is Part I


def surfaces(item: AgendaItem) -> list[Surface]:
    """Every public surface that shows papers, with the status each must answer."""
    meeting, report = item.meeting, item.report
    slug = meeting.committee.slug
    document = report.appendices.get(letter="B")
    snapshot = RegisterSnapshot.objects.get(pk=report.appendices.get(letter="C").object_id)
    return [
        Surface("home page", "/", 200),
        Surface("meeting page", reverse("committee:meeting-detail", args=[meeting.pk]), 200),
        Surface("report page", reverse("committee:report-detail", args=[report.pk]), 404),
        Surface("uploaded PDF", reverse("committee:appendix-document", args=[document.pk]), 404),
        # (Not a search for the marker itself: the page repeats the query in its search box.)
        Surface("search for the summary", reverse("committee:search") + "?q=summary", 200),
        Surface("search for a section", reverse("committee:search") + "?q=recommendation", 200),
        Surface("search for the minute", reverse("committee:search") + "?q=minute", 200),
        Surface("search for the PDF's text", reverse("committee:search") + "?q=valuer", 200),
        Surface("search for the register", reverse("committee:search") + "?q=register+entry", 200),
        Surface("papers RSS", reverse("committee:papers-rss"), 200),
        Surface("papers Atom", reverse("committee:papers-atom"), 200),
        Surface("committee RSS", reverse("committee:committee-rss", args=[slug]), 200),
        Surface("sitemap", reverse("sitemap"), 200),
        Surface("API agenda items", "/api/agenda-items/", 200),
        Surface("API agenda item", f"/api/agenda-items/{item.pk}/", 200),
        Surface("API documents", "/api/documents/", 200),
        Surface("registers", reverse("risks:index"), 200),
        Surface("register snapshot", reverse("risks:snapshot-detail", args=[snapshot.pk]), 404),
        Surface("register entry", reverse("risks:snapshot-entry", args=[snapshot.pk, "CR1"]), 404),
        Surface("report of the risk register", reverse("committee:search") + "?q=register", 200),
        # ModernGov's web service (docs/moderngov.md): the agenda, and the report and PDF by
        # their attachment ids (a withheld one answers as an unknown one: an empty attachment).
        Surface("ModernGov GetMeeting", f"{MG}/GetMeeting?lMeetingId={meeting.pk}", 200),
        Surface("ModernGov GetAttachment (report)", f"{MG}/GetAttachment?lAttachmentId={report.pk * 2 + 1}", 200),
        Surface("ModernGov GetAttachment (PDF)", f"{MG}/GetAttachment?lAttachmentId={document.pk * 2}", 200),
    ]


def secret_addresses(item: AgendaItem) -> list[str]:
    """Addresses that would tell the public where the item's papers are (the sitemap and the
    API list addresses, not text)."""
    report = item.report
    snapshot_id = report.appendices.get(letter="C").object_id
    return [
        reverse("committee:report-detail", args=[report.pk]),
        reverse("committee:appendix-document", args=[report.appendices.get(letter="B").pk]),
        reverse("risks:snapshot-detail", args=[snapshot_id]),
    ]


def leaks(response, item: AgendaItem) -> list[str]:
    """What of the item's papers this response shows: the marker, or an address of its papers."""
    text = text_of(response)
    return [found for found in (MARKER, *secret_addresses(item)) if found in text]


def check_no_leaks(client, checks: list[Surface], item: AgendaItem) -> None:
    for surface in checks:
        response = client.get(surface.url)
        assert response.status_code == surface.status, f"{surface.name}: {response.status_code}"
        assert not leaks(response, item), f"exempt papers leaked on {surface.name} ({surface.url})"


def item_made_part_ii_in_the_admin(client, item, *, reasons: str = "Commercial terms still being negotiated.") -> None:
    """As an officer does it (`client` signed in as one): the item's page posted back Part II,
    paragraph 3."""
    from tests.core.admin_pages import change_url, form_data, with_values

    data = with_values(
        form_data(client.get(change_url(item))), access="exempt", paragraphs=["3"], public_interest_reasons=reasons
    )
    assert client.post(change_url(item), data).status_code == 302


def appendices_made_part_ii_in_the_admin(client, report, *, letters=None, paragraph: int = 3, reasons: str) -> None:
    """As an officer does it (`client` signed in as one): the report's page posted back with
    its appendices (those lettered `letters`, or every one) made Part II."""
    from tests.core.admin_pages import change_url, form_data, with_values

    data = form_data(client.get(change_url(report)))
    for n in range(int(data["appendices-TOTAL_FORMS"][0])):
        if letters is None or data[f"appendices-{n}-letter"][0] in letters:
            data = with_values(
                data,
                **{
                    f"appendices-{n}-access": "exempt",
                    f"appendices-{n}-paragraphs": [str(paragraph)],
                    f"appendices-{n}-public_interest_reasons": reasons,
                },
            )
    response = client.post(change_url(report), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response


__all__ = ["MARKER", "Access", "Surface", "check_no_leaks", "leaks", "plant", "surfaces", "text_of"]
