from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import override_settings
from django.urls import reverse

from workrecords import corrections, services
from workrecords.models import (
    NeedsSurvey,
    SatisfactionSurvey,
    ScoringSheet,
    SelfEvaluation,
    SelfEvaluationScore,
    SummaryRead,
    TeamMeeting,
    WeeklySummary,
)
from workrecords.selectors import months_without_supervision, satisfaction_by_unit

pytestmark = pytest.mark.django_db


def test_it_records_a_team_meeting_through_the_page(as_user, lead, tree):
    resp = as_user(lead).post(
        reverse("workrecords:meetings_create"),
        {
            "unit": tree.station_a.pk,
            "date": "2026-03-02",
            "attendees": "张三、李四",
            "minutes": "讨论探访",
            "decisions": "增加走访",
        },
    )
    meeting = TeamMeeting.objects.get()
    assert resp.status_code == 302 and resp.url == reverse("workrecords:meetings_detail", args=[meeting.pk])
    assert meeting.unit == tree.station_a and meeting.recorded_by == lead
    page = as_user(lead).get(reverse("workrecords:meetings_detail", args=[meeting.pk]))
    assert "讨论探访" in page.content.decode()


def test_it_hides_another_stations_records(as_user, lead, outsider, tree):
    m = services.meeting_create(
        actor=lead, unit=tree.station_a, date=date(2026, 3, 2), attendees="甲", minutes="秘密纪要"
    )
    assert "秘密纪要" not in as_user(outsider).get(reverse("workrecords:meetings")).content.decode()
    assert as_user(outsider).get(reverse("workrecords:meetings_detail", args=[m.pk])).status_code == 404


def test_it_refuses_a_record_for_a_unit_out_of_scope(lead, tree):
    with pytest.raises(Http404):
        services.meeting_create(actor=lead, unit=tree.station_b, date=date(2026, 3, 2), attendees="x", minutes="y")
    assert not TeamMeeting.objects.exists()


def test_it_lets_the_lead_and_the_centre_mark_a_summary_read(as_user, worker, lead, admin, tree):
    s = services.summary_create(
        actor=worker, unit=tree.station_a, date=date(2026, 3, 4), summary="本周走访12户", next_week_plan="开展小组"
    )
    assert s.date == date(2026, 3, 2)  # normalised to the Monday
    with pytest.raises(ValidationError):
        services.summary_mark_read(actor=worker, summary=s)
    as_user(lead).post(reverse("workrecords:summary_read", args=[s.pk]))
    as_user(admin).post(reverse("workrecords:summary_read", args=[s.pk]))
    as_user(admin).post(reverse("workrecords:summary_read", args=[s.pk]))  # twice: one receipt
    assert sorted(SummaryRead.objects.values_list("reader__username", flat=True)) == ["admin_d", "lead_a"]
    page = as_user(worker).get(reverse("workrecords:summaries_detail", args=[s.pk])).content.decode()
    assert str(lead) in page and str(admin) in page


