"""The demo meeting's packs against the seed: the front sheet's wording and order, ranges
true to the file, every paper of the seed in order."""

import io
import re

import pikepdf
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from committee.demo import demo_meeting
from committee.models import AgendaPack, Meeting
from committee.pack.demo import build_demo_packs
from risks.models import SnapshotEntry
from tests import pdfua

from .conftest import flat, folio, outline_titles, pack_text, page_texts, pdf_bytes, rows_continued

SEED_FRONT_SHEET = [
    "Lancashire County Council",
    "Cabinet Committee on Performance Improvement",
    "Wednesday, 27th June, 2018 at 2.00 pm in Committee Room 'B' (The Diamond Jubilee Room) - County Hall, Preston",
    "Agenda",
    "Part I (Open to Press and Public)",
    "No. Item",
    "1. Apologies for Absence",
    "2. Disclosure of Pecuniary and Non-Pecuniary Interests",
    "Members are asked to consider any Pecuniary and Non-Pecuniary Interests they may have to disclose to the "
    "meeting in relation to matters under consideration on the Agenda.",
    "3. Minutes of the Meeting held on 18th April 2018 (Pages 1 - ",
    "4. Corporate Risk and Opportunity Register Quarter 1 (Pages ",
    "5. Quarterly Corporate Performance Monitoring Report - Quarter 4 2017/18 (Pages ",
    "6. Lancashire Key Stage 4 Recovery Plan (Pages ",
    "7. Urgent Business",
    "An item of Urgent Business may only be considered under this heading",
    "8. Date of Next Meeting",
    "The next meeting of the Cabinet Committee on Performance Improvement will be held at 2.00pm on Thursday 4th "
    "October 2018 in Committee Room B – The Diamond Jubilee Room, County Hall, Preston.",
]
# The signing officer and the council's address sit side by side under the items.
SIGNATURE = ["L Sales", "Director of Corporate Services", "County Hall", "Preston"]

# The seed's papers, in the order the pack must hold them.
SEED_PAPERS = [
    ("3", "Minutes of the Meeting held on Wednesday, 18th April, 2018 at 2.00 pm"),
    ("3", "BT Lancashire Services Governance and Performance Monitoring"),
    ("4", "Corporate Risk and Opportunity Register Quarter 1"),
    ("4", "(Appendix 'A' refers)"),
    ("4", "Appendix 'A': Corporate Risk & Opportunity Register Q1 2018/19"),
    ("5", "Quarterly Corporate Performance Monitoring Report – Quarter 4 2017/18"),
    ("5", "(Appendices 'A', 'B' and 'C' refer)"),
    ("5", "Appendix 'A': Ofsted Post Inspection - Verbal Update"),
    ("5", "Appendix 'B': Lancashire Special Educational Needs and Disability Written Statement of Action"),
    ("5", "Appendix 'C': Ofsted/Care Quality Commission letter of response"),
    ("6", "Lancashire Key Stage 4 Recovery Plan"),
    ("6", "Reason for inclusion in Part II, if appropriate"),
]


