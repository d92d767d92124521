"""What a person compares between a council's archive and the same archive imported
elsewhere through the ModernGov web service: committees, meetings (date, time, going ahead
or not), the public agenda (numbers, titles, Part II or not, the text), who attended, and the
public PDFs with their text. Run as a module it prints the snapshot of the database in
DATABASE_URL as JSON (the round-trip test reads the second database this way).
"""

import json
import os

from django.utils import timezone
from django.utils.html import strip_tags


def _words(html: str) -> str:
    import html as html_lib

    return " ".join(html_lib.unescape(strip_tags(html or "")).split())


def snapshot() -> dict:
    from committee import gate
    from committee.models import Access, Appendix, Committee, Meeting, Minutes

    public = gate.Reader.public()
    meetings = []
    minutes_open = {
        m.meeting_id for m in Minutes.objects.all() if gate.minutes_open(m, public)
    }  # source side: minutes the public may read
    for meeting in Meeting.objects.select_related("committee").order_by("starts_at", "committee__name"):
        local = timezone.localtime(meeting.starts_at)
        entry = {
            "committee": meeting.committee.name,
            "date": f"{local:%d/%m/%Y}",
            "time": f"{local:%H:%M}",
            "going ahead": meeting.status not in (Meeting.Status.CANCELLED, Meeting.Status.POSTPONED),
            "agenda published": meeting.is_published,
            "items": [],
            "attended": [],
        }
        if meeting.is_published:
            for item in meeting.items.order_by("order", "pk"):
                part_ii = item.access != Access.PUBLIC
                entry["items"].append(
                    {
                        "number": item.number,
                        "title": item.title,
                        "part II": part_ii,
                        "text": "" if part_ii else _words(item.standing_text),
                    }
                )
        # Attendance the public reads: from published minutes in the source; the import
        # records the attendance ModernGov answers (published minutes only, as Quorum serves).
        if meeting.pk in minutes_open or not Minutes.objects.filter(meeting=meeting).exists():
            entry["attended"] = sorted(
                (str(a.member), a.get_status_display()) for a in meeting.attendances.select_related("member")
            )
        meetings.append(entry)
    documents = sorted(
        (
            f"{timezone.localtime(a.report.agenda_item.meeting.starts_at):%d/%m/%Y}",
            a.report.agenda_item.number,
            a.title,
            " ".join(a.document_text.split()),
        )
        for a in Appendix.objects.filter(gate.appendix_q(public), kind=Appendix.Kind.DOCUMENT).select_related(
            "report__agenda_item__meeting"
        )
        if a.report.agenda_item.access == Access.PUBLIC and a.report.agenda_item.meeting.is_published
    )
    return {
        "committees": sorted(Committee.objects.values_list("name", flat=True)),
        "meetings": meetings,
        "documents": [list(d) for d in documents],
    }


def restricted_items() -> list[dict]:
    """The imported Part II items, as an officer finds them to complete."""
    from committee.models import AgendaItem

    return [
        {"title": i.title, "paragraph not recorded": i.paragraph_not_recorded, "access": i.access}
        for i in AgendaItem.objects.exclude(access="public").order_by("title")
    ]


def kept_ids() -> dict:
    """The ModernGov ids the import kept, by kind (in the source: the ids its service showed)."""
    from moderngov.models import ModernGovId

    kept: dict[str, list[int]] = {}
    for kind, moderngov_id in ModernGovId.objects.order_by("kind", "moderngov_id").values_list("kind", "moderngov_id"):
        kept.setdefault(kind, []).append(moderngov_id)
    return kept


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    print(json.dumps({"snapshot": snapshot(), "restricted": restricted_items(), "kept": kept_ids()}))
