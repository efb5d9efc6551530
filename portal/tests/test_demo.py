from __future__ import annotations

from typing import Any

import pytest

from core.demo import DemoContext
from portal import demo
from portal.models import Feedback, HelpRequest

pytestmark = pytest.mark.django_db


def test_it_seeds_a_small_queue_once(tree: Any, admin: Any) -> None:
    demo.seed(DemoContext())
    demo.seed(DemoContext())
    assert HelpRequest.objects.count() == 1 and Feedback.objects.count() == 1
    tree.station_a.refresh_from_db()
    assert tree.station_a.phone
    from portal.selectors import help_requests_visible

    assert help_requests_visible(admin).count() == 1