@pytest.mark.django_db
def test_the_demo_meeting_has_its_pack_as_the_seed_has_it(media):
    call_command("load_demo", verbosity=0)
    built = build_demo_packs()
    assert all(p.status == AgendaPack.Status.READY for p in built)
    for pack in built:
        assert not pdfua.problems(pdf_bytes(pack)), (pack.kind, pdfua.problems(pdf_bytes(pack)))
    # Every published meeting of the demo has its packs; a confidential one only where there
    # is Part II: the illustrative agenda of 4 October, not the seed's (which has none).
    kinds = {}
    for pack in built:
        kinds.setdefault(timezone.localdate(pack.meeting.starts_at).isoformat(), []).append(pack.kind)
    published = Meeting.objects.filter(agenda_published_at__isnull=False)
    assert set(kinds) == {timezone.localdate(m.starts_at).isoformat() for m in published}
    assert kinds["2018-06-27"] == ["public"] and kinds["2018-04-18"] == ["public"]
    assert sorted(kinds["2018-10-04"]) == ["confidential", "public"]
    # Each says it was published when its agenda was (19 June 2018), not the day it was built.
    seed = demo_meeting("2018-06-27")
    assert all(p.published_at == p.meeting.agenda_published_at for p in built)
    page = Client().get(reverse("committee:meeting-detail", args=[seed.pk])).content.decode()
    assert page.count("19 June 2018") >= 2 and timezone.localdate().strftime("%-d %B %Y") not in page
    # `make run` again changes nothing a person sees: no new version, nothing rebuilt.
    versions = set(AgendaPack.objects.values_list("pk", "number", "checksum"))
    assert {p.pk for p in build_demo_packs()} == {p.pk for p in built}
    assert set(AgendaPack.objects.values_list("pk", "number", "checksum")) == versions
    # Lists keep the seed's style: the Key Stage 4 report's "a)" lists, not numbers.
    public = next(p for p in built if p.meeting_id == seed.pk)
    whole = pack_text(pdf_bytes(public))
    assert "a) Reading: improve achievement and enjoyment of reading" in whole
    assert "g) Reduce rates of exclusions, both fixed term and permanent" in whole
    # and the minutes' "(i) (ii) (iii)" resolution.
    assert "(ii) the funding position taken by the County Council" in whole
    texts = page_texts(pdf_bytes(public))
    front = flat(texts[0])
    position = 0
    for line in SEED_FRONT_SHEET:
        found = front.find(line, position)
        assert found >= 0, f"front sheet lacks, in order: {line!r}\n{front}"
        position = found + len(line)
    assert all(words in front[position:] for words in SIGNATURE)
    assert "Part II" not in front  # the seed meeting has no exempt items

    numbered = {folio(t): i for i, t in enumerate(texts) if folio(t)}
    ranges = {
        n: tuple(map(int, r)) for n, *r in re.findall(r"(\d)\. (?:(?! \d\. )[^()])+\(Pages (\d+) - (\d+)\)", front)
    }
    assert ranges == {k: tuple(v) for k, v in public.page_ranges.items()}
    for number, (start, end) in ranges.items():
        assert f"Agenda Item {number}" in texts[numbered[start]]
        assert end in numbered
    body = [flat(t) for t in texts]
    cursor = (numbered[1], 0)
    for number, words in SEED_PAPERS:
        start, end = ranges[number]
        for index in range(max(cursor[0], numbered[start]), numbered[end] + 1):
            offset = body[index].find(words, cursor[1] if index == cursor[0] else 0)
            if offset >= 0:
                cursor = (index, offset + len(words))
                break
        else:
            pytest.fail(f"{words!r} is not in item {number}'s pages, after the papers before it")

    # The risk register (Appendix 'A' of item 4) is long enough to be rendered in pieces,
    # side by side: the reader sees one register, every entry once and in order, the header
    # row on every page, one bookmark, and the Key to Scores at its end.
    assert "item-4-appendix-A (piece 2)" in public.timings["paper_render_seconds"]
    first = next(i for i, t in enumerate(body) if "Appendix 'A': Corporate Risk & Opportunity Register" in t)
    last = next(i for i, t in enumerate(body) if "Key to Scores: score = likelihood" in t)
    register_pages = texts[first : last + 1]
    rows = [m for t in register_pages for m in re.findall(r"^(C[RO]\d+) (?!\(continued\))", t, flags=re.MULTILINE)]
    expected = list(
        SnapshotEntry.objects.filter(snapshot__period_label="Q1 2018/19")
        .order_by("position")
        .values_list("reference", flat=True)
    )
    assert len(expected) == 14 and rows == expected
    assert all("Mitigating Actions" in t or "Maximising Actions" in t for t in register_pages[1:-1])
    assert sum(flat(t).count("(continued)") for t in register_pages) >= 2
    assert flat("".join(register_pages)).count("Key to Scores: score = likelihood") == 1
    # A row that runs on to the next page names itself there (its reference cell was blank:
    # "CR1 (continued)"), and a page that starts with a row of its own names none. Where a
    # row continues is read from the tags (its header cell is empty there); the names from
    # each page's text.
    with pikepdf.open(io.BytesIO(pdf_bytes(public))) as pdf:
        continued = {page for page in rows_continued(pdf) if first <= page <= last}
    assert len(continued) >= 2  # CR1 alone runs over three pages
    last_row = None
    for page, text in zip(range(first, last + 1), register_pages, strict=True):
        labels = re.findall(r"\b(C[RO]\d+) \(continued\)", text)
        assert labels == ([last_row] if page in continued else []), (page, labels, last_row)
        last_row = (re.findall(r"^(C[RO]\d+) (?!\(continued\))", text, flags=re.MULTILINE) or [last_row])[-1]
    # The Key to Scores as the seed prints it, on the page of the register's last row:
    # impact down the left with the scores alone in the cells, likelihood along the bottom.
    key_page = flat(register_pages[-1])
    assert re.search(rf"^{expected[-1]} ", register_pages[-1], flags=re.MULTILINE)
    assert "Catastrophic (for risk) / Outstanding (for opportunity) 5 10 15 20 25" in key_page
    assert "Insignificant 1 2 3 4 5 Rare Unlikely Possible Likely Certain Likelihood" in key_page
    outline = outline_titles(pikepdf.open(io.BytesIO(pdf_bytes(public))))
    titles = [title for _depth, title, _page in outline]
    assert titles.count("Appendix 'A': Corporate Risk & Opportunity Register Q1 2018/19") == 1
    assert titles.count("Risks") == 1 and titles.count("Opportunities") == 1

    # Rows read across stay whole: a SEND key task's code, task and date on one page (the
    # seed's H3 and L6 were split), and no KPI table ends a page on a group heading.
    from performance.models import PerformanceReportSnapshot
    from send_actions.models import KeyTask

    def lines(page: str) -> list[str]:
        return [
            line for line in page.splitlines() if line.strip() and not re.fullmatch(r"Page \d+|Agenda Item \d+", line)
        ]

    for task in KeyTask.objects.all():
        first_words = " ".join(task.description.split()[:3])
        holding = [t for t in texts if re.search(rf"^{task.code} ", t, flags=re.MULTILINE)]
        assert holding and first_words in flat(holding[0]), (task.code, first_words)
    layout = PerformanceReportSnapshot.objects.get().layout
    headings = {g["label"] for s in layout["sections"] for t in s["tables"] for g in t["groups"] if g["label"]}
    start, end = public.page_ranges["5"]
    for page in texts[numbered[start] : numbered[end] + 1]:
        assert lines(page)[-1] not in headings, lines(page)[-3:]


@pytest.mark.django_db
def test_a_demo_pack_a_running_worker_is_building_is_left_to_it_not_a_crash(media):
    """A second `make run` (another PORT) shares the first's database and queue: the first's
    worker can take a demo pack's build before this process does. `make run` then says so and
    goes on; it stopped with PackBusy's traceback before."""
    from datetime import timedelta

    from django.utils import timezone

    from committee.demo import demo_meeting
    from committee.pack.demo import build_here
    from committee.pack.services import pack_request

    call_command("load_demo", verbosity=0)
    pack = pack_request(meeting=demo_meeting("2018-06-27"), kind="public", send=False)
    AgendaPack.objects.filter(pk=pack.pk).update(
        status=AgendaPack.Status.RENDERING, attempts=1, lease_until=timezone.now() + timedelta(seconds=60)
    )
    out = io.StringIO()
    assert build_here(pack, stdout=out) is None
    assert "being built by a running worker" in out.getvalue()
    pack.refresh_from_db()
    assert pack.status == AgendaPack.Status.RENDERING and pack.attempts == 1  # the worker's build, untouched