def test_it_refuses_a_second_summary_for_the_same_week_in_chinese(as_user, worker, tree):
    services.summary_create(actor=worker, unit=tree.station_a, date=date(2026, 3, 2), summary="a", next_week_plan="b")
    resp = as_user(worker).post(
        reverse("workrecords:summaries_create"),
        {"unit": tree.station_a.pk, "date": "2026-03-06", "summary": "c", "next_week_plan": "d"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert resp.status_code == 200
    assert "已有" in resp.content.decode()
    assert WeeklySummary.objects.count() == 1


def test_it_warns_of_months_without_supervision(as_user, lead, worker, tree):
    services.supervision_create(
        actor=worker, unit=tree.station_a, date=date(2026, 1, 31), supervisor="王督导", topics="个案"
    )
    services.supervision_create(actor=worker, unit=tree.a1, date=date(2026, 3, 1), supervisor="王督导", topics="小组")
    missing = months_without_supervision(lead, tree.station_a, date(2026, 1, 1), date(2026, 4, 15))
    assert missing == [date(2026, 2, 1), date(2026, 4, 1)]
    with time_machine.travel(date(2026, 4, 15)):
        page = as_user(lead).get(reverse("workrecords:index")).content.decode()
    assert 'data-testid="supervision-warning"' in page and "2026-02" in page and "2026-04" in page
    assert "2026-01" not in page.split('data-testid="supervision-warning"')[1].split("</div>")[0]


def test_it_records_adoption_only_for_proposals(worker, tree):
    with pytest.raises(ValidationError) as err:
        services.reporting_create(
            actor=worker,
            unit=tree.station_a,
            date=date(2026, 3, 2),
            kind="street_meeting",
            subject="街道例会",
            adopted=True,
        )
    assert "adopted" in err.value.message_dict
    entry = services.reporting_create(
        actor=worker, unit=tree.station_a, date=date(2026, 3, 2), kind="proposal", subject="增设助餐点"
    )
    corrections.reporting_set_adopted(actor=worker, entry=entry, adopted=True)
    entry.refresh_from_db()
    assert entry.adopted is True


def test_it_takes_questionnaire_answers(as_user, worker, tree):
    resp = as_user(worker).post(
        reverse("workrecords:surveys_create"),
        {
            "unit": tree.a1.pk,
            "date": "2026-03-02",
            "kind": "questionnaire",
            "title": "老年人需求",
            "questions": "",
            "participants": 0,
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert "至少" in resp.content.decode() and not NeedsSurvey.objects.exists()
    survey = services.survey_create(
        actor=worker,
        unit=tree.a1,
        date=date(2026, 3, 2),
        kind="questionnaire",
        title="老年人需求",
        questions="最需要什么？\n多久一次？",
    )
    as_user(worker).post(
        reverse("workrecords:survey_answer", args=[survey.pk]), {"respondent": "A1-01", "q0": "助餐", "q1": "每周"}
    )
    survey.refresh_from_db()
    assert survey.participants == 1 and survey.responses.get().answers == ["助餐", "每周"]
    assert "助餐" in as_user(worker).get(reverse("workrecords:surveys_detail", args=[survey.pk])).content.decode()


def test_it_aggregates_satisfaction_per_station_and_period(as_user, worker, admin, tree):
    for unit, day, score in [
        (tree.a1, date(2026, 3, 31), 5),
        (tree.a2, date(2026, 2, 1), 3),
        (tree.a1, date(2026, 4, 1), 1),  # next quarter
    ]:
        services.satisfaction_create(
            actor=admin, unit=unit, date=day, subject_type="activity", subject="重阳节", score=score
        )
    services.satisfaction_create(
        actor=admin, unit=tree.b1, date=date(2026, 3, 1), subject_type="case", subject="个案", score=2
    )
    rows = satisfaction_by_unit(admin, date(2026, 1, 1), date(2026, 3, 31), [tree.station_a, tree.station_b])
    assert [(r["n"], r["avg"]) for r in rows] == [(2, 4.0), (1, 2.0)]
    page = (
        as_user(admin).get(reverse("workrecords:satisfaction_summary"), {"year": 2026, "quarter": 1}).content.decode()
    )
    assert "4.00" in page and "2.00" in page


def test_it_refuses_a_score_out_of_range_in_chinese(as_user, worker, tree):
    resp = as_user(worker).post(
        reverse("workrecords:satisfaction_create"),
        {"unit": tree.a1.pk, "date": "2026-03-02", "subject_type": "service", "subject": "助餐", "score": 6},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert "1 到 5" in resp.content.decode()
    assert not SatisfactionSurvey.objects.exists()


def test_it_scores_a_self_evaluation_on_the_default_sheet(as_user, lead, tree):
    sheet = ScoringSheet.objects.get(is_default=True)
    items = list(sheet.items.all())
    assert sum(i.max_points for i in items) == 1000 and len({i.module for i in items}) == 6
    data = {"unit": tree.station_a.pk, "date": "2026-06-30", "period": "2026-H1"}
    for i in items:
        data[f"item_{i.pk}"] = i.max_points - 10
        data[f"evidence_{i.pk}"] = "/work/meetings/"
    data[f"item_{items[0].pk}"] = items[0].max_points + 1  # over the maximum
    resp = as_user(lead).post(reverse("workrecords:selfeval_create"), data)
    assert resp.status_code == 200 and not SelfEvaluation.objects.exists()
    data[f"item_{items[0].pk}"] = items[0].max_points
    resp = as_user(lead).post(reverse("workrecords:selfeval_create"), data)
    evaluation = SelfEvaluation.objects.get()
    assert evaluation.total == Decimal(1000 - 10 * (len(items) - 1))
    assert SelfEvaluationScore.objects.filter(evaluation=evaluation).count() == len(items)
    page = as_user(lead).get(resp.url).content.decode()
    assert 'href="/work/meetings/"' in page


def test_it_refuses_points_over_the_item_maximum_in_the_service(lead, tree):
    sheet = ScoringSheet.objects.get(is_default=True)
    item = sheet.items.first()
    with pytest.raises(ValidationError):
        services.selfeval_create(
            actor=lead,
            unit=tree.station_a,
            date=date(2026, 6, 30),
            sheet=sheet,
            period="x",
            scores={item.pk: (Decimal(9999), "")},
        )
    assert not SelfEvaluation.objects.exists()


def _person(unit, name):
    from people.models import Person

    return Person.objects.create(unit=unit, name=name, sex="F", birth_date=date(1940, 1, 1))


def test_it_shows_the_resource_list_without_tiles_and_never_names_recipients(as_user, lead, tree):
    from partners.models import Enterprise

    tree.a1.latitude, tree.a1.longitude = Decimal("24.91"), Decimal("118.59")
    tree.a1.save()
    _person(tree.a1, "王秀英")
    _person(tree.a1, "李桂兰")
    Enterprise.objects.create(unit=tree.a1, name="爱心超市", latitude=Decimal("24.9"), longitude=Decimal("118.6"))
    Enterprise.objects.create(unit=tree.a2, name="无坐标企业")
    services.venue_create(actor=lead, unit=tree.a2, name="长者食堂")
    page = as_user(lead).get(reverse("workrecords:resource_map")).content.decode()
    assert 'data-testid="no-tiles"' in page and 'id="resource-map"' not in page
    assert "爱心超市" in page and "无坐标企业" in page and "长者食堂" in page
    assert "王秀英" not in page and "李桂兰" not in page
    with override_settings(LINLI_MAP_TILE_URL="https://tiles.example/{z}/{x}/{y}.png"):
        page = as_user(lead).get(reverse("workrecords:resource_map")).content.decode()
    assert ('id="resource-map"' in page and 'id="map-points"' in page and "2 位" in page) or "2 recipients" in page
    assert "王秀英" not in page


def test_it_requires_both_coordinates_for_a_venue(lead, tree):
    with pytest.raises(ValidationError):
        services.venue_create(actor=lead, unit=tree.a1, name="x", latitude=Decimal("24.9"))


def test_it_forbids_viewers_to_write(as_user, viewer):
    assert as_user(viewer).get(reverse("workrecords:meetings_create")).status_code == 403


def test_it_counts_summaries_to_read_on_the_home_page(as_user, worker, lead, tree):
    from workrecords.home import summaries_to_read

    s = services.summary_create(
        actor=worker, unit=tree.station_a, date=date(2026, 3, 2), summary="a", next_week_plan="b"
    )
    assert summaries_to_read(lead) == 1 and summaries_to_read(worker) == 0
    services.summary_mark_read(actor=lead, summary=s)
    assert summaries_to_read(lead) == 0
    assert as_user(lead).get(reverse("core:home")).status_code == 200


def test_it_edits_the_scoring_sheet_and_keeps_scored_evaluations_on_theirs(as_user, admin, lead, tree):
    sheet = ScoringSheet.objects.get(is_default=True)
    url = reverse("workrecords:sheet_edit")
    assert as_user(lead).get(url).status_code == 403
    resp = as_user(admin).post(
        url, {"name": "2027评估", "items": "基础设施 | 场地 | 0"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert "第 1 行" in resp.content.decode() and ScoringSheet.objects.count() == 1
    evaluation = services.selfeval_create(
        actor=lead, unit=tree.station_a, date=date(2026, 6, 30), sheet=sheet, period="2026", scores={}
    )
    as_user(admin).post(url, {"name": "2027评估", "items": "基础设施 | 场地 | 400\n服务 | 个案与活动 | 600"})
    new = ScoringSheet.objects.get(is_default=True)
    assert new.pk != sheet.pk and [i.max_points for i in new.items.all()] == [400, 600]
    evaluation.refresh_from_db()
    assert evaluation.sheet_id == sheet.pk and sheet.items.count() == 12


def test_it_records_satisfaction_linked_from_an_activity(as_user, community_worker, tree):
    url = reverse("workrecords:satisfaction_create")
    query = "?subject_type=activity&subject=重阳敬老&source_type=casework.activity&source_id=12"
    page = as_user(community_worker).get(url + query).content.decode()
    assert 'value="重阳敬老"' in page and 'value="casework.activity"' in page
    as_user(community_worker).post(
        url,
        {
            "unit": tree.a1.pk,
            "date": "2026-03-02",
            "subject_type": "activity",
            "subject": "重阳敬老",
            "score": 4,
            "source_type": "casework.activity",
            "source_id": "12",
        },
    )
    s = SatisfactionSurvey.objects.get()
    assert (s.source_type, s.source_id, s.score, s.unit) == ("casework.activity", "12", 4, tree.a1)
