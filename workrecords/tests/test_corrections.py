"""Work records can be corrected after saving: every kind of KINDS has an
edit page that saves a change, audits it with the diff and refuses a stale
save, so a kind added without a correction fails here."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from tests.htmlcheck import as_post_data, post_forms
from tests.leakwalk import Walk
from workrecords import corrections, services
from workrecords.kinds import KINDS, Kind
from workrecords.models import ReportingEntry, SurveyKind, TeamMeeting
from workrecords.tests.walk import _records

pytestmark = pytest.mark.django_db


def _edit_form(client: Any, url: str) -> dict[str, list[str]]:
    page = client.get(url)
    assert page.status_code == 200, url
    forms = [f for f in post_forms(page.content.decode()) if f.action in ("", url)]
    assert len(forms) == 1, f"{url} draws one edit form"
    data = as_post_data(forms[0])
    assert "_based_on" in data, f"{url} is an edit form (core.forms.form_page(edits=…))"
    return data


def _text_field(kind: Kind) -> str:
    """A free-text field of the record the edit form may change."""
    for name in corrections.FIELDS[kind.update]:
        field = kind.model._meta.get_field(name)
        if isinstance(field, (models.CharField, models.TextField)) and not field.choices:
            return name
    raise AssertionError(f"{kind.slug} has no text field to correct")


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def walk(tree: Any) -> Walk:
    from tests.factories import UserFactory

    admin = UserFactory(username="admin_fix", role="district_admin", unit=tree.district)
    return Walk(tree=tree, insider=admin, outsider=None)


@pytest.mark.parametrize("slug", list(KINDS))
def test_it_corrects_every_kind_through_its_edit_page(walk: Walk, slug: str) -> None:
    kind = KINDS[slug]
    assert kind.update in corrections.FIELDS, f"{slug}: list the fields its update service corrects"
    record = _records(walk)[kind.kwarg]
    url = reverse(f"workrecords:{slug}_edit", args=[record.pk])
    client = _client(walk.insider)
    data = _edit_form(client, url)
    name = _text_field(kind)
    old = getattr(record, name)

    sent = client.post(url, {**data, name: "更正后的内容"})
    assert sent.status_code == 302, sent.content.decode()[:2000]
    record.refresh_from_db()
    assert getattr(record, name) == "更正后的内容"
    assert record.updated_by == walk.insider and record.updated_at is not None
    event = AuditEvent.objects.filter(target_type=kind.model._meta.label_lower, target_id=str(record.pk)).last()
    assert event is not None and event.action.endswith(".update")
    assert event.changes[name] == [old, "更正后的内容"]

    stale = client.post(url, {**data, name: "旧页面上的另一改法"})
    assert stale.status_code == 200
    record.refresh_from_db()
    assert getattr(record, name) == "更正后的内容"

    page = client.get(reverse(f"workrecords:{slug}_detail", args=[record.pk])).content.decode()
    assert 'data-testid="edited-by"' in page and "更正后的内容" in page and 'data-testid="record-history"' in page


def test_it_lets_the_author_and_the_lead_correct_but_not_a_colleague(as_user, worker, colleague, lead, outsider, tree):
    meeting = services.meeting_create(
        actor=worker, unit=tree.station_a, date=date(2026, 3, 2), attendees="甲", minutes="初稿"
    )
    url = reverse("workrecords:meetings_edit", args=[meeting.pk])
    assert as_user(worker).get(url).status_code == 200
    assert as_user(lead).get(url).status_code == 200
    assert as_user(colleague).get(url).status_code == 403
    assert as_user(outsider).get(url).status_code == 404
    detail = reverse("workrecords:meetings_detail", args=[meeting.pk])
    assert url not in as_user(colleague).get(detail).content.decode()
    assert url in as_user(worker).get(detail).content.decode()


def test_it_writes_nothing_when_nothing_changed(worker, tree):
    meeting = services.meeting_create(
        actor=worker, unit=tree.station_a, date=date(2026, 3, 2), attendees="甲", minutes="纪要"
    )
    events = AuditEvent.objects.count()
    corrections.meeting_update(actor=worker, record=meeting, attendees="甲", minutes="纪要")
    assert AuditEvent.objects.count() == events
    assert TeamMeeting.objects.get().updated_at is None


def test_it_sets_a_proposal_adopted_after_the_fact(as_user, worker, lead, tree):
    entry = services.reporting_create(
        actor=worker, unit=tree.station_a, date=date(2026, 3, 2), kind="proposal", subject="增设助餐点"
    )
    detail = reverse("workrecords:reporting_detail", args=[entry.pk])
    assert 'data-testid="adoption"' in as_user(lead).get(detail).content.decode()
    resp = as_user(lead).post(reverse("workrecords:reporting_adopted", args=[entry.pk]), {"adopted": "yes"})
    assert resp.status_code == 302
    entry.refresh_from_db()
    assert entry.adopted is True and entry.updated_by == lead
    event = AuditEvent.objects.filter(action="reporting.adopted").get()
    assert event.changes == {"adopted": [None, True]}
    assert 'value="yes" class="primary" aria-pressed="true"' in as_user(lead).get(detail).content.decode()


def test_it_refuses_adoption_of_an_entry_that_is_not_a_proposal(as_user, worker, tree):
    entry = services.reporting_create(
        actor=worker, unit=tree.station_a, date=date(2026, 3, 2), kind="community_visit", subject="走访"
    )
    as_user(worker).post(reverse("workrecords:reporting_adopted", args=[entry.pk]), {"adopted": "yes"})
    assert ReportingEntry.objects.get().adopted is None


def test_it_keeps_an_answered_questionnaires_questions_countable(worker, tree):
    survey = services.survey_create(
        actor=worker,
        unit=tree.a1,
        date=date(2026, 3, 2),
        kind=SurveyKind.QUESTIONNAIRE,
        title="助餐需求",
        questions="是否需要\n何时",
    )
    services.survey_answer(actor=worker, survey=survey, answers=["是", "中午"])
    corrections.survey_update(actor=worker, record=survey, questions="是否需要助餐\n何时用餐")
    survey.refresh_from_db()
    assert survey.questions == ["是否需要助餐", "何时用餐"] and survey.participants == 1
    with pytest.raises(ValidationError) as refused:
        corrections.survey_update(actor=worker, record=survey, questions="只有一个问题")
    assert "questions" in refused.value.message_dict


def test_it_keeps_one_summary_per_week_when_a_date_is_corrected(worker, tree):
    services.summary_create(actor=worker, unit=tree.station_a, date=date(2026, 3, 2), summary="a", next_week_plan="b")
    other = services.summary_create(
        actor=worker, unit=tree.station_a, date=date(2026, 3, 9), summary="c", next_week_plan="d"
    )
    with pytest.raises(ValidationError) as refused:
        corrections.summary_update(actor=worker, record=other, date=date(2026, 3, 4))
    assert "date" in refused.value.message_dict
