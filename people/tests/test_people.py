from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from core import identity
from people import services
from people.models import CategoryType, Consent, Person
from people.tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)
RID = identity.make_resident_id("350502", dt.date(1940, 5, 6), 11, "M")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, 0), tick=False):
        yield


def _create(actor, unit, **kw):
    kw.setdefault("name", "张三")
    return services.person_create(actor=actor, unit=unit, **kw)


def test_it_creates_a_person_with_encrypted_id_and_pinyin(tree, worker):
    p = _create(worker, tree.a1, resident_id=RID.lower(), phone="138 1234 5678")
    assert (p.birth_date, p.sex) == (dt.date(1940, 5, 6), "M")
    assert p.name_pinyin == "zhangsan" and p.name_initials == "zs"
    assert RID not in p.id_cipher and identity.decrypt(p.id_cipher) == RID and p.phone == "13812345678"
    ev = AuditEvent.objects.get(action="person.create")
    assert RID not in json.dumps(ev.changes, ensure_ascii=False)
    assert ev.changes["resident_id"][1] == "3505" + "*" * 10 + RID[-4:]


def test_it_refuses_a_birth_date_that_disagrees_with_the_id(tree, worker):
    with pytest.raises(ValidationError) as exc:
        _create(worker, tree.a1, resident_id=RID, birth_date=dt.date(1941, 5, 6), sex="F")
    assert set(exc.value.message_dict) == {"birth_date", "sex"}
    assert not Person.objects.exists()


def test_it_refuses_the_same_id_naming_the_file_or_another_station(tree, worker, outsider):
    first = _create(worker, tree.a1, resident_id=RID)
    with pytest.raises(ValidationError) as exc:
        _create(worker, tree.a2, name="李四", resident_id=RID)
    assert str(first.pk) in exc.value.message_dict["resident_id"][0]
    with pytest.raises(ValidationError) as exc:
        _create(outsider, tree.b1, name="李四", resident_id=RID)
    msg = exc.value.message_dict["resident_id"][0]
    assert "其他社工站" in msg and first.name not in msg and str(first.pk) not in msg


def test_it_warns_on_same_name_and_birth_date_until_confirmed(tree, worker):
    _create(worker, tree.a1, birth_date=dt.date(1950, 1, 1), sex="F")
    with pytest.raises(ValidationError) as exc:
        _create(worker, tree.a2, birth_date=dt.date(1950, 1, 1), sex="F")
    assert "confirm_duplicate" in exc.value.message_dict
    assert _create(worker, tree.a2, birth_date=dt.date(1950, 1, 1), sex="F", confirm_duplicate=True).pk


def test_it_keeps_one_head_per_household(tree, worker):
    hh = HouseholdFactory(unit=tree.a1)
    head = _create(worker, tree.a1, birth_date=dt.date(1950, 1, 1), sex="M", household=hh, relation="head")
    hh.refresh_from_db()
    assert hh.head == head
    with pytest.raises(ValidationError) as exc:
        _create(worker, tree.a1, name="李四", birth_date=dt.date(1952, 1, 1), sex="F", household=hh, relation="head")
    assert "relation" in exc.value.message_dict
    with pytest.raises(ValidationError):
        _create(worker, tree.a2, name="李四", birth_date=dt.date(1952, 1, 1), sex="F", household=hh, relation="spouse")


def test_it_validates_category_subtype_and_grade(tree, worker):
    p = PersonFactory(unit=tree.a1)
    dis = CategoryType.objects.get(code="disability")
    with pytest.raises(ValidationError) as exc:
        services.category_add(actor=worker, person=p, category=dis, start_date=TODAY, grade=5)
    assert {"subtype", "grade"} <= set(exc.value.message_dict)
    services.category_add(actor=worker, person=p, category=dis, start_date=TODAY, subtype="physical", grade=2)
    with pytest.raises(ValidationError) as exc:
        services.category_add(actor=worker, person=p, category=dis, start_date=TODAY, subtype="visual", grade=1)
    assert "start_date" in exc.value.message_dict
    dibao = CategoryType.objects.get(code="dibao")
    held = services.category_add(actor=worker, person=p, category=dibao, start_date=dt.date(2020, 1, 1))
    services.category_end(actor=worker, held=held, end_date=dt.date(2025, 1, 1))
    assert not held.active_on(TODAY)


