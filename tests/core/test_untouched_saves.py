"""An untouched save is a no-op: stored rich text round-trips through the admin's text areas
exactly (entities stay entities), and posting a form nobody changed writes nothing: no new
value, no history row, no new pack version."""

from datetime import date

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client

from committee.models import AgendaPack, Appendix, Attendance, Minute, Minutes, StandingItem
from core.richtext import RichTextField
from risks import services as risk_services
from tests.decisions.kit import decision, member_maker
from tests.factories import AgendaItemFactory, CommitteeFactory, MemberFactory, ReportFactory, exempt
from tests.performance.factories import MeasureFactory, report_with
from tests.risks.conftest import make_entry
from tests.send_actions.plans import make_plan

from .admin_pages import APPS, change_url, form_data

pytestmark = pytest.mark.django_db

STORED = (
    "<p>Write &lt;b&gt;x&lt;/b&gt; to make x bold &amp; so on.</p>\n"
    '<table><caption>Figures</caption><tbody><tr><th scope="row">Q1</th><td>32.0</td></tr></tbody></table>\n'
    "<ul><li>one</li><li>two &amp; three</li></ul>\n<ol><li>first</li></ol>"
)


def _appendix():
    return Appendix.objects.create(
        report=ReportFactory(), title="Letter", letter="A", kind="rich_text", body="<p>x</p>"
    )


def _minute():
    item = AgendaItemFactory()
    return Minute.objects.create(minutes=Minutes.objects.create(meeting=item.meeting), agenda_item=item)


def _snapshot_entry():
    register = risk_services.register_create(name="Corporate Risk Register", slug="corporate")
    make_entry(register, "CR1")
    snapshot = risk_services.snapshot_take(register=register, period_label="Q1 2018/19", by=None)
    return snapshot.entries.get()


# One record of every model that has rich text: a new model with rich text fails the test
# below until it is given its maker here, and so is covered.
MAKERS = {
    "committee.committee": CommitteeFactory,
    "committee.agendaitem": AgendaItemFactory,
    "committee.report": ReportFactory,
    "committee.appendix": _appendix,
    "committee.minute": _minute,
    "committee.standingitem": lambda: StandingItem.objects.create(
        kind="urgent_business", title="Urgent Business", standing_text="<p>Urgent &amp; special</p>"
    ),
    "risks.entry": lambda: make_entry(
        risk_services.register_create(name="Corporate Risk Register", slug="corporate"), "CR1"
    ),
    "risks.snapshotentry": _snapshot_entry,
    "performance.reportcommentary": lambda: (
        report_with([MeasureFactory()]).sections.get().tables.get().commentary.get()
    ),
    "send_actions.actionplan": lambda: make_plan(published=False),
    "decisions.decision": lambda: decision(member_maker(), decided_on=date(2025, 6, 2)),
}


def _rich_text_models():
    return [
        model
        for app in APPS
        for model in apps.get_app_config(app).get_models()
        if not _is_history(model) and any(isinstance(field, RichTextField) for field in model._meta.concrete_fields)
    ]


def _page_editing(obj):
    """The admin page that edits `obj`: its own, or its parent's where it is an inline row."""
    if type(obj) in admin.site._registry:
        return change_url(obj)
    for model_admin in admin.site._registry.values():
        for inline in model_admin.inlines:
            if inline.model is type(obj):
                parent = next(
                    getattr(obj, f.name)
                    for f in type(obj)._meta.concrete_fields
                    if f.related_model is model_admin.model
                )
                return change_url(parent)
    raise AssertionError(f"No admin page edits {type(obj).__name__}")


def _is_history(model) -> bool:
    return hasattr(model, "instance_type")  # django-simple-history's historical models


def _history_rows() -> int:
    return sum(model.objects.count() for model in apps.get_models() if _is_history(model))


def test_every_rich_text_model_has_a_maker():
    assert {m._meta.label_lower for m in _rich_text_models()} == set(MAKERS)


