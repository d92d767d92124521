"""The published plan, the task pages, the officers' one-step update and the dashboard."""

import csv
import io
import re
from datetime import date

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from send_actions import services
from send_actions.models import ProgressUpdate

from .plans import PLAN_SLUG, make_plan, task

pytestmark = pytest.mark.django_db


def _tasks_in_seed(seed_data):
    for group in seed_data["groups"]:
        for action in group["actions"]:
            yield from action["tasks"]


def test_every_seed_task_is_on_the_public_page_with_its_date_outcome_and_status(client, seed_plan, seed_data):
    page = client.get(reverse("send_actions:plan-detail", args=[PLAN_SLUG])).content.decode()
    seed_tasks = list(_tasks_in_seed(seed_data))
    assert len(seed_tasks) == 47
    from django.utils.html import escape

    for t in seed_tasks:
        card = page[page.index(f'id="task-{t["code"]}"') :]
        card = card[: card.index("</li>")]
        assert escape(t["description"]) in card, t["code"]
        assert f">{t['due']}</time>" in card, t["code"]
        assert escape(t["expected_outcome"]) in card, t["code"]
        assert f">{t['progress']}</span>" in card, t["code"]


def test_the_public_page_shows_progress_in_words_and_as_bars(client, seed_plan):
    page = client.get(seed_plan.get_absolute_url()).content.decode()
    # The seed: 2 complete (A4, E1), 22 underway, 23 planned.
    assert "2 of 47 tasks complete" in page
    assert '<progress class="plan-progress" max="47" value="2" aria-labelledby="progress-all">' in page
    # Working group 1 (A1-A6, B1-B2, C1-C3): A4 complete.
    assert '<p id="group-1-progress"><strong>1 of 11 tasks complete</strong>' in page
    # Action C in Improving Outcomes: C4, C5.
    assert '<p id="group-5-action-C-progress"><strong>0 of 2 tasks complete</strong>' in page


def test_overdue_tasks_are_marked_as_of_today(client, small_plan):
    """A1 and A2 are due Sept 2018; today is long after."""
    services.progress_update_add(
        task=task(small_plan, "A2"), as_of=date(2018, 9, 1), status="complete", completed_on=date(2018, 9, 1),
        made_by="Board",
    )  # fmt: skip
    page = client.get(small_plan.get_absolute_url()).content.decode()
    a1 = page[page.index('id="task-A1"') :][:1500]
    a2 = page[page.index('id="task-A2"') :][:1500]
    assert "Overdue</span>" in a1
    assert "Overdue</span>" not in a2
    assert f"{timezone.localdate().day} {timezone.localdate():%B %Y}" in page  # "as at" today


def test_filter_by_status_and_working_group(client, seed_plan):
    url = seed_plan.get_absolute_url()
    complete = client.get(url, {"status": "complete"}).content.decode()
    assert 'id="task-A4"' in complete and 'id="task-E1"' in complete
    assert 'id="task-A1"' not in complete
    assert "Showing 2 of 47 tasks" in complete

    group5 = client.get(url, {"group": "5"}).content.decode()
    assert 'id="task-C4"' in group5 and 'id="task-L9"' in group5
    assert 'id="task-C1"' not in group5 and 'id="task-A1"' not in group5

    both = client.get(url, {"group": "2", "status": "underway"}).content.decode()
    assert {code for code in ("D1", "E2", "E1", "D2") if f'id="task-{code}"' in both} == {"D1", "E2"}

    overdue = client.get(url, {"status": "overdue"}).content.decode()
    assert 'id="task-A4"' not in overdue  # complete, so never overdue

    bad = client.get(url, {"group": "99"})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()


def test_filter_by_area_of_concern(client, seed_plan):
    """Area of concern 8 is addressed by action C, whose tasks sit in working groups 1 (C1-C3)
    and 5 (C4, C5): the filter keeps exactly those, in both groups."""
    url = seed_plan.get_absolute_url()
    page = client.get(url).content.decode()
    assert '<option value="8">8. ' in page  # offered, numbered as the plan numbers them

    area8 = client.get(url, {"area": "8"}).content.decode()
    shown = set(re.findall(r'id="task-([A-Z]\d+)"', area8))
    assert shown == {"C1", "C2", "C3", "C4", "C5"}
    assert "Showing 5 of 47 tasks" in area8
    assert '<option value="8" selected>' in area8  # the choice stays chosen

    with_status = client.get(url, {"area": "8", "status": "planned", "group": "5"}).content.decode()
    assert set(re.findall(r'id="task-([A-Z]\d+)"', with_status)) <= {"C4", "C5"}

    bad = client.get(url, {"area": "nonsense"})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()
    assert "Showing all 47 tasks" in bad.content.decode()


