"""Registration through the portal: the minimum asked, the guardian under 14,
the ID kept as volunteers keeps it, staff accept into the registry and merge
with the volunteer it turns out to be, never doubling."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from core import identity
from participation import applications
from participation.models import Decision, VolunteerApplication
from participation.tests.conftest import apply
from volunteers.models import Volunteer
from volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db
ID = "11010519491231002X"


def test_it_keeps_an_application_pending_and_audited_without_touching_the_registry(account, tree):
    application = apply(account, tree.a1, resident_id=ID, birth_date=None, sex="")
    assert application.status == Decision.PENDING
    assert application.id_hash == identity.id_hash(ID) and application.id_tail == "002X"
    assert ID not in application.id_cipher and identity.decrypt(application.id_cipher) == ID
    assert (application.birth_date, application.sex) == (dt.date(1949, 12, 31), "F")
    assert Volunteer.objects.count() == 0
    event = AuditEvent.objects.get(action="participation.apply")
    assert event.actor_label == f"portal:{account.pk}" and ID not in str(event.changes)


def test_it_refuses_a_child_under_14_without_a_guardian(account, tree):
    young = timezone.localdate().replace(year=timezone.localdate().year - 12)
    with pytest.raises(ValidationError) as exc:
        apply(account, tree.a1, birth_date=young)
    assert {"guardian_name", "guardian_phone", "guardian_consent"} <= set(exc.value.message_dict)
    assert not VolunteerApplication.objects.exists()
    application = apply(
        account, tree.a1, birth_date=young, guardian_name="林父", guardian_phone="13900000009", guardian_consent=True
    )
    assert application.guardian_consent and application.guardian_name == "林父"


def test_it_keeps_no_guardian_data_for_an_adult(account, tree):
    application = apply(account, tree.a1, guardian_name="某人", guardian_phone="13900000009", guardian_consent=True)
    assert (application.guardian_name, application.guardian_phone, application.guardian_consent) == ("", "", False)


def test_it_needs_consent_and_a_community_of_the_station(account, tree):
    with pytest.raises(ValidationError) as exc:
        apply(account, tree.b1, consent=False)
    assert {"consent", "unit"} <= set(exc.value.message_dict)


def test_it_registers_the_accepted_applicant_and_links_the_account(account, tree, lead):
    application = apply(account, tree.a1, resident_id=ID, birth_date=None, sex="")
    volunteer = applications.application_accept(actor=lead, application=application)
    account.refresh_from_db()
    assert account.volunteer == volunteer
    assert volunteer.phone == account.phone and volunteer.id_hash == identity.id_hash(ID)
    assert volunteer.availability == {"sat": ["am"]} and volunteer.consent_at == timezone.localdate()
    application.refresh_from_db()
    assert application.status == Decision.ACCEPTED and not application.merged


@pytest.mark.parametrize("same", ["phone", "id", "name_and_birth"])
def test_it_merges_with_the_existing_volunteer_instead_of_doubling(account, tree, lead, same):
    existing = VolunteerFactory(unit=tree.a2, name="林小红", birth_date=dt.date(1990, 5, 1))
    if same == "phone":
        existing.phone, existing.name = account.phone, "林晓红"
    if same == "id":
        identity.store_id(existing, ID)
        existing.name = "林晓红"
        existing.birth_date = dt.date(1949, 12, 31)
    existing.save()
    kw = {"resident_id": ID, "birth_date": None, "sex": ""} if same == "id" else {}
    application = apply(account, tree.a1, **kw)
    assert list(applications.merge_candidates(application)) == [existing]
    with pytest.raises(ValidationError) as exc:
        applications.application_accept(actor=lead, application=application)
    assert "merge_into" in exc.value.message_dict
    assert Volunteer.objects.count() == 1
    volunteer = applications.application_accept(actor=lead, application=application, merge_into=existing)
    assert volunteer.pk == existing.pk and Volunteer.objects.count() == 1
    account.refresh_from_db()
    assert account.volunteer == existing
    existing.refresh_from_db()
    assert existing.phone == account.phone


def test_it_does_not_merge_with_a_volunteer_of_another_station(account, tree, lead):
    VolunteerFactory(unit=tree.b1, name="林小红", birth_date=dt.date(1990, 5, 1))
    application = apply(account, tree.a1)
    assert not applications.merge_candidates(application).exists()


def test_it_declines_with_a_reason_and_only_in_scope(account, tree, lead, outsider):
    application = apply(account, tree.a1)
    with pytest.raises(ValidationError):
        applications.application_decline(actor=lead, application=application, reason=" ")
    with pytest.raises(Exception) as exc:
        applications.application_decline(actor=outsider, application=application, reason="不在本站")
    assert exc.type.__name__ in {"OutOfScope", "Http404", "PermissionDenied"}
    applications.application_decline(actor=lead, application=application, reason="请到站点核实身份")
    application.refresh_from_db()
    assert application.status == Decision.DECLINED and application.reason == "请到站点核实身份"
    with pytest.raises(ValidationError):
        applications.application_accept(actor=lead, application=application)


def test_it_refuses_a_second_pending_application(account, tree):
    apply(account, tree.a1)
    with pytest.raises(ValidationError):
        apply(account, tree.a1)


def test_it_puts_the_application_in_the_stations_to_do_inbox(account, tree, lead, outsider, admin):
    from django.utils import translation

    from home.inbox import inbox

    apply(account, tree.a1)
    with translation.override("en"):
        mine = {r.label: (r.count, r.url) for r in inbox(lead)}
        assert mine["Volunteer applications"] == (1, "/participation/applications/")
        assert "Volunteer applications" not in {r.label for r in inbox(outsider)}
        [row] = [r for r in inbox(admin) if r.label == "Volunteer applications"]
        assert (row.count, row.station, row.url) == (
            1,
            tree.station_a.name,
            f"/participation/applications/?unit={tree.station_a.pk}",
        )
