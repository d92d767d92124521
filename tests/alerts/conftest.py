import pytest

from tests.local_http import local_http_server

from .smtp import LoopbackSmtp
from .webhook_receiver import Receiver


@pytest.fixture
def smtp(settings):
    """Mail goes by SMTP to a real server on loopback; `smtp.inbox` holds what arrived."""
    with LoopbackSmtp() as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        settings.QUORUM_ALERTS_PER_SECOND = 0
        settings.QUORUM_SITE_URL = "https://committees.example.gov.uk"
        yield server


@pytest.fixture
def receiver():
    """A newsroom's webhook receiver, over real HTTP on loopback; `receiver.received` holds
    what arrived, with whether its signature was good."""
    receiver = Receiver()
    with local_http_server(receiver.answer) as server:
        receiver.url = f"{server.url}/quorum"
        yield receiver


@pytest.fixture
def worker_in_process(monkeypatch):
    """The alerts' tasks run in this process when sent (the real task code, no broker), so a
    test reads what a worker would have sent as soon as the change commits."""
    from alerts import tasks
    from committee.pack.tasks import build_agenda_pack

    for task in (tasks.deliver_event, tasks.send_confirmation):
        monkeypatch.setattr(task, "apply_async", lambda args, task=task, **options: task.apply(args, throw=True))
    # The packs are not what these tests read: their builds are not sent.
    monkeypatch.setattr(build_agenda_pack, "apply_async", lambda *args, **kwargs: None)