def test_it_needs_a_guardian_to_consent_for_a_child(tree, worker):
    child = PersonFactory(unit=tree.a1, birth_date=dt.date(2016, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.consent_record(actor=worker, person=child, purpose="服务", given_on=TODAY, given_by="本人")
    assert "by_guardian" in exc.value.message_dict
    services.consent_record(
        actor=worker, person=child, purpose="服务", given_on=TODAY, given_by="王母", by_guardian=True
    )
    assert Consent.objects.count() == 1


def test_it_reveals_the_id_only_with_permission_and_audits(tree, worker, viewer, as_user):
    p = _create(worker, tree.a1, resident_id=RID)
    page = as_user(worker).get(reverse("people:person_detail", args=[p.pk])).content.decode()
    assert RID not in page and "3505**********" + RID[-4:] in page
    r = as_user(worker).post(reverse("people:person_reveal_id", args=[p.pk]))
    assert RID in r.content.decode()
    assert AuditEvent.objects.filter(action="person.id_reveal", target_id=str(p.pk)).count() == 1
    assert as_user(viewer).post(reverse("people:person_reveal_id", args=[p.pk])).status_code == 403


def test_it_finds_people_by_pinyin_initials_phone_and_id_tail(tree, worker, outsider, as_user):
    p = _create(worker, tree.a1, resident_id=RID, phone="13800001234")
    _create(outsider, tree.b1, name="张山", birth_date=dt.date(1950, 1, 1), sex="M")
    c = as_user(worker)
    for q in ("zs", "zhangs", "张", RID[-4:], "1234"):
        body = c.get(reverse("people:person_list"), {"q": q}).content.decode()
        assert "张三" in body and "张山" not in body, q
    body = c.get(reverse("people:person_list"), {"q": "ls"}).content.decode()
    assert "张三" not in body
    r = c.get(
        reverse("people:person_list"), {"q": "zs"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="people-persons-results"
    )
    assert "<html" not in r.content.decode() and "张三" in r.content.decode()
    assert p.pk


def test_it_filters_by_age_band_and_category(tree, worker, as_user):
    old = PersonFactory(unit=tree.a1, name="老人甲", birth_date=dt.date(1940, 1, 1))
    PersonFactory(unit=tree.a1, name="孩子乙", birth_date=dt.date(2018, 1, 1))
    services.category_add(
        actor=worker, person=old, category=CategoryType.objects.get(code="elderly_alone"), start_date=TODAY
    )
    c = as_user(worker)
    body = c.get(reverse("people:person_list"), {"age_band": "80+"}).content.decode()
    assert "老人甲" in body and "孩子乙" not in body
    cat = CategoryType.objects.get(code="elderly_alone").pk
    body = c.get(reverse("people:person_list"), {"category": cat}).content.decode()
    assert "老人甲" in body and "孩子乙" not in body


def test_it_shows_form_errors_in_chinese_and_saves_nothing(tree, worker, as_user):
    c = as_user(worker)
    r = c.post(
        reverse("people:person_create"),
        {"unit": tree.a1.pk, "name": "王五", "resident_id": RID[:-1] + ("0" if RID[-1] != "0" else "1")},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert r.status_code == 200
    assert "校验码错误" in r.content.decode()
    assert not Person.objects.exists()


def test_it_creates_a_person_through_the_form(tree, worker, as_user):
    r = as_user(worker).post(
        reverse("people:person_create"),
        {"unit": tree.a1.pk, "name": "王五", "resident_id": RID, "phone": "0595-22345678"},
    )
    p = Person.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("people:person_detail", args=[p.pk])


def test_it_hides_other_stations_people(tree, worker, outsider, as_user):
    p = PersonFactory(unit=tree.b1)
    c = as_user(worker)
    for name in ("person_detail", "person_edit", "category_add", "consent_add", "data_request"):
        assert c.get(reverse(f"people:{name}", args=[p.pk])).status_code == 404, name
    assert as_user(outsider).get(reverse("people:person_detail", args=[p.pk])).status_code == 200


def test_it_exports_masked_by_default_and_audits_unmasked(tree, worker, lead, as_user):
    from io import BytesIO

    from openpyxl import load_workbook

    _create(worker, tree.a1, resident_id=RID)
    r = as_user(worker).get(reverse("people:person_list"), {"export": "masked"})
    ws = load_workbook(BytesIO(r.content)).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert RID not in values and "3505**********" + RID[-4:] in values
    assert as_user(worker).get(reverse("people:person_list"), {"export": "unmasked"}).status_code == 403
    r = as_user(lead).get(reverse("people:person_list"), {"export": "unmasked"})
    ws = load_workbook(BytesIO(r.content)).active
    assert RID in [c.value for row in ws.iter_rows() for c in row]
    assert AuditEvent.objects.filter(action="person.export_unmasked").count() == 1


def test_it_answers_data_requests_export_and_delete(tree, worker, as_user):
    p = _create(worker, tree.a1, resident_id=RID, phone="13800001234")
    c = as_user(worker)
    url = reverse("people:data_request", args=[p.pk])
    r = c.post(url, {"kind": "export", "received_on": "2026-11-20"})
    assert json.loads(r.content)["resident_id"] == RID
    r = c.post(url, {"kind": "delete", "received_on": "2026-11-20"})
    assert r.status_code == 200 and not Person.objects.get().anonymised_at  # must confirm
    r = c.post(url, {"kind": "delete", "received_on": "2026-11-20", "confirm_delete": "on"})
    p.refresh_from_db()
    assert p.anonymised_at and p.name != "张三" and not p.id_cipher and not p.phone and p.id_hash is None
    assert AuditEvent.objects.filter(action__startswith="person.data_request").count() == 2
    # the ID may be registered again after deletion
    assert _create(worker, tree.a1, name="张三丰", resident_id=RID).pk


def test_it_sends_the_old_tag_page_to_the_configuration_pages(tree, admin, lead, as_user):
    assert as_user(lead).get(reverse("people:tag_list")).status_code == 403
    assert as_user(admin).get(reverse("people:tag_list"))["Location"] == reverse("configuration:tags_list")


def test_it_manages_household_files(tree, worker, outsider, as_user):
    c = as_user(worker)
    r = c.post(reverse("people:household_create"), {"unit": tree.a1.pk, "address": "幸福路1号"})
    from people.models import Household

    hh = Household.objects.get()
    assert r["Location"] == reverse("people:household_detail", args=[hh.pk])
    assert c.post(reverse("people:household_create"), {"unit": tree.station_a.pk, "address": "x"}).status_code == 200
    assert as_user(outsider).get(reverse("people:household_detail", args=[hh.pk])).status_code == 404
    r = c.get(reverse("people:person_create"), {"household": hh.pk})
    assert r.status_code == 200