def test_the_long_plan_has_contents_reachable_from_every_working_group(client, seed_plan):
    page = client.get(seed_plan.get_absolute_url()).content.decode()
    contents = page[page.index('<nav class="contents"') : page.index("</nav>", page.index('<nav class="contents"'))]
    for number in range(1, 6):
        assert f'href="#group-{number}"' in contents
        assert f'id="group-{number}"' in page
    for anchor in ("progress-heading", "find-heading", "about-heading", "reports-heading"):
        assert f'href="#{anchor}"' in contents and f'id="{anchor}"' in page
    # Every working group ends with a way back, and the sticky link follows the groups.
    assert page.count('<a href="#contents-heading">Back to contents</a>') == 5
    assert '<p class="contents-link"><a href="#contents-heading">Contents</a></p>' in page

    # Filtered to one group, the contents list only what the page shows.
    group5 = client.get(seed_plan.get_absolute_url(), {"group": "5"}).content.decode()
    contents = group5[
        group5.index('<nav class="contents"') : group5.index("</nav>", group5.index('<nav class="contents"'))
    ]
    assert 'href="#group-5"' in contents and 'href="#group-1"' not in contents


def test_a_plan_not_yet_published_is_for_officers_only(client, officer, councillor):
    plan = make_plan("draft-plan", published=False)
    urls = [
        plan.get_absolute_url(),
        reverse("send_actions:task-detail", args=[plan.slug, "A1"]),
        reverse("send_actions:plan-export", args=[plan.slug, "csv"]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404
    client.force_login(councillor)
    for url in urls:
        assert client.get(url).status_code == 404
    assert plan.slug not in client.get(reverse("send_actions:index")).content.decode()
    client.force_login(officer)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
    assert "Not published yet" in client.get(plan.get_absolute_url()).content.decode()


def test_the_task_page_shows_its_history_and_cross_references(client, seed_plan):
    services.progress_update_add(
        task=task(seed_plan, "C3"), as_of=timezone.localdate(), status="underway", made_by="Working Group 1",
        narrative="Principles drafted with parents.",
    )  # fmt: skip
    page = client.get(reverse("send_actions:task-detail", args=[PLAN_SLUG, "C3"])).content.decode()
    assert "Key task C3" in page
    assert "Principles drafted with parents." in page
    assert "Progress as published in the Written Statement of Action (May 2018)." in page
    assert page.index("Principles drafted") < page.index("Progress as published")  # newest first
    assert reverse("send_actions:task-detail", args=[PLAN_SLUG, "H2"]) in page  # "(see H2)"
    assert "Working Group 1: Strategy" in page
    assert "8. No effective strategy" in page
    assert "Add a progress update" not in page  # the public cannot
    assert client.get(reverse("send_actions:task-detail", args=[PLAN_SLUG, "Z9"])).status_code == 404


def test_an_officer_adds_an_update_from_the_task_page_in_one_step(client, officer, seed_plan):
    client.force_login(officer)
    url = reverse("send_actions:task-detail", args=[PLAN_SLUG, "A1"])
    today = timezone.localdate()
    form_page = client.get(url).content.decode()
    assert "Add a progress update" in form_page
    assert f'value="{today.isoformat()}"' in form_page  # dated today unless the officer says otherwise
    response = client.post(
        reverse("send_actions:task-add-update", args=[PLAN_SLUG, "A1"]),
        {"as_of": today.isoformat(), "status": "complete", "completed_on": today.isoformat(),
         "narrative": "Governance structure agreed and published.", "made_by": "SEND Partnership Board"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"].endswith(f"{url}#history")
    page = client.get(url).content.decode()
    assert "Progress of A1 recorded." in page
    assert '<span class="status status-complete">Action Complete</span>' in page
    assert task(seed_plan, "A1").progress_updates.count() == 2
    assert ProgressUpdate.objects.filter(task__code="A1").latest().recorded_by == officer


def test_a_refused_update_is_shown_with_its_reason_and_changes_nothing(client, officer, seed_plan):
    client.force_login(officer)
    response = client.post(
        reverse("send_actions:task-add-update", args=[PLAN_SLUG, "A1"]),
        {"as_of": "2018-04-01", "status": "complete", "made_by": "Board"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the date the task was completed." in page
    assert "a new update cannot be dated before it" in page
    assert task(seed_plan, "A1").progress_updates.count() == 1


@pytest.mark.parametrize(("field", "typed"), [("completed_on", "0001-01-01"), ("as_of", "0018-06-01")])
def test_an_update_with_a_slip_in_its_year_comes_back_with_the_message_at_the_field(
    client, officer, seed_plan, field, typed
):
    # As in the admin's forms (core.dates.mistyped_year_problem): a completion "on 1 January
    # 0001" was recorded and printed on the plan's pages.
    client.force_login(officer)
    today = timezone.localdate().isoformat()
    data = {"as_of": today, "status": "complete", "completed_on": today, "made_by": "Board"} | {field: typed}
    response = client.post(reverse("send_actions:task-add-update", args=[PLAN_SLUG, "A1"]), data)
    assert response.status_code == 400
    form = response.context["form"]
    year = typed[:4]
    assert form.errors[field][0] == f"Check the year: {year} cannot be right. Type a date from 1800 to 2999."
    assert f'name="{field}" value="{typed}"' in response.content.decode()
    assert task(seed_plan, "A1").progress_updates.count() == 1


def test_only_officers_with_the_right_may_add_updates(client, author, councillor, seed_plan):
    url = reverse("send_actions:task-add-update", args=[PLAN_SLUG, "A1"])
    data = {"as_of": timezone.localdate().isoformat(), "status": "underway", "made_by": "Someone"}
    assert client.post(url, data).status_code == 403
    for user in (author, councillor):
        client.force_login(user)
        assert client.post(url, data).status_code == 403
    assert client.get(url).status_code == 405
    assert task(seed_plan, "A1").progress_updates.count() == 1


def test_the_key_tasks_download_as_csv_and_xlsx(client, seed_plan):
    response = client.get(reverse("send_actions:plan-export", args=[PLAN_SLUG, "csv"]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 47
    l9 = rows[-1]
    assert (l9["Key task"], l9["Date to Complete"], l9["Progress"]) == ("L9", "July 2019", "Action Planned")
    assert l9["Working group"] == "Working Group 5: Improving Outcomes"
    response = client.get(reverse("send_actions:plan-export", args=[PLAN_SLUG, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 48
    assert client.get(reverse("send_actions:plan-export", args=[PLAN_SLUG, "html"])).status_code == 404


# The dashboard --------------------------------------------------------------------------------


def test_the_dashboard_is_for_councillors_and_officers(client, django_user_model, officer, other_councillor, seed_plan):
    url = reverse("send_actions:dashboard", args=[PLAN_SLUG])
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(django_user_model.objects.create_user("resident", password="x" * 12))
    assert client.get(url).status_code == 403
    for user in (other_councillor, officer):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_the_dashboard_compares_with_the_last_report(client, officer, seed_plan):
    services.plan_snapshot_take(plan=seed_plan, label="As reported in June", as_at=date(2018, 6, 27))
    services.progress_update_add(
        task=task(seed_plan, "A1"), as_of=date(2018, 7, 20), status="complete", completed_on=date(2018, 7, 20),
        made_by="Board",
    )  # fmt: skip
    client.force_login(officer)
    page = client.get(reverse("send_actions:dashboard", args=[PLAN_SLUG])).content.decode()
    assert "As reported in June" in page
    changes = page[page.index("Changes since the last report") :]
    assert "A1</a>: Agree the governance structure" in changes
    assert "Action Underway" in changes and "Action Complete" in changes
    group1 = page[page.index("Working Group 1: Strategy</th>") :][:400]
    assert "<td>11</td>" in group1 and "<td>2</td>" in group1 and "1 more complete" in group1
