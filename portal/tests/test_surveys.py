from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from portal import surveys
from portal.models import SurveyLink
from workrecords.models import NeedsSurvey, SurveyResponse

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(tree: Any) -> NeedsSurvey:
    return NeedsSurvey.objects.create(
        unit=tree.a1,
        date="2026-11-01",
        kind="questionnaire",
        title="社区需求调查",
        questions=["您最需要哪类服务？[助餐 | 陪诊 | 家政]", "还有什么建议？"],
    )


def test_it_reads_choice_and_free_text_questions() -> None:
    assert surveys.question("最需要？［助餐／陪诊］") == surveys.Question("最需要？", ("助餐", "陪诊"))
    assert surveys.question("还有什么建议？") == surveys.Question("还有什么建议？")
    assert surveys.question("只有一个[选项]") == surveys.Question("只有一个[选项]")


def test_it_publishes_takes_answers_once_per_browser_and_tallies(survey: NeedsSurvey, worker: Any) -> None:
    link = surveys.link_publish(actor=worker, survey=survey)
    client = Client()
    url = f"/portal/surveys/?t={link.token}"
    page = client.get(url).content.decode()
    assert "助餐" in page and "还有什么建议" in page
    import re

    once = re.search(r'name="_once" value="([^"]+)"', page)
    assert once
    r = client.post(url, {"q0": "陪诊", "q1": "希望多办活动", "_once": once.group(1)})
    assert r.status_code == 302
    assert SurveyResponse.objects.get().answers == ["陪诊", "希望多办活动"]
    assert "q0" not in client.get(url).content.decode(), "one answer per browser session"
    tallies = surveys.tallies(survey)
    assert tallies[0].counts == [("助餐", 0), ("陪诊", 1), ("家政", 0)]
    assert tallies[1].texts == ["希望多办活动"]
    survey.refresh_from_db()
    assert survey.participants == 1


def test_it_refuses_an_option_not_offered_and_a_closed_link(survey: NeedsSurvey, worker: Any) -> None:
    link = surveys.link_publish(actor=worker, survey=survey)
    with pytest.raises(ValidationError):
        surveys.answer_submit(link=link, answers=["别的", ""], ip="10.0.0.1")
    with pytest.raises(ValidationError):
        surveys.answer_submit(link=link, answers=["", ""], ip="10.0.0.1")
    surveys.link_close(actor=worker, survey=survey)
    link.refresh_from_db()
    with pytest.raises(ValidationError):
        surveys.answer_submit(link=link, answers=["助餐", ""], ip="10.0.0.1")
    assert "q0" not in Client().get(f"/portal/surveys/?t={link.token}").content.decode()
    assert SurveyResponse.objects.count() == 0


def test_it_limits_answers_per_address(survey: NeedsSurvey, worker: Any, settings: Any) -> None:
    settings.PORTAL_SURVEY_ANSWERS_PER_ADDRESS_HOUR = 2
    link = surveys.link_publish(actor=worker, survey=survey)
    for _ in range(2):
        surveys.answer_submit(link=link, answers=["助餐", ""], ip="10.0.0.9")
    with pytest.raises(ValidationError):
        surveys.answer_submit(link=link, answers=["助餐", ""], ip="10.0.0.9")
    surveys.answer_submit(link=link, answers=["助餐", ""], ip="10.0.0.10")
    assert SurveyResponse.objects.count() == 3


def test_it_shows_staff_the_link_qr_and_tallies_in_scope(survey: NeedsSurvey, worker: Any, outsider: Any) -> None:
    staff = Client()
    staff.force_login(worker)
    r = staff.post(f"/intake/surveys/{survey.pk}/link/")
    assert r.status_code == 302
    link = SurveyLink.objects.get(survey=survey)
    page = staff.get(f"/work/surveys/{survey.pk}/").content.decode()
    assert link.token in page and 'data-testid="tally-0"' in page
    qr = staff.get(f"/intake/surveys/{survey.pk}/qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    staff.force_login(outsider)
    assert staff.get(f"/intake/surveys/{survey.pk}/qr.svg").status_code == 404
    assert staff.post(f"/intake/surveys/{survey.pk}/link/", {"close": "1"}).status_code == 404
