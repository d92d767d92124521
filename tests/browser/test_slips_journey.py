"""The slips an officer makes, in the browser: each is answered with the form again, the
message at the field, and everything typed still there; nothing is saved until it is put
right (the officers' workplace issue: "no slip loses work").

- A Part II item with no Schedule 12A paragraph and no reasons, on the meeting's page.
- The same on Agenda items > Add.
- A Part II appendix without its public interest reasons, on the report's page.
- A title longer than the agenda has room for, pasted in whole: refused at the field with all
  of it kept (a browser would otherwise cut it short without a word, and save the rest).
- A day and a time typed the way the agendas write them ("11 February 2027", "2.30 p.m.", "2.30pm", "14.30")
  rather than as 11/02/2027 14:30: taken, not refused.
(A Part I item cannot be given a paragraph here: its Part II boxes are not shown.)
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from committee.models import AgendaItem, Appendix, Report

from .admin import add_inline, open_group
from .data import draft_meeting

pytestmark = pytest.mark.browser

TITLE = "Sale of the Former Depot at Chorley"
REASONS = "Disclosing the valuation before the sale completes would weaken the council's position."


@pytest.fixture
def meeting(stack):
    made = draft_meeting(66)
    yield made
    made.delete()


def _refused(page, field_text: str):
    """The form came back with the message where the slip is, and nothing else went."""
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator(".errorlist").filter(has_text=field_text).first).to_be_visible()


def _new_report_item(page, meeting, title: str):
    """On the meeting's page, a new agenda item: number 1, a report, with this title."""
    page.goto(f"/admin/committee/meeting/{meeting.pk}/change/")
    item = add_inline(page, "items", "Add another Agenda item")
    item.get_by_label("Number:", exact=True).fill("1")
    item.get_by_label("Kind:", exact=True).select_option(label="Report")
    item.get_by_label("Title:", exact=True).fill(title)
    return item


def test_a_part_ii_item_without_its_paragraph_is_refused_with_the_typing_kept(people, meeting):
    page = people("officer")
    item = _new_report_item(page, meeting, TITLE)
    item.get_by_label("Access:", exact=True).select_option(label="Part II: exempt information (Schedule 12A)")
    page.get_by_role("button", name="Save and continue editing").first.click()

    _refused(page, "paragraph")
    open_group(page, "items")
    kept = page.locator("#items-group .inline-related:not(.empty-form)").filter(
        has=page.locator(f'input[value="{TITLE}"]')
    )
    expect(kept).to_have_count(1)
    assert not AgendaItem.objects.filter(meeting=meeting).exists()

    # Put right: the paragraph and the reasons; saved.
    kept.get_by_label("3: Information relating to the financial", exact=False).check()
    kept.get_by_label("Public interest reasons:", exact=True).fill(REASONS)
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".errornote")).to_have_count(0)
    assert AgendaItem.objects.get(meeting=meeting).paragraph_numbers == [3]


def test_agenda_items_add_with_part_ii_and_no_paragraph_is_refused(people, meeting):
    page = people("officer")
    page.goto(f"/admin/committee/agendaitem/add/?meeting={meeting.pk}")
    page.get_by_label("Number:", exact=True).fill("2")
    page.get_by_label("Title:", exact=True).fill(TITLE)
    page.get_by_label("Access:", exact=True).select_option(label="Part II: exempt information (Schedule 12A)")
    page.get_by_role("button", name="Save", exact=True).click()
    _refused(page, "paragraph")
    expect(page.get_by_label("Title:", exact=True)).to_have_value(TITLE)
    assert not AgendaItem.objects.filter(meeting=meeting).exists()


def test_a_part_ii_appendix_without_its_reasons_is_refused_with_the_typing_kept(people, meeting):
    item = AgendaItem.objects.create(meeting=meeting, order=1, number="1", title=TITLE, kind="report")
    report = Report.objects.create(agenda_item=item, title=TITLE, report_of="Director of Corporate Services")
    page = people("officer")
    page.goto(f"/admin/committee/report/{report.pk}/change/")
    appendix = add_inline(page, "appendices", "Add another Appendix")
    appendix.get_by_label("Letter:", exact=True).fill("A")
    appendix.get_by_label("Title:", exact=True).fill("Valuation")
    appendix.get_by_label("Access:", exact=True).select_option(label="Part II: exempt information (Schedule 12A)")
    appendix.get_by_label("3: Information relating to the financial", exact=False).check()
    page.get_by_role("button", name="Save and continue editing").first.click()

    _refused(page, "reasons")
    expect(page.locator('#appendices-group input[value="Valuation"]')).to_have_count(1)
    assert not Appendix.objects.filter(report=report).exists()


def test_a_title_too_long_is_refused_at_the_field_with_all_of_it_kept(people, meeting):
    long_title = " ".join(["Review of Home to School Transport Policy"] * 8)  # 335 characters; room for 300
    page = people("officer")
    _new_report_item(page, meeting, long_title)
    page.get_by_role("button", name="Save and continue editing").first.click()

    _refused(page, "at most 300 characters (it has 335)")
    open_group(page, "items")
    expect(
        page.locator("#items-group .inline-related:not(.empty-form)").get_by_label("Title:", exact=True)
    ).to_have_value(long_title)
    assert not AgendaItem.objects.filter(meeting=meeting).exists()


@pytest.mark.parametrize("typed_time", ["2.30 p.m.", "2.30pm", "14.30"])
def test_a_day_and_time_in_the_agendas_own_words_are_taken(people, meeting, typed_time):
    day = timezone.localtime(meeting.starts_at).date()
    page = people("officer")
    page.goto(f"/admin/committee/meeting/{meeting.pk}/change/")
    page.locator("#id_starts_at_0").fill(f"{day:%-d %B %Y}")
    page.locator("#id_starts_at_1").fill(typed_time)
    page.get_by_role("button", name="Save and continue editing").first.click()

    expect(page.locator("ul.messagelist li").first).to_contain_text("was changed successfully")
    expect(page.locator("#id_starts_at_1")).to_have_value("14:30:00")
    meeting.refresh_from_db()
    assert f"{timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M}" == f"{day:%Y-%m-%d} 14:30"
