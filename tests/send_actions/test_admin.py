"""The officers' admin: keeping the plan current, publishing it and taking snapshots."""

from datetime import date

import pytest
from django.urls import reverse

from send_actions import services
from send_actions.models import ActionPlan, KeyTask, PlanSnapshot, ProgressUpdate

from .plans import make_plan, task

pytestmark = pytest.mark.django_db


def test_every_admin_page_opens(client, officer, seed_plan):
    client.force_login(officer)
    a1 = task(seed_plan, "A1")
    snapshot = services.plan_snapshot_take(plan=seed_plan, label="June", as_at=date(2018, 6, 27))
    for name, args in [
        ("actionplan_changelist", []),
        ("actionplan_change", [seed_plan.pk]),
        ("workinggroup_changelist", []),
        ("action_changelist", []),
        ("action_change", [a1.group_action.action_id]),
        ("keytask_changelist", []),
        ("keytask_change", [a1.pk]),
        ("keytask_add", []),
        ("progressupdate_changelist", []),
        ("progressupdate_add", []),
        ("progressupdate_import", []),
        ("plansnapshot_changelist", []),
        ("plansnapshot_change", [snapshot.pk]),
    ]:
        response = client.get(reverse(f"admin:send_actions_{name}", args=args))
        assert response.status_code == 200, name


def test_the_task_list_filters_by_progress_and_overdue(client, officer, seed_plan):
    client.force_login(officer)
    url = reverse("admin:send_actions_keytask_changelist")
    complete = client.get(url, {"progress": "complete"}).context["cl"].result_list
    assert sorted(t.code for t in complete) == ["A4", "E1"]
    overdue = client.get(url, {"progress": "overdue"}).context["cl"].result_list
    assert "A4" not in {t.code for t in overdue} and "A2" in {t.code for t in overdue}


def _change_form_data(t: KeyTask, **changes):
    data = {
        "plan": t.plan_id,
        "group_action": t.group_action_id,
        "code": t.code,
        "description": t.description,
        "due_date": t.due_date.isoformat(),
        "due_precision": t.due_precision,
        "due_change_reason": t.due_change_reason,
        "expected_outcome": t.expected_outcome,
        "see_also": [o.pk for o in t.see_also.all()],
        "progress_updates-TOTAL_FORMS": "0",
        "progress_updates-INITIAL_FORMS": str(t.progress_updates.count()),
        "progress_updates-MIN_NUM_FORMS": "0",
        "progress_updates-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_changing_a_date_in_the_admin_needs_a_reason_and_keeps_the_original(client, officer, seed_plan):
    client.force_login(officer)
    a1 = task(seed_plan, "A1")
    url = reverse("admin:send_actions_keytask_change", args=[a1.pk])
    refused = client.post(url, _change_form_data(a1, due_date="2018-10-01"))
    assert refused.status_code == 200
    assert "Give the reason for changing the date to complete." in refused.content.decode()
    assert task(seed_plan, "A1").due_display == "July 2018"

    done = client.post(url, _change_form_data(a1, due_date="2018-10-15", due_change_reason="Board met late."))
    assert done.status_code == 302
    a1 = task(seed_plan, "A1")
    assert (a1.due_display, a1.original_due_display, a1.due_change_reason) == (
        "Oct 2018",
        "July 2018",
        "Board met late.",
    )


def test_a_task_cannot_be_given_a_code_of_another_action_in_the_admin(client, officer, seed_plan):
    client.force_login(officer)
    a1 = task(seed_plan, "A1")
    response = client.post(reverse("admin:send_actions_keytask_change", args=[a1.pk]), _change_form_data(a1, code="B7"))
    assert response.status_code == 200
    assert "A key task&#x27;s code is its action&#x27;s letter and a number: A1." in response.content.decode()


def test_progress_updates_are_never_changed_or_deleted(client, officer, seed_plan):
    client.force_login(officer)
    update = ProgressUpdate.objects.filter(task__plan=seed_plan).first()
    url = reverse("admin:send_actions_progressupdate_change", args=[update.pk])
    response = client.post(url, {"task": update.task_id, "as_of": "2018-05-01", "status": "complete", "made_by": "X"})
    assert response.status_code == 403
    assert client.post(reverse("admin:send_actions_progressupdate_delete", args=[update.pk])).status_code == 403
    update.refresh_from_db()
    assert update.status != "complete" or update.task.code in ("A4", "E1")


def test_an_update_added_in_the_admin_records_who_entered_it(client, officer, seed_plan):
    client.force_login(officer)
    a1 = task(seed_plan, "A1")
    response = client.post(
        reverse("admin:send_actions_progressupdate_add"),
        {"task": a1.pk, "as_of": "2018-06-01", "status": "underway", "narrative": "Draft agreed", "made_by": "WG1"},
    )
    assert response.status_code == 302
    latest = a1.progress_updates.latest()
    assert (latest.as_of, latest.made_by, latest.recorded_by) == (date(2018, 6, 1), "WG1", officer)


def test_publish_and_snapshot_actions(client, officer):
    plan = make_plan("draft", published=False)
    client.force_login(officer)
    url = reverse("admin:send_actions_actionplan_changelist")
    client.post(url, {"action": "publish", "_selected_action": [plan.pk]})
    assert ActionPlan.objects.get(pk=plan.pk).is_published
    response = client.post(url, {"action": "take_snapshot", "_selected_action": [plan.pk]}, follow=True)
    snapshot = PlanSnapshot.objects.get(plan=plan)
    assert snapshot.taken_by == officer
    assert f"(id {snapshot.pk})" in response.content.decode()


def test_snapshots_are_not_added_or_deleted_by_hand(client, officer, small_plan):
    snapshot = services.plan_snapshot_take(plan=small_plan, label="June", as_at=date(2018, 6, 27))
    client.force_login(officer)
    assert client.get(reverse("admin:send_actions_plansnapshot_add")).status_code == 403
    assert client.post(reverse("admin:send_actions_plansnapshot_delete", args=[snapshot.pk])).status_code == 403
    assert PlanSnapshot.objects.filter(pk=snapshot.pk).exists()


def test_an_update_is_offered_as_made_by_the_officer_and_listed_by_their_name(client, officer, seed_plan):
    officer.first_name, officer.last_name = "Josh", "Mynott"
    officer.save()
    client.force_login(officer)
    form = client.get(reverse("admin:send_actions_progressupdate_add")).context["adminform"].form
    assert form.initial["made_by"] == "Josh Mynott"

    services.progress_update_add(
        task=task(seed_plan, "A1"),
        as_of=date(2018, 6, 27),
        status="underway",
        made_by="SEND Partnership Board",
        by=officer,
    )
    listed = client.get(reverse("admin:send_actions_progressupdate_changelist")).content.decode()
    assert "Josh Mynott" in listed and f">{officer.username}<" not in listed
