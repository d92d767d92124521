"""Query counts do not grow with the number of groups, actions, tasks or updates."""

from datetime import date

import pytest
from django.urls import reverse

from send_actions import selectors, services
from send_actions.models import KeyTask

from .plans import make_plan

pytestmark = pytest.mark.django_db


def _with_updates(plan):
    for task in KeyTask.objects.filter(plan=plan):
        services.progress_update_add(task=task, as_of=date(2018, 5, 1), status="underway", made_by="Board")
    return plan


@pytest.fixture
def small():
    return _with_updates(make_plan("small", groups=1, letters="A", tasks_per_action=1))


@pytest.fixture
def large():
    return _with_updates(make_plan("large", groups=4, letters="ABCDEFGH", tasks_per_action=6))


@pytest.mark.parametrize("size", ["small", "large"])
def test_plan_tables(request, size, django_assert_num_queries):
    plan = request.getfixturevalue(size)
    # 1 areas of concern, 2 the actions each addresses, 3 working groups, 4 working group
    # actions with their action, 5 the areas each action addresses, 6 key tasks with their
    # status, 7 their cross references, 8 the governance bodies.
    with django_assert_num_queries(8):
        tables = selectors.plan_tables(plan, date(2018, 10, 1))
    assert tables.tally.total == (1 if size == "small" else 48)


@pytest.mark.parametrize("size", ["small", "large"])
def test_the_public_plan_page(client, request, size, django_assert_num_queries):
    plan = request.getfixturevalue(size)
    url = reverse("send_actions:plan-detail", args=[plan.slug])
    client.get(url)  # warm the content type cache
    # 1 the plan, 2-9 plan_tables (above), 10 the snapshots the reader may see.
    with django_assert_num_queries(10):
        response = client.get(url, {"status": "underway"})
    assert response.status_code == 200


@pytest.mark.parametrize("size", ["small", "large"])
def test_the_task_page(client, request, size, django_assert_num_queries):
    plan = request.getfixturevalue(size)
    url = reverse("send_actions:task-detail", args=[plan.slug, "A1"])
    # 1 the plan, 2 the task with its status and group and action, 3 its cross references,
    # 4 its updates, 5 the areas of concern of its action.
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


def test_the_task_page_does_not_grow_with_updates(client, small, django_assert_num_queries):
    task = KeyTask.objects.get(plan=small, code="A1")
    for day in range(2, 20):
        services.progress_update_add(task=task, as_of=date(2018, 5, day), status="underway", made_by="Board")
    with django_assert_num_queries(5):
        assert client.get(reverse("send_actions:task-detail", args=[small.slug, "A1"])).status_code == 200


@pytest.mark.parametrize("size", ["small", "large"])
def test_the_index(client, request, size, django_assert_num_queries):
    request.getfixturevalue(size)
    make_plan("another", letters="XY")
    # 1 the published plans, 2 every task's plan and status.
    with django_assert_num_queries(2):
        assert client.get(reverse("send_actions:index")).status_code == 200


@pytest.mark.parametrize("size", ["small", "large"])
def test_the_dashboard(client, officer, request, size, django_assert_num_queries):
    plan = request.getfixturevalue(size)
    services.plan_snapshot_take(plan=plan, label="June", as_at=date(2018, 6, 27))
    client.force_login(officer)
    url = reverse("send_actions:dashboard", args=[plan.slug])
    client.get(url)
    # 1 the session, 2 the user, 3-4 the user's and their groups' permissions (is this
    # staff user an officer?), 5 the plan, 6-13 plan_tables, 14 the latest snapshot.
    with django_assert_num_queries(14):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("size", ["small", "large"])
def test_the_appendix_needs_no_query(request, size, django_assert_num_queries):
    plan = request.getfixturevalue(size)
    snapshot = services.plan_snapshot_take(plan=plan, label="June", as_at=date(2018, 6, 27))
    # The snapshot is frozen: everything the appendix shows is in its row.
    with django_assert_num_queries(0):
        context = selectors.snapshot_appendix_context(snapshot)
    assert len(context["plan"].tasks()) == (1 if size == "small" else 48)
