"""One rule for who a person is (core.identity.reconcile_identity): the same
messages whether a resident or a volunteer comes from a form, a roster
import or the API."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from core import identity
from core.identity import reconcile_identity
from people.models import Person
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

BORN = dt.date(1950, 6, 7)
RID = identity.make_resident_id("350502", BORN, 31, "M")
BAD_RID = RID[:-1] + ("1" if RID[-1] != "1" else "2")
TODAY = dt.date(2026, 12, 1)
FUTURE = dt.date(2099, 1, 1)

# (what is entered, {field: the message the rule gives})
CASES: dict[str, tuple[dict[str, Any], dict[str, str]]] = {
    "wrong birth date": (
        {"resident_id": RID, "birth_date": dt.date(1951, 1, 1), "sex": "M"},
        {"birth_date": "The birth date does not match the resident ID (1950-06-07)."},
    ),
    "wrong sex": (
        {"resident_id": RID, "birth_date": None, "sex": "F"},
        {"sex": "The sex does not match the resident ID."},
    ),
    "nothing": (
        {"resident_id": "", "birth_date": None, "sex": ""},
        {"birth_date": "Enter the birth date or a resident ID.", "sex": "Enter the sex or a resident ID."},
    ),
    "future": (
        {"resident_id": "", "birth_date": FUTURE, "sex": "F"},
        {"birth_date": "The birth date cannot be in the future."},
    ),
    "bad check character": (
        {"resident_id": BAD_RID, "birth_date": None, "sex": ""},
        {"resident_id": "The resident ID check character is wrong; please check every digit."},
    ),
}


def _rule(case: str, language: str) -> dict[str, str]:
    """What the rule says for `case`, in `language`."""
    entered = CASES[case][0]
    with translation.override(language), pytest.raises(ValidationError) as exc:
        reconcile_identity(**entered)
    return {field: messages[0] for field, messages in exc.value.message_dict.items()}


@pytest.mark.parametrize("case", list(CASES))
def test_it_gives_each_message_of_the_rule(case: str) -> None:
    assert _rule(case, "en") == CASES[case][1]
    assert all(_rule(case, "zh-hans").values()) and _rule(case, "zh-hans") != CASES[case][1]


def test_it_lets_the_id_decide_birth_date_and_sex() -> None:
    parsed, born, sex = reconcile_identity(resident_id=RID, birth_date=BORN, sex="", today=TODAY)
    assert parsed is not None and (parsed.number, born, sex) == (RID, BORN, "M")
    assert reconcile_identity(resident_id="", birth_date=TODAY, sex="F", today=TODAY) == (None, TODAY, "F")


# ------------------------------------------------------------- channels


def _form_data(entered: dict[str, Any]) -> dict[str, Any]:
    born = entered["birth_date"]
    return {
        "resident_id": entered["resident_id"],
        "sex": entered["sex"],
        "birth_date": born.isoformat() if born else "",
    }


@pytest.mark.parametrize("case", list(CASES))
def test_it_says_the_same_on_the_resident_and_volunteer_forms(case: str, tree: Any, worker: Any, as_user: Any) -> None:
    c = as_user(worker)
    data = {"unit": tree.a1.pk, "name": "王五", **_form_data(CASES[case][0])}
    for url, extra in (
        (reverse("people:person_create"), {}),
        (reverse("volunteers:volunteer_create"), {"max_tasks_per_week": 2}),
    ):
        body = c.post(url, {**data, **extra}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        for message in _rule(case, "zh-hans").values():
            assert message in body, (url, message)
    assert not Person.objects.exists() and not Volunteer.objects.exists()


def _roster(head: list[str], row: list[Any]) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(head)
    ws.append(row)
    buf = BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("roster.xlsx", buf.getvalue())


# the columns as the sheet names them, with their letters (the roster below: 姓名, 身份证号, 性别, 出生日期)
_COLUMNS = {"resident_id": "身份证号（B列）", "birth_date": "出生日期（D列）", "sex": "性别（C列）"}


@pytest.mark.parametrize("case", list(CASES))
def test_it_says_the_same_in_resident_and_volunteer_imports(
    case: str,
    tree: Any,
    worker: Any,
    as_user: Any,
    settings: Any,
    tmp_path: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from core.models import ImportJob

    settings.MEDIA_ROOT = tmp_path
    entered = CASES[case][0]
    sex_word = {"M": "男", "F": "女", "": None}[entered["sex"]]
    cells = [entered["resident_id"] or None, sex_word, entered["birth_date"]]
    c = as_user(worker)
    for url, place in ((reverse("people:import_upload"), "社区"), (reverse("volunteers:import_upload"), "居住区域")):
        upload = _roster(["姓名", "身份证号", "性别", "出生日期", place], ["王五", *cells, "甲一社区"])
        with django_capture_on_commit_callbacks(execute=True):  # the check job runs on commit
            c.post(url, {"file": upload}, HTTP_ACCEPT_LANGUAGE="zh-hans")
        got = {(column, message) for _row, column, message in ImportJob.objects.latest("pk").errors}
        assert got == {(_COLUMNS[f], m) for f, m in _rule(case, "zh-hans").items()}, url
    assert not Person.objects.exists() and not Volunteer.objects.exists()


@pytest.mark.parametrize("case", list(CASES))
def test_it_says_the_same_through_the_api(case: str, tree: Any, worker: Any, as_user: Any) -> None:
    entered = CASES[case][0]
    payload = {"unit_id": tree.a1.pk, "name": "王五", "resident_id": entered["resident_id"], "sex": entered["sex"]}
    if entered["birth_date"]:
        payload["birth_date"] = entered["birth_date"].isoformat()
    c = as_user(worker)
    for url in ("/api/v1/people", "/api/v1/volunteers"):
        r = c.post(url, payload, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert r.status_code == 422, url
        errors = r.json()["errors"]
        for field, message in _rule(case, "zh-hans").items():
            assert message in str(errors[field]), (url, field)
    assert not Person.objects.exists() and not Volunteer.objects.exists()


def test_it_applies_the_rule_when_a_stored_file_is_edited(tree: Any, worker: Any) -> None:
    from people import services as people_services
    from volunteers import services as volunteer_services

    person = people_services.person_create(actor=worker, unit=tree.a1, name="赵一", birth_date=BORN, sex="F")
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        people_services.person_update(actor=worker, person=person, birth_date=FUTURE)
    assert exc.value.message_dict == {"birth_date": ["The birth date cannot be in the future."]}
    vol = volunteer_services.volunteer_create(actor=worker, unit=tree.a1, name="钱二", resident_id=RID)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        volunteer_services.volunteer_update(actor=worker, volunteer=vol, sex="F")
    assert exc.value.message_dict == {"sex": ["The sex does not match the resident ID."]}
    plain = volunteer_services.volunteer_create(actor=worker, unit=tree.a1, name="孙三", birth_date=BORN, sex="M")
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        volunteer_services.volunteer_update(actor=worker, volunteer=plain, birth_date=FUTURE)
    assert exc.value.message_dict == {"birth_date": ["The birth date cannot be in the future."]}
