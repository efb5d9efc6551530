"""Party-building: organisations, agreements, commitments and deliveries
(who may, what is refused, what is audited), the overdue to-do, and the
figures counted by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.actions import Action
from audit.models import AuditEvent
from casework.models import Activity
from core.todo import TodoContext
from partybuilding import services
from partybuilding.figures import party_figures, report_lines
from partybuilding.models import Agreement, Commitment, PartyOrganisation
from partybuilding.todo import overdue_commitments
from volunteering.models import ServiceRecord
from volunteers.models import Volunteer
from volunteers.tests.factories import VolunteerFactory
from workrecords.models import ReportingEntry

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)


def _agreement(unit: Any, actor: Any = None, **over: Any) -> Agreement:
    fields: dict[str, Any] = {
        "partner": "工商银行鲤城支行",
        "partner_kind": "bank",
        "signed_on": dt.date(2026, 1, 5),
        "starts_on": dt.date(2026, 1, 1),
        "ends_on": dt.date(2027, 12, 31),
    }
    fields.update(over)
    return services.agreement_create(actor=actor, unit=unit, **fields)


def _activity(unit: Any, worker: Any, when: dt.datetime, *, party_led: bool, status: str = "done") -> Activity:
    from core.models import ServiceDomain

    return Activity.objects.create(
        unit=unit,
        title="重温入党誓词",
        domain=ServiceDomain.objects.get(code="governance"),
        venue="党群服务中心",
        starts_at=when,
        ends_at=when + dt.timedelta(hours=2),
        organiser="社工站",
        person_in_charge=worker,
        party_led=party_led,
        status=status,
    )


def test_a_worker_registers_a_party_organisation_and_it_is_audited(tree: Any, worker: Any, as_user: Any) -> None:
    client = as_user(worker)
    url = reverse("partybuilding:organisation_create")
    form = client.get(url).content.decode()
    assert "_once" in form
    response = client.post(
        url, {"unit": tree.a1.pk, "name": "甲一社区党委", "kind": "committee", "secretary": "李书记", "members": "23"}
    )
    assert response.status_code == 302
    org = PartyOrganisation.objects.get()
    assert (org.unit, org.members, org.kind) == (tree.a1, 23, "committee")
    assert AuditEvent.objects.filter(action=Action.PARTY_ORG_CREATE, target_id=str(org.pk)).count() == 1
    page = client.get(reverse("partybuilding:organisations")).content.decode()
    assert "甲一社区党委" in page and "李书记" in page


def test_another_station_cannot_see_or_touch_the_records(tree: Any, worker: Any, outsider: Any, as_user: Any) -> None:
    org = services.party_org_create(actor=worker, unit=tree.station_a, name="甲站党支部")
    agreement = _agreement(tree.station_a, worker)
    commitment = services.commitment_create(actor=worker, agreement=agreement, content="讲座", due_on=TODAY)
    client = as_user(outsider)
    assert client.get(reverse("partybuilding:organisation_edit", args=[org.pk])).status_code == 404
    assert client.get(reverse("partybuilding:agreement_detail", args=[agreement.pk])).status_code == 404
    assert client.get(reverse("partybuilding:delivery_add", args=[commitment.pk])).status_code == 404
    assert "工商银行" not in client.get(reverse("partybuilding:agreements")).content.decode()
    with pytest.raises(Exception):  # noqa: B017 - OutOfScope (a 404) for a write naming another station
        services.party_org_create(actor=outsider, unit=tree.station_a, name="越界")


def test_a_viewer_reads_but_does_not_write(tree: Any, viewer: Any, as_user: Any) -> None:
    assert as_user(viewer).get(reverse("partybuilding:agreements")).status_code == 200
    assert as_user(viewer).get(reverse("partybuilding:agreement_create")).status_code == 403
    with pytest.raises(PermissionDenied):
        services.party_org_create(actor=viewer, unit=tree.station_a, name="x")


def test_impossible_agreements_and_commitments_are_refused_with_nothing_written(tree: Any, worker: Any) -> None:
    before = (Agreement.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as exc:
        _agreement(tree.station_a, worker, starts_on=dt.date(2026, 6, 1), ends_on=dt.date(2026, 5, 1))
    assert "ends_on" in exc.value.message_dict
    assert (Agreement.objects.count(), AuditEvent.objects.count()) == before
    agreement = _agreement(tree.station_a, worker)
    with pytest.raises(ValidationError) as exc:
        services.commitment_create(actor=worker, agreement=agreement, content="x", due_on=dt.date(2030, 1, 1))
    assert "due_on" in exc.value.message_dict
    assert not Commitment.objects.exists()


def test_a_delivery_is_recorded_once_with_its_evidence(tree: Any, worker: Any, as_user: Any, time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 6, 15, 10, tzinfo=timezone.get_current_timezone()))
    agreement = _agreement(tree.station_a, worker)
    commitment = services.commitment_create(actor=worker, agreement=agreement, content="讲座 4 场", due_on=TODAY)
    client = as_user(worker)
    url = reverse("partybuilding:delivery_add", args=[commitment.pk])
    response = client.post(url, {"delivered_on": "2026-06-10", "evidence": ""})
    assert response.status_code == 200  # evidence is required
    response = client.post(url, {"delivered_on": "2026-06-10", "evidence": "签到表 4 份"})
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.delivered_on, commitment.evidence) == (dt.date(2026, 6, 10), "签到表 4 份")
    with pytest.raises(ValidationError):
        services.commitment_deliver(actor=worker, commitment=commitment, delivered_on=TODAY, evidence="again")
    assert AuditEvent.objects.filter(action=Action.COMMITMENT_DELIVER).count() == 1
    page = client.get(reverse("partybuilding:agreement_detail", args=[agreement.pk])).content.decode()
    assert "签到表 4 份" in page and "1/1" in page


def test_an_overdue_commitment_is_a_todo_for_the_station_lead_only(
    tree: Any, worker: Any, lead: Any, admin: Any
) -> None:
    agreement = _agreement(tree.station_a, worker)
    services.commitment_create(actor=worker, agreement=agreement, content="义诊", due_on=dt.date(2026, 3, 1))
    services.commitment_create(actor=worker, agreement=agreement, content="讲座", due_on=dt.date(2026, 9, 1))
    done = services.commitment_create(actor=worker, agreement=agreement, content="慰问", due_on=dt.date(2026, 2, 1))
    services.commitment_deliver(actor=worker, commitment=done, delivered_on=dt.date(2026, 2, 1), evidence="照片")
    ctx = TodoContext(now=dt.datetime(2026, 6, 15, 9, tzinfo=timezone.get_current_timezone()))
    out = overdue_commitments([lead, worker, admin], ctx)
    assert worker.pk not in out
    assert [e.count for e in out[lead.pk]] == [1]
    assert [(e.count, e.station) for e in out[admin.pk]] == [(1, tree.station_a.name)]


def test_the_figures_count_what_was_done_by_hand(tree: Any, worker: Any) -> None:
    tz = timezone.get_current_timezone()
    june = dt.datetime(2026, 6, 3, 9, tzinfo=tz)
    _activity(tree.station_a, worker, june, party_led=True)  # counts: station's own level
    _activity(tree.a1, worker, june, party_led=True)  # counts: A1
    _activity(tree.a1, worker, june, party_led=True, status="cancelled")  # not held
    _activity(tree.a1, worker, june, party_led=False)  # not Party-led
    _activity(tree.a1, worker, dt.datetime(2025, 12, 31, 9, tzinfo=tz), party_led=True)  # last year
    _activity(tree.b1, worker, june, party_led=True)  # another station
    member = cast(Volunteer, VolunteerFactory(unit=tree.a1, is_party_member=True))
    other = cast(Volunteer, VolunteerFactory(unit=tree.a2))
    for volunteer, hours, pending in [
        (member, "2.5", False),
        (member, "3", False),
        (member, "4", True),
        (other, "8", False),
    ]:
        ServiceRecord.objects.create(
            volunteer=volunteer,
            unit=volunteer.unit,
            activity_name="x",
            date=dt.date(2026, 5, 1),
            hours=Decimal(hours),
            pending=pending,
        )
    agreement = _agreement(tree.station_a, worker)
    for due, delivered in [(dt.date(2026, 3, 1), dt.date(2026, 3, 2)), (dt.date(2026, 4, 1), None)]:
        c = services.commitment_create(actor=worker, agreement=agreement, content="x", due_on=due)
        if delivered:
            services.commitment_deliver(actor=worker, commitment=c, delivered_on=delivered, evidence="照片")
    for adopted, kind in [(True, "proposal"), (False, "proposal"), (None, "street_meeting")]:
        ReportingEntry.objects.create(
            unit=tree.a2, date=dt.date(2026, 4, 1), kind=kind, subject="建议", adopted=adopted
        )

    figures = party_figures(tree.station_a, dt.date(2026, 1, 1), dt.date(2026, 6, 15), today=TODAY)
    assert figures.totals == {
        "party_activities": 2,
        "party_volunteer_hours": Decimal("5.5"),
        "commitments_delivered": 1,
        "proposals_adopted": 1,
    }
    by_row = {r.label: r.values for r in figures.rows}
    assert by_row[tree.a1.name]["party_activities"] == 1
    own = figures.rows[0]
    assert own.own and own.values["party_activities"] == 1 and own.values["commitments_delivered"] == 1
    assert by_row[tree.a2.name]["proposals_adopted"] == 1
    assert figures.overdue == 1  # the April commitment
    lines = report_lines(tree.station_a, dt.date(2026, 1, 1), dt.date(2026, 6, 15))
    assert [v for _label, v in lines] == [2, Decimal("5.5"), 1, 1]
    assert isinstance(lines[0][1], int)


def test_party_hours_from_the_service_rollup_are_the_records_hours(tree: Any, monkeypatch: Any) -> None:
    from contracts import rollup

    monkeypatch.setattr(rollup, "CHECK_SECONDS", -1.0)
    monkeypatch.setattr(rollup, "REUSE_SECONDS", -1.0)
    rollup.forget()
    member = cast(Volunteer, VolunteerFactory(unit=tree.a1, is_party_member=True))
    other = cast(Volunteer, VolunteerFactory(unit=tree.a2))

    def record(volunteer: Volunteer, day: dt.date, hours: str, pending: bool = False) -> None:
        ServiceRecord.objects.create(
            volunteer=volunteer, unit=volunteer.unit, activity_name="x", date=day, hours=Decimal(hours), pending=pending
        )

    record(member, dt.date(2026, 5, 1), "2.5")
    record(member, dt.date(2026, 5, 1), "4", pending=True)
    record(member, dt.date(2025, 12, 31), "9")  # last year
    record(other, dt.date(2026, 5, 1), "8")

    def hours() -> tuple[Decimal, Decimal]:
        figures = party_figures(tree.station_a, dt.date(2026, 1, 1), dt.date(2026, 6, 15), today=TODAY)
        by_row = {r.label: r.values for r in figures.rows}
        return figures.totals["party_volunteer_hours"], by_row[tree.a1.name]["party_volunteer_hours"]

    from_records = hours()
    rollup.refresh("hours")
    assert rollup.current("hours") is not None
    assert hours() == from_records == (Decimal("2.5"), Decimal("2.5"))
    record(member, dt.date(2026, 6, 1), "1")  # after the rollup was built
    assert hours() == (Decimal("3.5"), Decimal("3.5"))
    rollup.forget()


def test_the_api_reads_in_scope(tree: Any, worker: Any, outsider: Any, lead: Any, as_user: Any) -> None:
    from orgs import profiles

    agreement = _agreement(tree.station_a, worker)
    services.commitment_create(actor=worker, agreement=agreement, content="讲座", due_on=dt.date(2026, 3, 1))
    services.party_org_create(actor=worker, unit=tree.a1, name="甲一社区党委", members=12)
    profiles.profile_update(actor=lead, unit=tree.a1, population=5000, households=1600, figures_year=2024)
    client = as_user(worker)
    body = client.get(f"/api/v1/party/agreements/{agreement.pk}").json()
    assert body["partner"] == "工商银行鲤城支行" and [c["content"] for c in body["commitments"]] == ["讲座"]
    assert client.get("/api/v1/party/organisations").json()["count"] == 1
    assert client.get(f"/api/v1/units/{tree.a1.pk}/profile").json()["population"] == 5000
    figures = client.get("/api/v1/party/figures?year=2026").json()
    assert figures["unit_id"] == tree.station_a.pk and figures["commitments_delivered"] == 0
    other = as_user(outsider)
    assert other.get(f"/api/v1/party/agreements/{agreement.pk}").status_code == 404
    assert other.get(f"/api/v1/units/{tree.a1.pk}/profile").status_code == 404
    assert other.get(f"/api/v1/party/figures?unit={tree.station_a.pk}").status_code == 404
    assert other.get("/api/v1/party/organisations").json()["count"] == 0
