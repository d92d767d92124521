"""Plans for the tests: the seed's whole WSoA (from the demo file) and small made-up ones."""

import tomllib

import pytest

from send_actions import demo, services

from .plans import make_plan


@pytest.fixture
def seed_data():
    return tomllib.loads(demo.DEMO_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def seed_plan(db, seed_data):
    """The seed's WSoA, published (what `load_demo` loads, without the committee papers)."""
    return services.plan_publish(plan=demo.load_plan(seed_data))


@pytest.fixture
def small_plan(db):
    return make_plan()