@pytest.mark.parametrize("label", sorted(MAKERS))
def test_untouched_save_keeps_rich_text_and_writes_nothing(label, django_user_model):
    model = apps.get_model(label)
    obj = MAKERS[label]()
    fields = [f.name for f in model._meta.concrete_fields if isinstance(f, RichTextField)]
    model._default_manager.filter(pk=obj.pk).update(**dict.fromkeys(fields, STORED))
    before = model._default_manager.values(*fields).get(pk=obj.pk)
    assert "&lt;b&gt;" in before[fields[0]]  # the sanitiser keeps the entities as entities

    client = Client()
    client.force_login(django_user_model.objects.create_superuser("officer"))
    url = _page_editing(obj)
    page = client.get(url)
    history, packs = _history_rows(), AgendaPack.objects.count()
    response = client.post(url, form_data(page))

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert model._default_manager.values(*fields).get(pk=obj.pk) == before
    assert _history_rows() == history
    assert AgendaPack.objects.count() == packs
    assert "Nothing was changed" in client.get(response.url).content.decode()


def test_edited_rich_text_is_saved_as_typed(django_user_model):
    report = ReportFactory()
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("officer"))
    data = form_data(client.get(change_url(report)))
    data["executive_summary"] = ["<p>Costs rose &lt;10% &amp; fell.</p>\r\n<ul><li>one</li></ul>"]
    assert client.post(change_url(report), data).status_code == 302
    report.refresh_from_db()
    assert report.executive_summary == "<p>Costs rose &lt;10% &amp; fell.</p>\n<ul><li>one</li></ul>"


def _meeting_with_rows():
    item = exempt(AgendaItemFactory(title="Property disposal"), 3)
    Attendance.objects.create(meeting=item.meeting, member=MemberFactory(), in_the_chair=True)
    return item.meeting


def _report_with_rows():
    report = ReportFactory()
    report.background_papers.create(paper="Cabinet report", date="4 May 2018")
    appendix = _appendix()
    appendix.report = report
    appendix.access, appendix.paragraph_numbers, appendix.public_interest_reasons = "exempt", [3], "Commercial terms"
    appendix.save()
    return report


# Pages whose inline rows, check boxes and many-to-many choices must also post back unchanged.
PAGES_WITH_ROWS = {
    "meeting with a Part II item and attendance": _meeting_with_rows,
    "report with papers and a Part II appendix": _report_with_rows,
    "register with its bands": lambda: risk_services.register_create(name="Corporate Risk Register", slug="corporate"),
    "risk entry with its risk types": MAKERS["risks.entry"],
    "key task with its cross references": lambda: _key_task_with_see_also(),
}


def _key_task_with_see_also():
    plan = make_plan()
    first, second = plan.key_tasks.order_by("code")[:2]
    first.see_also.add(second)
    return first


@pytest.mark.parametrize("page", sorted(PAGES_WITH_ROWS))
def test_untouched_save_of_a_page_with_rows_writes_nothing(page, django_user_model):
    obj = PAGES_WITH_ROWS[page]()
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("officer"))
    url = change_url(obj)
    shown = client.get(url)
    history = _history_rows()
    response = client.post(url, form_data(shown))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert _history_rows() == history


def test_untouched_save_keeps_a_time_saved_with_its_seconds(django_user_model):
    """A time box shows the time with its seconds (the first of TIME_INPUT_FORMATS): shown as
    14:05, a start saved at 14:05:37 came back as 14:05:00, and an untouched save moved it."""
    from committee.models import Meeting
    from tests.factories import MeetingFactory

    meeting = MeetingFactory()
    starts_at = meeting.starts_at.replace(hour=14, minute=5, second=37, microsecond=0)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=starts_at)
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("officer"))
    url = change_url(meeting)
    response = client.post(url, form_data(client.get(url)))
    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).starts_at == starts_at
    assert "Nothing was changed" in client.get(response.url).content.decode()
